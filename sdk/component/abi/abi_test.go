package abi

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestHex(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []byte
		wantErr string
	}{
		{in: `"0x"`, want: []byte{}},
		{in: `"0x00ff"`, want: []byte{0, 0xff}},
		{in: `"0xABcd"`, want: []byte{0xab, 0xcd}},
		{in: `"00ff"`, wantErr: "not 0x-prefixed"},
		{in: `"0x0"`, wantErr: "odd length"},
		{in: `"0xzz"`, wantErr: "invalid byte"},
		{in: `12`, wantErr: "want a 0x-prefixed hex string"},
		{in: `"` + strings.Repeat("z", 200) + `"`, wantErr: "..."},
	} {
		var h Hex
		err := json.Unmarshal([]byte(tc.in), &h)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want one with %q", tc.in, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.in, err)
		case h == nil || !bytes.Equal(h, tc.want):
			t.Errorf("%s: %#v, want %#v", tc.in, h, tc.want)
		}
	}
	out, err := json.Marshal(Hex{0xab, 0x01})
	if err != nil || string(out) != `"0xab01"` {
		t.Errorf("Marshal = %s, %v; want \"0xab01\"", out, err)
	}
}

// TestWireNames pins the ABI's field names (docs/components.md): a
// renamed field would break every component built before it.
func TestWireNames(t *testing.T) {
	p := Hex{1}
	in := Input{ABI: Version, ServiceID: "s", WorkflowID: "w", Config: map[string]string{}, Chains: map[string]Chain{"evm:1": {ChainID: "1", WSEndpoints: []string{}}},
		Trigger: Trigger{EvmLog: &EvmLog{Chain: "evm:1", Address: Hex{}, Topics: []Hex{}, Data: Hex{}, BlockHash: Hex{}, TxHash: Hex{}}}}
	for _, tc := range []struct {
		v    any
		want string
	}{
		{in, `{"abi":1,"service_id":"s","workflow_id":"w","trigger":{"evm_contract_event":{"chain":"evm:1","address":"0x","topics":[],"data":"0x","block_number":0,"block_hash":"0x","tx_hash":"0x","tx_index":0,"log_index":0}},"config":{},"chains":{"evm:1":{"chain_id":"1","http_endpoint":"","ws_endpoints":[]}}}`},
		{Trigger{Block: &Block{Chain: "evm:1", BlockNumber: 7, BlockHash: Hex{}}}, `{"block_interval":{"chain":"evm:1","block_number":7,"block_hash":"0x"}}`},
		{Trigger{Cron: &Cron{UnixNano: 5}}, `{"cron":{"unix_nano":5}}`},
		{Trigger{Raw: &Raw{Data: Hex{2}}}, `{"raw":{"data":"0x02"}}`},
		{Output{Responses: &[]Response{{Payload: &p, EventIDSalt: Hex{3}}}}, `{"responses":[{"payload":"0x01","event_id_salt":"0x03"}]}`},
		{Output{Error: new(string)}, `{"error":""}`},
		{FetchRequest{Method: "GET", URL: "u"}, `{"method":"GET","url":"u"}`},
		{FetchResponse{Status: 200, Headers: map[string]string{}, Body: Hex{}}, `{"status":200,"headers":{},"body":"0x"}`},
	} {
		got, err := json.Marshal(tc.v)
		if err != nil || string(got) != tc.want {
			t.Errorf("%T: %s (%v), want %s", tc.v, got, err, tc.want)
		}
	}
}

func TestKinds(t *testing.T) {
	for _, tc := range []struct {
		t    Trigger
		want int
	}{
		{Trigger{}, 0},
		{Trigger{Raw: &Raw{}}, 1},
		{Trigger{Raw: &Raw{}, Cron: &Cron{}, Block: &Block{}, EvmLog: &EvmLog{}}, 4},
	} {
		if got := tc.t.Kinds(); got != tc.want {
			t.Errorf("%+v: Kinds() = %d, want %d", tc.t, got, tc.want)
		}
	}
}
