package component

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/sdk/component/abi"
)

// slowInput is the input as encoding/json decodes it.
func slowInput(b []byte) (abi.Input, error) {
	var j abi.Input
	err := json.NewDecoder(bytes.NewReader(b)).Decode(&j)
	return j, err
}

// fastPathInputs are inputs as a host writes them: the fast path must
// take every one.
func fastPathInputs(t testing.TB) [][]byte {
	b32 := bytes.Repeat([]byte{0xab}, 32)
	odd := "a&b<c>d \"quoted\" back\\slash\nnew\tline \u2028 é 漢 \x01 /"
	chains := map[string]Chain{
		"evm:1":     {ChainID: "1", HTTPEndpoint: "http://127.0.0.1:8545/?a=1&b=2", WSEndpoints: []string{"ws://x", "ws://y"}},
		"evm:31337": {ChainID: "31337"},
	}
	var out [][]byte
	for _, in := range []Input{
		{ServiceID: strings.Repeat("a", 64), WorkflowID: "wf", Trigger: Trigger{Raw: []byte("12")}},
		{ServiceID: "s", WorkflowID: odd, Trigger: Trigger{Raw: []byte{}}, Config: map[string]string{odd: odd, "k": "", "": "v"}, Chains: chains},
		{WorkflowID: "w", Trigger: Trigger{EvmLog: &EvmLog{Chain: "evm:1", Address: b32[:20], Topics: [][]byte{b32, b32}, Data: []byte{}, BlockNumber: math.MaxUint64,
			BlockHash: b32, TxHash: b32, TxIndex: math.MaxUint32, LogIndex: 7, BlockTimestamp: 1_700_000_000}}, Chains: chains},
		{Trigger: Trigger{EvmLog: &EvmLog{Chain: "evm:1"}}},
		{Trigger: Trigger{Block: &BlockTick{Chain: "evm:1", BlockNumber: 12, BlockHash: b32}}},
		{Trigger: Trigger{Cron: &CronTick{UnixNano: math.MinInt64}}},
		{Trigger: Trigger{Cron: &CronTick{UnixNano: 1_700_000_000_000_000_001}}},
	} {
		b, err := EncodeInput(in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	// Whitespace, key order, and ABI versions other than 1 (DecodeInput
	// refuses those after reading them).
	out = append(out,
		[]byte(" {\n\t\"trigger\" : { \"raw\" : { \"data\" : \"0xAB\" } } , \"abi\" : 1 , \"config\" : { } } \n"),
		[]byte(`{"abi":2,"trigger":{"raw":{"data":"0x"}}}`),
		[]byte(`{"abi":-3,"trigger":{}}`),
		[]byte(`{"abi":1,"trigger":{"raw":{"data":"0x"},"cron":{"unix_nano":-0}}}`),
	)
	return out
}

func TestFastPathTakesHostInputs(t *testing.T) {
	for _, b := range fastPathInputs(t) {
		fast, ok := parseInput(b)
		if !ok {
			t.Errorf("the fast path refused %s", b)
			continue
		}
		slow, err := slowInput(b)
		if err != nil {
			t.Fatalf("encoding/json refused %s: %v", b, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s:\nfast %+v\nslow %+v", b, fast, slow)
		}
	}
}

// TestFastPathDefers: what the fast path does not handle goes to
// encoding/json, which may accept it.
func TestFastPathDefers(t *testing.T) {
	for _, in := range []string{
		`{"ABI":1,"trigger":{"raw":{"data":"0x"}}}`,           // keys match case-insensitively
		`{"abi":1,"abi":1,"trigger":{"raw":{"data":"0x"}}}`,   // a key twice
		`{"abi":1,"new":[1,{"x":null}],"trigger":{"raw":{}}}`, // unknown fields
		`{"abi":1,"config":null,"trigger":{"raw":{}}}`,
		`{"abi":1.0,"trigger":{"raw":{}}}`,
		`{"abi":1,"service_id":"\ud83d\ude00","trigger":{"raw":{}}}`,   // a surrogate pair
		"{\"abi\":1,\"service_id\":\"\xff\",\"trigger\":{\"raw\":{}}}", // invalid UTF-8
		`{"abi":1,"trigger":{"cron":{"unix_nano":1,"extra":2}}}`,
		`not json`,
		``,
	} {
		if _, ok := parseInput([]byte(in)); ok {
			t.Errorf("the fast path took %q", in)
		}
	}
}

// FuzzDecodeInputFastPath: whatever the fast path accepts, encoding/json
// accepts and decodes to the same value.
func FuzzDecodeInputFastPath(f *testing.F) {
	for _, b := range fastPathInputs(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"abi":1,"trigger":{"raw":{"data":"0x"}}}trailing`))
	f.Add([]byte(`{"abi":01,"trigger":{"raw":{"data":"0x"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, ok := parseInput(b)
		if !ok {
			return
		}
		slow, err := slowInput(b)
		if err != nil {
			t.Fatalf("fast path took %q, encoding/json refuses it: %v", b, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q:\nfast %+v\nslow %+v", b, fast, slow)
		}
	})
}

func TestAppendOutputIsJSONMarshal(t *testing.T) {
	for _, resps := range [][]Response{
		nil,
		{},
		{{}},
		{{Payload: []byte{}}},
		{{Payload: []byte{0, 1, 0xff}, EventIDSalt: []byte("salt")}, {Payload: []byte("x"), EventIDSalt: []byte{}}},
	} {
		rs := make([]abi.Response, len(resps))
		for i, r := range resps {
			p := abi.Hex(r.Payload)
			if p == nil {
				p = abi.Hex{}
			}
			rs[i] = abi.Response{Payload: &p, EventIDSalt: r.EventIDSalt}
		}
		out := abi.Output{Responses: &rs}
		want, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendOutput(nil, resps); !bytes.Equal(got, want) {
			t.Errorf("appendOutput(%v) = %s, want %s", resps, got, want)
		}
	}
}
