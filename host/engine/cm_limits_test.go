package engine

import (
	"context"
	"testing"
	"time"
)

// The engine's limits hold for every core module of a component, and
// their failures have the engine's causes.
func TestComponentLimits(t *testing.T) {
	wasm := wavsComponent(t, "square-go")
	for _, tc := range []struct {
		name string
		opts Options
		want Cause
	}{
		{"memory", Options{MaxMemoryPages: 40}, CauseMemory},
		{"output", Options{MaxOutputBytes: 64}, CauseOutputTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			tc.opts.WASI = &fakeWASI{}
			tc.opts.KV = &testKV{m: map[string][]byte{}}
			e, err := New(ctx, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close(ctx)
			digest, err := e.AddComponent(ctx, wasm)
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Execute(ctx, Request{
				Digest: digest, ServiceID: "abababababababababababababababababababababababababababababababab",
				WorkflowID: "default", Trigger: Trigger{Raw: []byte("12")}, TimeLimit: time.Minute,
			})
			if CauseOf(err) != tc.want {
				t.Fatalf("Execute = %v, want cause %v", err, tc.want)
			}
			if !IsFault(err) {
				t.Errorf("%v is not counted as a fault", err)
			}
		})
	}
}
