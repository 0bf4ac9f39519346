package sdkmodule

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/wavs-go/wavs/internal/modproxy"
)

// sdkModule is the SDK's module path.
const sdkModule = "github.com/wavs-go/wavs/sdk"

// repoRoot is the root of this tree, from this package's folder.
const repoRoot = "../.."

// sdkVersion reads sdk/VERSION.
func sdkVersion(t *testing.T) string {
	t.Helper()
	v, err := modproxy.ReadVersion(filepath.Join(repoRoot, "sdk", "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func parseModFile(t *testing.T, file string) *modfile.File {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse(file, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func required(f *modfile.File, path string) (string, bool) {
	for _, r := range f.Require {
		if r.Mod.Path == path {
			return r.Mod.Version, true
		}
	}
	return "", false
}

// TestVersionsAgree: the node and every example require the SDK at the
// version in sdk/VERSION, the one the proxy serves and the tag names.
func TestVersionsAgree(t *testing.T) {
	want := sdkVersion(t)
	files, err := filepath.Glob(filepath.Join(repoRoot, "examples", "*", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(repoRoot, "go.mod"))
	seen := 0
	for _, file := range files {
		v, ok := required(parseModFile(t, file), sdkModule)
		if !ok {
			continue
		}
		seen++
		if v != want {
			t.Errorf("%s requires %s %s; sdk/VERSION says %s", file, sdkModule, v, want)
		}
	}
	if seen < 2 {
		t.Errorf("only %d go.mod files require %s; want the node's and the examples'", seen, sdkModule)
	}
}

// thirdPartyMain is a trivial trigger plugin, as an author outside this
// tree writes one: the sdk types, an EventQueue and sdk.ServeTrigger.
const thirdPartyMain = `// Command thirdparty is a trivial trigger plugin built against the SDK
// by version.
package main

import (
	"context"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
)

type tick struct{ q *sdk.EventQueue }

func newTick(hclog.Logger) *tick { return &tick{q: sdk.NewEventQueue(16)} }

func (*tick) Info() sdk.Info {
	return sdk.Info{Name: "thirdparty", Version: "0.0.1", Kind: sdk.KindTrigger, Capabilities: []string{"trigger:cron"}}
}

func (*tick) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var own struct{}
	_, err := req.Section("plugin", &own)
	return err
}

func (*tick) Health(context.Context) sdk.Health { return sdk.Health{Healthy: true} }

func (*tick) Shutdown(context.Context) error { return nil }

func (*tick) AddTrigger(context.Context, sdk.TriggerSpec) error { return nil }

func (t *tick) RemoveTrigger(_ context.Context, id string) error {
	t.q.Remove(id)
	return nil
}

func (t *tick) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	return t.q.Stream(ctx), nil
}

func (t *tick) Ack(_ context.Context, id, cursor string) error {
	t.q.Ack(id, cursor)
	return nil
}

func main() { sdk.ServeTrigger(newTick) }
`

// thirdPartyTest reaches the plugin through plugintest's real gRPC
// connection.
const thirdPartyTest = `package main

import (
	"context"
	"errors"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

func TestOverGRPC(t *testing.T) {
	p := plugintest.ConnectTrigger(t, newTick(hclog.NewNullLogger()))
	if got := p.Info(); got.Name != "thirdparty" || got.Kind != sdk.KindTrigger {
		t.Fatalf("Info = %+v", got)
	}
	err := p.Configure(context.Background(), sdk.ConfigureRequest{Config: []byte(` + "`" + `{"plugin":{"x":1}}` + "`" + `), PluginName: "thirdparty"})
	if !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Fatalf("Configure with an unknown key: %v", err)
	}
}
`

// TestThirdPartyModule builds a plugin module outside this tree that
// requires the SDK by version, with no replace directive and no
// workspace, as its author would: go mod tidy, go build, go vet and go
// test, against a module proxy written from sdk/ for this test. The SDK
// comes from that proxy; every other module from this machine's module
// cache (read as a proxy, never written) or else the usual proxy, and
// is checked against go.sum and the checksum database as usual. The
// module cache is the test's own (modproxy.Environ says why).
func TestThirdPartyModule(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	start := time.Now()
	version := sdkVersion(t)

	proxy := t.TempDir()
	sdkDir, err := filepath.Abs(filepath.Join(repoRoot, "sdk"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := modproxy.Write(proxy, sdkDir, version, time.Now()); err != nil {
		t.Fatal(err)
	}

	// The module: its go line is the SDK's, its go.sum starts from the
	// SDK's (the same dependencies, so no checksum lookups are needed).
	mod := t.TempDir()
	sdkMod := parseModFile(t, filepath.Join(sdkDir, "go.mod"))
	gomod := "module example.com/thirdparty\n\ngo " + sdkMod.Go.Version + "\n\nrequire " + sdkModule + " " + version + "\n"
	sums, err := os.ReadFile(filepath.Join(sdkDir, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"go.mod":       gomod,
		"go.sum":       string(sums),
		"main.go":      thirdPartyMain,
		"main_test.go": thirdPartyTest,
	} {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	environ, err := modproxy.Environ(proxy, t.TempDir(), []string{sdkModule}, "-mod=mod")
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		t.Helper()
		began := time.Now()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = mod
		cmd.Env = environ
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.Bytes())
		}
		t.Logf("%s: %v", strings.Join(args, " "), time.Since(began).Round(time.Millisecond))
		return out
	}

	run("go", "mod", "tidy")
	run("go", "build", "-o", "thirdparty", ".")
	run("go", "vet", "./...")
	run("go", "test", "-count=1", "./...")

	f := parseModFile(t, filepath.Join(mod, "go.mod"))
	if len(f.Replace) != 0 {
		t.Errorf("go.mod has replace directives: %v", f.Replace)
	}
	if v, ok := required(f, sdkModule); !ok || v != version {
		t.Errorf("go.mod requires %s %q (%v), want %s", sdkModule, v, ok, version)
	}

	// The plugin runs: describe prints its Info without a host.
	var info struct {
		Name            string `json:"name"`
		Kind            string `json:"kind"`
		ProtocolVersion int    `json:"protocol_version"`
	}
	out := run(filepath.Join(mod, "thirdparty"), "describe")
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("describe: %v\n%s", err, out)
	}
	if info.Name != "thirdparty" || info.Kind != "trigger" || info.ProtocolVersion == 0 {
		t.Errorf("describe = %+v", info)
	}
	t.Logf("third-party module built against %s@%s in %v", sdkModule, version, time.Since(start).Round(time.Millisecond))
}
