package engine_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/engine"
)

// Built once by TestMain: the example and test components, and a
// compilation cache shared by the tests' engines.
var (
	wasmDir  string
	cacheDir string
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "engine-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	wasmDir, cacheDir = filepath.Join(tmp, "wasm"), filepath.Join(tmp, "cache")
	cmd := exec.Command("go", "build", "-trimpath", "-o", wasmDir+string(filepath.Separator),
		"../../examples/components/...", "./testdata/components/...")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building test components: %v\n%s", err, out)
		return 1
	}
	if err := buildReactors(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// reactors are the components TestMain also builds as reactors
// (-buildmode=c-shared, one package per build) into wasmDir/reactor.
var reactors = map[string]string{
	"echo-square": "../../examples/components/echo-square",
	"evm-square":  "../../examples/components/evm-square",
	"kv-counter":  "../../examples/components/kv-counter",
	"http-fetch":  "../../examples/components/http-fetch",
	"loop":        "./testdata/components/loop",
	"memhog":      "./testdata/components/memhog",
	"sleep":       "./testdata/components/sleep",
	"bigout":      "./testdata/components/bigout",
	"stderrflood": "./testdata/components/stderrflood",
	"panic":       "./testdata/components/panic",
	"spin":        "./testdata/components/spin",
	"badptr":      "./testdata/components/badptr",
	"counter":     "./testdata/components/counter",
	"initstate":   "./testdata/components/initstate",
	"initpanic":   "./testdata/components/initpanic",
	"initkv":      "./testdata/components/initkv",
	"initstdout":  "./testdata/components/initstdout",
	"runonly":     "./testdata/components/runonly",
	"residue":     "./testdata/components/residue",
}

func buildReactors() error {
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	errs := make(chan error, len(reactors))
	for name, pkg := range reactors {
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			cmd := exec.Command("go", "build", "-trimpath", "-buildmode=c-shared", "-o", filepath.Join(wasmDir, "reactor", name), pkg)
			cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("building reactor %s: %v\n%s", name, err, out)
				return
			}
			errs <- nil
		}()
	}
	var all []error
	for range reactors {
		if err := <-errs; err != nil {
			all = append(all, err)
		}
	}
	return errors.Join(all...)
}

// reactor returns the wasm of a component built as a reactor.
func reactor(tb testing.TB, name string) []byte {
	tb.Helper()
	return component(tb, filepath.Join("reactor", name))
}

// component returns the wasm of a built component.
func component(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(wasmDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// logBuffer collects an engine's log output.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// newEngine makes an engine on the shared compilation cache with its own
// component store, closed at the end of the test.
func newEngine(tb testing.TB, o engine.Options) *engine.Engine {
	tb.Helper()
	if o.CacheDir == "" {
		o.CacheDir = cacheDir
	}
	if o.ComponentsDir == "" {
		o.ComponentsDir = tb.TempDir()
	}
	e, err := engine.New(context.Background(), o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := e.Close(context.Background()); err != nil {
			tb.Error(err)
		}
	})
	return e
}

// add adds the built component name to e.
func add(tb testing.TB, e *engine.Engine, name string) string {
	tb.Helper()
	d, err := e.AddComponent(context.Background(), component(tb, name))
	if err != nil {
		tb.Fatalf("add %s: %v", name, err)
	}
	return d
}

const (
	serviceID      = "aa00000000000000000000000000000000000000000000000000000000000001"
	otherServiceID = "bb00000000000000000000000000000000000000000000000000000000000002"
)

func rawRequest(digest, data string) engine.Request {
	return engine.Request{Digest: digest, ServiceID: serviceID, WorkflowID: "wf", Trigger: engine.Trigger{Raw: []byte(data)}}
}

func newMemKV() *engine.MemKV { return engine.NewMemKV() }

// wantCause fails unless err is an *ExecError of cause c whose message
// contains every one of want.
func wantCause(tb testing.TB, err error, c engine.Cause, want ...string) {
	tb.Helper()
	if got := engine.CauseOf(err); got != c {
		tb.Fatalf("error %v: cause %v, want %v", err, got, c)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			tb.Errorf("error %q does not mention %q", err, w)
		}
	}
}

// testLogger is a logger writing to buf.
func testLogger(buf *logBuffer) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: buf})
}

// timed runs f and returns how long it took.
func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
