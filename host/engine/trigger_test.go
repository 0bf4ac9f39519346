package engine

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

func h32(b byte) (h sdk.Hash) {
	h[31] = b
	return h
}

func sampleTriggers() map[string]Trigger {
	return map[string]Trigger{
		"evm": {EvmLog: &sdk.EvmLog{
			Chain: "evm:31337", Address: sdk.Address{19: 0xab}, Topics: []sdk.Hash{h32(1), h32(2)}, Data: []byte{0xde, 0xad},
			BlockNumber: 12, BlockHash: h32(3), TxHash: h32(4), TxIndex: 5, LogIndex: 6, BlockTimestamp: 1_700_000_123,
		}},
		"evm no topics no data": {EvmLog: &sdk.EvmLog{Chain: "evm:1", Data: []byte{}}},
		"block":                 {Block: &sdk.BlockTick{Chain: "evm:1", BlockNumber: 1 << 40, BlockHash: h32(9)}},
		"cron":                  {Cron: &sdk.CronTick{Time: time.Unix(0, 1_700_000_000_123_456_789).UTC()}},
		"cron before 1970":      {Cron: &sdk.CronTick{Time: time.Unix(0, -5).UTC()}},
		"raw":                   {Raw: []byte("hello")},
		"raw empty":             {Raw: []byte{}},
	}
}

func TestTriggerJSONRoundTrip(t *testing.T) {
	for name, tr := range sampleTriggers() {
		t.Run(name, func(t *testing.T) {
			b, err := tr.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseTriggerJSON(b)
			if err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			if !reflect.DeepEqual(got, tr) {
				t.Fatalf("%s decoded to %+v, want %+v", b, got, tr)
			}
		})
	}
}

func TestTriggerJSONIsTheABI(t *testing.T) {
	tr := sampleTriggers()["evm"]
	b, _ := tr.MarshalJSON()
	want := `{"evm_contract_event":{"chain":"evm:31337","address":"0x00000000000000000000000000000000000000ab",` +
		`"topics":["0x` + strings.Repeat("0", 62) + `01","0x` + strings.Repeat("0", 62) + `02"],"data":"0xdead","block_number":12,` +
		`"block_hash":"0x` + strings.Repeat("0", 62) + `03","tx_hash":"0x` + strings.Repeat("0", 62) + `04","tx_index":5,"log_index":6,"block_timestamp":1700000123}}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

func TestParseTriggerJSONErrors(t *testing.T) {
	hash := `"0x` + strings.Repeat("00", 32) + `"`
	tests := []struct{ in, msg string }{
		{`{}`, "exactly one"},
		{`null`, "exactly one"},
		{`{"raw":{"data":"0x"},"cron":{"unix_nano":1}}`, "got 2"},
		{`{"raw":{}}`, "raw.data is missing"},
		{`{"raw":{"data":"abcd"}}`, "not 0x-prefixed"},
		{`{"raw":{"data":"0xabc"}}`, "odd length"},
		{`{"raw":{"data":"0xzz"}}`, "invalid byte"},
		{`{"raw":{"data":"0x","extra":1}}`, "unknown field"},
		{`{"timer":{}}`, "unknown field"},
		{`{"raw":{"data":"0x"}} {}`, "data after"},
		{`{"block_interval":{"chain":"evm:1","block_number":1,"block_hash":"0x00"}}`, "block_hash has 1 bytes, want 32"},
		{`{"block_interval":{"chain":"","block_number":1,"block_hash":` + hash + `}}`, "chain is empty"},
		{`{"block_interval":{"chain":"evm:1","block_number":-1,"block_hash":` + hash + `}}`, "cannot unmarshal"},
		{`{"evm_contract_event":{"chain":"evm:1","address":"0x00","topics":[],"data":"0x","block_hash":` + hash + `,"tx_hash":` + hash + `}}`, "address has 1 bytes, want 20"},
		{`{"cron":{"unix_nano":"1"}}`, "cannot unmarshal"},
	}
	for _, tt := range tests {
		_, err := ParseTriggerJSON([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseTriggerJSON(%s) = %v, want an error mentioning %q", tt.in, err, tt.msg)
		}
	}
}

func TestDecodeOutput(t *testing.T) {
	tests := []struct {
		in   string
		want []Response
		err  string
	}{
		{`{"responses":[]}`, []Response{}, ""},
		{`{"responses":[{"payload":"0x01"},{"payload":"0x","event_id_salt":"0xff"}]}` + "\n", []Response{{Payload: []byte{1}}, {Payload: []byte{}, EventIDSalt: []byte{0xff}}}, ""},
		{`{"responses":[{"payload":"0x01","event_id_salt":"0x"}]}`, []Response{{Payload: []byte{1}}}, ""},
		{`{"error":"nope"}`, nil, "nope"},
		{`{"error":""}`, nil, "empty error message"},
		{``, nil, "no output"},
		{`{}`, nil, "neither"},
		{`{"responses":null}`, nil, "neither"},
		{`{"responses":[],"error":"x"}`, nil, "both"},
		{`{"responses":[{}]}`, nil, "responses[0] has no payload"},
		{`{"responses":[{"payload":"01"}]}`, nil, "not 0x-prefixed"},
		{`{"responses":[{"payload":"0x01","salt":"0x01"}]}`, nil, "unknown field"},
		{`{"reponses":[]}`, nil, "unknown field"},
		{`{"responses":[]}{"responses":[]}`, nil, "data after"},
		{`hello`, nil, "not ABI v1"},
	}
	for _, tt := range tests {
		got, err := decodeOutput([]byte(tt.in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("decodeOutput(%q) = %v, want an error mentioning %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("decodeOutput(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}
