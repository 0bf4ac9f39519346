package wasip2

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/engine/component"
)

const (
	ifEnv     = "wasi:cli/environment"
	ifStreams = "wasi:io/streams"
	ifPoll    = "wasi:io/poll"
	ifMono    = "wasi:clocks/monotonic-clock"
)

func TestEnvironment(t *testing.T) {
	tests := []struct {
		name string
		env  [][2]string
		args []string
	}{
		{"empty", nil, nil},
		{"some", [][2]string{{"A", "1"}, {"WAVS_ENV_X", "héllo"}}, []string{"prog", "--flag"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuest(t, Config{Env: tt.env, Args: tt.args})
			g.must(ifEnv, "get-environment")
			n := g.u32(retArea + 4)
			if int(n) != len(tt.env) {
				t.Fatalf("%d env entries, want %d", n, len(tt.env))
			}
			base := g.u32(retArea)
			for i, kv := range tt.env {
				e := base + uint32(16*i) // tuple<string, string>: 16 bytes
				if k, v := string(g.bytesAt(e)), string(g.bytesAt(e+8)); k != kv[0] || v != kv[1] {
					t.Errorf("env[%d] = %q=%q, want %q=%q", i, k, v, kv[0], kv[1])
				}
			}
			g.must(ifEnv, "get-arguments")
			if n := g.u32(retArea + 4); int(n) != len(tt.args) {
				t.Fatalf("%d args, want %d", n, len(tt.args))
			}
			for i, a := range tt.args {
				if got := string(g.bytesAt(g.u32(retArea) + uint32(8*i))); got != a {
					t.Errorf("arg %d = %q, want %q", i, got, a)
				}
			}
		})
	}
}

func TestClocks(t *testing.T) {
	at := time.Unix(1700000000, 123456789)
	g := newGuest(t, Config{Now: func() time.Time { return at }})
	g.must("wasi:clocks/wall-clock", "now")
	if s, ns := g.u64(retArea), g.u32(retArea+8); s != 1700000000 || ns != 123456789 {
		t.Errorf("wall-clock now = %d.%09d", s, ns)
	}
	a := g.must(ifMono, "now")[0]
	time.Sleep(time.Millisecond)
	if b := g.must(ifMono, "now")[0]; b <= a {
		t.Errorf("monotonic clock went from %d to %d", a, b)
	}
	if r := g.must(ifMono, "resolution")[0]; r == 0 {
		t.Error("resolution 0")
	}
}

