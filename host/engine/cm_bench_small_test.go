package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/wavs-go/wavs/host/engine/component"
)

// Run with (make wasm-components first):
//
//	go test -run '^$' -bench 'WAVSSmallComponent' -benchmem -count 6 ./host/engine/ | tee small.txt
//	go tool benchstat -col /path small.txt

// smallInput is the raw trigger both paths run echo-wat on.
var smallInput = []byte("hello, wavs")

// BenchmarkWAVSSmallComponentTrigger is one trigger's cost for echo-wat,
// a hand-written component (418 bytes of core wasm, no imports, no
// runtime to start), so what it measures is the engine's own per-trigger
// work. path=engine: Engine.Execute (a fresh instance, the trigger-action
// built from the request and lowered, run, the result lifted, post-return,
// the node's WASI host bound and released, the outcome classified);
// path=raw-wazero: the least any host must do (see rawEcho).
func BenchmarkWAVSSmallComponentTrigger(b *testing.B) {
	wasm := wavsComponent(b, "echo-wat")
	ctx := context.Background()
	b.Run("path=engine", func(b *testing.B) {
		e, err := New(ctx, Options{KV: &testKV{m: map[string][]byte{}}, CacheDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		defer e.Close(ctx)
		d, err := e.AddComponent(ctx, wasm)
		if err != nil {
			b.Fatal(err)
		}
		r := Request{Digest: d, ServiceID: hostileSID, WorkflowID: "default",
			Trigger: Trigger{Raw: smallInput}, TimeLimit: time.Minute}
		for b.Loop() {
			if resps, err := e.Execute(ctx, r); err != nil || len(resps) != 1 || !bytes.Equal(resps[0].Payload, smallInput) {
				b.Fatal(resps, err)
			}
		}
	})
	b.Run("path=raw-wazero", func(b *testing.B) {
		raw := newRawEcho(b, wasm)
		for b.Loop() {
			if got := raw.trigger(b); !bytes.Equal(got, smallInput) {
				b.Fatalf("payload %q", got)
			}
		}
	})
}

// rawEcho is the baseline: echo-wat's one core module (taken out of the
// component, the bytes the engine compiles) on bare wazero with the
// engine's runtime settings (close on context done, the wasm32 memory
// limit), compiled once. Per trigger it instantiates the module fresh,
// lowers by hand the trigger-action Execute lowers for the same request
// (service-id, workflow-id "default", the manual trigger of a request
// without a service, raw data) through cabi_realloc, calls run, copies the
// payload out of the return area and calls cabi_post_run. The module
// config is made once. Offsets as in
// echo.wat (checked by TestEchoWATLayout).
type rawEcho struct {
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	cfg      wazero.ModuleConfig
}

func newRawEcho(b *testing.B, wasm []byte) *rawEcho {
	ctx := context.Background()
	c, err := component.Parse(wasm)
	if err != nil {
		b.Fatal(err)
	}
	m, err := component.Resolve(c)
	if err != nil {
		b.Fatal(err)
	}
	var core []byte
	for _, pi := range m.Plan {
		if pi.Module != nil {
			if core != nil {
				b.Fatal("echo-wat has more than one core module")
			}
			core = pi.Module.Bytes
		}
	}
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().
		WithCloseOnContextDone(true).WithMemoryLimitPages(maxWasm32Pages))
	b.Cleanup(func() { rt.Close(ctx) })
	compiled, err := rt.CompileModule(ctx, core)
	if err != nil {
		b.Fatal(err)
	}
	// A rand source spares wazero seeding a math/rand one per instance
	// (~10 µs), as the engine's core module config does.
	cfg := wazero.NewModuleConfig().WithName("").WithStartFunctions().WithRandSource(rand.Reader)
	return &rawEcho{rt: rt, compiled: compiled, cfg: cfg}
}

func (r *rawEcho) trigger(b *testing.B) []byte {
	ctx := context.Background()
	mod, err := r.rt.InstantiateModule(ctx, r.compiled, r.cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer mod.Close(ctx)
	realloc, run, post := mod.ExportedFunction("cabi_realloc"), mod.ExportedFunction("run"), mod.ExportedFunction("cabi_post_run")
	mem := mod.Memory()
	alloc := func(align, size uint64) uint32 {
		res, err := realloc.Call(ctx, 0, 0, align, size)
		if err != nil {
			b.Fatal(err)
		}
		return uint32(res[0])
	}
	str := func(s []byte) (uint32, uint32) {
		p := alloc(1, uint64(len(s)))
		mem.Write(p, s)
		return p, uint32(len(s))
	}
	put := func(blk []byte, off, ptr, n uint32) {
		binary.LittleEndian.PutUint32(blk[off:], ptr)
		binary.LittleEndian.PutUint32(blk[off+4:], n)
	}
	// trigger-action (176 bytes, align 8): service-id at 0, workflow-id at
	// 8, trigger at 16 (case 6, manual), data at 72 (case 6, raw), raw's
	// list at 80.
	var action [176]byte
	at := alloc(8, uint64(len(action)))
	sp, sn := str([]byte(hostileSID))
	wp, wn := str([]byte("default"))
	dp, dn := str(smallInput)
	put(action[:], 0, sp, sn)
	put(action[:], 8, wp, wn)
	action[16] = 6
	action[72] = 6
	put(action[:], 80, dp, dn)
	mem.Write(at, action[:])
	res, err := run.Call(ctx, uint64(at))
	if err != nil {
		b.Fatal(err)
	}
	// The return area: case 0 (ok), the list at 4; the one wasm-response:
	// payload at 0, ordering's case at 8, event-id-salt's at 24.
	ret := uint32(res[0])
	area, _ := mem.Read(ret, 12)
	if area[0] != 0 || binary.LittleEndian.Uint32(area[8:]) != 1 {
		b.Fatalf("run returned %x", area)
	}
	resp, _ := mem.Read(binary.LittleEndian.Uint32(area[4:]), 40)
	if resp[8] != 0 || resp[24] != 0 {
		b.Fatalf("response %x: ordering or salt set", resp)
	}
	payload, ok := mem.Read(binary.LittleEndian.Uint32(resp[0:]), binary.LittleEndian.Uint32(resp[4:]))
	if !ok {
		b.Fatal("payload out of bounds")
	}
	payload = bytes.Clone(payload)
	if _, err := post.Call(ctx, res[0]); err != nil {
		b.Fatal(err)
	}
	return payload
}
