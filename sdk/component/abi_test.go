package component

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func bytesOf(n int, last byte) []byte {
	b := make([]byte, n)
	b[n-1] = last
	return b
}

// The input as the host writes it (docs/components.md), one per trigger
// kind, and what DecodeInput makes of it.
func TestDecodeInput(t *testing.T) {
	h := func(n int, last string) string { return "0x" + strings.Repeat("0", 2*n-len(last)) + last }
	head := `{"abi":1,"service_id":"` + strings.Repeat("a", 64) + `","workflow_id":"wf","config":{"k":"v"},` +
		`"chains":{"evm:31337":{"chain_id":"31337","http_endpoint":"http://127.0.0.1:8545","ws_endpoints":["ws://127.0.0.1:8546"]}},"trigger":`
	base := Input{
		ABI: 1, ServiceID: strings.Repeat("a", 64), WorkflowID: "wf", Config: map[string]string{"k": "v"},
		Chains: map[string]Chain{"evm:31337": {ChainID: "31337", HTTPEndpoint: "http://127.0.0.1:8545", WSEndpoints: []string{"ws://127.0.0.1:8546"}}},
	}
	tests := []struct {
		name    string
		trigger string
		want    Trigger
	}{
		{"evm", `{"evm_contract_event":{"chain":"evm:31337","address":"` + h(20, "ab") + `","topics":["` + h(32, "01") + `"],"data":"0xdead",` +
			`"block_number":12,"block_hash":"` + h(32, "02") + `","tx_hash":"` + h(32, "03") + `","tx_index":1,"log_index":2,"block_timestamp":1700000000}}`,
			Trigger{EvmLog: &EvmLog{Chain: "evm:31337", Address: bytesOf(20, 0xab), Topics: [][]byte{bytesOf(32, 1)}, Data: []byte{0xde, 0xad},
				BlockNumber: 12, BlockHash: bytesOf(32, 2), TxHash: bytesOf(32, 3), TxIndex: 1, LogIndex: 2, BlockTimestamp: 1_700_000_000}}},
		{"block", `{"block_interval":{"chain":"evm:1","block_number":7,"block_hash":"` + h(32, "02") + `"}}`,
			Trigger{Block: &BlockTick{Chain: "evm:1", BlockNumber: 7, BlockHash: bytesOf(32, 2)}}},
		{"cron", `{"cron":{"unix_nano":1700000000000000001}}`, Trigger{Cron: &CronTick{UnixNano: 1700000000000000001}}},
		{"raw", `{"raw":{"data":"0x0001ff"}}`, Trigger{Raw: []byte{0, 1, 0xff}}},
		{"raw empty", `{"raw":{"data":"0x"}}`, Trigger{Raw: []byte{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := head + tt.trigger + `}`
			in, err := DecodeInput([]byte(raw))
			if err != nil {
				t.Fatal(err)
			}
			want := base
			want.Trigger = tt.want
			if !reflect.DeepEqual(in, want) {
				t.Fatalf("got  %+v\nwant %+v", in, want)
			}
			// EncodeInput gives the same JSON back.
			enc, err := EncodeInput(in)
			if err != nil {
				t.Fatal(err)
			}
			var a, b any
			json.Unmarshal(enc, &a)
			json.Unmarshal([]byte(raw), &b)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("encoded again:\n got %s\nwant %s", enc, raw)
			}
		})
	}
	if got := (CronTick{UnixNano: 1e9}).Time().Unix(); got != 1 {
		t.Errorf("CronTick.Time: %d", got)
	}
}

func TestDecodeInputErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{`{"abi":2,"trigger":{"raw":{"data":"0x"}}}`, "ABI 2"},
		{`{"abi":1,"trigger":{}}`, "0 kinds"},
		{`{"abi":1,"trigger":{"raw":{"data":"0x"},"cron":{"unix_nano":1}}}`, "2 kinds"},
		{`{"abi":1,"trigger":{"raw":{"data":"zz"}}}`, "0x-prefixed"},
		{`not json`, "decode input"},
	}
	for _, tt := range tests {
		if _, err := DecodeInput([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("DecodeInput(%s) = %v, want an error mentioning %q", tt.in, err, tt.msg)
		}
	}
	// Fields a later host may add are ignored.
	if _, err := DecodeInput([]byte(`{"abi":1,"new_field":1,"trigger":{"raw":{"data":"0x"}}}`)); err != nil {
		t.Errorf("unknown field: %v", err)
	}
}

func TestEncodeOutput(t *testing.T) {
	tests := []struct {
		resps []Response
		err   error
		want  string
	}{
		{nil, nil, `{"responses":[]}`},
		{[]Response{{Payload: []byte{1, 2}}, {Payload: nil, EventIDSalt: []byte{0xff}}}, nil, `{"responses":[{"payload":"0x0102"},{"payload":"0x","event_id_salt":"0xff"}]}`},
		{[]Response{{Payload: []byte{1}}}, errors.New(`bad "thing"`), `{"error":"bad \"thing\""}`},
		{nil, errors.New(""), `{"error":"error"}`},
	}
	for _, tt := range tests {
		if got := string(EncodeOutput(tt.resps, tt.err)); got != tt.want {
			t.Errorf("EncodeOutput(%v, %v) = %s, want %s", tt.resps, tt.err, got, tt.want)
		}
	}
}

// Outside wasip1 the host functions fail cleanly.
func TestNoHostOutsideWasip1(t *testing.T) {
	if _, _, err := KVGet("k"); !errors.Is(err, ErrNoHost) {
		t.Errorf("KVGet: %v", err)
	}
	if err := KVSet("k", nil); !errors.Is(err, ErrNoHost) {
		t.Errorf("KVSet: %v", err)
	}
	if _, err := KVDelete("k"); !errors.Is(err, ErrNoHost) {
		t.Errorf("KVDelete: %v", err)
	}
	if _, err := HTTPGet(t.Context(), "https://example.com/"); !errors.Is(err, ErrNoHost) {
		t.Errorf("HTTPGet: %v", err)
	}
	Log(LevelInfo, "nowhere") // does nothing
	if err := KVSet("", nil); err == nil || errors.Is(err, ErrNoHost) {
		t.Errorf("an empty key should be refused before calling the host: %v", err)
	}
	if err := KVSet(strings.Repeat("k", MaxKeyBytes+1), nil); err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("a long key: %v", err)
	}
	if ErrNoHost.Error() != "component host functions are only available in a wasip1 build" {
		t.Errorf("ErrNoHost says %q", ErrNoHost)
	}
}
