package plugintest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// callTimeout bounds each call the suites make.
const callTimeout = 10 * time.Second

// ShutdownTimeout bounds each Shutdown the suites call: the time the SDK
// gives a plugin's Shutdown when its process stops by itself.
const ShutdownTimeout = 5 * time.Second

// The keys the config checks add to a plugin's valid Config.
const (
	unknownKey     = "plugintest_unknown_key"
	unknownSection = "plugintest_future_section"
)

func ctxFor(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

// kit makes the plugin instances of one suite run: P is the kind's
// interface (sdk.Trigger, sdk.Submitter or sdk.Transport).
type kit[P sdk.Plugin] struct {
	kind      sdk.Kind
	newPlugin func(t *testing.T) P
	// connect serves an implementation over gRPC (ConnectTrigger, …).
	connect func(testing.TB, P) P
	config  json.RawMessage
	binary  string

	dirs sync.Map // *testing.T → its data directory
}

// instance is one plugin a suite created: impl is the value newPlugin
// returned, client the host's view of it over gRPC.
type instance[P sdk.Plugin] struct {
	impl   P
	client P
	name   string
	once   sync.Once
}

// start creates an instance behind gRPC, unconfigured. It is shut down
// after the test (see shutdown) unless the test did so already.
func (k *kit[P]) start(t *testing.T) *instance[P] {
	t.Helper()
	impl := k.newPlugin(t)
	inst := &instance[P]{impl: impl, client: k.connect(t, impl), name: impl.Info().Name}
	// Registered after Connect's own cleanup, so it runs first, while the
	// connection is still up.
	t.Cleanup(func() { inst.shutdown(t, "after the test") })
	return inst
}

// dataDir is the test's data directory, the same for every instance of
// one test, so that an instance started after another one stopped finds
// what it left.
func (k *kit[P]) dataDir(t *testing.T) string {
	if d, ok := k.dirs.Load(t); ok {
		return d.(string)
	}
	d := t.TempDir()
	k.dirs.Store(t, d)
	t.Cleanup(func() { k.dirs.Delete(t) })
	return d
}

// ready starts an instance and configures it with the suite's Config and
// the test's data directory.
func (k *kit[P]) ready(t *testing.T) *instance[P] {
	t.Helper()
	return k.readyIn(t, k.dataDir(t))
}

// readyIn is ready with the given data directory.
func (k *kit[P]) readyIn(t *testing.T, dir string) *instance[P] {
	t.Helper()
	inst := k.start(t)
	if err := inst.configure(t, dir, k.config); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return inst
}

func (i *instance[P]) configure(t *testing.T, dir string, config json.RawMessage) error {
	if len(config) == 0 {
		config = json.RawMessage(`{}`)
	}
	return i.client.Configure(ctxFor(t), sdk.ConfigureRequest{
		DataDir: dir, Config: config, PluginName: i.name, HostVersion: "plugintest",
	})
}

// shutdown calls Shutdown through gRPC, once per instance: a second call
// does nothing. It reports an error, or a Shutdown that does not return
// within ShutdownTimeout, as a failure of t.
func (i *instance[P]) shutdown(t *testing.T, when string) {
	i.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
		defer cancel()
		start := time.Now()
		err := i.client.Shutdown(ctx)
		switch {
		case err != nil && (ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded)):
			t.Errorf("Shutdown (%s) did not return within %v: a plugin must release its resources promptly; the host stops waiting and kills it", when, ShutdownTimeout)
		case err != nil:
			t.Errorf("Shutdown (%s) = %v after %v; want nil: it must release every resource (listeners, files, goroutines) so that a new instance can start", when, err, time.Since(start).Round(time.Millisecond))
		}
	})
}

