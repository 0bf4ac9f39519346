package component

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
)

// probe loads a built test component named by env (see testdata/README.md)
// or skips.
func probe(t testing.TB, env string) []byte {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		t.Skipf("%s not set: build the probe component (testdata/README.md) and point %s at it", env, env)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", env, err)
	}
	return b
}

// stubHost implements just enough of WASI 0.2 for a wasip1 Go module,
// through the preview1 adapter, to start and run: clocks, random, empty
// environment, streams that accept writes. Everything else traps.
type stubHost struct {
	mu   sync.Mutex
	logs []string
}

func (s *stubHost) resolve(h *HostFunc, sig CoreFuncType) (HostImpl, error) {
	le := binary.LittleEndian
	name := h.Func
	if name == "" {
		name = h.Import
	}
	switch {
	case strings.HasPrefix(h.Func, "[resource-drop]"):
		return func(context.Context, *HostCall, []uint64) {}, nil
	case h.Import == "host-log":
		return func(ctx context.Context, c *HostCall, st []uint64) {
			b, ok := c.Memory.Read(uint32(st[0]), uint32(st[1]))
			if !ok {
				panic("host-log: message out of memory")
			}
			s.mu.Lock()
			s.logs = append(s.logs, string(b))
			s.mu.Unlock()
		}, nil
	case name == "get-environment" || name == "get-arguments":
		return func(ctx context.Context, c *HostCall, st []uint64) {
			c.Memory.WriteUint64Le(uint32(st[0]), 0) // empty list: (ptr 0, len 0)
		}, nil
	case name == "get-random-bytes":
		return func(ctx context.Context, c *HostCall, st []uint64) {
			n := st[0]
			res, err := c.Realloc.Call(ctx, 0, 0, 1, n)
			if err != nil {
				panic(err)
			}
			buf := make([]byte, n)
			_, _ = rand.Read(buf)
			c.Memory.Write(uint32(res[0]), buf)
			c.Memory.WriteUint32Le(uint32(st[1]), uint32(res[0]))
			c.Memory.WriteUint32Le(uint32(st[1])+4, uint32(n))
		}, nil
	case h.Import != "" && strings.HasPrefix(h.Import, "wasi:clocks/monotonic-clock") && name == "now":
		return func(ctx context.Context, c *HostCall, st []uint64) { st[0] = uint64(time.Now().UnixNano()) }, nil
	case strings.HasPrefix(h.Import, "wasi:clocks/wall-clock") && name == "now":
		return func(ctx context.Context, c *HostCall, st []uint64) {
			now := time.Now()
			c.Memory.WriteUint64Le(uint32(st[0]), uint64(now.Unix()))
			c.Memory.WriteUint32Le(uint32(st[0])+8, uint32(now.Nanosecond()))
		}, nil
	case name == "get-stdout" || name == "get-stderr" || name == "get-stdin":
		return func(ctx context.Context, c *HostCall, st []uint64) { st[0] = 1 }, nil
	case name == "[method]output-stream.check-write":
		return func(ctx context.Context, c *HostCall, st []uint64) {
			c.Memory.WriteByte(uint32(st[1]), 0)
			c.Memory.WriteUint64Le(uint32(st[1])+8, 1<<16)
		}, nil
	case name == "[method]output-stream.write", name == "[method]output-stream.blocking-write-and-flush", name == "[method]output-stream.blocking-flush":
		return func(ctx context.Context, c *HostCall, st []uint64) {
			c.Memory.WriteByte(uint32(st[len(sig.Params)-1]), 0) // ok
		}, nil
	}
	_ = le
	return func(context.Context, *HostCall, []uint64) {
		panic(fmt.Sprintf("stub host: %s is not implemented", h))
	}, nil
}

// runProbe lowers a job into the guest by hand (the canonical ABI is the
// cabi package's job; this is just enough for the probe's run) and lifts
// the result<list<u8>, string>.
func runProbe(ctx context.Context, x *Execution, run *LiftedFunc, id uint32, data []byte, tags []string) (ok bool, out []byte, err error) {
	mem := x.Memory(run.Options)
	realloc := x.function(*run.Options.Realloc)
	alloc := func(n, align uint32) uint32 {
		res, e := realloc.Call(ctx, 0, 0, uint64(align), uint64(n))
		if e != nil && err == nil {
			err = e
		}
		if len(res) == 0 {
			return 0
		}
		return uint32(res[0])
	}
	dp := alloc(uint32(len(data)), 1)
	mem.Write(dp, data)
	tp := alloc(uint32(8*len(tags)), 4)
	for i, tag := range tags {
		p := alloc(uint32(len(tag)), 1)
		mem.Write(p, []byte(tag))
		mem.WriteUint32Le(tp+uint32(8*i), p)
		mem.WriteUint32Le(tp+uint32(8*i)+4, uint32(len(tag)))
	}
	if err != nil {
		return false, nil, err
	}
	res, err := x.Call(ctx, run, uint64(id), uint64(dp), uint64(len(data)), uint64(tp), uint64(len(tags)))
	if err != nil {
		return false, nil, err
	}
	rp := uint32(res[0])
	disc, _ := mem.ReadByte(rp)
	p, _ := mem.ReadUint32Le(rp + 4)
	n, _ := mem.ReadUint32Le(rp + 8)
	b, okRead := mem.Read(p, n)
	if !okRead {
		return false, nil, fmt.Errorf("result payload (%d, %d) out of memory", p, n)
	}
	out = append([]byte(nil), b...)
	if err := x.CallPostReturn(ctx, run, res); err != nil {
		return false, nil, err
	}
	return disc == 0, out, nil
}

