package engine_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/sdk"
)

// Run with:
//
//	go test -run '^$' -bench . -count 6 ./host/engine/ | tee new.txt
//	go tool benchstat new.txt

// BenchmarkCompileCold compiles echo-square in a fresh runtime without a
// cache, on one core and on all of them (the engine uses all).
func BenchmarkCompileCold(b *testing.B) {
	wasm := component(b, "echo-square")
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run("workers="+strconv.Itoa(workers), func(b *testing.B) {
			ctx := experimental.WithCompilationWorkers(context.Background(), workers)
			for b.Loop() {
				rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(true))
				if _, err := rt.CompileModule(ctx, wasm); err != nil {
					b.Fatal(err)
				}
				rt.Close(ctx)
			}
		})
	}
}

// BenchmarkCompileFromDiskCache is what a restarted node pays per
// component: a new runtime and cache handle reading wazero's disk cache.
func BenchmarkCompileFromDiskCache(b *testing.B) {
	ctx := context.Background()
	wasm := component(b, "echo-square")
	dir := b.TempDir()
	compile := func() {
		cache, err := wazero.NewCompilationCacheWithDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(true).WithCompilationCache(cache))
		if _, err := rt.CompileModule(ctx, wasm); err != nil {
			b.Fatal(err)
		}
		rt.Close(ctx)
		cache.Close(ctx)
	}
	compile() // fill the cache
	for b.Loop() {
		compile()
	}
}

// BenchmarkExecuteEchoSquare is one trigger through Engine.Execute: a fresh
// instance, the Go runtime starting, the handler, the output decoded.
func BenchmarkExecuteEchoSquare(b *testing.B) {
	e := newEngine(b, engine.Options{})
	r := rawRequest(add(b, e, "echo-square"), "12")
	ctx := context.Background()
	for b.Loop() {
		resps, err := e.Execute(ctx, r)
		if err != nil || len(resps) != 1 {
			b.Fatal(resps, err)
		}
	}
}

// BenchmarkExecuteEchoSquareSnapshot is BenchmarkExecuteEchoSquare for
// echo-square built as a reactor: the engine runs its snapshot, a fresh
// instance per trigger that starts where the Go runtime's initialisation
// ended.
func BenchmarkExecuteEchoSquareSnapshot(b *testing.B) {
	benchReactor(b, "echo-square", func(d string) engine.Request { return rawRequest(d, "12") }, 144)
}

// benchReactor runs component name, built as a reactor, from its
// snapshot on the request req makes for its digest, each response's
// last payload byte being want.
func benchReactor(b *testing.B, name string, req func(digest string) engine.Request, want byte) {
	e := newEngine(b, engine.Options{})
	d, err := e.AddComponent(context.Background(), reactor(b, name))
	if err != nil {
		b.Fatal(err)
	}
	r := req(d)
	ctx := context.Background()
	for b.Loop() {
		resps, err := e.Execute(ctx, r)
		if err != nil || len(resps) != 1 || resps[0].Payload[31] != want {
			b.Fatal(resps, err)
		}
	}
}

// rawInput is the stdin the engine writes for rawRequest(d, "12").
var rawInput = []byte(`{"abi":1,"service_id":"` + serviceID + `","workflow_id":"wf","trigger":{"raw":{"data":"0x3132"}},"config":{},"chains":{}}`)

