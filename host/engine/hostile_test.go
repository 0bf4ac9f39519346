package engine_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/sys"

	"github.com/wavs-go/wavs/host/engine"
)

// Opcodes and types of the table bombs.
const (
	opLoop      = 0x03
	opBrIf      = 0x0d
	opI32Ne     = 0x47
	opRefNull   = 0xd0
	tFuncref    = 0x70
	opPrefixFC  = 0xfc
	opTableGrow = 0x0f
)

// tableBomb grows an unbounded funcref table by step elements until
// table.grow fails, then traps. Without a bound on the table the host
// allocates 8 bytes per element until it dies (2^32 elements: 32 GiB).
func tableBomb(step uint32) []byte {
	body := cat(
		[]byte{opLoop, 0x40},
		[]byte{opRefNull, tFuncref}, i32(step), []byte{opPrefixFC, opTableGrow, 0x00},
		[]byte{opI32Const, 0x7f}, // -1: the failure of table.grow
		[]byte{opI32Ne, opBrIf, 0x00, opEnd},
		[]byte{opUnreachable},
	)
	return wasmModule{tables: vec([]byte{tFuncref, 0x00, 0x00}), body: body}.assemble()
}

func TestTableBombIsBounded(t *testing.T) {
	e := newEngine(t, engine.Options{})
	for _, step := range []uint32{1 << 16, 0x7fffffff} {
		t.Run(strconv.Itoa(int(step)), func(t *testing.T) {
			d, err := e.AddComponent(context.Background(), tableBomb(step))
			if err != nil {
				t.Fatal(err)
			}
			r := rawRequest(d, "")
			r.TimeLimit = 10 * time.Second
			_, err = e.Execute(context.Background(), r)
			// table.grow failed in the guest (it then traps), the host
			// allocated at most the bound.
			wantCause(t, err, engine.CauseTrap, "unreachable")
		})
	}
}

func TestDeclarationsAreBounded(t *testing.T) {
	globals := func(n int) []byte {
		items := make([][]byte, n)
		for i := range items {
			items[i] = []byte{tI32, 0x00, opI32Const, 0x00, opEnd}
		}
		return vec(items...)
	}
	table := func(flags byte, limits ...uint32) []byte {
		b := []byte{tFuncref, flags}
		for _, l := range limits {
			b = append(b, leb(l)...)
		}
		return b
	}
	tests := []struct {
		name string
		mod  wasmModule
		want string // "" = accepted
	}{
		{"huge minimum", wasmModule{tables: vec(table(0x00, 1<<27))}, "more than the limit of 1048576 table elements"},
		{"huge maximum", wasmModule{tables: vec(table(0x01, 1, 1<<28))}, "more than the limit of 1048576 table elements"},
		{"maxima summed", wasmModule{tables: vec(table(0x01, 0, 1<<19), table(0x01, 0, 1<<19), table(0x01, 0, 1))}, "1048577 elements"},
		{"too many tables", wasmModule{}, ""}, // tables set below
		{"globals", wasmModule{globals: globals(1<<16 + 1)}, "65537 globals, more than the limit of 65536"},
		{"bounded table", wasmModule{tables: vec(table(0x01, 10, 100))}, ""},
		{"unbounded table", wasmModule{tables: vec(table(0x00, 10))}, ""},
		{"some globals", wasmModule{globals: globals(100)}, ""},
	}
	e := newEngine(t, engine.Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "too many tables" {
				items := make([][]byte, 17)
				for i := range items {
					items[i] = table(0x00, 0)
				}
				tc.mod.tables = vec(items...)
				tc.want = "17 tables, more than the limit of 16"
			}
			tc.mod.body = []byte{}
			_, err := e.AddComponent(context.Background(), tc.mod.assemble())
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantCause(t, err, engine.CauseInvalid, tc.want)
		})
	}
}

// TestSlotsAreFairAcrossServices: a service running long executions in
// every lane it has holds at most its share of the slots; another service
// runs at once beside it.
func TestSlotsAreFairAcrossServices(t *testing.T) {
	e := newEngine(t, engine.Options{MaxConcurrent: 2})
	loop, square := add(t, e, "loop"), add(t, e, "echo-square")
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rawRequest(loop, "")
			r.ServiceID = otherServiceID
			r.TimeLimit = time.Second
			_, _ = e.Execute(context.Background(), r)
		}()
	}
	time.Sleep(200 * time.Millisecond) // the hog takes what it can
	for i := range 5 {
		var err error
		took := timed(func() { _, err = e.Execute(context.Background(), rawRequest(square, "3")) })
		if err != nil {
			t.Fatal(err)
		}
		if took > time.Second {
			t.Fatalf("execution %d beside a hog with 3 looping lanes took %v: the hog holds every slot", i, took)
		}
	}
	wg.Wait()
}

func TestTimeLimitCeiling(t *testing.T) {
	e := newEngine(t, engine.Options{MaxTimeLimit: time.Second, DefaultTimeLimit: time.Second})
	r := rawRequest(add(t, e, "loop"), "")
	r.TimeLimit = time.Hour
	var err error
	took := timed(func() { _, err = e.Execute(context.Background(), r) })
	wantCause(t, err, engine.CauseTimeout, "time limit of 1s")
	if took > time.Second+margin {
		t.Errorf("an execution asking an hour under a 1s ceiling ran %v", took)
	}
	if _, err := engine.New(context.Background(), engine.Options{MaxTimeLimit: time.Second, DefaultTimeLimit: time.Minute}); err == nil || !strings.Contains(err.Error(), "DefaultTimeLimit 1m0s is more than MaxTimeLimit 1s") {
		t.Errorf("a default above the ceiling: %v", err)
	}
}

