package engine_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// The reactor shape and its snapshot (host/engine/snapshot.go): the same
// components built with -buildmode=c-shared (TestMain builds them into
// wasmDir/reactor) run from a snapshot taken after their initialisation.

// shapes are the builds of a component: a command, and a reactor that the
// engine snapshots.
var shapes = []struct {
	name string
	wasm func(testing.TB, string) []byte
}{
	{"command", component},
	{"reactor", reactor},
}

// addWasm adds wasm to e.
func addWasm(tb testing.TB, e *engine.Engine, wasm []byte) string {
	tb.Helper()
	d, err := e.AddComponent(context.Background(), wasm)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// outcome is what an execution gave, comparable across shapes.
type outcome struct {
	Responses []engine.Response
	Cause     engine.Cause
	Msg       string
}

func outcomeOf(resps []engine.Response, err error) outcome {
	o := outcome{Responses: resps}
	if err != nil {
		o.Cause = engine.CauseOf(err)
		o.Msg = err.Error()
		if ee, ok := err.(*engine.ExecError); ok {
			o.Msg = ee.Msg
		}
	}
	return o
}

// TestSnapshotIsolation: a component that counts its executions in a
// package variable, a map and the heap sees each as its first: every
// execution of the snapshot starts from the state after initialisation.
func TestSnapshotIsolation(t *testing.T) {
	logs := &logBuffer{}
	e := newEngine(t, engine.Options{Logger: testLogger(logs)})
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			d := addWasm(t, e, sh.wasm(t, "counter"))
			for i := range 5 {
				resps, err := e.Execute(context.Background(), rawRequest(d, strconv.Itoa(i)))
				if err != nil {
					t.Fatal(err)
				}
				if got := string(resps[0].Payload); got != "1 1 1" {
					t.Fatalf("execution %d: %q, want \"1 1 1\"", i, got)
				}
			}
		})
	}
	if !strings.Contains(logs.String(), "component snapshot taken") {
		t.Errorf("the reactor was not snapshotted:\n%s", logs)
	}
}