// rawRuntime is a bare wazero runtime like the engine's: WASI and a "wavs"
// module of no-op functions.
func rawRuntime(b *testing.B, closeOnDone bool) wazero.Runtime {
	ctx := context.Background()
	cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
	if err != nil {
		b.Fatal(err)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(closeOnDone).WithCompilationCache(cache))
	b.Cleanup(func() { rt.Close(ctx); cache.Close(ctx) })
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	host := rt.NewHostModuleBuilder("wavs")
	noop := api.GoModuleFunc(func(context.Context, api.Module, []uint64) {})
	i := api.ValueTypeI32
	for name, sig := range map[string][2]int{"log": {3, 0}, "kv_get": {2, 1}, "kv_set": {4, 1}, "kv_delete": {2, 1}, "http_fetch": {2, 1}, "result_read": {2, 1}} {
		params, results := make([]api.ValueType, sig[0]), make([]api.ValueType, sig[1])
		for j := range params {
			params[j] = i
		}
		for j := range results {
			results[j] = i
		}
		host.NewFunctionBuilder().WithGoModuleFunction(noop, params, results).Export(name)
	}
	if _, err := host.Instantiate(ctx); err != nil {
		b.Fatal(err)
	}
	return rt
}

// runRaw instantiates and runs compiled once with stdin, the way a
// minimal embedding of wazero would.
func runRaw(b *testing.B, rt wazero.Runtime, compiled wazero.CompiledModule, stdin []byte) []byte {
	ctx := context.Background()
	var out bytes.Buffer
	cfg := wazero.NewModuleConfig().WithName("").WithArgs("component").
		WithStdin(bytes.NewReader(stdin)).WithStdout(&out).WithStderr(io.Discard).
		WithSysWalltime().WithSysNanotime().WithRandSource(rand.Reader)
	mod, err := rt.InstantiateModule(ctx, compiled, cfg)
	if err != nil {
		b.Fatal(err)
	}
	mod.Close(ctx)
	return out.Bytes()
}

