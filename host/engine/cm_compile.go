package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/tetratelabs/wazero/experimental"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// The functions the engine calls: an operator component (world
// wavs:operator) exports run; an aggregator component (wavs:aggregator)
// the three others.
const (
	runExport            = "run"
	processInputExport   = "process-input"
	timerCallbackExport  = "handle-timer-callback"
	submitCallbackExport = "handle-submit-callback"
)

// compExport is an export the engine calls, with the canonical-ABI shape
// of its type, taken from the component's own types.
type compExport struct {
	lifted *component.LiftedFunc
	fn     *cabi.Func
}

// compProgram is a WAVS component compiled for the engine: its core
// modules and the exports the engine calls. run/runFunc are set for an
// operator component, agg for an aggregator component.
type compProgram struct {
	cc      *component.Compiled
	model   *component.Model
	run     *component.LiftedFunc
	runFunc *cabi.Func
	agg     map[string]compExport
}

// aggregator reports whether p is an aggregator component.
func (p *compProgram) aggregator() bool { return p.agg != nil }

// Close closes the compiled core modules and host functions.
func (p *compProgram) Close(ctx context.Context) error { return p.cc.Close(ctx) }

// Imports are the component's imports, for `wavs exec` and errors.
func (p *compProgram) Imports() []component.ImportInfo { return p.model.Imports }

func invalidComponent(format string, args ...any) *ExecError {
	return &ExecError{Cause: CauseInvalid, Msg: "WAVS component: " + fmt.Sprintf(format, args...)}
}

// compileComponent parses, checks and compiles a component binary. Every
// import the node cannot serve is refused here, by name, so a component
// that would fail at its first execution never registers.
func (e *Engine) compileComponent(ctx context.Context, wasm []byte) (*compProgram, error) {
	c, err := component.Parse(wasm)
	if err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "WAVS component: " + err.Error(), Err: err}
	}
	m, err := component.Resolve(c)
	if err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "WAVS component: " + err.Error(), Err: err}
	}
	if err := e.checkImports(m.Imports); err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "WAVS component: " + err.Error(), Err: err}
	}
	conv := newTypeConv()
	p := &compProgram{model: m}
	if ex, ok := m.Export(runExport); ok && ex.Func != nil {
		runFunc, err := conv.funcOf(ex.Func.Type)
		if err != nil {
			return nil, invalidComponent("export %q: %v", runExport, err)
		}
		if len(runFunc.Params) != 1 || len(runFunc.Results) != 1 || runFunc.Results[0].Kind() != cabi.KindResult {
			return nil, invalidComponent("export %q has type %s, want func(trigger-action) -> result<list<wasm-response>, string>", runExport, ex.Func.Type)
		}
		if ex.Func.Options.Memory == nil {
			return nil, invalidComponent("export %q has no memory option", runExport)
		}
		p.run, p.runFunc = ex.Func, runFunc
	} else if _, ok := m.Export(processInputExport); ok {
		agg, err := aggregatorExports(m, conv)
		if err != nil {
			return nil, err
		}
		p.agg = agg
	} else {
		return nil, invalidComponent("it exports neither the function %q (world wavs:operator/wavs-world@2.x) nor %q (world wavs:aggregator/aggregator-world@2.x)", runExport, processInputExport)
	}
	if err := e.boundCoreModules(m); err != nil {
		return nil, invalidComponent("%v", err)
	}
	ctx = experimental.WithCompilationWorkers(ctx, runtime.GOMAXPROCS(0))
	cc, err := component.Compile(ctx, e.rt, m, e.hostResolver(conv))
	if err != nil {
		if e.closed() {
			return nil, ErrClosed
		}
		return nil, &ExecError{Cause: CauseInvalid, Msg: "WAVS component: " + firstLine(err.Error()), Err: err}
	}
	p.cc = cc
	return p, nil
}

