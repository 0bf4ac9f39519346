package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"
)

// Execute runs the component r.Digest once for r.Trigger in a fresh
// instance and returns its responses. It waits for an execution slot until
// ctx is done (back-pressure), compiling the component from the store first
// if needed. Failures of the execution are *ExecError; a ctx that ends
// first gives an error wrapping ctx's.
//
// Nothing a component does panics the caller: a panic in the engine while
// running one is recovered and returned as CauseInternal.
func (e *Engine) Execute(ctx context.Context, r Request) (resps []Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			e.opts.Logger.Error("engine panic while running a component", "service_id", r.ServiceID, "component", r.Digest, "panic", p, "stack", string(debug.Stack()))
			resps, err = nil, &ExecError{Cause: CauseInternal, Msg: fmt.Sprintf("engine panic while running the component: %v", p)}
		}
	}()
	code, release, err := e.prepare(ctx, &r)
	if err != nil {
		return nil, err
	}
	defer release()
	switch code := code.(type) {
	case *compProgram:
		return e.runComponent(ctx, code, &r)
	case wazero.CompiledModule:
		return e.runModule(ctx, &r, &moduleCode{mod: code, shape: shapeCommand})
	case *moduleCode:
		return e.runModule(ctx, &r, code)
	default:
		return nil, &ExecError{Cause: CauseInternal, Msg: fmt.Sprintf("compiled component of unknown kind %T", code)}
	}
}

// prepare checks r, cuts its time limit to the node's ceiling, finds (or
// compiles) its component and waits for an execution slot; release gives
// both back.
func (e *Engine) prepare(ctx context.Context, r *Request) (code any, release func(), err error) {
	if e.closed() {
		return nil, nil, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("engine: execute: %w", context.Cause(ctx))
	}
	if err := r.validate(); err != nil {
		return nil, nil, &ExecError{Cause: CauseInvalid, Msg: "bad request: " + err.Error()}
	}
	if r.TimeLimit > e.opts.MaxTimeLimit {
		e.opts.Logger.Warn("time limit cut to the node's ceiling", "service_id", r.ServiceID, "workflow_id", r.WorkflowID, "asked", r.TimeLimit, "ceiling", e.opts.MaxTimeLimit)
		r.TimeLimit = e.opts.MaxTimeLimit
	}
	ent, err := e.module(ctx, r.Digest, e.loadStored(r.Digest))
	if err != nil {
		return nil, nil, err
	}
	slot, err := e.slots.acquire(ctx, r.ServiceID, e.done)
	if err != nil {
		e.unref(ent)
		return nil, nil, err
	}
	if e.closed() {
		slot()
		e.unref(ent)
		return nil, nil, ErrClosed
	}
	return ent.mod, func() { slot(); e.unref(ent) }, nil
}

// begin sets up one execution of r: its time limit (returned), its state
// (output and log caps, KV, HTTP policy) and the memory allocator that
// holds it to the memory limit. Call done when it is over.
func (e *Engine) begin(ctx context.Context, r *Request) (xctx context.Context, st *execState, limit time.Duration, done func()) {
	limit = r.TimeLimit
	if limit == 0 {
		limit = e.opts.DefaultTimeLimit
	}
	tctx, cancelT := context.WithTimeoutCause(ctx, limit, errTimeLimit)
	xctx, cancelX := context.WithCancelCause(tctx)
	log := e.opts.Logger.With("service_id", r.ServiceID, "workflow_id", r.WorkflowID, "component", r.Digest[:12])
	st = &execState{
		serviceID:  r.ServiceID,
		workflowID: r.WorkflowID,
		policy:     r.HTTP,
		kv:         e.opts.KV,
		eng:        e,
		log:        log,
		stdout:     &outputBuffer{max: e.opts.MaxOutputBytes, over: func() { cancelX(errOutputLimit) }},
		stderr:     newStderrSink(log),
		logBudget:  maxLogBytes,
	}
	xctx = experimental.WithMemoryAllocator(withState(xctx, st), st)
	return xctx, st, limit, func() { cancelX(nil); cancelT() }
}

// runModule runs the wasip1 module code once for r with the ABI's stdin.
func (e *Engine) runModule(ctx context.Context, r *Request, code *moduleCode) ([]Response, error) {
	// The ABI's stdin, only for a wasip1 module: a WAVS component gets
	// its trigger-action lowered instead.
	input, err := encodeInput(r)
	if err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "bad request: " + err.Error(), Err: err}
	}
	return e.run(ctx, code, r, input)
}

