package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Pre-initialisation snapshots of reactor components.
//
// When a reactor is added, the engine instantiates it once in a separate
// runtime (wazero's interpreter: compiling for one run would cost more
// than the run), calls _initialize under a deterministic environment,
// reads its memory and globals and makes the snapshot module (snapmod.go),
// which it compiles in place of the reactor. Every execution then
// instantiates the snapshot afresh and calls wavs_run alone, so the Go
// runtime's start-up and the package initialisers are paid once, at add
// time, instead of on every trigger; the isolation between executions is
// the same as for a command, a fresh instance each time.
//
// The environment of _initialize is the same on every node: only the
// variable WAVS_SNAPSHOT=1 (snapshotEnv), args ["component"], clocks that
// start at initWallBase and advance by a microsecond per reading (and by
// the duration of each sleep, without sleeping), and random bytes from a
// ChaCha8 stream of a fixed seed. So two nodes snapshotting the same
// component make byte-identical snapshot modules, and nothing of the node
// (its time, its secrets, its randomness) gets into one. What the
// component computes from them during initialisation (the Go runtime's
// hash seeds, math/rand's state) is the same in every execution of it, on
// every node; crypto/rand and the clocks read during an execution are
// real.
//
// A snapshot is refused, and the reactor runs _initialize in every
// execution instead, when the module holds state a snapshot cannot carry
// (snapshotPlan), or when _initialize fails, reads stdin, writes stdout,
// calls a "wavs" host function other than log (their results depend on
// the execution), or runs out of memory (maxSnapshotPages, at most the
// engine's limit) or time (initTimeLimit). The reason is logged.

// snapshotEnv is the one environment variable of a snapshot's
// initialisation, set to "1": a component may do work there that only
// pays off in a snapshot (sdk/component warms encoding/json's caches).
const snapshotEnv = "WAVS_SNAPSHOT"

// initWallBase is the wall clock at the start of a snapshot's
// initialisation: 2000-01-01T00:00:00Z.
const initWallBase = 946684800 * int64(time.Second)

// initTimeLimit bounds a snapshot's _initialize (at most the engine's
// DefaultTimeLimit).
const initTimeLimit = 10 * time.Second

// maxSnapshotPages bounds the memory of a snapshot (64 MiB, at most the
// engine's MaxMemoryPages): adding a component runs its initialisation
// and holds its memory a few times over, which a hostile component must
// not be able to make large. A Go component's initialisation takes a few
// MiB.
const maxSnapshotPages = 1024

// initSeed seeds the random bytes of a snapshot's initialisation.
var initSeed = [32]byte([]byte("wavs-go snapshot random seed, v1"))

// initClock is the clocks of a snapshot's initialisation: deterministic,
// one microsecond per reading of either clock, and a sleep's duration per
// sleep. Its zero value starts at 0 (monotonic) and initWallBase (wall).
type initClock struct{ t int64 }

func (c *initClock) nanotime() int64 {
	c.t += int64(time.Microsecond)
	return c.t
}

func (c *initClock) walltime() (int64, int32) {
	w := initWallBase + c.nanotime()
	return w / int64(time.Second), int32(w % int64(time.Second))
}

func (c *initClock) sleep(ns int64) {
	if ns > 0 {
		c.t += ns
	}
}

// initRecord is what a snapshot's _initialize did that the snapshot could
// not reproduce: it is found in the context of the host functions.
type initRecord struct {
	mu        sync.Mutex
	stdinRead bool
	stdout    int
	calls     []string // "wavs" host functions called, other than log
	logs      []string // log() messages and stderr, for the node's log
	logBytes  int
}

type initRecordKey struct{}

func withInitRecord(ctx context.Context, rec *initRecord) context.Context {
	return context.WithValue(ctx, initRecordKey{}, rec)
}

func initRecordFrom(ctx context.Context) *initRecord {
	rec, _ := ctx.Value(initRecordKey{}).(*initRecord)
	return rec
}