func TestRandom(t *testing.T) {
	src := bytes.Repeat([]byte{0xab}, 5+8+16)
	g := newGuest(t, Config{Random: bytes.NewReader(src)})
	g.must("wasi:random/random", "get-random-bytes", 5)
	if got := g.bytesAt(retArea); !bytes.Equal(got, src[:5]) {
		t.Errorf("random bytes %x", got)
	}
	if v := g.must("wasi:random/insecure", "get-insecure-random-u64")[0]; v != 0xabababababababab {
		t.Errorf("insecure u64 %x", v)
	}
	g.must("wasi:random/insecure-seed", "insecure-seed")
	if g.u64(retArea) != 0xabababababababab || g.u64(retArea+8) != 0xabababababababab {
		t.Errorf("seed %x %x", g.u64(retArea), g.u64(retArea+8))
	}
	if _, err := g.call("wasi:random/random", "get-random-bytes", maxRandomBytes+1); err == nil || !strings.Contains(err.Error(), "get-random-bytes") {
		t.Errorf("oversized request: %v", err)
	}
	// The reader is exhausted now: a trap, not garbage.
	if _, err := g.call("wasi:random/random", "get-random-u64"); err == nil {
		t.Error("exhausted random source gave no error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("log is full") }

func TestOutputStreams(t *testing.T) {
	var out bytes.Buffer
	g := newGuest(t, Config{Stdout: &out, Stderr: failWriter{}})
	h := g.must("wasi:cli/stdout", "get-stdout")[0]
	g.must(ifStreams, "[method]output-stream.check-write", h)
	if g.u8(retArea) != 0 || g.u64(retArea+8) != writePermit {
		t.Fatalf("check-write: case %d permit %d", g.u8(retArea), g.u64(retArea+8))
	}
	for _, fn := range []string{"[method]output-stream.write", "[method]output-stream.blocking-write-and-flush"} {
		p, n := g.put([]byte("hi "))
		g.must(ifStreams, fn, h, p, n)
		if g.u8(retArea) != 0 {
			t.Fatalf("%s: result case %d", fn, g.u8(retArea))
		}
	}
	g.must(ifStreams, "[method]output-stream.blocking-flush", h)
	if out.String() != "hi hi " {
		t.Errorf("stdout %q", out.String())
	}

	e := g.must("wasi:cli/stderr", "get-stderr")[0]
	p, n := g.put([]byte("x"))
	g.must(ifStreams, "[method]output-stream.write", e, p, n)
	// result<_, stream-error>: err at 0, last-operation-failed (case 0) at 4, error handle at 8
	if g.u8(retArea) != 1 || g.u8(retArea+4) != 0 {
		t.Fatalf("failed write: result %d case %d", g.u8(retArea), g.u8(retArea+4))
	}
	errH := g.u32(retArea + 8)
	g.must("wasi:io/error", "[method]error.to-debug-string", uint64(errH))
	if msg := string(g.bytesAt(retArea)); msg != "log is full" {
		t.Errorf("to-debug-string %q", msg)
	}
	g.must(ifStreams, "[method]output-stream.write", e, p, n)
	if g.u8(retArea) != 1 || g.u8(retArea+4) != 1 {
		t.Errorf("write after failure: result %d case %d, want err(closed)", g.u8(retArea), g.u8(retArea+4))
	}
	if err := g.drop("wasi:io/error", "error", errH); err != nil {
		t.Error(err)
	}
}

func TestInputStream(t *testing.T) {
	g := newGuest(t, Config{Stdin: []byte("hello")})
	h := g.must("wasi:cli/stdin", "get-stdin")[0]
	want := []string{"hel", "lo"}
	for _, w := range want {
		g.must(ifStreams, "[method]input-stream.blocking-read", h, 3)
		if g.u8(retArea) != 0 || string(g.bytesAt(retArea+4)) != w {
			t.Fatalf("read: case %d %q, want %q", g.u8(retArea), g.bytesAt(retArea+4), w)
		}
	}
	g.must(ifStreams, "[method]input-stream.read", h, 3)
	if g.u8(retArea) != 1 || g.u8(retArea+4) != 1 {
		t.Errorf("read at end: result %d case %d, want err(closed)", g.u8(retArea), g.u8(retArea+4))
	}
	// stdin streams share the execution's stdin
	h2 := g.must("wasi:cli/stdin", "get-stdin")[0]
	g.must(ifStreams, "[method]input-stream.skip", h2, 10)
	if g.u8(retArea) != 1 {
		t.Errorf("skip at end: case %d", g.u8(retArea))
	}
}

func TestHandles(t *testing.T) {
	g := newGuest(t, Config{})
	out := g.must("wasi:cli/stdout", "get-stdout")[0]
	pl := g.must(ifStreams, "[method]output-stream.subscribe", out)[0]
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"wrong type", func() error {
			_, err := g.call(ifStreams, "[method]output-stream.check-write", pl)
			return err
		}, "is a pollable, not a output-stream"},
		{"never created", func() error {
			_, err := g.call(ifStreams, "[method]output-stream.check-write", 999)
			return err
		}, "handle 999 is not valid"},
		{"zero", func() error { return g.drop(ifStreams, "output-stream", 0) }, "handle 0 is not valid"},
		{"drop wrong type", func() error { return g.drop(ifPoll, "pollable", uint32(out)) }, "is a output-stream, not a pollable"},
		{"drop", func() error { return g.drop(ifPoll, "pollable", uint32(pl)) }, ""},
		{"dropped", func() error { return g.drop(ifPoll, "pollable", uint32(pl)) }, "already dropped"},
		{"names the function", func() error {
			_, err := g.call(ifPoll, "[method]pollable.ready", pl)
			return err
		}, "wasi:io/poll#[method]pollable.ready"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	// Freed slots are reused; the table is bounded.
	for i := range MaxHandles + 1 {
		if _, err := g.call(ifMono, "subscribe-duration", 1); err != nil {
			if i < MaxHandles-1 || !strings.Contains(err.Error(), "too many open resources") {
				t.Fatalf("pollable %d: %v", i, err)
			}
			return
		}
	}
	t.Fatal("no limit on handles")
}

func TestPoll(t *testing.T) {
	g := newGuest(t, Config{})
	ready := g.must(ifStreams, "[method]output-stream.subscribe", g.must("wasi:cli/stdout", "get-stdout")[0])[0]
	timer := g.must(ifMono, "subscribe-duration", uint64(30*time.Millisecond))[0]
	later := g.must(ifMono, "subscribe-duration", uint64(time.Hour))[0]
	list := func(hs ...uint64) (uint64, uint64) {
		b := make([]byte, 4*len(hs))
		for i, h := range hs {
			b[4*i] = byte(h)
		}
		p, _ := g.put(b)
		return p, uint64(len(hs))
	}
	indices := func() []uint32 {
		n := g.u32(retArea + 4)
		out := make([]uint32, n)
		for i := range out {
			out[i] = g.u32(g.u32(retArea) + uint32(4*i))
		}
		return out
	}
	p, n := list(timer, ready, later)
	g.must(ifPoll, "poll", p, n)
	if got := indices(); len(got) != 1 || got[0] != 1 {
		t.Errorf("poll with a ready stream: %v", got)
	}
	start := time.Now()
	p, n = list(later, timer)
	g.must(ifPoll, "poll", p, n)
	if got := indices(); len(got) != 1 || got[0] != 1 || time.Since(start) < 20*time.Millisecond {
		t.Errorf("poll on a timer: %v after %v", got, time.Since(start))
	}
	if g.must(ifPoll, "[method]pollable.ready", timer)[0] != 1 || g.must(ifPoll, "[method]pollable.ready", later)[0] != 0 {
		t.Error("ready")
	}
	// A cancelled context stops a poll that would wait an hour.
	ctx, cancel := context.WithTimeout(g.ctx, 20*time.Millisecond)
	defer cancel()
	g.ctx = ctx
	p, n = list(later)
	_, err := g.call(ifPoll, "poll", p, n)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("poll under a deadline: %v", err)
	}
	if _, err := g.call(ifPoll, "[method]pollable.block", later); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("block under a deadline: %v", err)
	}
	if _, err := g.call(ifPoll, "poll", 0, 0); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("poll of nothing: %v", err)
	}
}

