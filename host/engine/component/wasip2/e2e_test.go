package wasip2

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// repoRoot is the folder holding go.mod, found upwards from the test's
// working directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's working directory")
		}
		dir = up
	}
}

// builtComponent reads bin/components/<name>.wasm, or skips (fails with
// WAVS_REQUIRE_COMPONENTS=1) when it has not been built.
func builtComponent(t *testing.T, name string) []byte {
	t.Helper()
	path := filepath.Join(repoRoot(t), "bin", "components", name+".wasm")
	b, err := os.ReadFile(path)
	if err != nil {
		msg := fmt.Sprintf("%s not built (run `make wasm-components` at the repo root): %v", path, err)
		if os.Getenv("WAVS_REQUIRE_COMPONENTS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return b
}

type sample struct {
	Name    string                     `json:"name"`
	Trigger map[string]json.RawMessage `json:"trigger"`
	Config  map[string]string          `json:"config"`
	Payload string                     `json:"payload"`
	Salt    string                     `json:"salt"`
}

type samplesFile struct {
	Service struct {
		ID, Name, WorkflowID string
	} `json:"service"`
	Samples []sample `json:"samples"`
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatalf("hex %q: %v", s, err)
	}
	return b
}

// fakeHost serves the WAVS host interface and wasi:keyvalue with fixed
// answers, over the component's own types.
type fakeHost struct {
	cv      converter
	service string
	flow    string

	mu     sync.Mutex
	config map[string]string
	logs   []string
	kv     map[string][]byte
}

func (f *fakeHost) resolve(stubHTTP bool) component.HostResolver {
	return func(h *component.HostFunc, sig component.CoreFuncType) (component.HostImpl, error) {
		impl, ok, err := Resolve(h, sig)
		if err != nil && stubHTTP && strings.HasPrefix(h.Import, "wasi:http/") {
			// componentize-js imports wasi:http/types even with fetch
			// disabled; square-js never calls it.
			return func(context.Context, *component.HostCall, []uint64) {
				panic(fmt.Errorf("test: %s called", h))
			}, nil
		}
		if err != nil || ok {
			if impl != nil && os.Getenv("WASIP2_TRACE") != "" {
				inner := impl
				impl = func(ctx context.Context, c *component.HostCall, st []uint64) {
					in := append([]uint64(nil), st...)
					inner(ctx, c, st)
					fmt.Printf("trace: %s %v -> %v\n", h, in, st)
				}
			}
			return impl, err
		}
		if h.Kind == component.CoreFuncResourceDrop {
			return func(context.Context, *component.HostCall, []uint64) {}, nil
		}
		ft := f.cv.fn(h.Type)
		return fakeImpl(ft, func(args []cabi.Value) []cabi.Value { return f.call(h, ft, args) }), nil
	}
}

func (f *fakeHost) call(h *component.HostFunc, ft *cabi.Func, args []cabi.Value) []cabi.Value {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]cabi.Value, len(ft.Results))
	for i, r := range ft.Results {
		out[i] = zero(r)
	}
	switch {
	case h.Import == "host" && h.Func == "config-var":
		if v, ok := f.config[args[0].(string)]; ok {
			out[0] = cabi.Some(v)
		}
	case h.Import == "host" && h.Func == "log":
		f.logs = append(f.logs, args[1].(string))
	case h.Import == "host" && h.Func == "get-service":
		out[0] = set(ft.Results[0], out[0], []string{"service", "name"}, f.service)
		out[0] = set(ft.Results[0], out[0], []string{"workflow-id"}, f.flow)
	case h.Import == "host" && h.Func == "get-event-id":
		id := make([]byte, 20)
		if o := args[0].(cabi.Option); o.Some {
			copy(id, o.Value.([]byte))
		}
		out[0] = id
	case strings.HasPrefix(h.Import, "wasi:keyvalue/store@") && h.Func == "open":
		out[0] = cabi.Ok(cabi.Handle(1))
	case strings.HasPrefix(h.Import, "wasi:keyvalue/store@") && h.Func == "[method]bucket.set":
		f.kv[args[1].(string)] = append([]byte(nil), args[2].([]byte)...)
	}
	return out
}