// hostCall records a call of a "wavs" host function during a snapshot's
// initialisation; log's message is kept.
func (rec *initRecord) hostCall(name string, m api.Module, stack []uint64) {
	if name != "log" {
		rec.mu.Lock()
		rec.calls = append(rec.calls, name)
		rec.mu.Unlock()
		return
	}
	ptr, n := api.DecodeU32(stack[1]), api.DecodeU32(stack[2])
	if msg, ok := readGuest(m, ptr, min(n, maxLogMessage)); ok {
		rec.note(string(msg))
	}
}

func (rec *initRecord) note(s string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.logBytes+len(s) > maxLogBytes {
		return
	}
	rec.logBytes += len(s)
	rec.logs = append(rec.logs, strings.ToValidUTF8(s, "?"))
}

// refusal is why the snapshot cannot stand for what _initialize did, or
// nil.
func (rec *initRecord) refusal() error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	switch {
	case rec.stdinRead:
		return errors.New("its initialisation reads stdin (the input of an execution)")
	case rec.stdout > 0:
		return fmt.Errorf("its initialisation writes %d bytes to stdout (the output of an execution)", rec.stdout)
	case len(rec.calls) > 0:
		return fmt.Errorf("its initialisation calls the host function wavs.%s, whose result belongs to an execution", rec.calls[0])
	}
	return nil
}

type initStdin struct{ rec *initRecord }

func (s initStdin) Read([]byte) (int, error) {
	s.rec.mu.Lock()
	s.rec.stdinRead = true
	s.rec.mu.Unlock()
	return 0, io.EOF
}

type initStdout struct{ rec *initRecord }

func (s initStdout) Write(p []byte) (int, error) {
	s.rec.mu.Lock()
	s.rec.stdout += len(p)
	s.rec.mu.Unlock()
	return len(p), nil
}

type initStderr struct{ rec *initRecord }

func (s initStderr) Write(p []byte) (int, error) {
	s.rec.note(string(p))
	return len(p), nil
}

// initMemory allocates the memory of a snapshot's initialisation within
// the engine's memory limit.
type initMemory struct {
	limit   uint64
	refused bool
}

func (a *initMemory) Allocate(capacity, _ uint64) experimental.LinearMemory {
	return &boundedMemory{
		buf:     make([]byte, 0, min(capacity, a.limit)),
		limit:   a.limit,
		refused: func(uint64) { a.refused = true },
	}
}

// snapshotResult is a snapshot taken.
type snapshotResult struct {
	// bare is the snapshot module without data segments, to instantiate
	// with memory as its memory (see module).
	bare   []byte
	memory []byte   // the memory after _initialize
	runs   []memRun // its non-zero runs
	snapshotStats
	// clock is the monotonic clock at the end of initialisation: an
	// execution's clock continues from it.
	clock int64
	took  time.Duration // parsing, initialisation and the snapshot module
}

// snapshotRuntime is the interpreter runtime snapshots are taken in, made
// on first use, with WASI and the "wavs" host module.
func (e *Engine) snapshotRuntime(ctx context.Context) (wazero.Runtime, error) {
	e.snapOnce.Do(func() {
		rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().
			WithCloseOnContextDone(true).
			WithMemoryLimitPages(maxWasm32Pages))
		if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
			e.snapErr = fmt.Errorf("engine: snapshot runtime: instantiate WASI: %w", err)
		} else if _, err := instantiateHostModule(ctx, rt); err != nil {
			e.snapErr = fmt.Errorf("engine: snapshot runtime: %w", err)
		}
		if e.snapErr != nil {
			_ = rt.Close(ctx)
			return
		}
		e.snapRT = rt
	})
	return e.snapRT, e.snapErr
}