// baseSuite checks what every plugin kind must do.
func baseSuite[P sdk.Plugin](t *testing.T, k *kit[P]) {
	t.Run("Info", func(t *testing.T) {
		inst := k.start(t)
		info := inst.client.Info()
		if info.Version == "" {
			t.Error("Info().Version is empty")
		}
		if info.Kind != k.kind {
			t.Errorf("Info().Kind = %q, want %q", info.Kind, k.kind)
		}
		if err := info.Validate(); err != nil {
			t.Errorf("Info() over gRPC: %v", err)
		}
		if err := sameInfo(info, inst.impl.Info()); err != nil {
			t.Errorf("Info() over gRPC differs from the plugin's own: %v", err)
		}
	})
	t.Run("ConfigureThenHealthy", func(t *testing.T) {
		p := k.ready(t).client
		if h := p.Health(ctxFor(t)); !h.Healthy {
			t.Errorf("Health after Configure = unhealthy (%s)", h.Message)
		}
	})
	t.Run("ConfigureRejectsMalformed", func(t *testing.T) {
		inst := k.start(t)
		err := inst.configure(t, k.dataDir(t), json.RawMessage(`not json`))
		if !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("Configure(config that is not JSON) = %v, want an error wrapping sdk.ErrInvalidArgument", err)
		}
	})
	t.Run("ConfigureRejectsUnknownKeys", func(t *testing.T) {
		config, err := withUnknownKey(k.config)
		if err != nil {
			t.Fatalf("plugintest: Config: %v", err)
		}
		inst := k.start(t)
		err = inst.configure(t, k.dataDir(t), config)
		section := "[plugins." + inst.name + ".config]"
		switch {
		case err == nil:
			t.Errorf("Configure accepted the unknown key %q in its %s section (%s): an operator's typo would be ignored; decode the section with ConfigureRequest.Section, which rejects unknown keys", unknownKey, section, config)
		case !errors.Is(err, sdk.ErrInvalidArgument):
			t.Errorf("Configure(unknown key %q) = %v, want an error wrapping sdk.ErrInvalidArgument", unknownKey, err)
		case !strings.Contains(err.Error(), section) || !strings.Contains(err.Error(), unknownKey):
			t.Errorf("Configure(unknown key %q) = %q: the error must name the section as the operator wrote it, %s (ConfigureRequest.Section does, from PluginName), and the key", unknownKey, err, section)
		}
	})
	t.Run("ConfigureIgnoresUnknownSections", func(t *testing.T) {
		config, err := withUnknownSection(k.config)
		if err != nil {
			t.Fatalf("plugintest: Config: %v", err)
		}
		inst := k.start(t)
		if err := inst.configure(t, k.dataDir(t), config); err != nil {
			t.Errorf("Configure(valid config plus a section %q this plugin does not read) = %v; want nil: the host may pass new sections, and a plugin reads only its own (ConfigureRequest.Section)", unknownSection, err)
		}
	})
	t.Run("Shutdown", func(t *testing.T) {
		inst := k.ready(t)
		inst.shutdown(t, "after Configure")
	})
	t.Run("Binary", func(t *testing.T) {
		if k.binary == "" {
			t.Skip("no Binary in the options: set it to a built executable to check its name and describe output (see CheckBinary)")
		}
		CheckBinary(t, k.binary, k.start(t).impl)
	})
}

// withUnknownKey adds unknownKey to the "plugin" section of config.
func withUnknownKey(config json.RawMessage) (json.RawMessage, error) {
	parts, err := configParts(config)
	if err != nil {
		return nil, err
	}
	own := map[string]json.RawMessage{}
	if raw, ok := parts["plugin"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &own); err != nil || own == nil {
			return nil, fmt.Errorf("the \"plugin\" section is not a JSON object: %s", raw)
		}
	}
	own[unknownKey] = json.RawMessage(`"x"`)
	if parts["plugin"], err = json.Marshal(own); err != nil {
		return nil, err
	}
	return json.Marshal(parts)
}

// withUnknownSection adds a section no plugin reads to config.
func withUnknownSection(config json.RawMessage) (json.RawMessage, error) {
	parts, err := configParts(config)
	if err != nil {
		return nil, err
	}
	parts[unknownSection] = json.RawMessage(`{"enabled":true}`)
	return json.Marshal(parts)
}

func configParts(config json.RawMessage) (map[string]json.RawMessage, error) {
	parts := map[string]json.RawMessage{}
	if len(config) == 0 {
		return parts, nil
	}
	if err := json.Unmarshal(config, &parts); err != nil || parts == nil {
		return nil, fmt.Errorf("not a JSON object: %s", config)
	}
	return parts, nil
}

// sameInfo compares two Infos as a host reads them: with the SDK's
// protocol version, and as JSON (so an empty list and none are alike).
func sameInfo(got, want sdk.Info) error {
	want.ProtocolVersion = sdk.ProtocolVersion
	g, err := json.Marshal(got)
	if err != nil {
		return err
	}
	w, err := json.Marshal(want)
	if err != nil {
		return err
	}
	if string(g) != string(w) {
		return fmt.Errorf("got %s, want %s", g, w)
	}
	return nil
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