// variant is wasm with a custom section making its digest unique.
func variant(wasm []byte, i int) []byte {
	return cat(wasm, section(0, cat(name("variant"), []byte(strconv.Itoa(i)))))
}

// rssBytes reads a field (VmRSS, VmHWM) of /proc/self/status.
func rssBytes(tb testing.TB, field string) int64 {
	tb.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc/self/status:", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				tb.Fatal(err)
			}
			return kb << 10
		}
	}
	tb.Fatalf("no %s in /proc/self/status", field)
	return 0
}

func TestCompiledModuleBudget(t *testing.T) {
	loop := component(t, "loop")
	perModule := int64(len(loop)) * 6 // engine's compiledSizeFactor
	e := newEngine(t, engine.Options{MaxCompiledBytes: 2 * perModule, MaxConcurrent: 1})
	runtime.GC()
	debug.FreeOSMemory()
	before := rssBytes(t, "VmRSS")
	var digests []string
	const n = 6
	for i := range n {
		d, err := e.AddComponent(context.Background(), variant(loop, i))
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, d)
		if got := e.CompiledBytes(); got > 2*perModule {
			t.Fatalf("after %d uploads the compiled modules take %d bytes, over the budget of %d", i+1, got, 2*perModule)
		}
	}
	runtime.GC()
	debug.FreeOSMemory()
	after := rssBytes(t, "VmRSS")
	t.Logf("%d uploads of a %d-byte component, budget %d MiB: RSS %d → %d MiB (+%d MiB)", n, len(loop), 2*perModule>>20, before>>20, after>>20, (after-before)>>20)
	if grown := after - before; grown > 3*perModule {
		t.Errorf("RSS grew by %d MiB for compiled modules budgeted at %d MiB", grown>>20, 2*perModule>>20)
	}
	// An evicted component is compiled again when it runs.
	r := rawRequest(digests[0], "")
	r.TimeLimit = 100 * time.Millisecond
	if _, err := e.Execute(context.Background(), r); engine.CauseOf(err) != engine.CauseTimeout {
		t.Fatalf("evicted component: %v, want a timeout", err)
	}
}

func TestRemoveComponent(t *testing.T) {
	e := newEngine(t, engine.Options{})
	d := add(t, e, "echo-square")
	if _, err := e.Execute(context.Background(), rawRequest(d, "2")); err != nil {
		t.Fatal(err)
	}
	if err := e.RemoveComponent(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if e.HasComponent(d) {
		t.Error("the engine still has the removed component")
	}
	if e.CompiledBytes() != 0 {
		t.Errorf("compiled bytes %d after removing the only component", e.CompiledBytes())
	}
	_, err := e.Execute(context.Background(), rawRequest(d, "2"))
	wantCause(t, err, engine.CauseNotFound)
	wantCause(t, e.RemoveComponent(context.Background(), d), engine.CauseNotFound, d)
	wantCause(t, e.RemoveComponent(context.Background(), "nope"), engine.CauseInvalid, `"nope"`, "64 lowercase hex")
}

// TestMemoryLimitIsWhatTheHostPays: a guest that fills its 256 MiB makes
// the host's peak resident memory grow by about that much, not by 2.5
// times (old and new buffers of a copied slice, then garbage).
func TestMemoryLimitIsWhatTheHostPays(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self")
	}
	e := newEngine(t, engine.Options{})
	d := add(t, e, "memhog")
	r := rawRequest(d, "")
	r.TimeLimit = time.Minute
	_, _ = e.Execute(context.Background(), rawRequest(add(t, e, "echo-square"), "2")) // warm up the engine
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skip("cannot reset the peak RSS:", err)
	}
	base := rssBytes(t, "VmRSS")
	_, err := e.Execute(context.Background(), r)
	wantCause(t, err, engine.CauseMemory, "limit of 4096 pages (256 MiB)")
	peak := rssBytes(t, "VmHWM") - base
	runtime.GC()
	debug.FreeOSMemory()
	after := rssBytes(t, "VmRSS") - base
	t.Logf("memhog at a 256 MiB limit: peak RSS +%d MiB, after the execution +%d MiB", peak>>20, after>>20)
	if peak > 256<<20+96<<20 {
		t.Errorf("peak RSS grew by %d MiB for a 256 MiB guest", peak>>20)
	}
	if after > 32<<20 {
		t.Errorf("RSS still %d MiB above the start after the execution", after>>20)
	}
}

func TestIsFault(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&engine.ExecError{Cause: engine.CauseTimeout}, true},
		{&engine.ExecError{Cause: engine.CauseMemory}, true},
		{&engine.ExecError{Cause: engine.CauseTrap}, true},
		{&engine.ExecError{Cause: engine.CauseOutputTooLarge}, true},
		{&engine.ExecError{Cause: engine.CauseInternal}, true},
		{fmt.Errorf("workflow x: %w", &engine.ExecError{Cause: engine.CauseComponent, Err: sys.NewExitError(2)}), true},
		{&engine.ExecError{Cause: engine.CauseComponent}, false}, // reported in its output
		{&engine.ExecError{Cause: engine.CauseDeniedHost}, false},
		{&engine.ExecError{Cause: engine.CauseNotFound}, false},
		{errors.New("other"), false},
		{context.Canceled, false},
	}
	for _, tc := range tests {
		if got := engine.IsFault(tc.err); got != tc.want {
			t.Errorf("IsFault(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