// TestSnapshotResidue: a snapshot's memory is reused across executions
// (reset to the image, mem_image_linux.go), and no execution sees what an
// earlier one wrote, in the snapshot's memory or in memory it grew; one
// after another, and overlapping.
func TestSnapshotResidue(t *testing.T) {
	e := newEngine(t, engine.Options{})
	d := addWasm(t, e, reactor(t, "residue"))
	run := func() error {
		resps, err := e.Execute(context.Background(), rawRequest(d, ""))
		if err != nil {
			return err
		}
		if got := string(resps[0].Payload); got != "clean" {
			return fmt.Errorf("found an earlier execution's marks: %s", got)
		}
		return nil
	}
	for i := range 4 {
		if err := run(); err != nil {
			t.Fatalf("execution %d: %v", i, err)
		}
	}
	errs := make(chan error, 12)
	for range cap(errs) {
		go func() { errs <- run() }()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestSnapshotDataSegments: without a memory image (systems other than
// Linux), a snapshot's memory comes from its data segments; executions
// are isolated all the same.
func TestSnapshotDataSegments(t *testing.T) {
	logs := &logBuffer{}
	e := newEngine(t, engine.Options{Logger: testLogger(logs)})
	e.DisableMemImages()
	counter, square := addWasm(t, e, reactor(t, "counter")), addWasm(t, e, reactor(t, "echo-square"))
	for i := range 3 {
		resps, err := e.Execute(context.Background(), rawRequest(counter, ""))
		if err != nil || string(resps[0].Payload) != "1 1 1" {
			t.Fatalf("execution %d: %v, %v", i, resps, err)
		}
		resps, err = e.Execute(context.Background(), rawRequest(square, "12"))
		if err != nil || !bytes.Equal(resps[0].Payload, uint256(144)) {
			t.Fatalf("execution %d: %v, %v", i, resps, err)
		}
	}
	if !strings.Contains(logs.String(), "memory_image=false") {
		t.Errorf("the snapshots used memory images:\n%s", logs)
	}
}

// newTriggerData is the data of SimpleTrigger's NewTrigger event for
// trigger id with data.
func newTriggerData(id uint64, data string) []byte {
	word := func(n uint64) string {
		return strings.Repeat("0", 48) + hex.EncodeToString(big.NewInt(int64(n)).FillBytes(make([]byte, 8)))
	}
	padded := hex.EncodeToString([]byte(data))
	padded += strings.Repeat("0", (64-len(padded)%64)%64)
	// abi.encode(TriggerInfo{id, creator, data}): a dynamic tuple, so its
	// offset first; the event's one field wraps that as bytes.
	info := word(0x20) + word(id) + strings.Repeat("0", 24) + "f39fd6e51aad88f6f4ce6ab8827279cfffb92266" + word(0x60) + word(uint64(len(data))) + padded
	b, _ := hex.DecodeString(word(0x20) + word(uint64(len(info)/2)) + info)
	return b
}

// TestSnapshotSameOutputs: each example component answers the same,
// responses or error, as a command and from its snapshot.
func TestSnapshotSameOutputs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("body of " + r.URL.Path))
	}))
	defer srv.Close()
	hash := sdk.Hash{1, 2, 3}
	log := func(data []byte) engine.Trigger {
		return engine.Trigger{EvmLog: &sdk.EvmLog{Chain: "evm:31337", Address: sdk.Address{9}, Topics: []sdk.Hash{hash}, Data: data, BlockNumber: 7, BlockHash: hash, TxHash: hash}}
	}
	type call struct {
		trigger engine.Trigger
		config  map[string]string
		http    service.HostPolicy
	}
	raw := func(s string) call { return call{trigger: engine.Trigger{Raw: []byte(s)}} }
	tests := []struct {
		component string
		calls     []call
	}{
		{"echo-square", []call{
			raw("12"), raw(" 7\n"), raw("hello"), raw(""), raw(strings.Repeat("9", 80)),
			{trigger: log(uint256(3))}, {trigger: log([]byte{1, 2})},
			{trigger: engine.Trigger{Block: &sdk.BlockTick{Chain: "evm:1", BlockNumber: 5}}},
			{trigger: engine.Trigger{Cron: &sdk.CronTick{Time: time.Unix(1_700_000_000, 0)}}},
		}},
		{"evm-square", []call{
			{trigger: log(newTriggerData(1, "7"))},
			{trigger: log(newTriggerData(2, "12")), config: map[string]string{"payload": "data_with_id"}},
			{trigger: log([]byte{1})},
			{trigger: engine.Trigger{Block: &sdk.BlockTick{Chain: "evm:1", BlockNumber: 5}}},
			{trigger: engine.Trigger{Cron: &sdk.CronTick{Time: time.Unix(1_700_000_000, 0)}}, config: map[string]string{"payload": "data_with_id"}},
			raw("9"), raw("x"), {trigger: engine.Trigger{Raw: []byte("3")}, config: map[string]string{"payload": "bad"}},
		}},
		{"kv-counter", []call{raw(""), raw(""), raw("")}},
		{"http-fetch", []call{
			{trigger: engine.Trigger{Raw: []byte{}}, config: map[string]string{"url": srv.URL + "/a?x=1&y=<2>"}, http: service.AllowOnlyHosts("127.0.0.1")},
			{trigger: engine.Trigger{Raw: []byte{}}, config: map[string]string{"url": srv.URL + "/missing"}, http: service.AllowAllHosts()},
			{trigger: engine.Trigger{Raw: []byte{}}, config: map[string]string{"url": srv.URL}, http: service.AllowNoHosts()},
			{trigger: engine.Trigger{Raw: []byte{}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.component, func(t *testing.T) {
			var got [2][]outcome
			for i, sh := range shapes {
				e := newEngine(t, engine.Options{KV: newMemKV(), Outbound: allowLoopback(t)})
				d := addWasm(t, e, sh.wasm(t, tt.component))
				for _, c := range tt.calls {
					r := rawRequest(d, "")
					r.Trigger, r.Config, r.HTTP = c.trigger, c.config, c.http
					got[i] = append(got[i], outcomeOf(e.Execute(context.Background(), r)))
				}
			}
			for k := range tt.calls {
				if !reflect.DeepEqual(got[0][k], got[1][k]) {
					t.Errorf("call %d:\ncommand %+v\nreactor %+v", k, got[0][k], got[1][k])
				}
			}
			t.Logf("%+v", got[1])
		})
	}
}

// TestSnapshotDeterministic: two engines snapshot a component into the
// same bytes, whatever their time; and the snapshot module runs on its
// own (its memory in data segments) in a bare wazero runtime.
func TestSnapshotDeterministic(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"echo-square", "kv-counter", "initstate"} {
		t.Run(name, func(t *testing.T) {
			wasm := reactor(t, name)
			a, err := newEngine(t, engine.Options{}).Snapshot(ctx, wasm)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond)
			b, err := newEngine(t, engine.Options{MaxConcurrent: 1}).Snapshot(ctx, wasm)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatalf("two snapshots differ: %d and %d bytes", len(a), len(b))
			}
			if name != "echo-square" {
				return
			}
			rt := rawRuntime(&testing.B{}, true)
			defer rt.Close(ctx)
			compiled, err := rt.CompileModule(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			for _, export := range []string{"_initialize", "_start"} {
				if _, ok := compiled.ExportedFunctions()[export]; ok {
					t.Errorf("the snapshot exports %s", export)
				}
			}
			var out bytes.Buffer
			mod, err := rt.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName("").
				WithStdin(bytes.NewReader(rawInput)).WithStdout(&out).WithStartFunctions())
			if err != nil {
				t.Fatal(err)
			}
			defer mod.Close(ctx)
			if _, err := mod.ExportedFunction("wavs_run").Call(ctx); err != nil {
				t.Fatal(err)
			}
			if want := `{"responses":[{"payload":"0x` + hex.EncodeToString(uint256(144)) + `"}]}`; out.String() != want {
				t.Fatalf("output %s, want %s", out.String(), want)
			}
		})
	}
}

