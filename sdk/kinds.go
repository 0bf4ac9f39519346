package sdk

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// TriggerKind is a trigger kind a plugin adds to the service JSON. A
// workflow names it as {"trigger": {"<Name>": {<config>}}}; the host
// checks the config object against Fields at registration (Check) and
// hands it to the plugin as a *KindSource. The events of such a trigger
// carry *RawData.
type TriggerKind struct {
	// Name matches ^[a-z][a-z0-9_]{0,63}$ and is not one of the WAVS
	// kinds (BuiltinTriggerKinds).
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	Fields      []ConfigField `json:"fields,omitempty"`
}

// ConfigField is one field of a trigger kind's config object.
type ConfigField struct {
	Name        string    `json:"name"`
	Type        FieldType `json:"type"`
	Required    bool      `json:"required,omitempty"`
	Description string    `json:"description,omitempty"`
}

// FieldType is the JSON shape a ConfigField takes.
type FieldType string

// The field types.
const (
	// FieldString is a JSON string.
	FieldString FieldType = "string"
	// FieldInteger is a JSON number that is a whole number from 0 to
	// 2^64-1.
	FieldInteger FieldType = "integer"
	// FieldBoolean is true or false.
	FieldBoolean FieldType = "boolean"
	// FieldHex is a string of 0x-prefixed hex bytes (even length).
	FieldHex FieldType = "hex"
	// FieldChain is a chain key "<family>:<id>".
	FieldChain FieldType = "chain"
)

// FieldTypes lists every FieldType.
var FieldTypes = []FieldType{FieldString, FieldInteger, FieldBoolean, FieldHex, FieldChain}

// BuiltinTriggerKinds are the trigger kinds of the WAVS service JSON. A
// plugin serves one of them by listing the capability "trigger:<kind>";
// it cannot declare them as new kinds.
var BuiltinTriggerKinds = []string{
	"evm_contract_event", "block_interval", "cron", "manual",
	"cosmos_contract_event", "at_proto_event", "hypercore_append", "solana_program_event",
}

var (
	kindNameRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	// ChainKeyPattern is the form of a chain key, "<family>:<id>".
	ChainKeyPattern = regexp.MustCompile(`^([-a-z0-9]{1,32}):([-_a-zA-Z0-9]{1,32})$`)
)

// ChainFamily is the family part of a chain key ("evm" of "evm:31337"),
// or "" when key is not a chain key.
func ChainFamily(key string) string {
	m := ChainKeyPattern.FindStringSubmatch(key)
	if m == nil {
		return ""
	}
	return m[1]
}

func (k TriggerKind) validate() error {
	if !kindNameRe.MatchString(k.Name) {
		return fmt.Errorf("name %q does not match %s", k.Name, kindNameRe)
	}
	for _, b := range BuiltinTriggerKinds {
		if k.Name == b {
			return fmt.Errorf("name %q is a WAVS trigger kind; serve it with the capability \"trigger:%s\" instead", k.Name, k.Name)
		}
	}
	seen := map[string]bool{}
	for i, f := range k.Fields {
		if f.Name == "" {
			return fmt.Errorf("kind %q: fields[%d]: name is empty", k.Name, i)
		}
		if seen[f.Name] {
			return fmt.Errorf("kind %q: field %q is declared twice", k.Name, f.Name)
		}
		seen[f.Name] = true
		if !f.Type.valid() {
			return fmt.Errorf("kind %q: field %q: type %q is not one of %v", k.Name, f.Name, f.Type, FieldTypes)
		}
	}
	return nil
}

func (t FieldType) valid() bool {
	for _, v := range FieldTypes {
		if t == v {
			return true
		}
	}
	return false
}

// Check reads config as this kind's config object: a JSON object whose
// keys are declared fields, each of its type, with every required field
// present. Errors wrap ErrInvalidArgument and name the field by path
// (path is where the object sits, e.g. "workflows.w.trigger.webhook").
func (k TriggerKind) Check(path string, config json.RawMessage) error {
	if len(bytes.TrimSpace(config)) == 0 {
		config = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(config))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return fmt.Errorf("%w: %s: want a JSON object of the %q trigger's fields", ErrInvalidArgument, path, k.Name)
	}
	declared := make(map[string]ConfigField, len(k.Fields))
	names := make([]string, 0, len(k.Fields))
	for _, f := range k.Fields {
		declared[f.Name] = f
		names = append(names, f.Name)
	}
	keys := make([]string, 0, len(obj))
	for key := range obj {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		f, ok := declared[key]
		if !ok {
			allowed := "none"
			if len(names) > 0 {
				allowed = strings.Join(names, ", ")
			}
			return fmt.Errorf("%w: %s.%s: unknown field of the %q trigger (fields: %s)", ErrInvalidArgument, path, key, k.Name, allowed)
		}
		if err := f.check(obj[key]); err != nil {
			return fmt.Errorf("%w: %s.%s: %v", ErrInvalidArgument, path, key, err)
		}
	}
	for _, f := range k.Fields {
		if _, ok := obj[f.Name]; f.Required && !ok {
			return fmt.Errorf("%w: %s.%s: missing; the %q trigger requires it (%s)", ErrInvalidArgument, path, f.Name, k.Name, f.Type)
		}
	}
	return nil
}

func (f ConfigField) check(v any) error {
	switch f.Type {
	case FieldString:
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s is not a string", short(v))
		}
	case FieldBoolean:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s is not true or false", short(v))
		}
	case FieldInteger:
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s is not a number", short(v))
		}
		if _, err := strconv.ParseUint(n.String(), 10, 64); err != nil {
			return fmt.Errorf("%s is not a whole number from 0 to 2^64-1", n)
		}
	case FieldHex:
		s, ok := v.(string)
		if !ok || !strings.HasPrefix(s, "0x") {
			return fmt.Errorf("%s is not a 0x-prefixed hex string", short(v))
		}
		if _, err := hex.DecodeString(s[2:]); err != nil {
			return fmt.Errorf("%q is not 0x-prefixed hex bytes: %v", s, err)
		}
	case FieldChain:
		s, ok := v.(string)
		if !ok || !ChainKeyPattern.MatchString(s) {
			return fmt.Errorf("%s is not a chain key; want \"<family>:<id>\" matching %s", short(v), ChainKeyPattern)
		}
	}
	return nil
}

// short renders a JSON value for an error message, cut to 64 bytes.
func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 64 {
		return string(b[:61]) + "..."
	}
	return string(b)
}
