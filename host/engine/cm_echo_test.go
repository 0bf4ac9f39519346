package engine

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
	"github.com/wavs-go/wavs/sdk"
)

// echoRunFunc is the canonical-ABI shape of echo-wat's run export, from
// the component's own types (the WIT wit-component embedded), as the
// engine derives it.
func echoRunFunc(t *testing.T, wasm []byte) *cabi.Func {
	t.Helper()
	c, err := component.Parse(wasm)
	if err != nil {
		t.Fatal(err)
	}
	m, err := component.Resolve(c)
	if err != nil {
		t.Fatal(err)
	}
	ex, ok := m.Export(runExport)
	if !ok || ex.Func == nil {
		t.Fatal("echo-wat exports no run")
	}
	f, err := newTypeConv().funcOf(ex.Func.Type)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// fieldIndex is the index of the field (or case) called name.
func fieldIndex(t *testing.T, typ *cabi.Type, name string) int {
	t.Helper()
	for i, f := range typ.Fields() {
		if f.Name == name {
			return i
		}
	}
	for i, c := range typ.Cases() {
		if c.Name == name {
			return i
		}
	}
	t.Fatalf("%s has no field or case %q", typ, name)
	return -1
}

// TestEchoWATLayout recomputes every offset echo.wat hard-codes (its
// header comment) from the built component's types: a WIT change that
// moves one fails here, not as a wrong payload.
func TestEchoWATLayout(t *testing.T) {
	f := echoRunFunc(t, wavsComponent(t, "echo-wat"))
	params, results := f.CoreSignature(cabi.Lift)
	if len(params) != 1 || params[0] != cabi.I32 || len(results) != 1 || results[0] != cabi.I32 {
		t.Errorf("run's core signature %v -> %v, want (i32) -> i32 (both spilled)", params, results)
	}
	action := f.Params[0].Type
	data := action.Fields()[fieldIndex(t, action, "data")].Type
	raw := fieldIndex(t, data, "raw")
	rawList := data.Cases()[raw].Type
	res := f.Results[0]
	resp := res.Cases()[0].Type.Elem()
	ordering := resp.Fields()[fieldIndex(t, resp, "ordering")].Type
	salt := resp.Fields()[fieldIndex(t, resp, "event-id-salt")].Type
	dataOff := action.FieldOffset(fieldIndex(t, action, "data"))
	for _, c := range []struct {
		what      string
		got, want uint32
	}{
		{"trigger-action align", action.Align(), 8},
		{"trigger-action size", action.Size(), 176},
		{"trigger-action.data offset (case byte)", dataOff, 72},
		{"trigger-data discriminant size", data.DiscriminantSize(), 1},
		{"trigger-data case raw", uint32(raw), 6},
		{"raw list ptr", dataOff + data.PayloadOffset(), 80},
		{"raw list len", dataOff + data.PayloadOffset() + 4, 84},
		{"raw payload is list<u8>", boolU32(rawList.Kind() == cabi.KindList && rawList.Elem().Kind() == cabi.KindU8), 1},
		{"return area align", res.Align(), 4},
		{"return area size", res.Size(), 12},
		{"result discriminant size", res.DiscriminantSize(), 1},
		{"result error case", uint32(fieldIndex(t, res, "error")), 1},
		{"result payload (ptr) offset", res.PayloadOffset(), 4},
		{"error is a string", boolU32(res.Cases()[1].Type.Kind() == cabi.KindString), 1},
		{"wasm-response align", resp.Align(), 8},
		{"wasm-response size", resp.Size(), 40},
		{"payload offset", resp.FieldOffset(fieldIndex(t, resp, "payload")), 0},
		{"ordering offset (case byte)", resp.FieldOffset(fieldIndex(t, resp, "ordering")), 8},
		{"ordering's u64", resp.FieldOffset(fieldIndex(t, resp, "ordering")) + ordering.PayloadOffset(), 16},
		{"event-id-salt offset (case byte)", resp.FieldOffset(fieldIndex(t, resp, "event-id-salt")), 24},
		{"event-id-salt's list", resp.FieldOffset(fieldIndex(t, resp, "event-id-salt")) + salt.PayloadOffset(), 28},
		{"option none case", uint32(fieldIndex(t, salt, "none")), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, echo.wat uses %d", c.what, c.got, c.want)
		}
	}
}

func boolU32(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// TestEchoComponent runs echo-wat through Engine.Execute: a raw trigger
// comes back byte for byte as the one response's payload, with no
// ordering and no salt; every other trigger is the component's own error.
func TestEchoComponent(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{KV: &testKV{m: map[string][]byte{}}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	d, err := e.AddComponent(ctx, wavsComponent(t, "echo-wat"))
	if err != nil {
		t.Fatalf("AddComponent: %v", err)
	}
	big := bytes.Repeat([]byte{0, 1, 2, 0xfe, 0xff}, 60_000) // 300 kB: the module's memory grows from 1 page
	for _, in := range [][]byte{[]byte("hello, wavs"), {}, {0}, big} {
		resps, err := e.Execute(ctx, Request{Digest: d, ServiceID: hostileSID, WorkflowID: "default",
			Trigger: Trigger{Raw: in}, TimeLimit: time.Minute})
		if err != nil {
			t.Fatalf("raw %d bytes: %v", len(in), err)
		}
		if len(resps) != 1 {
			t.Fatalf("raw %d bytes: %d responses, want 1", len(in), len(resps))
		}
		if r := resps[0]; !bytes.Equal(r.Payload, in) || r.Ordering != nil || r.EventIDSalt != nil {
			t.Errorf("raw %d bytes: payload %d bytes (equal: %v), ordering %v, salt %x; want the input, none, none",
				len(in), len(r.Payload), bytes.Equal(r.Payload, in), r.Ordering, r.EventIDSalt)
		}
	}
	for name, trig := range map[string]Trigger{
		"evm-log": {EvmLog: &sdk.EvmLog{Chain: "evm:31337", Data: []byte("12"), BlockNumber: 12,
			Topics: []sdk.Hash{{1}}}},
		"block": {Block: &sdk.BlockTick{Chain: "evm:31337", BlockNumber: 100}},
		"cron":  {Cron: &sdk.CronTick{Time: time.Unix(1700000000, 0)}},
	} {
		_, err := e.Execute(ctx, Request{Digest: d, ServiceID: hostileSID, WorkflowID: "default",
			Trigger: trig, TimeLimit: time.Minute})
		var ee *ExecError
		if !errors.As(err, &ee) || ee.Cause != CauseComponent || !strings.HasSuffix(ee.Msg, ": echo-wat: only raw triggers") {
			t.Errorf("%s: %v, want a component error ending in the component's text", name, err)
		}
	}
}