// TestSnapshotEnvironment: what a snapshotted component reads during
// initialisation is the same for every execution and every node (a fixed
// clock, a fixed random stream, only WAVS_SNAPSHOT=1 in its environment);
// what it reads while handling is the execution's own.
func TestSnapshotEnvironment(t *testing.T) {
	run := func(e *engine.Engine, d string) []string {
		t.Helper()
		r := rawRequest(d, "")
		r.Env = map[string]string{"WAVS_ENV_X": "secret-x"}
		resps, err := e.Execute(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, resp := range resps {
			out = append(out, string(resp.Payload))
		}
		return out
	}
	e1, e2 := newEngine(t, engine.Options{}), newEngine(t, engine.Options{})
	wasm := reactor(t, "initstate")
	d := addWasm(t, e1, wasm)
	a, b, c := run(e1, d), run(e1, d), run(e2, addWasm(t, e2, wasm))
	initTime, _ := strconv.ParseInt(a[0], 10, 64)
	if y := time.Unix(0, initTime).UTC().Year(); y != 2000 {
		t.Errorf("the clock during initialisation read %v, want 2000-01-01", time.Unix(0, initTime).UTC())
	}
	if a[0] != c[0] || a[1] != c[1] || a[0] != b[0] || a[1] != b[1] {
		t.Errorf("initialisation differs between executions or engines: %q %q %q", a[:2], b[:2], c[:2])
	}
	if a[3] == b[3] || a[3] == c[3] {
		t.Errorf("crypto/rand gave the same bytes in two executions: %s", a[3])
	}
	if now, _ := strconv.ParseInt(a[4], 10, 64); time.Since(time.Unix(0, now)).Abs() > time.Minute {
		t.Errorf("the clock during an execution read %v", time.Unix(0, now))
	}
	if a[5] != "" || a[6] != "secret-x" {
		t.Errorf("WAVS_ENV_X during initialisation %q (want none), during the execution %q", a[5], a[6])
	}
	if since, _ := strconv.ParseInt(a[7], 10, 64); since < 0 || time.Duration(since) > time.Minute {
		t.Errorf("monotonic time since initialisation %v", time.Duration(since))
	}
	if a[8] != "1" || a[9] != "" {
		t.Errorf("WAVS_SNAPSHOT during initialisation %q (want 1), during the execution %q (want none)", a[8], a[9])
	}
}

// TestSnapshotRefused: reactors the engine does not snapshot still run,
// initialising in every execution, and fail as their command builds do;
// the log says why.
func TestSnapshotRefused(t *testing.T) {
	tests := []struct {
		component string
		reason    string // in the log
		cause     engine.Cause
		msg       string // in the error, or the payload when cause is 0
	}{
		{"initkv", "calls the host function wavs.kv_get", 0, "from the store"},
		{"initstdout", "writes 5 bytes to stdout", engine.CauseComponent, "bad output"},
	}
	for _, tt := range tests {
		t.Run(tt.component, func(t *testing.T) {
			var got []outcome
			for _, sh := range shapes {
				logs := &logBuffer{}
				kv := newMemKV()
				if err := kv.Set(context.Background(), serviceID, "init", []byte("from the store")); err != nil {
					t.Fatal(err)
				}
				e := newEngine(t, engine.Options{KV: kv, Logger: testLogger(logs)})
				d := addWasm(t, e, sh.wasm(t, tt.component))
				resps, err := e.Execute(context.Background(), rawRequest(d, ""))
				if tt.cause != 0 {
					wantCause(t, err, tt.cause, tt.msg)
				} else if err != nil || string(resps[0].Payload) != tt.msg {
					t.Fatalf("%s: %v, %v", sh.name, resps, err)
				}
				got = append(got, outcomeOf(resps, err))
				if sh.name == "reactor" && (!strings.Contains(logs.String(), "component not snapshotted") || !strings.Contains(logs.String(), tt.reason)) {
					t.Errorf("the log does not say why the reactor was not snapshotted (%q):\n%s", tt.reason, logs)
				}
			}
			if !reflect.DeepEqual(got[0], got[1]) {
				t.Errorf("command %+v\nreactor %+v", got[0], got[1])
			}
		})
	}
	// A Go reactor's runtime crashes (a trap) on a panic during
	// initialisation, which the SDK cannot catch, where a command exits
	// with code 2: both fail every execution, with the panic on stderr.
	t.Run("initpanic", func(t *testing.T) {
		logs := &logBuffer{}
		e := newEngine(t, engine.Options{Logger: testLogger(logs)})
		for _, sh := range shapes {
			_, err := e.Execute(context.Background(), rawRequest(addWasm(t, e, sh.wasm(t, "initpanic")), ""))
			if !engine.IsFault(err) {
				t.Errorf("%s: %v is not a fault", sh.name, err)
			}
			var ee *engine.ExecError
			if !errors.As(err, &ee) || !strings.Contains(ee.Stderr, "panic: init boom") {
				t.Errorf("%s: %v, without the panic on stderr", sh.name, err)
			}
		}
		if !strings.Contains(logs.String(), "its _initialize failed") {
			t.Errorf("the log does not say why the reactor was not snapshotted:\n%s", logs)
		}
	})
	t.Run("runonly", func(t *testing.T) {
		e := newEngine(t, engine.Options{})
		_, err := e.Execute(context.Background(), rawRequest(addWasm(t, e, reactor(t, "runonly")), ""))
		wantCause(t, err, engine.CauseComponent, "no handler registered", "component.Handle")
	})
}

// Opcodes of the hand-made reactors.
const (
	opGlobalGet = 0x23
	opGlobalSet = 0x24
	opIf        = 0x04
	opElse      = 0x05
	opI32Eq     = 0x46
	opBr        = 0x0c
)

// reactorModule is a reactor without any SDK. _initialize sets a global
// to 1; wavs_run writes {"responses":[]} when the global is 1 and traps
// otherwise. variant adds what a snapshot cannot carry: "start" a start
// function, "table.grow" code growing a table, "trap" an _initialize that
// traps, "loop" one that never returns, "bigmem" one that grows its
// memory past what a snapshot may hold (but within the limit).
func reactorModule(variant string) []byte {
	const text = `{"responses":[]}`
	voidType := []byte{0x60, 0x00, 0x00}
	fdWriteType := []byte{0x60, 0x04, tI32, tI32, tI32, tI32, 0x01, tI32}
	initBody := cat([]byte{0x00}, i32(1), []byte{opGlobalSet, 0x00})
	switch variant {
	case "table.grow":
		initBody = cat(initBody, []byte{opRefNull, tFuncref}, i32(1), []byte{opPrefixFC, opTableGrow, 0x00, opDrop})
	case "trap":
		initBody = append(initBody, opUnreachable)
	case "loop":
		initBody = append(initBody, opLoop, 0x40, opBr, 0x00, opEnd)
	case "bigmem":
		initBody = cat(initBody, i32(1100), []byte{0x40, 0x00, opDrop}) // memory.grow by 1100 pages
	}
	initBody = append(initBody, opEnd)
	runBody := cat([]byte{0x00, opGlobalGet, 0x00}, i32(1), []byte{opI32Eq, opIf, 0x40},
		i32(1), i32(64), i32(1), i32(72), []byte{opCall, 0x00, opDrop},
		[]byte{opElse, opUnreachable, opEnd, opEnd})
	iov := make([]byte, 16)
	iov[0], iov[4] = 80, byte(len(text))
	out := cat(
		[]byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00},
		section(1, vec(voidType, fdWriteType)),
		section(2, vec(cat(name("wasi_snapshot_preview1"), name("fd_write"), []byte{0x00, 0x01}))),
		section(3, vec([]byte{0x00}, []byte{0x00})),
		section(4, vec([]byte{tFuncref, 0x00, 0x01})),
		section(5, vec([]byte{0x00, 0x01})),
		section(6, vec(cat([]byte{tI32, 0x01}, i32(0), []byte{opEnd}))),
		section(7, vec(
			cat(name("_initialize"), []byte{0x00, 0x01}),
			cat(name("wavs_run"), []byte{0x00, 0x02}),
			cat(name("memory"), []byte{0x02, 0x00}),
		)),
	)
	if variant == "start" {
		out = append(out, section(8, leb(1))...)
	}
	return cat(out,
		section(10, vec(cat(leb(uint32(len(initBody))), initBody), cat(leb(uint32(len(runBody))), runBody))),
		section(11, vec(cat([]byte{0x00}, i32(64), []byte{opEnd}, leb(uint32(len(iov)+len(text))), iov, []byte(text)))),
	)
}