// aggregatorExports checks and shapes the three exports of an aggregator
// component: process-input and handle-timer-callback take the input and
// answer a result (of actions), handle-submit-callback takes the input and
// the submission's outcome and answers a result.
func aggregatorExports(m *component.Model, conv *typeConv) (map[string]compExport, error) {
	out := map[string]compExport{}
	for _, want := range []struct {
		name   string
		params int
		sig    string
	}{
		{processInputExport, 1, "func(input: aggregator-input) -> result<list<aggregator-action>, string>"},
		{timerCallbackExport, 1, "func(input: aggregator-input) -> result<list<aggregator-action>, string>"},
		{submitCallbackExport, 2, "func(input: aggregator-input, tx-result: result<any-tx-hash, string>) -> result<_, string>"},
	} {
		ex, ok := m.Export(want.name)
		if !ok || ex.Func == nil {
			return nil, invalidComponent("an aggregator component must export %q (world wavs:aggregator/aggregator-world@2.x): %s", want.name, want.sig)
		}
		fn, err := conv.funcOf(ex.Func.Type)
		if err != nil {
			return nil, invalidComponent("export %q: %v", want.name, err)
		}
		if len(fn.Params) != want.params || len(fn.Results) != 1 || fn.Results[0].Kind() != cabi.KindResult {
			return nil, invalidComponent("export %q has type %s, want %s", want.name, ex.Func.Type, want.sig)
		}
		if ex.Func.Options.Memory == nil {
			return nil, invalidComponent("export %q has no memory option", want.name)
		}
		out[want.name] = compExport{lifted: ex.Func, fn: fn}
	}
	return out, nil
}

// boundCoreModules applies the engine's table and global limits to every
// core module of m (rewriting the table maxima, as for wasip1 modules) and
// checks each memory starts within the memory limit.
func (e *Engine) boundCoreModules(m *component.Model) error {
	for _, pi := range m.Plan {
		if pi.Module == nil {
			continue
		}
		b, err := boundCore(pi.Module.Bytes, e.opts.MaxTableElements, true)
		if err != nil {
			return fmt.Errorf("core module %d: %w", pi.Module.Index, err)
		}
		if pages, ok := memoryMinPages(b); ok && pages > e.opts.MaxMemoryPages {
			return fmt.Errorf("core module %d: its memory starts at %d pages, more than the limit of %d pages", pi.Module.Index, pages, e.opts.MaxMemoryPages)
		}
		pi.Module.Bytes = b
	}
	return nil
}

// memoryMinPages reads the initial size of the first memory a core module
// defines.
func memoryMinPages(wasm []byte) (uint32, bool) {
	const sectionMemory = 5
	r := &reader{b: wasm, pos: 8}
	for r.pos < len(r.b) && r.err == nil {
		id := r.byte()
		size := r.u32()
		end := r.pos + int(size)
		if r.err != nil || end > len(r.b) || end < r.pos {
			return 0, false
		}
		if id == sectionMemory {
			body := &reader{b: r.b[:end], pos: r.pos}
			if n := body.u32(); n == 0 || body.err != nil {
				return 0, false
			}
			body.byte() // flags
			min := body.u32()
			return min, body.err == nil
		}
		r.pos = end
	}
	return 0, false
}

// errNotServed marks an import the node does not provide.
var errNotServed = errors.New("not served by this node")

// ComponentImports lists the imports of a WAVS component binary by name,
// with the functions of each ("wasi:cli/stdout@0.2.0#get-stdout"); a
// wasip1 module gives nil.
func ComponentImports(wasm []byte) ([]string, error) {
	if !component.IsComponent(wasm) {
		return nil, nil
	}
	c, err := component.Parse(wasm)
	if err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	m, err := component.Resolve(c)
	if err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	var out []string
	for _, im := range m.Imports {
		if len(im.Funcs) == 0 {
			out = append(out, im.Name)
			continue
		}
		for _, f := range im.Funcs {
			out = append(out, im.Name+"#"+f.Name)
		}
	}
	return out, nil
}
