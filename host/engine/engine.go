package engine

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Engine compiles, stores and runs components. Its methods are safe for
// concurrent use.
type Engine struct {
	opts  Options
	rt    wazero.Runtime
	cache wazero.CompilationCache // nil without CacheDir

	// Signatures of the functions a component may import, by module and
	// name.
	imports map[string]map[string]api.FunctionDefinition
	// base is the module config every execution starts from.
	base wazero.ModuleConfig

	slots     chan struct{} // one token per running execution
	done      chan struct{} // closed by Close
	closeOnce sync.Once
	closeErr  error

	mu   sync.Mutex
	mods map[string]*moduleEntry // by digest
}

// moduleEntry is a compiled component, or its compilation in progress.
type moduleEntry struct {
	ready chan struct{} // closed when mod or err is set
	mod   wazero.CompiledModule
	err   error
}

// New makes an Engine: one wazero runtime with WASI preview 1 and the
// "wavs" host module, the compilation cache and the component store.
func New(ctx context.Context, o Options) (*Engine, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	// The runtime allows any 32-bit memory: the execution's allocator
	// enforces MaxMemoryPages, which is how the engine learns that a guest
	// hit the limit (see boundedMemory).
	rc := wazero.NewRuntimeConfig().
		WithCloseOnContextDone(true).
		WithMemoryLimitPages(maxWasm32Pages)
	var cache wazero.CompilationCache
	if o.CacheDir != "" {
		if cache, err = wazero.NewCompilationCacheWithDir(o.CacheDir); err != nil {
			return nil, fmt.Errorf("engine: compilation cache %s: %w", o.CacheDir, err)
		}
		rc = rc.WithCompilationCache(cache)
	}
	if o.ComponentsDir != "" {
		if err := os.MkdirAll(o.ComponentsDir, 0o755); err != nil {
			return nil, fmt.Errorf("engine: components dir: %w", err)
		}
	}
	rt := wazero.NewRuntimeWithConfig(ctx, rc)
	e := &Engine{
		opts:  o,
		rt:    rt,
		cache: cache,
		slots: make(chan struct{}, o.MaxConcurrent),
		done:  make(chan struct{}),
		mods:  map[string]*moduleEntry{},
		base: wazero.NewModuleConfig().
			WithName(""). // anonymous: many instances of one component at once
			WithArgs("component").
			WithSysWalltime().
			WithSysNanotime().
			WithRandSource(rand.Reader).
			WithStartFunctions(), // _start is called explicitly, see run
	}
	if err := e.instantiateImports(ctx); err != nil {
		_ = e.closeRuntime(ctx)
		return nil, err
	}
	return e, nil
}

func (e *Engine) instantiateImports(ctx context.Context) error {
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, e.rt); err != nil {
		return fmt.Errorf("engine: instantiate WASI: %w", err)
	}
	wasi := e.rt.Module(wasi_snapshot_preview1.ModuleName)
	host, err := instantiateHostModule(ctx, e.rt)
	if err != nil {
		return err
	}
	e.imports = map[string]map[string]api.FunctionDefinition{
		wasi_snapshot_preview1.ModuleName: wasi.ExportedFunctionDefinitions(),
		hostModule:                        host.ExportedFunctionDefinitions(),
	}
	return nil
}

// Close waits, until ctx is done, for running executions to end, then
// closes the runtime, every instance still running and the compilation
// cache. Later calls return ErrClosed-wrapping errors from Execute.
func (e *Engine) Close(ctx context.Context) error {
	e.closeOnce.Do(func() {
		close(e.done)
		// Take every slot: no execution runs once all are held.
		for range cap(e.slots) {
			select {
			case e.slots <- struct{}{}:
			case <-ctx.Done():
			}
		}
		e.closeErr = e.closeRuntime(context.WithoutCancel(ctx))
	})
	return e.closeErr
}

// exitCodeClosed is the exit code of instances stopped by Close.
const exitCodeClosed = 0xc1053d

func (e *Engine) closeRuntime(ctx context.Context) error {
	err := e.rt.CloseWithExitCode(ctx, exitCodeClosed)
	if e.cache != nil {
		err = errors.Join(err, e.cache.Close(ctx))
	}
	if err != nil {
		return fmt.Errorf("engine: close: %w", err)
	}
	return nil
}

func (e *Engine) closed() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// AddComponent validates wasm (it must compile and be an ABI v1
// component), stores it content-addressed and returns its sha256 hex
// digest. Adding the same bytes again returns the same digest.
func (e *Engine) AddComponent(ctx context.Context, wasm []byte) (string, error) {
	if e.closed() {
		return "", ErrClosed
	}
	digest := digestOf(wasm)
	compile := func(ctx context.Context) (wazero.CompiledModule, error) { return e.compile(ctx, wasm) }
	// An entry that failed may have been a concurrent Execute's load from a
	// store that did not hold digest yet: try again with these bytes.
	var err error
	for range 2 {
		if _, err = e.module(ctx, digest, compile); err == nil || CauseOf(err) != CauseNotFound {
			break
		}
	}
	if err != nil {
		return "", err
	}
	if err := e.storeComponent(digest, wasm); err != nil {
		return "", err
	}
	return digest, nil
}

