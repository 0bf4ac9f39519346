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

// runComponent runs a WAVS component once for r: a fresh instance of its
// core modules under the execution's limits, run(trigger-action), its
// responses.
func (e *Engine) runComponent(ctx context.Context, p *compProgram, r *Request) ([]Response, error) {
	xctx, st, limit, done := e.begin(ctx, r)
	defer done()
	st.comp = newCompState(r)
	env := make([][2]string, 0, len(r.Env))
	for _, k := range slices.Sorted(maps.Keys(r.Env)) {
		env = append(env, [2]string{k, r.Env[k]})
	}
	dir, quota, err := e.serviceFolder(r)
	if err != nil {
		return nil, &ExecError{Cause: CauseInternal, Msg: err.Error(), Err: err}
	}
	xctx, release := e.opts.WASI.Bind(xctx, WASIConfig{
		Env: env, Args: []string{"component"}, Stdout: st.stdout, Stderr: st.stderr,
		Stdin: []byte{}, Now: time.Now, Random: rand.Reader, Dir: dir, Quota: quota,
		HTTPClient: e.opts.HTTPClient, AllowHTTP: st.checkURL, MaxHTTPBodyBytes: e.opts.MaxHTTPBodyBytes,
		Log: func(msg string) { st.log.Warn(msg) },
	})
	resps, runErr := e.callRun(xctx, p, r, st)
	release()
	st.freeMemory() // the instance is closed: nothing runs on its memory
	st.stderr.Flush()
	return e.componentOutcome(ctx, xctx, st, resps, runErr, limit)
}

// callRun instantiates p, initializes it, calls run and closes the
// instance.
func (e *Engine) callRun(ctx context.Context, p *compProgram, r *Request, st *execState) ([]Response, error) {
	tree, err := actionTree(r)
	if err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "trigger-action: " + err.Error(), Err: err}
	}
	action, err := shape(p.runFunc.Params[0].Type, tree, "trigger-action")
	if err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "the component's trigger-action type: " + err.Error(), Err: err}
	}
	x, err := p.cc.Instantiate(ctx)
	if err != nil {
		return nil, err
	}
	defer x.Close(context.WithoutCancel(ctx))
	if err := initialize(ctx, p, x); err != nil {
		return nil, err
	}
	g := &cabi.Guest{
		Memory:   x.Memory(p.run.Options),
		Encoding: cabiEncoding(p.run.Options.StringEncoding),
		// The responses are the component's output: bounded like stdout.
		MaxBytes: uint64(e.opts.MaxOutputBytes) + 1,
	}
	if g.Memory == nil {
		return nil, errBadResult{errors.New("run's memory is missing")}
	}
	if ref := p.run.Options.Realloc; ref != nil {
		fn, err := x.Func(&component.LiftedFunc{Core: *ref})
		if err != nil {
			return nil, err
		}
		g.Realloc = cabi.WazeroRealloc(fn)
	}
	params, err := g.LowerParams(ctx, p.runFunc, []cabi.Value{action})
	if err != nil {
		return nil, err
	}
	res, err := x.Call(ctx, p.run, params...)
	if err != nil {
		return nil, err
	}
	vals, err := g.LiftResults(p.runFunc, res)
	if err != nil {
		return nil, errBadResult{err}
	}
	if err := x.CallPostReturn(ctx, p.run, res); err != nil {
		return nil, err
	}
	return responsesOf(p.runFunc.Results[0], vals[0])
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

// componentOutcome classifies a component execution's end like outcome
// does a module's: limits first, then exits and traps, then what the
// component reported.
func (e *Engine) componentOutcome(ctx, xctx context.Context, st *execState, resps []Response, runErr error, limit time.Duration) ([]Response, error) {
	if st.stdout.full || errors.Is(runErr, cabi.ErrTooLarge) {
		return nil, &ExecError{Cause: CauseOutputTooLarge, Msg: fmt.Sprintf("output exceeds %d bytes", e.opts.MaxOutputBytes), Err: runErr}
	}
	if runErr == nil {
		return resps, nil
	}
	var ee *ExecError
	if errors.As(runErr, &ee) {
		return nil, ee
	}
	if err := e.stoppedBy(ctx, xctx, st, limit); err != nil {
		return nil, err
	}
	var rep errReported
	if errors.As(runErr, &rep) {
		return nil, st.componentError("component failed: "+oneLine(rep.msg), "", nil)
	}
	var bad errBadResult
	if errors.As(runErr, &bad) {
		return nil, st.componentError("component returned a malformed result: "+bad.Error(), "", bad.err)
	}
	var exit *sys.ExitError
	if errors.As(runErr, &exit) {
		tail := st.stderr.Tail()
		msg := fmt.Sprintf("component exited with code %d", exit.ExitCode())
		if t := oneLine(tail); t != "" {
			msg += "; stderr: " + t
		}
		return nil, st.componentError(msg, tail, runErr)
	}
	return nil, &ExecError{Cause: CauseTrap, Msg: "component trapped: " + firstLine(runErr.Error()), Stderr: st.stderr.Tail(), Err: runErr}
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
