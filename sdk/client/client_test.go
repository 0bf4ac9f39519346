package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hashicorp/go-plugin"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/client"
	"github.com/wavs-go/wavs/sdk/internal/glue"
)

// trigger is the least trigger plugin.
type trigger struct{}

func (trigger) Info() sdk.Info {
	return sdk.Info{Name: "t", Version: "1", Kind: sdk.KindTrigger, Capabilities: []string{"trigger:cron"}}
}
func (trigger) Configure(context.Context, sdk.ConfigureRequest) error { return nil }
func (trigger) Health(context.Context) sdk.Health                     { return sdk.Health{Healthy: true} }
func (trigger) Shutdown(context.Context) error                        { return nil }
func (trigger) AddTrigger(context.Context, sdk.TriggerSpec) error     { return nil }
func (trigger) RemoveTrigger(_ context.Context, id string) error {
	return errors.Join(sdk.ErrNotFound, errors.New("no trigger "+id))
}
func (trigger) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	ch := make(chan sdk.TriggerEvent)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}
func (trigger) Ack(context.Context, string, string) error { return nil }

// connect serves impl and returns go-plugin's client protocol for it, as
// a launched process would give (over a unix socket, in-process).
func connect(t *testing.T, impl sdk.Plugin) plugin.ClientProtocol {
	t.Helper()
	set, err := glue.ServerPlugins(impl)
	if err != nil {
		t.Fatal(err)
	}
	c, s := plugin.TestPluginGRPCConn(t, false, set)
	// The server stops first: closing the client asks a live server's
	// controller to stop it, which would race with this Stop.
	t.Cleanup(func() {
		s.Stop()
		_ = c.Close()
	})
	return c
}

func TestDispense(t *testing.T) {
	rpc := connect(t, trigger{})
	p, err := client.Dispense(rpc, sdk.KindTrigger, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := p.(sdk.Trigger)
	if !ok {
		t.Fatalf("dispensed %T, not an sdk.Trigger", p)
	}
	if got := tr.Info(); got.Name != "t" || got.Kind != sdk.KindTrigger || got.ProtocolVersion != sdk.ProtocolVersion {
		t.Errorf("Info = %+v", got)
	}
	// Errors keep their sentinel across the boundary.
	if err := tr.RemoveTrigger(context.Background(), "x"); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("RemoveTrigger = %v, want ErrNotFound", err)
	}
}

func TestDispenseRefusesOtherKinds(t *testing.T) {
	rpc := connect(t, trigger{})
	if _, err := client.Dispense(rpc, sdk.KindSubmit, nil); err == nil {
		t.Error("a trigger plugin was dispensed as a submit plugin")
	}
	if _, err := client.Dispense(rpc, sdk.Kind("bogus"), nil); err == nil {
		t.Error("dispensed a plugin of an unknown kind")
	}
}

func TestProtocolSettings(t *testing.T) {
	if client.Handshake.ProtocolVersion != sdk.ProtocolVersion {
		t.Errorf("handshake protocol %d, sdk.ProtocolVersion %d", client.Handshake.ProtocolVersion, sdk.ProtocolVersion)
	}
	// Plugins written in other languages check this cookie (docs/plugins.md).
	if client.Handshake.MagicCookieKey != "WAVS_PLUGIN_MAGIC_COOKIE" || client.Handshake.MagicCookieValue != "5d3c8a1e-wavs-plugin-v1" {
		t.Errorf("handshake cookie %s=%s", client.Handshake.MagicCookieKey, client.Handshake.MagicCookieValue)
	}
	set := client.Plugins()
	for _, k := range sdk.Kinds {
		if _, ok := set[string(k)].(plugin.GRPCPlugin); !ok {
			t.Errorf("Plugins has no gRPC plugin for kind %s", k)
		}
	}
	if len(set) != len(sdk.Kinds) {
		t.Errorf("Plugins has %d entries for %d kinds", len(set), len(sdk.Kinds))
	}
}
