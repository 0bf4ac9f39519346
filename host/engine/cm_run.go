package engine

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/tetratelabs/wazero/sys"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// errReported is the err(string) a component's run returned.
type errReported struct{ msg string }

func (e errReported) Error() string { return e.msg }

// errBadResult is a run result the engine could not use.
type errBadResult struct{ err error }

func (e errBadResult) Error() string { return e.err.Error() }

func (e errBadResult) Unwrap() error { return e.err }

// runComponent runs a WAVS operator component once for r: a fresh
// instance of its core modules under the execution's limits,
// run(trigger-action), its responses.
func (e *Engine) runComponent(ctx context.Context, p *compProgram, r *Request) ([]Response, error) {
	if p.aggregator() {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "the component is an aggregator component (world wavs:aggregator): it runs as a workflow's submit.aggregator.component, not as its component"}
	}
	var resps []Response
	err := e.inComponent(ctx, r, func(xctx context.Context, st *execState) error {
		var err error
		resps, err = e.callRun(xctx, p, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return resps, nil
}

// inComponent runs call as one execution of a component for r: its limits,
// its state and WASI bound to the context, the failure classified.
func (e *Engine) inComponent(ctx context.Context, r *Request, call func(xctx context.Context, st *execState) error) error {
	xctx, st, limit, done := e.begin(ctx, r)
	defer done()
	st.comp = newCompState(r)
	env := make([][2]string, 0, len(r.Env))
	for _, k := range slices.Sorted(maps.Keys(r.Env)) {
		env = append(env, [2]string{k, r.Env[k]})
	}
	dir, quota, err := e.serviceFolder(r)
	if err != nil {
		return &ExecError{Cause: CauseInternal, Msg: err.Error(), Err: err}
	}
	xctx, release := e.opts.WASI.Bind(xctx, WASIConfig{
		Env: env, Args: []string{"component"}, Stdout: st.stdout, Stderr: st.stderr,
		Stdin: []byte{}, Now: time.Now, Random: rand.Reader, Dir: dir, Quota: quota,
		HTTPClient: e.opts.HTTPClient, AllowHTTP: st.checkURL, MaxHTTPBodyBytes: e.opts.MaxHTTPBodyBytes,
		Log: func(msg string) { st.log.Warn(msg) },
	})
	callErr := call(xctx, st)
	release()
	st.freeMemory() // the instance is closed: nothing runs on its memory
	st.stderr.Flush()
	return e.componentFailure(ctx, xctx, st, callErr, limit)
}

// callRun lowers r's trigger-action and calls run.
func (e *Engine) callRun(ctx context.Context, p *compProgram, r *Request) ([]Response, error) {
	tree, err := actionTree(r)
	if err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "trigger-action: " + err.Error(), Err: err}
	}
	action, err := shape(p.runFunc.Params[0].Type, tree, "trigger-action")
	if err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "the component's trigger-action type: " + err.Error(), Err: err}
	}
	v, err := e.callExport(ctx, p, compExport{lifted: p.run, fn: p.runFunc}, []cabi.Value{action})
	if err != nil {
		return nil, err
	}
	return responsesOf(p.runFunc.Results[0], v)
}

// callExport instantiates p, initializes it, calls ex with args and
// closes the instance: the export's single result.
func (e *Engine) callExport(ctx context.Context, p *compProgram, ex compExport, args []cabi.Value) (cabi.Value, error) {
	x, err := p.cc.Instantiate(ctx)
	if err != nil {
		return nil, err
	}
	defer x.Close(context.WithoutCancel(ctx))
	if err := initialize(ctx, p, x); err != nil {
		return nil, err
	}
	opts := ex.lifted.Options
	g := &cabi.Guest{
		Memory:   x.Memory(opts),
		Encoding: opts.StringEncoding,
		// The result is the component's output: bounded like stdout.
		MaxBytes: uint64(e.opts.MaxOutputBytes) + 1,
	}
	if g.Memory == nil {
		return nil, errBadResult{fmt.Errorf("%s's memory is missing", ex.lifted)}
	}
	if ref := opts.Realloc; ref != nil {
		fn, err := x.Func(&component.LiftedFunc{Core: *ref})
		if err != nil {
			return nil, err
		}
		g.Realloc = cabi.WazeroRealloc(fn)
	}
	params, err := g.LowerParams(ctx, ex.fn, args)
	if err != nil {
		return nil, err
	}
	res, err := x.Call(ctx, ex.lifted, params...)
	if err != nil {
		return nil, err
	}
	vals, err := g.LiftResults(ex.fn, res)
	if err != nil {
		return nil, errBadResult{err}
	}
	if err := x.CallPostReturn(ctx, ex.lifted, res); err != nil {
		return nil, err
	}
	return vals[0], nil
}