// TestSnapshotOddReactors: a reactor without any SDK is snapshotted (its
// global carried over); one with a start function or code growing a
// table is not, and runs initialising each time; one whose _initialize
// traps or loops fails each execution so.
func TestSnapshotOddReactors(t *testing.T) {
	tests := []struct {
		variant string
		reason  string // "" = snapshotted
		cause   engine.Cause
	}{
		{"plain", "", 0},
		{"start", "it has a start function", 0},
		{"table.grow", "changes a table", 0},
		{"trap", "its _initialize failed", engine.CauseTrap},
		{"loop", "its initialisation ran past 1s", engine.CauseTimeout},
		{"bigmem", "past the memory limit of 1024 pages", 0},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			logs := &logBuffer{}
			e := newEngine(t, engine.Options{Logger: testLogger(logs), DefaultTimeLimit: time.Second})
			d := addWasm(t, e, reactorModule(tt.variant))
			for range 2 {
				resps, err := e.Execute(context.Background(), rawRequest(d, ""))
				if tt.cause != 0 {
					wantCause(t, err, tt.cause)
				} else if err != nil || len(resps) != 0 {
					t.Fatalf("%v, %v", resps, err)
				}
			}
			snapshotted := strings.Contains(logs.String(), "component snapshot taken")
			if snapshotted != (tt.reason == "") || !strings.Contains(logs.String(), tt.reason) {
				t.Errorf("snapshotted %v, want the reason %q in the log:\n%s", snapshotted, tt.reason, logs)
			}
		})
	}
	t.Run("no wavs_run", func(t *testing.T) {
		e := newEngine(t, engine.Options{})
		wasm := wasmModule{noStart: true, extraExps: [][]byte{cat(name("_initialize"), []byte{0x00, 0x00})}}.assemble()
		_, err := e.AddComponent(context.Background(), wasm)
		wantCause(t, err, engine.CauseInvalid, "exports _initialize but neither _start nor wavs_run")
	})
}