// snapshot takes the snapshot of the reactor wasm (valid, its tables
// already bounded). Its errors wrap errNoSnapshot when the module cannot
// be snapshotted, and errInvalidReactor when it is not a valid reactor.
func (e *Engine) snapshot(ctx context.Context, wasm []byte, log hclog.Logger) (*snapshotResult, error) {
	start := time.Now()
	plan, err := planSnapshot(wasm)
	if err != nil {
		return nil, err
	}
	if plan.export < 0 {
		return nil, noSnapshot("it exports nothing")
	}
	rt, err := e.snapshotRuntime(ctx)
	if err != nil {
		return nil, err
	}
	// One snapshot at a time: each holds its component's memory a few
	// times over.
	e.snapMu.Lock()
	defer e.snapMu.Unlock()
	cm, err := rt.CompileModule(ctx, plan.instrumented())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errInvalidReactor, firstLine(err.Error()))
	}
	defer cm.Close(context.WithoutCancel(ctx))
	if err := e.checkABI(cm, shapeReactor); err != nil {
		return nil, fmt.Errorf("%w: %v", errInvalidReactor, err)
	}

	rec := &initRecord{}
	clock := &initClock{}
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithArgs("component").
		WithEnv(snapshotEnv, "1").
		WithStdin(initStdin{rec}).
		WithStdout(initStdout{rec}).
		WithStderr(initStderr{rec}).
		WithWalltime(clock.walltime, 1).
		WithNanotime(clock.nanotime, 1).
		WithNanosleep(clock.sleep).
		WithRandSource(rand.NewChaCha8(initSeed)).
		WithStartFunctions()
	maxPages := min(e.opts.MaxMemoryPages, maxSnapshotPages)
	mem := &initMemory{limit: uint64(maxPages) * wasmPageSize}
	ictx, cancel := context.WithTimeout(ctx, min(initTimeLimit, e.opts.DefaultTimeLimit))
	defer cancel()
	ictx = experimental.WithMemoryAllocator(withInitRecord(ictx, rec), mem)

	mod, err := rt.InstantiateModule(ictx, cm, cfg)
	if err != nil {
		return nil, noSnapshot("instantiating it failed: %v", firstLine(err.Error()))
	}
	defer mod.Close(context.WithoutCancel(ctx))
	_, err = mod.ExportedFunction(reactorInit).Call(ictx)
	rec.logTo(log)
	switch {
	case mem.refused:
		return nil, noSnapshot("its initialisation went past the memory limit of %d pages", maxPages)
	case ictx.Err() != nil:
		return nil, noSnapshot("its initialisation ran past %v", min(initTimeLimit, e.opts.DefaultTimeLimit))
	case err != nil:
		return nil, noSnapshot("its _initialize failed: %v", firstLine(err.Error()))
	}
	if err := rec.refusal(); err != nil {
		return nil, noSnapshot("%v", err)
	}
	values := make([]uint64, len(plan.names))
	for k, name := range plan.names {
		g := mod.ExportedGlobal(name)
		if g == nil {
			return nil, noSnapshot("global export %s missing", name)
		}
		values[k] = g.Get()
	}
	view, ok := mod.Memory().Read(0, mod.Memory().Size())
	if !ok {
		return nil, noSnapshot("its memory cannot be read")
	}
	res := &snapshotResult{memory: append([]byte(nil), view...), clock: clock.t}
	res.bare, res.runs, res.snapshotStats, err = plan.emit(res.memory, values)
	if err != nil {
		return nil, noSnapshot("%v", err)
	}
	res.took = time.Since(start)
	return res, nil
}

// module is the whole snapshot module: its memory in data segments.
func (snap *snapshotResult) module() ([]byte, error) {
	return withDataSegments(snap.bare, snap.memory, snap.runs)
}

// logTo passes what a snapshot's initialisation logged (its stderr and
// log calls) to the node's log.
func (rec *initRecord) logTo(log hclog.Logger) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, l := range rec.logs {
		log.Debug("component initialisation (snapshot): "+strings.TrimRight(l, "\n"), "stream", "init")
	}
}

// errInvalidReactor marks a module that is not a valid reactor: the
// engine then compiles it as usual, which says why.
var errInvalidReactor = errors.New("invalid reactor")