func TestWatProbeEndToEnd(t *testing.T) {
	b, err := os.ReadFile("testdata/watprobe.wasm")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Resolve(c)
	if err != nil {
		t.Fatal(err)
	}
	run, ok := m.Export("run")
	if !ok || run.Func == nil {
		t.Fatalf("no run export: %+v", m.Exports)
	}
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	host := &stubHost{}
	cc, err := Compile(ctx, rt, m, host.resolve)
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close(ctx)

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x, err := cc.Instantiate(ctx)
			if err != nil {
				errs <- err
				return
			}
			defer x.Close(ctx)
			id := uint32(10 + i)
			ok, out, err := runProbe(ctx, x, run.Func, id, []byte("abc"), []string{"x", "yz"})
			if err != nil {
				errs <- err
				return
			}
			if want := "abc" + string(rune(id)); !ok || string(out) != want {
				errs <- fmt.Errorf("execution %d: ok=%v out=%q, want ok %q", i, ok, out, want)
				return
			}
			ok, out, err = runProbe(ctx, x, run.Func, id, nil, nil)
			if err != nil || ok || string(out) != "empty job" {
				errs <- fmt.Errorf("execution %d empty job: ok=%v out=%q err=%v, want error \"empty job\"", i, ok, out, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	host.mu.Lock()
	defer host.mu.Unlock()
	// The probe logs each job's data: four runs with "abc", four empty.
	if len(host.logs) != 8 || strings.Count(strings.Join(host.logs, ","), "abc") != 4 {
		t.Errorf("host-log calls: %q", host.logs)
	}
}

// TestBuiltProbes parses, resolves and compiles the larger probe
// components, which are built on demand rather than committed: the Go
// c-shared one (WAVS_CM_GO_PROBE) and the componentize-js one
// (WAVS_CM_JS_PROBE). Running them needs a fuller WASI host: the Go
// runtime's _initialize calls WASI through the adapter, which calls back
// into Go's cabi_realloc before the Go runtime is up.
func TestBuiltProbes(t *testing.T) {
	for _, env := range []string{"WAVS_CM_GO_PROBE", "WAVS_CM_JS_PROBE"} {
		t.Run(env, func(t *testing.T) {
			b := probe(t, env)
			ctx := context.Background()
			c, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Resolve(c)
			if err != nil {
				t.Fatal(err)
			}
			run, ok := m.Export("run")
			if !ok || run.Func == nil {
				t.Fatalf("no run export: %+v", m.Exports)
			}
			t.Logf("%d core modules, %d imports, %d host functions; run: %s", len(c.Modules), len(m.Imports), len(m.Host), run.Type)
			rt := wazero.NewRuntime(ctx)
			defer rt.Close(ctx)
			cc, err := Compile(ctx, rt, m, (&stubHost{}).resolve)
			if err != nil {
				t.Fatal(err)
			}
			_ = cc.Close(ctx)
		})
	}
}

// TestPresentMemory: a module without a memory gives host functions nil,
// never a nil pointer dressed as a memory.
func TestPresentMemory(t *testing.T) {
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	// A module with no memory: (module).
	mod, err := rt.Instantiate(ctx, []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00})
	if err != nil {
		t.Fatal(err)
	}
	if m := presentMemory(mod.Memory()); m != nil {
		t.Errorf("presentMemory(no memory) = %#v, want nil", m)
	}
	if m := presentMemory(nil); m != nil {
		t.Errorf("presentMemory(nil) = %#v", m)
	}
}

// TestHostModuleNameStable: a component's host module has the same name
// (so its core modules the same bytes, and wazero's compilation cache a
// hit) in every runtime; a second compile in one runtime while the first
// is open gets another name and works too.
func TestHostModuleNameStable(t *testing.T) {
	b, err := os.ReadFile("testdata/watprobe.wasm")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Resolve(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	compile := func(rt wazero.Runtime) *Compiled {
		t.Helper()
		cc, err := Compile(ctx, rt, m, (&stubHost{}).resolve)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cc.Close(ctx) })
		return cc
	}
	rt1, rt2 := wazero.NewRuntime(ctx), wazero.NewRuntime(ctx)
	defer rt1.Close(ctx)
	defer rt2.Close(ctx)
	a, b2 := compile(rt1), compile(rt2)
	if a.hostName != b2.hostName {
		t.Errorf("host module %q in one runtime, %q in another", a.hostName, b2.hostName)
	}
	again := compile(rt1)
	if again.hostName == a.hostName {
		t.Errorf("a second compile in the same runtime reuses %q", a.hostName)
	}
	in, err := again.Instantiate(ctx)
	if err != nil {
		t.Fatalf("the second compile does not instantiate: %v", err)
	}
	in.Close(ctx)
}
