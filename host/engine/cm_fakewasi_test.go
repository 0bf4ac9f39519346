package engine

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// fakeWASI stands in for package wasip2 in the engine's tests. It serves
// what the preview1 adapter (square-go) and StarlingMonkey (square-js)
// call on the way to run: empty environment and arguments, no preopens,
// no terminals, clocks, random bytes, and stdout/stderr streams that
// accept everything (kept in out). Every other WASI function is bound
// (so components instantiate) but traps if called, naming itself.
type fakeWASI struct {
	mu      sync.Mutex
	out     strings.Builder
	refuse  string // Check refuses imports with this prefix
	called  map[string]int
	trapped []string
}

func (f *fakeWASI) Check(imports []component.ImportInfo) error {
	for _, im := range imports {
		if f.refuse != "" && strings.HasPrefix(im.Name, f.refuse) {
			return fmt.Errorf("it imports %s: refused by the fake WASI host", im.Name)
		}
	}
	return nil
}

func (f *fakeWASI) Bind(ctx context.Context, _ WASIConfig) (context.Context, func()) {
	return ctx, func() {}
}

func (f *fakeWASI) Resolve(h *component.HostFunc, sig component.CoreFuncType) (component.HostImpl, bool, error) {
	if !strings.HasPrefix(h.Import, "wasi:") {
		return nil, false, nil
	}
	if h.Kind != component.CoreFuncLower {
		return func(context.Context, *component.HostCall, []uint64) {}, true, nil
	}
	name := h.Import + "#" + h.Func
	fn := f.handler(name, h.Func)
	impl, err := lowered(h, sig, newTypeConv(), func(ctx context.Context, st *execState, cf *cabi.Func, args []cabi.Value) (any, error) {
		f.mu.Lock()
		if f.called == nil {
			f.called = map[string]int{}
		}
		f.called[name]++
		f.mu.Unlock()
		return fn(args)
	})
	return impl, true, err
}

func (f *fakeWASI) handler(full, fn string) func([]cabi.Value) (any, error) {
	iface, _, _ := strings.Cut(full, "@")
	switch {
	case fn == "get-environment":
		return func([]cabi.Value) (any, error) { return []any{}, nil }
	case fn == "get-arguments":
		return func([]cabi.Value) (any, error) { return []string{}, nil }
	case fn == "initial-cwd":
		return func([]cabi.Value) (any, error) { return none, nil }
	case fn == "get-directories":
		return func([]cabi.Value) (any, error) { return []any{}, nil }
	case strings.HasPrefix(fn, "get-terminal-"):
		return func([]cabi.Value) (any, error) { return none, nil }
	case fn == "get-random-bytes", fn == "get-insecure-random-bytes":
		return func(a []cabi.Value) (any, error) {
			n := a[0].(uint64)
			if n > 1<<20 {
				return nil, errors.New("too many random bytes")
			}
			b := make([]byte, n)
			_, _ = rand.Read(b)
			return b, nil
		}
	case fn == "get-random-u64", fn == "get-insecure-random-u64":
		return func([]cabi.Value) (any, error) { return uint64(4), nil }
	case fn == "insecure-seed":
		return func([]cabi.Value) (any, error) { return []any{uint64(1), uint64(2)}, nil }
	case strings.HasPrefix(iface, "wasi:clocks/monotonic-clock") && fn == "now":
		return func([]cabi.Value) (any, error) { return uint64(time.Now().UnixNano()), nil }
	case strings.HasPrefix(iface, "wasi:clocks/monotonic-clock") && fn == "resolution":
		return func([]cabi.Value) (any, error) { return uint64(1), nil }
	case strings.HasPrefix(iface, "wasi:clocks/wall-clock"):
		return func([]cabi.Value) (any, error) {
			now := time.Now()
			return rec{"seconds": uint64(now.Unix()), "nanoseconds": uint32(now.Nanosecond())}, nil
		}
	case fn == "subscribe-duration", fn == "subscribe-instant", fn == "[method]output-stream.subscribe", fn == "[method]input-stream.subscribe":
		return func([]cabi.Value) (any, error) { return cabi.Handle(2), nil }
	case strings.HasPrefix(iface, "wasi:io/poll") && fn == "poll":
		// Every pollable is ready at once: sleeps return immediately.
		return func(a []cabi.Value) (any, error) {
			ps, _ := a[0].([]cabi.Value)
			out := make([]any, len(ps))
			for i := range ps {
				out[i] = uint32(i)
			}
			return out, nil
		}
	case fn == "[method]pollable.block":
		return func([]cabi.Value) (any, error) { return nil, nil }
	case fn == "[method]pollable.ready":
		return func([]cabi.Value) (any, error) { return true, nil }
	case fn == "get-stdout", fn == "get-stderr", fn == "get-stdin":
		return func([]cabi.Value) (any, error) { return cabi.Handle(1), nil }
	case fn == "[method]output-stream.check-write":
		return func([]cabi.Value) (any, error) { return okv{uint64(1 << 16)}, nil }
	case fn == "[method]output-stream.write", fn == "[method]output-stream.blocking-write-and-flush":
		return func(a []cabi.Value) (any, error) {
			if b, ok := a[1].([]byte); ok {
				f.mu.Lock()
				f.out.Write(b)
				f.mu.Unlock()
			}
			return okv{}, nil
		}
	case fn == "[method]output-stream.blocking-flush", fn == "[method]output-stream.flush":
		return func([]cabi.Value) (any, error) { return okv{}, nil }
	}
	return func([]cabi.Value) (any, error) {
		f.mu.Lock()
		f.trapped = append(f.trapped, full)
		f.mu.Unlock()
		return nil, fmt.Errorf("fake WASI host: %s is not implemented", full)
	}
}
