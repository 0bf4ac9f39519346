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

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/wasip2"
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

	slots     *slots
	done      chan struct{} // closed by Close
	closeOnce sync.Once
	closeErr  error

	mu         sync.Mutex
	mods       map[string]*moduleEntry // by digest
	cacheBytes int64                   // estimated size of the compiled modules in mods
	clock      uint64                  // ticks on each use of a module, for LRU

	// snapRT is the interpreter runtime snapshots are taken in, made on
	// first use (snapshotRuntime).
	snapOnce sync.Once
	snapRT   wazero.Runtime
	snapErr  error
	snapMu   sync.Mutex // held while a snapshot is taken
	// noMemImages makes snapshots copy their memory from data segments
	// (for tests).
	noMemImages bool

	// fsQuotas counts each service folder's usage (see serviceFolder).
	fsMu     sync.Mutex
	fsQuotas map[string]*wasip2.Quota
}

// moduleEntry is a compiled component, or its compilation in progress.
// Entries are evicted least recently used first when the compiled modules
// take more than Options.MaxCompiledBytes; one in use by an execution is
// closed when the last execution using it ends.
type moduleEntry struct {
	digest string
	ready  chan struct{} // closed when mod or err is set
	mod    compiledCode
	err    error
	size   int64 // estimated bytes, counted in cacheBytes once ready
	refs   int   // executions (and AddComponent calls) using mod
	used   uint64
	gone   bool // evicted or removed: closed once refs is 0
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
		slots: newSlots(o.MaxConcurrent, o.MaxConcurrentPerService),
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
		e.slots.close(ctx)
		e.closeErr = e.closeRuntime(context.WithoutCancel(ctx))
	})
	return e.closeErr
}

// exitCodeClosed is the exit code of instances stopped by Close.
const exitCodeClosed = 0xc1053d