// run instantiates code's module with the ABI's stdin, environment and
// limits, calls its entries (_start; or _initialize, if not snapshotted,
// then wavs_run) and turns what happened into responses or an
// *ExecError.
func (e *Engine) run(ctx context.Context, code *moduleCode, r *Request, input []byte) ([]Response, error) {
	xctx, st, limit, done := e.begin(ctx, r)
	defer done()

	cfg := e.base.
		WithStdin(bytes.NewReader(input)).
		WithStdout(st.stdout).
		WithStderr(st.stderr).
		WithNanosleep(sleeper(xctx))
	for _, k := range slices.Sorted(maps.Keys(r.Env)) {
		cfg = cfg.WithEnv(k, r.Env[k])
	}
	if code.shape == shapeSnapshot {
		// The guest's monotonic clock goes on from where its
		// initialisation left it, as if the instance had just been
		// initialised (timers the Go runtime set then stay in the
		// future), at the real rate.
		start, clock := time.Now(), code.clock
		cfg = cfg.WithNanotime(func() int64 { return clock + int64(time.Since(start)) }, 1)
		st.image = code.image
	}

	runErr := e.instantiateAndCall(xctx, st, code.mod, cfg, code.shape.entries())
	st.freeMemory() // the instance is closed: nothing runs on its memory
	st.stderr.Flush()
	if st.imageErr != nil {
		return nil, &ExecError{Cause: CauseInternal, Msg: "the snapshot's memory could not be set up: " + st.imageErr.Error(), Err: st.imageErr}
	}
	return e.outcome(ctx, xctx, st, runErr, limit)
}

// instantiateAndCall runs one instance of mod to its end, calling entries
// in order, and closes it. Returning, or exiting with code 0, is success.
func (e *Engine) instantiateAndCall(ctx context.Context, st *execState, mod wazero.CompiledModule, cfg wazero.ModuleConfig, entries []string) error {
	inst, err := e.rt.InstantiateModule(ctx, mod, cfg)
	if err != nil {
		return err
	}
	defer inst.Close(context.WithoutCancel(ctx))
	if st.imageErr != nil {
		return st.imageErr // its memory is not the snapshot's: do not run it
	}
	for _, name := range entries {
		_, err = inst.ExportedFunction(name).Call(ctx)
		var exit *sys.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 0 {
			return nil // the instance is closed: the entries after this do not run
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// stoppedBy is what ended a failed execution from outside the guest, if
// anything did: the caller's context, the time limit, the engine closing,
// or the memory limit. Modules and components are classified alike.
func (e *Engine) stoppedBy(ctx, xctx context.Context, st *execState, limit time.Duration) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("engine: execution interrupted: %w", context.Cause(ctx))
	case errors.Is(context.Cause(xctx), errTimeLimit):
		return &ExecError{Cause: CauseTimeout, Msg: fmt.Sprintf("execution exceeded its time limit of %v", limit), Err: context.DeadlineExceeded}
	case e.closed():
		return ErrClosed
	case st.memRefused:
		return &ExecError{
			Cause: CauseMemory,
			Msg: fmt.Sprintf("component tried to grow its memory to %d MiB, past the limit of %d pages (%d MiB)",
				st.memWanted>>20, e.opts.MaxMemoryPages, uint64(e.opts.MaxMemoryPages)*wasmPageSize>>20),
			Stderr: st.stderr.Tail(),
		}
	}
	return nil
}

// outcome classifies an execution's end. Limits come first: a guest that
// hit one usually fails in some other way next (Go exits with code 2 when
// its memory cannot grow; a closed instance reports an exit code).
func (e *Engine) outcome(ctx, xctx context.Context, st *execState, runErr error, limit time.Duration) ([]Response, error) {
	if st.stdout.full {
		return nil, &ExecError{Cause: CauseOutputTooLarge, Msg: fmt.Sprintf("output exceeds %d bytes", e.opts.MaxOutputBytes)}
	}
	if runErr != nil {
		if err := e.stoppedBy(ctx, xctx, st, limit); err != nil {
			return nil, err
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
	resps, err := decodeOutput(st.stdout.buf)
	var ce errComponent
	switch {
	case errors.As(err, &ce):
		return nil, st.componentError("component failed: "+oneLine(ce.msg), "", nil)
	case err != nil:
		return nil, st.componentError("component wrote bad output: "+err.Error(), "", err)
	}
	return resps, nil
}

// componentError is a component's failure, blamed on a denied host when
// http_fetch refused one during the execution.
func (st *execState) componentError(msg, stderr string, err error) *ExecError {
	if st.deniedHost != "" {
		return &ExecError{
			Cause:  CauseDeniedHost,
			Msg:    fmt.Sprintf("http_fetch refused host %q (allowed: %s); %s", st.deniedHost, st.policy, msg),
			Stderr: stderr,
			Err:    err,
		}
	}
	return &ExecError{Cause: CauseComponent, Msg: msg, Stderr: stderr, Err: err}
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// oneLine joins the non-empty lines of s with " | ".
func oneLine(s string) string {
	var lines []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " | ")
}
