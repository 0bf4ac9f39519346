package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	return m.Run()
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