// initialize calls _initialize of each core instance that exports it
// (a reactor main module, e.g. Go's: its exports trap until it ran), once
// every instance exists, unless the component wires it to another core
// module already (wit-component's fixup module calls it from its start
// function when the adapter needs it).
func initialize(ctx context.Context, p *compProgram, x *component.Execution) error {
	wired := map[component.CoreRef]bool{}
	for _, pi := range p.model.Plan {
		for _, ex := range pi.Exports {
			if ex.From != nil {
				wired[*ex.From] = true
			}
		}
		if pi.Module == nil {
			continue
		}
		for _, a := range pi.Args {
			if int(a.Instance) < len(p.model.Plan) && p.model.Plan[a.Instance].Module != nil && importsFunc(pi.Module.Bytes, a.Name, "_initialize") {
				wired[component.CoreRef{Instance: int(a.Instance), Name: "_initialize"}] = true
			}
		}
	}
	for _, pi := range p.model.Plan {
		if wired[component.CoreRef{Instance: pi.Index, Name: "_initialize"}] {
			continue
		}
		if pi.Module == nil {
			continue
		}
		m := x.Module(pi.Index)
		if m == nil {
			continue
		}
		fn := m.ExportedFunction("_initialize")
		if fn == nil || len(fn.Definition().ParamTypes()) != 0 || len(fn.Definition().ResultTypes()) != 0 {
			continue
		}
		if _, err := x.Call(ctx, &component.LiftedFunc{Core: component.CoreRef{Instance: pi.Index, Name: "_initialize"}}); err != nil {
			return err
		}
	}
	return nil
}

// responsesOf reads run's result<list<wasm-response>, string> by field
// name: payload, ordering, event-id-salt.
func responsesOf(t *cabi.Type, v cabi.Value) ([]Response, error) {
	res, ok := v.(cabi.Result)
	if !ok {
		return nil, errBadResult{fmt.Errorf("run returned %T, want a result", v)}
	}
	if res.IsErr {
		msg, _ := res.Value.(string)
		return nil, errReported{msg}
	}
	lt := t.Cases()[0].Type
	if lt == nil || lt.Kind() != cabi.KindList {
		return nil, errBadResult{fmt.Errorf("run's ok type %s is not a list of responses", lt)}
	}
	items, _ := res.Value.([]cabi.Value)
	out := make([]Response, 0, len(items))
	for i, it := range items {
		var resp Response
		pt, pv, ok := field(lt.Elem(), it, "payload")
		b, isBytes := pv.([]byte)
		if !ok || pt.Kind() != cabi.KindList || !isBytes {
			return nil, errBadResult{fmt.Errorf("response %d has no payload bytes", i)}
		}
		resp.Payload = b
		if _, sv, ok := field(lt.Elem(), it, "event-id-salt"); ok {
			if o, ok := sv.(cabi.Option); ok && o.Some {
				if s, ok := o.Value.([]byte); ok {
					resp.EventIDSalt = s
				}
			}
		}
		if _, ov, ok := field(lt.Elem(), it, "ordering"); ok {
			if o, ok := ov.(cabi.Option); ok && o.Some {
				if n, ok := o.Value.(uint64); ok {
					resp.Ordering = &n
				}
			}
		}
		out = append(out, resp)
	}
	return out, nil
}

// componentFailure classifies a component execution's end like outcome
// does a module's: limits first, then exits and traps, then what the
// component reported; nil when it succeeded.
func (e *Engine) componentFailure(ctx, xctx context.Context, st *execState, runErr error, limit time.Duration) error {
	if st.stdout.full || errors.Is(runErr, cabi.ErrTooLarge) {
		return &ExecError{Cause: CauseOutputTooLarge, Msg: fmt.Sprintf("output exceeds %d bytes", e.opts.MaxOutputBytes), Err: runErr}
	}
	if runErr == nil {
		return nil
	}
	var ee *ExecError
	if errors.As(runErr, &ee) {
		return ee
	}
	if err := e.stoppedBy(ctx, xctx, st, limit); err != nil {
		return err
	}
	var rep errReported
	if errors.As(runErr, &rep) {
		return st.componentError("component failed: "+oneLine(rep.msg), "", nil)
	}
	var bad errBadResult
	if errors.As(runErr, &bad) {
		return st.componentError("component returned a malformed result: "+bad.Error(), "", bad.err)
	}
	var exit *sys.ExitError
	if errors.As(runErr, &exit) {
		tail := st.stderr.Tail()
		msg := fmt.Sprintf("component exited with code %d", exit.ExitCode())
		if t := oneLine(tail); t != "" {
			msg += "; stderr: " + t
		}
		return st.componentError(msg, tail, runErr)
	}
	return &ExecError{Cause: CauseTrap, Msg: "component trapped: " + firstLine(runErr.Error()), Stderr: st.stderr.Tail(), Err: runErr}
}

// importsFunc reports whether a core module imports function module.name.
func importsFunc(wasm []byte, module, name string) bool {
	r := &reader{b: wasm, pos: 8}
	for r.pos < len(r.b) && r.err == nil {
		id := r.byte()
		size := r.u32()
		end := r.pos + int(size)
		if r.err != nil || end > len(r.b) || end < r.pos {
			return false
		}
		if id != sectionImport {
			r.pos = end
			continue
		}
		body := &reader{b: r.b[:end], pos: r.pos}
		n := body.u32()
		for i := uint32(0); i < n && body.err == nil; i++ {
			m, f := body.name(), body.name()
			switch kind := body.byte(); kind {
			case 0x00:
				body.u32()
				if m == module && f == name {
					return true
				}
			case 0x01:
				body.byte()
				if flags := body.byte(); flags&0x01 != 0 {
					body.u32()
				}
				body.u32()
			case 0x02:
				if flags := body.byte(); flags&0x01 != 0 {
					body.u32()
				}
				body.u32()
			case 0x03:
				body.byte()
				body.byte()
			default:
				return false
			}
		}
		return false
	}
	return false
}