func TestExit(t *testing.T) {
	tests := []struct {
		fn   string
		arg  uint64
		code uint32
	}{
		{"exit", 0, 0},
		{"exit", 1, 1},
		{"exit-with-code", 3, 3},
	}
	for _, tt := range tests {
		g := newGuest(t, Config{})
		_, err := g.call("wasi:cli/exit", tt.fn, tt.arg)
		code, ok := ExitCode(err)
		if !ok || code != tt.code {
			t.Errorf("%s(%d): %v (code %d, %v), want exit code %d", tt.fn, tt.arg, err, code, ok, tt.code)
		}
	}
	if _, ok := ExitCode(errors.New("trap")); ok {
		t.Error("a trap is not an exit")
	}
}

func TestTerminalsAbsent(t *testing.T) {
	g := newGuest(t, Config{})
	for _, ifc := range []string{"stdin", "stdout", "stderr"} {
		g.mem.b[retArea] = 0xff
		g.must("wasi:cli/terminal-"+ifc, "get-terminal-"+ifc)
		if g.u8(retArea) != 0 {
			t.Errorf("terminal-%s: case %d, want none", ifc, g.u8(retArea))
		}
	}
}

func TestClosedState(t *testing.T) {
	g := newGuest(t, Config{})
	g.s.Close()
	if _, err := g.call("wasi:cli/stdout", "get-stdout"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("after Close: %v", err)
	}
	g.ctx = context.Background()
	if _, err := g.call("wasi:cli/stdout", "get-stdout"); err == nil || !strings.Contains(err.Error(), "WithState") {
		t.Errorf("without a state: %v", err)
	}
}

func fn(results ...*component.Type) *component.Type {
	t := &component.Type{Kind: component.KindFunc}
	for _, r := range results {
		t.Results = append(t.Results, component.Field{Type: r})
	}
	return t
}

