package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// hostileSID is the service id the hostile components run under.
const hostileSID = "abababababababababababababababababababababababababababababababab"

// TestHostileWAVSComponents runs the hostile WAVS components
// (examples/components/wavs/hostile) through the node's own WASI host: each
// is stopped with its cause, and the engine runs square-go after each. The
// sockets importer is refused when added, naming the import.
func TestHostileWAVSComponents(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{
		KV: &testKV{m: map[string][]byte{}}, MaxConcurrent: 1,
		MaxMemoryPages: 1024, // 64 MiB
	})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	square, err := e.AddComponent(ctx, wavsComponent(t, "square-go"))
	if err != nil {
		t.Fatalf("AddComponent square-go: %v", err)
	}
	for _, tc := range []struct {
		name  string
		limit time.Duration
		cause Cause
		msg   string // in the error
	}{
		{"trap", time.Minute, CauseTrap, "out of bounds memory access"},
		{"loop", time.Second, CauseTimeout, ""},
		{"membomb", time.Minute, CauseMemory, ""},
		// table.grow fails at the engine's bound, and the guest traps.
		{"tablebomb", time.Minute, CauseTrap, "unreachable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := e.AddComponent(ctx, wavsComponent(t, "hostile-"+tc.name))
			if err != nil {
				t.Fatalf("AddComponent: %v", err)
			}
			start := time.Now()
			_, err = e.Execute(ctx, Request{
				Digest: d, ServiceID: hostileSID, WorkflowID: "default",
				Trigger: Trigger{Raw: []byte("12")}, TimeLimit: tc.limit,
			})
			t.Logf("%s: stopped after %v: %v", tc.name, time.Since(start).Round(time.Millisecond), err)
			if CauseOf(err) != tc.cause || !strings.Contains(errString(err), tc.msg) {
				t.Fatalf("Execute = %v, want cause %v naming %q", err, tc.cause, tc.msg)
			}
			if !IsFault(err) {
				t.Errorf("%v is not counted as a fault", err)
			}
			resps, err := e.Execute(ctx, Request{
				Digest: square, ServiceID: hostileSID, WorkflowID: "default",
				Trigger: Trigger{Raw: []byte("12")}, TimeLimit: time.Minute,
			})
			if err != nil || len(resps) != 1 {
				t.Fatalf("square-go after %s: %v, %d responses", tc.name, err, len(resps))
			}
		})
	}
	t.Run("sockets", func(t *testing.T) {
		_, err := e.AddComponent(ctx, wavsComponent(t, "hostile-sockets"))
		if CauseOf(err) != CauseInvalid || !strings.Contains(errString(err), "wasi:sockets/tcp@0.2.0") {
			t.Fatalf("AddComponent = %v, want a refusal naming wasi:sockets/tcp@0.2.0", err)
		}
		t.Logf("refused: %v", err)
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
