package registry

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/netguard"
	"github.com/wavs-go/wavs/sdk"
)

func TestParseTriggerData(t *testing.T) {
	h := "0x" + strings.Repeat("ab", 32)
	a := "0x" + strings.Repeat("cd", 20)
	tr, err := ParseTriggerData([]byte(`{"Raw": [1, 2, 255]}`))
	if err != nil || string(tr.Raw) != "\x01\x02\xff" {
		t.Errorf("Raw = %+v, %v", tr, err)
	}
	tr, err = ParseTriggerData([]byte(`{"Raw": []}`))
	if err != nil || tr.Raw == nil || len(tr.Raw) != 0 || tr.Validate() != nil {
		t.Errorf("empty Raw = %+v, %v", tr, err)
	}
	tr, err = ParseTriggerData([]byte(`{"EvmContractEvent": {"chain": "evm:31337", "contract_address": "` + a + `",
		"log_data": {"topics": ["` + h + `"], "data": "0x0102"}, "tx_hash": "` + h + `", "block_number": 7,
		"log_index": 2, "block_hash": "` + h + `", "block_timestamp": null, "tx_index": 3}}`))
	if err != nil || tr.EvmLog == nil || tr.EvmLog.BlockNumber != 7 || tr.EvmLog.LogIndex != 2 || tr.EvmLog.TxIndex != 3 ||
		len(tr.EvmLog.Topics) != 1 || string(tr.EvmLog.Data) != "\x01\x02" || tr.EvmLog.Address[0] != 0xcd || tr.EvmLog.BlockTimestamp != 0 {
		t.Errorf("EvmContractEvent = %+v, %v", tr.EvmLog, err)
	}
	tr, err = ParseTriggerData([]byte(`{"BlockInterval": {"chain": "evm:1", "block_height": 9}}`))
	if err != nil || tr.Block == nil || tr.Block.BlockNumber != 9 || tr.Block.Chain != "evm:1" {
		t.Errorf("BlockInterval = %+v, %v", tr.Block, err)
	}
	tr, err = ParseTriggerData([]byte(`{"Cron": {"trigger_time": 1700000000000000001}}`))
	if err != nil || tr.Cron == nil || tr.Cron.Time.UnixNano() != 1700000000000000001 {
		t.Errorf("Cron = %+v, %v", tr.Cron, err)
	}
	for in, want := range map[string]string{
		`[1]`:                                   "one key",
		`{"Raw": [1], "Cron": {}}`:              "one key",
		`{"Raw": [256]}`:                        "Raw[0]",
		`{"Raw": "AQI="}`:                       "Raw: want an array",
		`{"Nope": {}}`:                          `"Nope"`,
		`{"Cron": {}}`:                          "Cron.trigger_time",
		`{"BlockInterval": {"chain": "evm:1"}}`: "BlockInterval.block_height",
		`{"BlockInterval": {"chain": "x", "block_height": 1}}`:                                                                                                     "BlockInterval.chain",
		`{"EvmContractEvent": {"chain": "evm:1", "contract_address": "0x01"}}`:                                                                                     "EvmContractEvent.contract_address",
		`{"EvmContractEvent": {"chain": "evm:1", "contract_address": "` + a + `", "log_data": {"topics": ["0x01"]}}}`:                                              "EvmContractEvent.log_data.topics[0]",
		`{"EvmContractEvent": {"chain": "evm:1", "contract_address": "` + a + `", "log_data": {"topics": []}, "tx_hash": "` + h + `", "block_hash": "` + h + `"}}`: "EvmContractEvent.block_number",
	} {
		if _, err := ParseTriggerData([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %q", in, err, want)
		}
	}
}

func TestManagerID(t *testing.T) {
	a := "0x" + strings.Repeat("cd", 20)
	id, err := ManagerID("evm:31337", a)
	var addr service.Address
	copy(addr[:], []byte(strings.Repeat("\xcd", 20)))
	if err != nil || id != service.ServiceID("evm:31337", addr) {
		t.Errorf("ManagerID = %q, %v", id, err)
	}
	if _, err := ManagerID("31337", a); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "chain") {
		t.Errorf("bad chain: %v", err)
	}
	if _, err := ManagerID("evm:1", "0x12"); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "address") {
		t.Errorf("bad address: %v", err)
	}
}

// A service JSON saved for development is stored in the node's canonical
// form, decodes again, and a service URI naming it on a loopback address
// is read from the store (with dev endpoints on) although the address
// guard refuses loopback.
func TestDevServicesAndLocalServiceURI(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	raw, err := os.ReadFile("../../examples/services/kv-counter.json")
	if err != nil {
		t.Fatal(err)
	}
	raw = []byte(strings.Replace(string(raw), "DIGEST", strings.Repeat("ab", 32), 1))
	guard := netguard.New(netguard.Options{}).Client(time.Second)
	r := New(Options{Store: db, HTTPClient: guard, DevEndpoints: true})
	hash, err := r.SaveDevService(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := r.DevService(ctx, hash)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := service.Decode(saved); err != nil {
		t.Fatalf("the saved form does not decode: %v\n%s", err, saved)
	}
	if again, err := r.SaveDevService(ctx, saved); err != nil || again != hash {
		t.Errorf("saving the saved form: %q %v, want the same hash", again, err)
	}
	if _, err := r.SaveDevService(ctx, []byte(`{"name": 1}`)); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("bad service: %v", err)
	}
	if _, err := r.DevService(ctx, "ABC"); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("bad hash: %v", err)
	}
	if _, err := r.DevService(ctx, strings.Repeat("0", 64)); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("unknown hash: %v", err)
	}

	// Nothing listens there: only the store can answer.
	for _, uri := range []string{"http://127.0.0.1:1/dev/services/" + hash, "http://localhost:1/dev/services/" + hash, "http://[::1]:1/dev/services/" + hash} {
		got, meta, err := r.fetchServiceJSON(ctx, uri)
		if err != nil || string(got) != string(saved) || meta.status != 200 {
			t.Errorf("%s: %v %+v", uri, err, meta)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(saved) }))
	defer srv.Close()
	for _, uri := range []string{
		srv.URL + "/dev/services/" + strings.Repeat("0", 64), // not saved here: fetched, and refused
		srv.URL + "/dev/services/" + hash + "/x",
		srv.URL + "/services/" + hash,
	} {
		if _, _, err := r.fetchServiceJSON(ctx, uri); err == nil || !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s: %v, want the guard's refusal", uri, err)
		}
	}
	off := New(Options{Store: db, HTTPClient: guard})
	if _, _, err := off.fetchServiceJSON(ctx, "http://127.0.0.1:1/dev/services/"+hash); err == nil {
		t.Error("dev endpoints off: the saved document was used")
	}
}