// TestSnapshotMemoryBelowLimit: a limit too low for a reactor's
// initialisation leaves it unsnapshotted, and its executions fail on the
// limit as the command's do.
func TestSnapshotMemoryBelowLimit(t *testing.T) {
	var got []outcome
	for _, sh := range shapes {
		logs := &logBuffer{}
		e := newEngine(t, engine.Options{MaxMemoryPages: 50, Logger: testLogger(logs)})
		d := addWasm(t, e, sh.wasm(t, "echo-square"))
		resps, err := e.Execute(context.Background(), rawRequest(d, "3"))
		got = append(got, outcomeOf(resps, err))
		if sh.name == "reactor" && !strings.Contains(logs.String(), "past the memory limit of 50 pages") {
			t.Errorf("no reason in the log:\n%s", logs)
		}
	}
	t.Logf("%+v", got)
	if got[0].Cause != got[1].Cause {
		t.Errorf("command %+v\nreactor %+v", got[0], got[1])
	}
}

// TestSnapshotCache: a snapshot is cached in CacheDir and the next engine
// on that folder uses it; a damaged entry is ignored, taken again and
// replaced.
func TestSnapshotCache(t *testing.T) {
	dir := t.TempDir()
	wasm := reactor(t, "echo-square")
	run := func(wantLog ...string) {
		t.Helper()
		logs := &logBuffer{}
		e := newEngine(t, engine.Options{CacheDir: dir, Logger: testLogger(logs)})
		resps, err := e.Execute(context.Background(), rawRequest(addWasm(t, e, wasm), "12"))
		if err != nil || !bytes.Equal(resps[0].Payload, uint256(144)) {
			t.Fatalf("%v, %v", resps, err)
		}
		for _, w := range wantLog {
			if !strings.Contains(logs.String(), w) {
				t.Errorf("the log does not say %q:\n%s", w, logs)
			}
		}
	}
	run("cached=false")
	run("cached=true")
	entries, err := filepath.Glob(filepath.Join(dir, "wavs-snapshots", "*.snap"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("cache entries %v, %v", entries, err)
	}
	b, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(entries[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
	run("cached snapshot not used", "checksum mismatch", "cached=false")
	run("cached=true")

	// Removing the component deletes its snapshot.
	e := newEngine(t, engine.Options{CacheDir: dir})
	if err := e.RemoveComponent(context.Background(), addWasm(t, e, wasm)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(entries[0]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the snapshot is still cached after RemoveComponent: %v", err)
	}
}
