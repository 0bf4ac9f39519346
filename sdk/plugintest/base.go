package plugintest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// callTimeout bounds each call the suites make.
const callTimeout = 10 * time.Second

func ctxFor(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

func configure(t testing.TB, p sdk.Plugin, config json.RawMessage) {
	t.Helper()
	if config == nil {
		config = json.RawMessage(`{}`)
	}
	err := p.Configure(ctxFor(t), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: config, HostVersion: "plugintest"})
	if err != nil {
		t.Fatalf("Configure: %v", err)
	}
}

// baseSuite checks what every plugin kind must do.
func baseSuite(t *testing.T, kind sdk.Kind, connect func(t *testing.T) sdk.Plugin, config json.RawMessage) {
	t.Run("Info", func(t *testing.T) {
		p := connect(t)
		info := p.Info()
		if info.Name == "" {
			t.Error("Info().Name is empty")
		}
		if info.Version == "" {
			t.Error("Info().Version is empty")
		}
		if info.Kind != kind {
			t.Errorf("Info().Kind = %q, want %q", info.Kind, kind)
		}
		if info.ProtocolVersion != sdk.ProtocolVersion {
			t.Errorf("Info().ProtocolVersion = %d, want %d", info.ProtocolVersion, sdk.ProtocolVersion)
		}
	})
	t.Run("ConfigureThenHealthy", func(t *testing.T) {
		p := connect(t)
		configure(t, p, config)
		if h := p.Health(ctxFor(t)); !h.Healthy {
			t.Errorf("Health after Configure = unhealthy (%s)", h.Message)
		}
	})
	t.Run("ConfigureRejectsMalformed", func(t *testing.T) {
		p := connect(t)
		err := p.Configure(ctxFor(t), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: json.RawMessage(`not json`)})
		if !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("Configure(config that is not JSON) = %v, want an error wrapping sdk.ErrInvalidArgument", err)
		}
	})
	t.Run("Shutdown", func(t *testing.T) {
		p := connect(t)
		configure(t, p, config)
		if err := p.Shutdown(ctxFor(t)); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
}

// closesWithin reports whether ch is closed (drained) within d.
func closesWithin[T any](ch <-chan T, d time.Duration) bool {
	timeout := time.After(d)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return true
			}
		case <-timeout:
			return false
		}
	}
}