func (e *Engine) closeRuntime(ctx context.Context) error {
	err := e.rt.CloseWithExitCode(ctx, exitCodeClosed)
	e.snapOnce.Do(func() {}) // no snapshot runtime after this
	if e.snapRT != nil {
		err = errors.Join(err, e.snapRT.CloseWithExitCode(ctx, exitCodeClosed))
	}
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
	compile := func(ctx context.Context) (compiledCode, int, error) {
		mod, err := e.compileAny(ctx, wasm)
		return mod, len(wasm), err
	}
	// An entry that failed may have been a concurrent Execute's load from a
	// store that did not hold digest yet: try again with these bytes.
	var err error
	for range 2 {
		var ent *moduleEntry
		if ent, err = e.module(ctx, digest, compile); err == nil {
			e.unref(ent)
		}
		if err == nil || CauseOf(err) != CauseNotFound {
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

// ComponentKind names what a stored component is: KindModule (a wasip1
// module of the node's own ABI), KindOperator (a WAVS operator component)
// or KindAggregator (a WAVS aggregator component). It compiles the
// component if needed; a component not stored is CauseNotFound.
func (e *Engine) ComponentKind(ctx context.Context, digest string) (ComponentKind, error) {
	if e.closed() {
		return "", ErrClosed
	}
	if !validDigest(digest) {
		return "", &ExecError{Cause: CauseInvalid, Msg: fmt.Sprintf("digest %q is not 64 lowercase hex digits", abbrev(digest))}
	}
	ent, err := e.module(ctx, digest, e.loadStored(digest))
	if err != nil {
		return "", err
	}
	defer e.unref(ent)
	if p, ok := ent.mod.(*compProgram); ok {
		if p.aggregator() {
			return KindAggregator, nil
		}
		return KindOperator, nil
	}
	return KindModule, nil
}

// ComponentKind is what a component is (see Engine.ComponentKind).
type ComponentKind string

// The kinds of component.
const (
	KindModule     ComponentKind = "wasip1 module"
	KindOperator   ComponentKind = "WAVS operator component"
	KindAggregator ComponentKind = "WAVS aggregator component"
)

// module returns the compiled component digest, running load once for all
// concurrent callers when it is not compiled yet, and holds it for the
// caller until unref. A failed load is not remembered.
func (e *Engine) module(ctx context.Context, digest string, load loader) (*moduleEntry, error) {
	e.mu.Lock()
	ent := e.mods[digest]
	if ent == nil {
		ent = &moduleEntry{digest: digest, ready: make(chan struct{})}
		e.mods[digest] = ent
		ent.refs++
		e.mu.Unlock()
		mod, wasmSize, err := load(context.WithoutCancel(ctx))
		size := int64(wasmSize) * compiledSizeFactor
		e.mu.Lock()
		ent.mod, ent.err, ent.size = mod, err, size
		if err != nil {
			if e.mods[digest] == ent {
				delete(e.mods, digest)
			}
			ent.gone = true
		} else if !ent.gone {
			e.cacheBytes += size
		}
		close(ent.ready)
		e.mu.Unlock()
	} else {
		ent.refs++
		e.mu.Unlock()
	}
	select {
	case <-ent.ready:
		if ent.err != nil {
			e.unref(ent)
			return nil, ent.err
		}
		return ent, nil
	case <-ctx.Done():
		e.unref(ent)
		return nil, fmt.Errorf("engine: waiting for component %s to compile: %w", digest, context.Cause(ctx))
	}
}

// unref ends a use of ent begun by module, closes it if it was evicted and
// evicts what the compiled-module budget no longer holds.
func (e *Engine) unref(ent *moduleEntry) {
	e.mu.Lock()
	ent.refs--
	e.clock++
	ent.used = e.clock
	var closing []compiledCode
	if ent.gone && ent.refs == 0 && ent.mod != nil {
		closing = append(closing, ent.mod)
		ent.mod = nil
	}
	closing = append(closing, e.evictLocked()...)
	e.mu.Unlock()
	e.closeModules(closing)
}

// evictLocked drops least recently used compiled modules that no
// execution uses until the rest fit Options.MaxCompiledBytes, and returns
// them for closing.
func (e *Engine) evictLocked() []compiledCode {
	var closing []compiledCode
	// Without a store an evicted component could not be compiled again.
	for e.opts.ComponentsDir != "" && e.cacheBytes > e.opts.MaxCompiledBytes {
		var lru *moduleEntry
		for _, ent := range e.mods {
			select {
			case <-ent.ready:
			default:
				continue
			}
			if ent.refs == 0 && ent.err == nil && (lru == nil || ent.used < lru.used) {
				lru = ent
			}
		}
		if lru == nil {
			break
		}
		e.dropLocked(lru)
		if lru.mod != nil {
			closing = append(closing, lru.mod)
			lru.mod = nil
		}
		e.opts.Logger.Debug("compiled component evicted from memory", "component", lru.digest[:12], "estimated_bytes", lru.size, "cache_bytes", e.cacheBytes)
	}
	return closing
}

// dropLocked takes ent out of the cache; it is closed when unused.
func (e *Engine) dropLocked(ent *moduleEntry) {
	if e.mods[ent.digest] == ent {
		delete(e.mods, ent.digest)
	}
	if !ent.gone {
		ent.gone = true
		select {
		case <-ent.ready:
			if ent.err == nil {
				e.cacheBytes -= ent.size
			}
		default:
		}
	}
}

func (e *Engine) closeModules(mods []compiledCode) {
	for _, m := range mods {
		if err := m.Close(context.Background()); err != nil {
			e.opts.Logger.Warn("close compiled component", "error", err)
		}
	}
}

// compiledSizeFactor estimates the memory a compiled module takes from
// the size of its wasm: machine code plus wazero's decoded module. Measured
// with wazero 1.12 on Go components: about 10 MiB resident per 1.8 MB
// module (TestCompiledModuleBudget logs the RSS).
const compiledSizeFactor = 6

// CompiledBytes is the estimated memory of the compiled components the
// engine holds.
func (e *Engine) CompiledBytes() int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cacheBytes
}

// RemoveComponent deletes the component digest from the store and drops
// its compiled module (closed once no execution uses it). It is
// CauseNotFound when the engine has no such component. The caller makes
// sure no service uses it (registry.RemoveComponent).
func (e *Engine) RemoveComponent(ctx context.Context, digest string) error {
	if !validDigest(digest) {
		return execErr(CauseInvalid, "component digest %q: want 64 lowercase hex characters (sha256)", digest)
	}
	e.mu.Lock()
	ent := e.mods[digest]
	var closing []compiledCode
	if ent != nil {
		e.dropLocked(ent)
		if ent.refs == 0 && ent.mod != nil {
			closing = append(closing, ent.mod)
			ent.mod = nil
		}
	}
	e.mu.Unlock()
	e.closeModules(closing)
	stored, err := e.deleteComponent(digest)
	if err != nil {
		return err
	}
	e.uncacheSnapshot(digest)
	if ent == nil && !stored {
		return execErr(CauseNotFound, "no component %s", digest)
	}
	return nil
}

// loader compiles a component and tells the size of its wasm.
type loader func(context.Context) (compiledCode, int, error)

// loadStored compiles a component from the store.
func (e *Engine) loadStored(digest string) loader {
	return func(ctx context.Context) (compiledCode, int, error) {
		wasm, err := e.readComponent(digest)
		if err != nil {
			return nil, 0, err
		}
		mod, err := e.compileAny(ctx, wasm)
		return mod, len(wasm), err
	}
}

// compiledCode is a compiled wasip1 command (wazero.CompiledModule) or
// reactor (*moduleCode), or a compiled WAVS component (*compProgram).
type compiledCode interface {
	Close(context.Context) error
}

// compileAny compiles wasm as what it is: a component-model binary or a
// wasip1 module.
func (e *Engine) compileAny(ctx context.Context, wasm []byte) (compiledCode, error) {
	if component.IsComponent(wasm) {
		p, err := e.compileComponent(ctx, wasm)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	return e.compile(ctx, wasm)
}

// compile compiles wasm (through the compilation cache) and checks it is
// an ABI v1 component: a command (wazero.CompiledModule) or a reactor
// (*moduleCode, see compileReactor).
func (e *Engine) compile(ctx context.Context, wasm []byte) (compiledCode, error) {
	bounded, berr := boundModule(wasm, e.opts.MaxTableElements)
	if berr == nil {
		if isReactor(bounded) {
			return e.compileReactor(ctx, digestOf(wasm), bounded)
		}
		wasm = bounded
	}
	mod, err := e.compileModule(ctx, wasm, shapeCommand)
	if err == nil && berr != nil {
		_ = mod.Close(ctx)
		return nil, &ExecError{Cause: CauseInvalid, Msg: "component does not follow Component ABI v1: " + berr.Error()}
	}
	if err != nil {
		return nil, err
	}
	return mod, nil
}

// compileModule compiles wasm and checks it has the ABI's shape.
func (e *Engine) compileModule(ctx context.Context, wasm []byte, shape moduleShape) (wazero.CompiledModule, error) {
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
	if err := e.checkABI(mod, shape); err != nil {
		_ = mod.Close(ctx)
		return nil, &ExecError{Cause: CauseInvalid, Msg: "component does not follow Component ABI v1: " + err.Error()}
	}
	return mod, nil
}

// moduleShape is what a module of Component ABI v1 exports: its entry
// points.
type moduleShape int

const (
	// shapeCommand exports _start.
	shapeCommand moduleShape = iota
	// shapeReactor exports _initialize and wavs_run.
	shapeReactor
	// shapeSnapshot exports wavs_run: a reactor's snapshot.
	shapeSnapshot
)

// entries are the functions an execution calls, in order.
func (s moduleShape) entries() []string {
	switch s {
	case shapeReactor:
		return []string{reactorInit, reactorEntry}
	case shapeSnapshot:
		return []string{reactorEntry}
	}
	return []string{commandStart}
}

// isReactor reports whether wasm has the reactor shape: it exports
// _initialize and wavs_run, and not _start (a module exporting all three
// is run as the command it also is).
func isReactor(wasm []byte) bool {
	exports, err := exportsOf(wasm)
	if err != nil {
		return false
	}
	var init, entry bool
	for _, x := range exports {
		if x.kind != externFunc {
			continue
		}
		switch x.name {
		case commandStart:
			return false
		case reactorInit:
			init = true
		case reactorEntry:
			entry = true
		}
	}
	return init && entry
}

// checkABI checks what can be checked before running: a WASI command
// (exports _start) or reactor (exports _initialize and wavs_run), as shape
// says, that exports its memory, imports only WASI preview 1 and "wavs"
// functions with their signatures, and whose memory starts within the
// limit.
func (e *Engine) checkABI(mod wazero.CompiledModule, shape moduleShape) error {
	exported := mod.ExportedFunctions()
	if _, ok := exported[commandStart]; !ok && shape == shapeCommand {
		if _, ok := exported[reactorInit]; ok {
			return errors.New("it exports _initialize but neither _start nor wavs_run (a reactor component exports wavs_run: in Go, register the handler with component.Handle from sdk/component in an init function and build with -buildmode=c-shared)")
		}
		return errors.New("it does not export _start (a component is a WASI command module, in Go package main built with GOOS=wasip1 GOARCH=wasm, or a reactor built with -buildmode=c-shared that exports wavs_run)")
	}
	for _, name := range shape.entries() {
		f, ok := exported[name]
		if !ok {
			return fmt.Errorf("it does not export %s", name)
		}
		if len(f.ParamTypes()) != 0 || len(f.ResultTypes()) != 0 {
			return fmt.Errorf("its %s takes parameters or returns results", name)
		}
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