// HasComponent reports whether the engine has (in memory) or stores the
// component digest.
func (e *Engine) HasComponent(digest string) bool {
	if !validDigest(digest) {
		return false
	}
	e.mu.Lock()
	ent := e.mods[digest]
	e.mu.Unlock()
	if ent != nil {
		select {
		case <-ent.ready:
			if ent.err == nil {
				return true
			}
		default:
		}
	}
	return e.storedComponent(digest)
}

// module returns the compiled component digest, running load once for all
// concurrent callers when it is not compiled yet. A failed load is not
// remembered.
func (e *Engine) module(ctx context.Context, digest string, load func(context.Context) (wazero.CompiledModule, error)) (wazero.CompiledModule, error) {
	e.mu.Lock()
	ent := e.mods[digest]
	if ent == nil {
		ent = &moduleEntry{ready: make(chan struct{})}
		e.mods[digest] = ent
		e.mu.Unlock()
		ent.mod, ent.err = load(context.WithoutCancel(ctx))
		if ent.err != nil {
			e.mu.Lock()
			delete(e.mods, digest)
			e.mu.Unlock()
		}
		close(ent.ready)
	} else {
		e.mu.Unlock()
	}
	select {
	case <-ent.ready:
		return ent.mod, ent.err
	case <-ctx.Done():
		return nil, fmt.Errorf("engine: waiting for component %s to compile: %w", digest, context.Cause(ctx))
	}
}

// loadStored compiles a component from the store.
func (e *Engine) loadStored(digest string) func(context.Context) (wazero.CompiledModule, error) {
	return func(ctx context.Context) (wazero.CompiledModule, error) {
		wasm, err := e.readComponent(digest)
		if err != nil {
			return nil, err
		}
		return e.compile(ctx, wasm)
	}
}

// compile compiles wasm (through the compilation cache) and checks it is
// an ABI v1 component.
func (e *Engine) compile(ctx context.Context, wasm []byte) (wazero.CompiledModule, error) {
	// Compiling is rare (the disk cache keeps the result) and slow (a Go
	// component takes seconds on one core): use every core.
	ctx = experimental.WithCompilationWorkers(ctx, runtime.GOMAXPROCS(0))
	mod, err := e.rt.CompileModule(ctx, wasm)
	if err != nil {
		if e.closed() {
			return nil, ErrClosed
		}
		return nil, &ExecError{Cause: CauseInvalid, Msg: "component is not a valid WebAssembly module: " + firstLine(err.Error()), Err: err}
	}
	if err := e.checkABI(mod); err != nil {
		_ = mod.Close(ctx)
		return nil, &ExecError{Cause: CauseInvalid, Msg: "component does not follow Component ABI v1: " + err.Error()}
	}
	return mod, nil
}

// checkABI checks what can be checked before running: a WASI command
// (exports _start and memory) that imports only WASI preview 1 and "wavs"
// functions with their signatures, and whose memory starts within the
// limit.
func (e *Engine) checkABI(mod wazero.CompiledModule) error {
	start, ok := mod.ExportedFunctions()["_start"]
	if !ok {
		return errors.New("it does not export _start (a component is a WASI command module; in Go: package main built with GOOS=wasip1 GOARCH=wasm)")
	}
	if len(start.ParamTypes()) != 0 || len(start.ResultTypes()) != 0 {
		return errors.New("its _start takes parameters or returns results")
	}
	mem, ok := mod.ExportedMemories()["memory"]
	if !ok {
		return errors.New(`it does not export its memory as "memory"`)
	}
	if mem.Min() > e.opts.MaxMemoryPages {
		return fmt.Errorf("its memory starts at %d pages, more than the limit of %d pages", mem.Min(), e.opts.MaxMemoryPages)
	}
	if ims := mod.ImportedMemories(); len(ims) > 0 {
		return errors.New("it imports a memory")
	}
	for _, f := range mod.ImportedFunctions() {
		module, name, _ := f.Import()
		funcs, ok := e.imports[module]
		if !ok {
			return fmt.Errorf("it imports %s.%s: only modules %s and %s are provided", module, name, wasi_snapshot_preview1.ModuleName, hostModule)
		}
		def, ok := funcs[name]
		if !ok {
			return fmt.Errorf("it imports %s.%s, which ABI v1 does not provide", module, name)
		}
		if !slices.Equal(def.ParamTypes(), f.ParamTypes()) || !slices.Equal(def.ResultTypes(), f.ResultTypes()) {
			return fmt.Errorf("it imports %s.%s with signature %s, want %s", module, name, signature(f), signature(def))
		}
	}
	return nil
}

func signature(f api.FunctionDefinition) string {
	name := func(ts []api.ValueType) string {
		s := "("
		for i, t := range ts {
			if i > 0 {
				s += ","
			}
			s += api.ValueTypeName(t)
		}
		return s + ")"
	}
	return name(f.ParamTypes()) + "->" + name(f.ResultTypes())
}
