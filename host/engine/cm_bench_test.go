package engine

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Run with (make wasm-components first):
//
//	go test -run '^$' -bench 'WAVSComponent' -benchmem -count 6 ./host/engine/ | tee cm.txt
//	go tool benchstat -col /path cm.txt

// BenchmarkWAVSComponentTrigger is one trigger's cost for square-go,
// path=engine: Engine.Execute (a fresh instance of its four core modules,
// the Go runtime's _initialize, the trigger-action lowered, run, the
// result lifted, the node's WASI 0.2 host and KV); path=raw-wazero: the
// baseline, wazero alone instantiating square-go's main core module and
// calling its run export (see rawSquareGo).
func BenchmarkWAVSComponentTrigger(b *testing.B) {
	wasm := wavsComponent(b, "square-go")
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
			Trigger: Trigger{Raw: []byte("12")}, TimeLimit: time.Minute}
		for b.Loop() {
			if resps, err := e.Execute(ctx, r); err != nil || len(resps) != 1 {
				b.Fatal(resps, err)
			}
		}
	})
	b.Run("path=raw-wazero", func(b *testing.B) {
		raw := newRawSquareGo(b, wavsComponent(b, "square-go.core"))
		for b.Loop() {
			raw.trigger(b)
		}
	})
}

// BenchmarkWAVSComponentCompile is what adding square-go costs a new
// engine: cache=cold compiles its core modules (no compilation cache),
// cache=disk reads them from wazero's compilation cache in CacheDir (what a
// restarted node pays). Both include New and Close.
func BenchmarkWAVSComponentCompile(b *testing.B) {
	wasm := wavsComponent(b, "square-go")
	ctx := context.Background()
	add := func(b *testing.B, dir string) {
		e, err := New(ctx, Options{KV: &testKV{m: map[string][]byte{}}, CacheDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.AddComponent(ctx, wasm); err != nil {
			b.Fatal(err)
		}
		if err := e.Close(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("cache=cold", func(b *testing.B) {
		for b.Loop() {
			add(b, "")
		}
	})
	b.Run("cache=disk", func(b *testing.B) {
		dir := b.TempDir()
		add(b, dir) // fill the cache
		for b.Loop() {
			add(b, dir)
		}
	})
}

// rawSquareGo is the baseline: square-go's main core module (the Go
// toolchain's output, bin/components/square-go.core.wasm: the component's
// main module but for jco renaming a duplicate fd_write import, which
// wazero's WASI could not serve) on bare wazero (close-on-context-done as
// the engine's), compiled once. Per trigger it
// instantiates the module with wazero's own WASI preview 1 (in place of the
// adapter and the node's WASI 0.2 host), calls _initialize, writes a
// trigger-action (raw "12") with the module's cabi_export_realloc and calls
// run. Its imports from host and wasi:keyvalue are no-ops: the guest reads
// their zeroed return areas as none / ok / empty, so it does all of its own
// work (config, compute, fmt, hex) and none of the host's (event id, KV
// write, log line). It is a lower bound for the component path.
type rawSquareGo struct {
	rt       wazero.Runtime
	compiled wazero.CompiledModule
}

func newRawSquareGo(b *testing.B, core []byte) *rawSquareGo {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(true))
	b.Cleanup(func() { rt.Close(ctx) })
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	compiled, err := rt.CompileModule(ctx, core)
	if err != nil {
		b.Fatal(err)
	}
	stubs := map[string]wazero.HostModuleBuilder{}
	noop := api.GoModuleFunc(func(context.Context, api.Module, []uint64) {})
	for _, f := range compiled.ImportedFunctions() {
		mod, name, _ := f.Import()
		if mod == wasi_snapshot_preview1.ModuleName {
			continue
		}
		if stubs[mod] == nil {
			stubs[mod] = rt.NewHostModuleBuilder(mod)
		}
		stubs[mod].NewFunctionBuilder().WithGoModuleFunction(noop, f.ParamTypes(), f.ResultTypes()).Export(name)
	}
	for mod, hb := range stubs {
		if _, err := hb.Instantiate(ctx); err != nil {
			b.Fatalf("stub %s: %v", mod, err)
		}
	}
	return &rawSquareGo{rt: rt, compiled: compiled}
}

func (r *rawSquareGo) trigger(b *testing.B) {
	ctx := context.Background()
	cfg := wazero.NewModuleConfig().WithName("").WithStartFunctions().
		WithStdout(io.Discard).WithStderr(io.Discard).
		WithSysWalltime().WithSysNanotime().WithRandSource(rand.Reader)
	mod, err := r.rt.InstantiateModule(ctx, r.compiled, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer mod.Close(ctx)
	call := func(name string, args ...uint64) uint32 {
		res, err := mod.ExportedFunction(name).Call(ctx, args...)
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		if len(res) == 0 {
			return 0
		}
		return uint32(res[0])
	}
	call("_initialize")
	mem := mod.Memory()
	// trigger-action: config (zeroed) then data at 72, case raw (6), its
	// list at 80.
	action := call("cabi_export_realloc", 0, 0, 8, 256)
	data := call("cabi_export_realloc", 0, 0, 1, 2)
	mem.Write(data, []byte("12"))
	mem.WriteByte(action+72, 6)
	var list [8]byte
	binary.LittleEndian.PutUint32(list[:], data)
	binary.LittleEndian.PutUint32(list[4:], 2)
	mem.Write(action+80, list[:])
	ret := call("run", uint64(action))
	if c, _ := mem.ReadByte(ret); c != 0 {
		b.Fatalf("run returned case %d", c)
	}
	if n, _ := mem.ReadUint32Le(ret + 8); n != 1 {
		b.Fatalf("run returned %d responses", n)
	}
	call("cabi_post_run", uint64(ret))
}