// BenchmarkRawWazero is BenchmarkExecuteEchoSquare without the engine: the
// same compiled module, stdin and WASI setup, nothing else. The ratio of
// the two is the engine's overhead.
func BenchmarkRawWazero(b *testing.B) {
	rt := rawRuntime(b, true)
	compiled, err := rt.CompileModule(context.Background(), component(b, "echo-square"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if out := runRaw(b, rt, compiled, rawInput); !bytes.HasPrefix(out, []byte(`{"responses":[{"payload":"0x`)) {
			b.Fatalf("output %s", out)
		}
	}
}

// runRawCalls instantiates compiled once with stdin and no start
// function, calls entries in order and returns stdout.
func runRawCalls(b *testing.B, rt wazero.Runtime, compiled wazero.CompiledModule, stdin []byte, entries ...string) []byte {
	ctx := context.Background()
	var out bytes.Buffer
	cfg := wazero.NewModuleConfig().WithName("").WithArgs("component").
		WithStdin(bytes.NewReader(stdin)).WithStdout(&out).WithStderr(io.Discard).
		WithSysWalltime().WithSysNanotime().WithRandSource(rand.Reader).WithStartFunctions()
	mod, err := rt.InstantiateModule(ctx, compiled, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer mod.Close(ctx)
	for _, name := range entries {
		if _, err := mod.ExportedFunction(name).Call(ctx); err != nil {
			b.Fatal(name, err)
		}
	}
	return out.Bytes()
}

// BenchmarkRawWazeroReactor is BenchmarkRawWazero for echo-square built as
// a reactor, without a snapshot: a fresh instance, _initialize, wavs_run.
func BenchmarkRawWazeroReactor(b *testing.B) {
	rt := rawRuntime(b, true)
	compiled, err := rt.CompileModule(context.Background(), reactor(b, "echo-square"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if out := runRawCalls(b, rt, compiled, rawInput, "_initialize", "wavs_run"); !bytes.HasPrefix(out, []byte(`{"responses":[{"payload":"0x`)) {
			b.Fatalf("output %s", out)
		}
	}
}

// BenchmarkRawWazeroSnapshot is the floor of the engine's snapshot path:
// a fresh instance of echo-square's snapshot module (as the engine makes
// it) and wavs_run, in a bare wazero runtime.
func BenchmarkRawWazeroSnapshot(b *testing.B) {
	e := newEngine(b, engine.Options{})
	snap, err := e.Snapshot(context.Background(), reactor(b, "echo-square"))
	if err != nil {
		b.Fatal(err)
	}
	rt := rawRuntime(b, true)
	compiled, err := rt.CompileModule(context.Background(), snap)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if out := runRawCalls(b, rt, compiled, rawInput, "wavs_run"); !bytes.HasPrefix(out, []byte(`{"responses":[{"payload":"0x`)) {
			b.Fatalf("output %s", out)
		}
	}
}

// BenchmarkSnapshotTake is what adding a reactor costs besides compiling:
// the reactor compiled by wazero's interpreter, instantiated, its
// _initialize run, and the snapshot module made.
func BenchmarkSnapshotTake(b *testing.B) {
	e := newEngine(b, engine.Options{})
	wasm := reactor(b, "echo-square")
	for b.Loop() {
		if _, err := e.Snapshot(context.Background(), wasm); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshotAddComponent is AddComponent of echo-square as a
// reactor (snapshot and compile) and as a command (compile), in a new
// engine: on a cold cache, what a node pays once per component; on a warm
// one (the compiled code, and the reactor's snapshot, cached), what a
// restarted node pays.
func BenchmarkSnapshotAddComponent(b *testing.B) {
	for _, cache := range []string{"cold", "warm"} {
		for _, shape := range []string{"command", "reactor"} {
			b.Run("cache="+cache+"/shape="+shape, func(b *testing.B) {
				wasm := component(b, "echo-square")
				if shape == "reactor" {
					wasm = reactor(b, "echo-square")
				}
				dir := b.TempDir()
				add := func() {
					if cache == "cold" {
						dir = b.TempDir()
					}
					e, err := engine.New(context.Background(), engine.Options{CacheDir: dir, ComponentsDir: b.TempDir()})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := e.AddComponent(context.Background(), wasm); err != nil {
						b.Fatal(err)
					}
					e.Close(context.Background())
				}
				add() // fill the warm cache
				for b.Loop() {
					add()
				}
			})
		}
	}
}

// BenchmarkCloseOnContextDone measures what wazero's WithCloseOnContextDone
// (the engine's only way to stop a runaway guest) costs: the spin component
// runs a loop of n iterations with the flag on and off. n=0 is the Go
// runtime's start alone.
func BenchmarkCloseOnContextDone(b *testing.B) {
	wasm := component(b, "spin")
	for _, n := range []int{0, 1_000_000} {
		input := []byte(`{"abi":1,"service_id":"` + serviceID + `","workflow_id":"wf","trigger":{"raw":{"data":"0x` +
			hexString(strconv.Itoa(n)) + `"}},"config":{},"chains":{}}`)
		for _, on := range []bool{true, false} {
			name := "n=" + strconv.Itoa(n) + "/close-on-done=" + strconv.FormatBool(on)
			b.Run(name, func(b *testing.B) {
				rt := rawRuntime(b, on)
				compiled, err := rt.CompileModule(context.Background(), wasm)
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if out := runRaw(b, rt, compiled, input); !bytes.HasPrefix(out, []byte(`{"responses"`)) {
						b.Fatalf("output %s", out)
					}
				}
			})
		}
	}
}

func hexString(s string) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, digits[s[i]>>4], digits[s[i]&15])
	}
	return string(out)
}

// BenchmarkExecuteEvmSquareSnapshot is one trigger of the demo's and the
// e2e benchmarks' component: evm-square, built as a reactor and run from
// its snapshot, on the NewTrigger log the chain benchmarks fire.
func BenchmarkExecuteEvmSquareSnapshot(b *testing.B) {
	benchReactor(b, "evm-square", func(d string) engine.Request {
		r := rawRequest(d, "")
		h := sdk.Hash{1, 2, 3}
		r.Trigger = engine.Trigger{EvmLog: &sdk.EvmLog{Chain: "evm:31337", Address: sdk.Address{9}, Topics: []sdk.Hash{h}, Data: newTriggerData(1, "7"), BlockNumber: 7, BlockHash: h, TxHash: h}}
		return r
	}, 49)
}