// triggerAction builds the trigger-action of s on the run export's type.
func triggerAction(t *testing.T, ty *cabi.Type, svc, flow string, s sample) cabi.Value {
	v := zero(ty)
	v = set(ty, v, []string{"config", "service-id"}, svc)
	v = set(ty, v, []string{"config", "workflow-id"}, flow)
	var fields map[string]string
	for kind, raw := range s.Trigger {
		if kind == "raw" {
			var h string
			if err := json.Unmarshal(raw, &h); err != nil {
				t.Fatal(err)
			}
			return set(ty, v, []string{"data", "raw"}, unhex(t, h))
		}
		if err := json.Unmarshal(raw, &fields); err != nil {
			var any map[string]any
			_ = json.Unmarshal(raw, &any)
			fields = map[string]string{}
			for k, x := range any {
				if s, ok := x.(string); ok {
					fields[k] = s
				}
			}
		}
		num := func(k string) uint64 {
			n, err := strconv.ParseUint(fields[k], 10, 64)
			if err != nil {
				t.Fatalf("%s: %s: %v", s.Name, k, err)
			}
			return n
		}
		switch kind {
		case "evm-contract-event":
			v = set(ty, v, []string{"data", "evm-contract-event", "chain"}, fields["chain"])
			return set(ty, v, []string{"data", "evm-contract-event", "log", "data", "data"}, unhex(t, fields["data"]))
		case "block-interval":
			v = set(ty, v, []string{"data", "block-interval", "chain"}, fields["chain"])
			return set(ty, v, []string{"data", "block-interval", "block-height"}, num("blockHeight"))
		case "cron":
			return set(ty, v, []string{"data", "cron", "trigger-time", "nanos"}, num("nanos"))
		}
		t.Fatalf("%s: trigger %s not handled by the test", s.Name, kind)
	}
	t.Fatalf("%s: no trigger", s.Name)
	return nil
}

func TestEndToEndSquare(t *testing.T) {
	for _, name := range []string{"square-go", "square-js"} {
		t.Run(name, func(t *testing.T) { runSquare(t, name) })
	}
}

func runSquare(t *testing.T, name string) {
	wasm := builtComponent(t, name)
	var sf samplesFile
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "components", "wavs", "samples.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sf); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := component.Parse(wasm)
	if err != nil {
		t.Fatal(err)
	}
	m, err := component.Resolve(c)
	if err != nil {
		t.Fatal(err)
	}
	// square-js imports wasi:http/types (componentize-js always does):
	// bound, trapping if called, so both load.
	if err := Check(m.Imports); err != nil {
		t.Fatalf("Check: %v", err)
	}
	stubHTTP := false
	run, ok := m.Export("run")
	if !ok || run.Func == nil {
		t.Fatal("no run export")
	}
	host := &fakeHost{cv: converter{}, service: sf.Service.Name, flow: sf.Service.WorkflowID, kv: map[string][]byte{}}
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	cc, err := component.Compile(ctx, rt, m, host.resolve(stubHTTP))
	if err != nil {
		t.Fatal(err)
	}
	ft := host.cv.fn(run.Func.Type)
	for _, s := range sf.Samples {
		t.Run(s.Name, func(t *testing.T) {
			host.mu.Lock()
			host.config = s.Config
			host.mu.Unlock()
			var stdout, stderr bytes.Buffer
			st := NewState(Config{Stdout: &stdout, Stderr: &stderr})
			defer st.Close()
			ctx := WithState(ctx, st)
			x, err := cc.Instantiate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close(ctx)
			resp, err := callRun(ctx, x, run.Func, ft, triggerAction(t, ft.Params[0].Type, sf.Service.ID, sf.Service.WorkflowID, s))
			if err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
			}
			r := resp.(cabi.Result)
			if r.IsErr {
				t.Fatalf("run returned err(%q)", r.Value)
			}
			list := r.Value.([]cabi.Value)
			if len(list) != 1 {
				t.Fatalf("%d responses, want 1", len(list))
			}
			wr := list[0].(cabi.Record)
			if got, want := wr.Fields[0].([]byte), unhex(t, s.Payload); !bytes.Equal(got, want) {
				t.Errorf("payload %x\nwant    %x", got, want)
			}
			if stderr.Len() > 0 {
				t.Logf("stderr: %s", stderr.String())
			}
			salt := wr.Fields[2].(cabi.Option)
			if !salt.Some || !bytes.Equal(salt.Value.([]byte), unhex(t, s.Salt)) {
				t.Errorf("salt %+v, want %s", salt, s.Salt)
			}
		})
	}
	host.mu.Lock()
	defer host.mu.Unlock()
	if len(host.logs) == 0 || !strings.Contains(host.logs[0], sf.Service.Name) {
		t.Errorf("host logs: %q", host.logs)
	}
	if _, ok := host.kv["last/"+sf.Service.WorkflowID]; !ok {
		t.Errorf("key-value writes: %v", host.kv)
	}
}

// callRun lowers the trigger-action, calls run and lifts its result.
func callRun(ctx context.Context, x *component.Execution, run *component.LiftedFunc, ft *cabi.Func, action cabi.Value) (cabi.Value, error) {
	g := &cabi.Guest{Memory: x.Memory(run.Options)}
	if r := run.Options.Realloc; r != nil {
		g.Realloc = cabi.WazeroRealloc(x.Module(r.Instance).ExportedFunction(r.Name))
	}
	params, err := g.LowerParams(ctx, ft, []cabi.Value{action})
	if err != nil {
		return nil, err
	}
	res, err := x.Call(ctx, run, params...)
	if err != nil {
		return nil, err
	}
	vals, err := g.LiftResults(ft, res)
	if err != nil {
		return nil, err
	}
	if err := x.CallPostReturn(ctx, run, res); err != nil {
		return nil, err
	}
	return vals[0], nil
}
