package sdk

import (
	"context"
	"encoding/json"
	"fmt"
)

// ProtocolVersion is the version of the plugin protocol (the .proto files
// under proto/wavs/plugin/v1). The host refuses a plugin that speaks
// another version. Version 2 added declared trigger kinds, chain
// addresses in their family's text form and signatures typed by scheme.
const ProtocolVersion = 2

// Kind says which service a plugin serves besides the base one.
type Kind string

// The plugin kinds.
const (
	KindTrigger   Kind = "trigger"
	KindSubmit    Kind = "submit"
	KindTransport Kind = "transport"
)

// Kinds lists every valid Kind.
var Kinds = []Kind{KindTrigger, KindSubmit, KindTransport}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Info describes a plugin. It is static: a plugin prints the same Info for
// its `describe` subcommand as it answers over gRPC.
type Info struct {
	Name            string   `json:"name"`
	Version         string   `json:"version"`
	Kind            Kind     `json:"kind"`
	ProtocolVersion int      `json:"protocol_version"`
	Capabilities    []string `json:"capabilities,omitempty"`
	Description     string   `json:"description,omitempty"`
	// TriggerKinds are the trigger kinds a trigger plugin adds to the
	// service JSON, each with its config fields. Declaring a kind is
	// the same as listing the capability "trigger:<name>".
	TriggerKinds []TriggerKind `json:"trigger_kinds,omitempty"`
}

// Validate checks the fields a host relies on.
func (i Info) Validate() error {
	if i.Name == "" {
		return fmt.Errorf("plugin info: name is empty")
	}
	if !i.Kind.Valid() {
		return fmt.Errorf("plugin info: kind %q is not one of %v", i.Kind, Kinds)
	}
	if i.ProtocolVersion != ProtocolVersion {
		return fmt.Errorf("plugin info: protocol_version %d is not supported (this host speaks %d)", i.ProtocolVersion, ProtocolVersion)
	}
	if len(i.TriggerKinds) > 0 && i.Kind != KindTrigger {
		return fmt.Errorf("plugin info: trigger_kinds are declared by a %s plugin; only trigger plugins declare them", i.Kind)
	}
	seen := map[string]bool{}
	for n, k := range i.TriggerKinds {
		if err := k.validate(); err != nil {
			return fmt.Errorf("plugin info: trigger_kinds[%d]: %w", n, err)
		}
		if seen[k.Name] {
			return fmt.Errorf("plugin info: trigger_kinds[%d]: kind %q is declared twice", n, k.Name)
		}
		seen[k.Name] = true
	}
	return nil
}

// HasCapability reports whether the plugin lists capability c. A declared
// trigger kind K counts as the capability "trigger:K".
func (i Info) HasCapability(c string) bool {
	for _, v := range i.Capabilities {
		if v == c {
			return true
		}
	}
	for _, k := range i.TriggerKinds {
		if "trigger:"+k.Name == c {
			return true
		}
	}
	return false
}

// TriggerKind returns the declared trigger kind called name.
func (i Info) TriggerKind(name string) (TriggerKind, bool) {
	for _, k := range i.TriggerKinds {
		if k.Name == name {
			return k, true
		}
	}
	return TriggerKind{}, false
}

// ConfigureRequest carries the node's configuration to a plugin.
type ConfigureRequest struct {
	// DataDir is a directory owned by this plugin, inside the node's data
	// directory. It exists when Configure is called.
	DataDir string
	// Config is a JSON object with the parts of wavs.toml a plugin may need:
	// "p2p" (the [wavs.p2p] block), "chains" (the [default.chains] block)
	// and "plugin" (the [plugins.<name>.config] table). Absent parts are
	// omitted. Use Section to decode one.
	Config json.RawMessage
	// PluginName is the name the node knows the plugin by (its binary's
	// name); errors about the "plugin" section name [plugins.<name>.config].
	PluginName string
	// HostVersion is the version of the wavs host.
	HostVersion string
}

// Section decodes the named part of Config into v, rejecting unknown keys.
// It reports whether the part was present. Errors wrap ErrInvalidArgument
// and name the section.
func (r ConfigureRequest) Section(name string, v any) (bool, error) {
	if len(r.Config) == 0 {
		return false, nil
	}
	var parts map[string]json.RawMessage
	if err := json.Unmarshal(r.Config, &parts); err != nil {
		return false, fmt.Errorf("%w: config is not a JSON object: %v", ErrInvalidArgument, err)
	}
	raw, ok := parts[name]
	if !ok || string(raw) == "null" {
		return false, nil
	}
	if err := decodeStrict(raw, v); err != nil {
		return true, fmt.Errorf("%w: %s: %v", ErrInvalidArgument, r.sectionName(name), err)
	}
	return true, nil
}

// sectionName names a config section as the operator wrote it in
// wavs.toml.
func (r ConfigureRequest) sectionName(name string) string {
	switch name {
	case "plugin":
		if r.PluginName != "" {
			return "[plugins." + r.PluginName + ".config]"
		}
		return "[plugins.<name>.config]"
	case "p2p":
		return "[wavs.p2p]"
	case "chains":
		return "[default.chains]"
	default:
		return fmt.Sprintf("config section %q", name)
	}
}

// Health is a plugin's answer to "can you do your work now?".
type Health struct {
	Healthy bool
	Message string
}

// Plugin is the base every plugin kind implements.
type Plugin interface {
	// Info describes the plugin; it must not depend on configuration.
	Info() Info
	// Configure is called once after launch, before any other call but
	// Info. Return an error wrapping ErrInvalidArgument for bad config.
	Configure(ctx context.Context, req ConfigureRequest) error
	// Health reports whether the plugin can do its work now.
	Health(ctx context.Context) Health
	// Shutdown releases resources. The process exits soon after.
	Shutdown(ctx context.Context) error
}