func TestResolve(t *testing.T) {
	u64 := &component.Type{Kind: component.KindU64}
	u32 := &component.Type{Kind: component.KindU32}
	lower := func(imp, f string, ty *component.Type) *component.HostFunc {
		return &component.HostFunc{Kind: component.CoreFuncLower, Import: imp, Func: f, Type: ty}
	}
	nowSig := component.CoreFuncType{Results: []byte{i64}}
	tests := []struct {
		name   string
		h      *component.HostFunc
		sig    component.CoreFuncType
		ok     bool
		errHas string
	}{
		{"served 0.2.0", lower("wasi:clocks/monotonic-clock@0.2.0", "now", fn(u64)), nowSig, true, ""},
		{"served 0.2.12", lower("wasi:clocks/monotonic-clock@0.2.12", "now", fn(u64)), nowSig, true, ""},
		{"not wasi", lower("host", "log", fn()), component.CoreFuncType{}, false, ""},
		{"keyvalue is the caller's", lower("wasi:keyvalue/store@0.2.0-draft2", "open", fn()), component.CoreFuncType{}, false, ""},
		{"sockets", lower("wasi:sockets/tcp@0.2.0", "x", fn()), component.CoreFuncType{}, true, "wasi:sockets/tcp@0.2.0"},
		{"tls", lower("wasi:tls/types@0.2.0-draft", "x", fn()), component.CoreFuncType{}, true, "refused"},
		{"http", lower("wasi:http/outgoing-handler@0.2.0", "handle", fn()), component.CoreFuncType{}, true, "wasi:http/outgoing-handler@0.2.0#handle"},
		{"0.3", lower("wasi:clocks/monotonic-clock@0.3.0", "now", fn(u64)), nowSig, true, "version 0.3.0"},
		{"pre-release", lower("wasi:clocks/monotonic-clock@0.2.0-rc-2023-11-10", "now", fn(u64)), nowSig, true, "not supported"},
		{"unversioned", lower("wasi:clocks/monotonic-clock", "now", fn(u64)), nowSig, true, "unversioned"},
		{"unknown interface", lower("wasi:clocks/timezone@0.2.0", "display", fn()), component.CoreFuncType{}, true, "interface not implemented"},
		{"unknown function", lower("wasi:clocks/monotonic-clock@0.2.0", "later", fn(u64)), nowSig, true, "function not implemented"},
		{"wrong type", lower("wasi:clocks/monotonic-clock@0.2.0", "now", fn(u32)), component.CoreFuncType{Results: []byte{i32}}, true, "want u64"},
		{"wrong core signature", lower("wasi:clocks/monotonic-clock@0.2.0", "now", fn(u64)), component.CoreFuncType{Results: []byte{i32}}, true, "core signature"},
		{"no memory", lower("wasi:clocks/wall-clock@0.2.0", "now", fn(&component.Type{Kind: component.KindRecord, Fields: []component.Field{{Name: "seconds", Type: u64}, {Name: "nanoseconds", Type: u32}}})),
			component.CoreFuncType{Params: []byte{i32}}, true, "no memory option"},
		{"resource drop", &component.HostFunc{Kind: component.CoreFuncResourceDrop, Import: "wasi:io/poll@0.2.3", Func: "[resource-drop]pollable"}, component.CoreFuncType{Params: []byte{i32}}, true, ""},
		{"drop of another interface's resource", &component.HostFunc{Kind: component.CoreFuncResourceDrop, Import: "wasi:io/poll@0.2.3", Func: "[resource-drop]output-stream"}, component.CoreFuncType{Params: []byte{i32}}, true, "no resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			impl, ok, err := Resolve(tt.h, tt.sig)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (err %v)", ok, tt.ok, err)
			}
			if tt.errHas == "" {
				if err != nil {
					t.Fatal(err)
				}
				if ok && impl == nil {
					t.Fatal("no implementation")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errHas)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	u64 := &component.Type{Kind: component.KindU64}
	imp := func(name string, funcs ...component.Extern) component.ImportInfo {
		return component.ImportInfo{Name: name, Kind: component.ExternInstance, Funcs: funcs}
	}
	now := component.Extern{Name: "now", Kind: component.ExternFunc, Type: fn(u64)}
	tests := []struct {
		name    string
		imports []component.ImportInfo
		errHas  string
	}{
		{"none", nil, ""},
		{"served and foreign", []component.ImportInfo{imp("wasi:clocks/monotonic-clock@0.2.9", now), imp("host"), imp("wasi:keyvalue/store@0.2.0-draft2")}, ""},
		{"sockets", []component.ImportInfo{imp("wasi:clocks/monotonic-clock@0.2.0", now), imp("wasi:sockets/tcp@0.2.0")}, "wasi:sockets/tcp@0.2.0"},
		{"missing function", []component.ImportInfo{imp("wasi:clocks/monotonic-clock@0.2.0", component.Extern{Name: "tomorrow", Type: fn(u64)})}, "tomorrow: function not implemented"},
		{"bad type", []component.ImportInfo{imp("wasi:clocks/monotonic-clock@0.2.0", component.Extern{Name: "now", Type: fn()})}, "0 results"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.imports)
			if tt.errHas == "" && err != nil || tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)) {
				t.Fatalf("Check = %v, want %q", err, tt.errHas)
			}
		})
	}
}
