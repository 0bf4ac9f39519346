package sdk

import (
	"context"
	"encoding/json"
	"fmt"
)

// ProtocolVersion is the version of the plugin protocol (the .proto files
// under proto/wavs/plugin/v1). The host refuses a plugin that speaks
// another version.
const ProtocolVersion = 1

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
	return nil
}

// HasCapability reports whether the plugin lists capability c.
func (i Info) HasCapability(c string) bool {
	for _, v := range i.Capabilities {
		if v == c {
			return true
		}
	}
	return false
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
		return true, fmt.Errorf("%w: config section %q: %v", ErrInvalidArgument, name, err)
	}
	return true, nil
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
