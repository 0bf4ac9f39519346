package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

func uint256(n int64) []byte { return big.NewInt(n).FillBytes(make([]byte, 32)) }

func TestEchoSquare(t *testing.T) {
	e := newEngine(t, engine.Options{})
	d := add(t, e, "echo-square")
	logData := uint256(3)
	big128 := new(big.Int).Lsh(big.NewInt(1), 128) // its square needs 257 bits
	tests := []struct {
		name    string
		trigger engine.Trigger
		want    []byte // nil: no response
		err     string
	}{
		{"decimal raw", engine.Trigger{Raw: []byte("12")}, uint256(144), ""},
		{"decimal raw with spaces", engine.Trigger{Raw: []byte(" 7\n")}, uint256(49), ""},
		{"text is echoed", engine.Trigger{Raw: []byte("hello")}, []byte("hello"), ""},
		{"empty raw is echoed", engine.Trigger{Raw: []byte{}}, []byte{}, ""},
		{"EVM log uint256", engine.Trigger{EvmLog: &sdk.EvmLog{Chain: "evm:31337", Data: logData}}, uint256(9), ""},
		{"EVM log other data is echoed", engine.Trigger{EvmLog: &sdk.EvmLog{Chain: "evm:31337", Data: []byte{1, 2}}}, []byte{1, 2}, ""},
		{"overflow", engine.Trigger{Raw: []byte(big128.String())}, nil, "does not fit in a uint256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rawRequest(d, "")
			r.Trigger = tt.trigger
			resps, err := e.Execute(context.Background(), r)
			if tt.err != "" {
				wantCause(t, err, engine.CauseComponent, tt.err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(resps) != 1 || !bytes.Equal(resps[0].Payload, tt.want) || resps[0].EventIDSalt != nil {
				t.Fatalf("responses %+v, want one with payload %x and no salt", resps, tt.want)
			}
		})
	}
	t.Run("block trigger gives no response", func(t *testing.T) {
		r := rawRequest(d, "")
		r.Trigger = engine.Trigger{Block: &sdk.BlockTick{Chain: "evm:1", BlockNumber: 5}}
		resps, err := e.Execute(context.Background(), r)
		if err != nil || len(resps) != 0 {
			t.Fatalf("got %v, %v; want no responses", resps, err)
		}
	})
}

func TestKVCounterPersists(t *testing.T) {
	kv := newMemKV()
	dir := t.TempDir()
	e := newEngine(t, engine.Options{KV: kv, ComponentsDir: dir})
	d := add(t, e, "kv-counter")
	count := func(e *engine.Engine, svc string) int64 {
		t.Helper()
		r := rawRequest(d, "")
		r.ServiceID = svc
		resps, err := e.Execute(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		return new(big.Int).SetBytes(resps[0].Payload).Int64()
	}
	for want := int64(1); want <= 3; want++ {
		if got := count(e, serviceID); got != want {
			t.Fatalf("execution %d returned %d", want, got)
		}
	}
	other := strings.Repeat("b", 64)
	if got := count(e, other); got != 1 {
		t.Fatalf("another service's counter starts at %d, want 1", got)
	}
	// The store outlives the engine: a new one on the same KV goes on.
	e2 := newEngine(t, engine.Options{KV: kv, ComponentsDir: dir})
	if got := count(e2, serviceID); got != 4 {
		t.Fatalf("after a restart the counter returned %d, want 4", got)
	}

	t.Run("no store", func(t *testing.T) {
		e := newEngine(t, engine.Options{})
		_, err := e.Execute(context.Background(), rawRequest(add(t, e, "kv-counter"), ""))
		wantCause(t, err, engine.CauseComponent, "no key-value store")
	})
}

func TestHTTPFetchExample(t *testing.T) {
	body := strings.Repeat("0123456789abcdef", 512) // 8 KiB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(body))
	}))
	defer srv.Close()
	e := newEngine(t, engine.Options{Outbound: allowLoopback(t)})
	d := add(t, e, "http-fetch")
	r := rawRequest(d, "")
	r.Config = map[string]string{"url": srv.URL + "/data"}
	r.HTTP = service.AllowOnlyHosts("127.0.0.1")
	resps, err := e.Execute(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(resps[0].Payload); got != body[:4096] {
		t.Fatalf("payload of %d bytes, want the first 4096 bytes of the body", len(got))
	}

	r.Config["url"] = srv.URL + "/missing"
	_, err = e.Execute(context.Background(), r)
	wantCause(t, err, engine.CauseComponent, "status 404")

	delete(r.Config, "url")
	_, err = e.Execute(context.Background(), r)
	wantCause(t, err, engine.CauseComponent, `config var "url" is not set`)
}

// echoed runs echo-input for r and returns its five payloads.
func echoed(t *testing.T, e *engine.Engine, r engine.Request) []engine.Response {
	t.Helper()
	resps, err := e.Execute(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if len(resps) != 5 {
		t.Fatalf("%d responses, want 5", len(resps))
	}
	return resps
}

func jsonEqual(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v in %s", what, err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("%s:\n got %s\nwant %s", what, got, want)
	}
}

// TestInputIsABIv1 checks the stdin a component gets, byte field by byte
// field, against the ABI as written in docs/components.md, and that
// sdk/component decodes all of it.
func TestInputIsABIv1(t *testing.T) {
	logs := &logBuffer{}
	e := newEngine(t, engine.Options{Logger: testLogger(logs)})
	d := add(t, e, "echo-input")
	var addr sdk.Address
	addr[19] = 0xab
	var topic, bh, th sdk.Hash
	topic[0], bh[31], th[0] = 0x11, 0x22, 0x33
	r := engine.Request{
		Digest:     d,
		ServiceID:  serviceID,
		WorkflowID: "workflow-1",
		Trigger: engine.Trigger{EvmLog: &sdk.EvmLog{
			Chain: "evm:31337", Address: addr, Topics: []sdk.Hash{topic}, Data: []byte{0xde, 0xad},
			BlockNumber: 12, BlockHash: bh, TxHash: th, TxIndex: 1, LogIndex: 2,
		}},
		Config: map[string]string{"k": "v", "empty": ""},
		Chains: map[string]engine.Chain{"evm:31337": {ChainID: "31337", HTTPEndpoint: "http://127.0.0.1:8545", WSEndpoints: []string{"ws://127.0.0.1:8545"}}},
	}
	resps := echoed(t, e, r)
	z := func(n int, last string) string { return "0x" + strings.Repeat("0", n-len(last)) + last }
	want := `{"abi":1,"service_id":"` + serviceID + `","workflow_id":"workflow-1",
		"trigger":{"evm_contract_event":{"chain":"evm:31337","address":"` + z(40, "ab") + `",
			"topics":["0x11` + strings.Repeat("0", 62) + `"],"data":"0xdead","block_number":12,
			"block_hash":"` + z(64, "22") + `","tx_hash":"0x33` + strings.Repeat("0", 62) + `","tx_index":1,"log_index":2}},
		"config":{"k":"v","empty":""},
		"chains":{"evm:31337":{"chain_id":"31337","http_endpoint":"http://127.0.0.1:8545","ws_endpoints":["ws://127.0.0.1:8545"]}}}`
	jsonEqual(t, "stdin", resps[0].Payload, want)
	jsonEqual(t, "input decoded and encoded again by sdk/component", resps[1].Payload, want)
	if string(resps[1].EventIDSalt) != "salt" {
		t.Errorf("salt %q, want %q", resps[1].EventIDSalt, "salt")
	}
	if got := string(resps[3].Payload); got != "component" {
		t.Errorf("args %q, want %q", got, "component")
	}
	if got := string(resps[4].Payload); got == "no error" {
		t.Error(`the component could read "/": it must have no filesystem`)
	}
	if !strings.Contains(logs.String(), "echo-input ran") || !strings.Contains(logs.String(), "workflow_id=workflow-1") {
		t.Errorf("log() did not reach the logger with the workflow:\n%s", logs)
	}

	others := []struct {
		name    string
		trigger engine.Trigger
		want    string
	}{
		{"block", engine.Trigger{Block: &sdk.BlockTick{Chain: "evm:1", BlockNumber: 7, BlockHash: bh}}, `{"block_interval":{"chain":"evm:1","block_number":7,"block_hash":"` + z(64, "22") + `"}}`},
		{"cron", engine.Trigger{Cron: &sdk.CronTick{Time: time.Unix(0, 1700000000000000001)}}, `{"cron":{"unix_nano":1700000000000000001}}`},
		{"raw", engine.Trigger{Raw: []byte{0, 1, 0xff}}, `{"raw":{"data":"0x0001ff"}}`},
	}
	for _, o := range others {
		t.Run(o.name, func(t *testing.T) {
			r := rawRequest(d, "")
			r.Trigger = o.trigger
			resps := echoed(t, e, r)
			want := `{"abi":1,"service_id":"` + serviceID + `","workflow_id":"wf","trigger":` + o.want + `,"config":{},"chains":{}}`
			jsonEqual(t, "stdin", resps[0].Payload, want)
			jsonEqual(t, "input decoded and encoded again by sdk/component", resps[1].Payload, want)
		})
	}
}

// TestEnvIsOnlyAllowedKeys: the component's environment is exactly the
// request's WAVS_ENV_ variables, never the host's.
func TestEnvIsOnlyAllowedKeys(t *testing.T) {
	t.Setenv("WAVS_ENV_HOST_SECRET", "do-not-leak")
	e := newEngine(t, engine.Options{})
	d := add(t, e, "echo-input")
	r := rawRequest(d, "")
	r.Env = map[string]string{"WAVS_ENV_B": "2", "WAVS_ENV_A": "1 = one"}
	resps := echoed(t, e, r)
	if got, want := string(resps[2].Payload), "WAVS_ENV_A=1 = one\nWAVS_ENV_B=2"; got != want {
		t.Fatalf("environment %q, want %q", got, want)
	}
	r.Env = nil
	if got := string(echoed(t, e, r)[2].Payload); got != "" {
		t.Fatalf("environment %q, want none", got)
	}
	for _, k := range []string{"PATH", "WAVS_SIGNING_MNEMONIC", "wavs_env_x", "WAVS_ENV_X=Y"} {
		r.Env = map[string]string{k: "v"}
		_, err := e.Execute(context.Background(), r)
		wantCause(t, err, engine.CauseInvalid, "env")
	}
}

// TestComponentWithoutSDK runs components assembled by hand, with no Go
// runtime or SDK: the ABI is plain WASI.
func TestComponentWithoutSDK(t *testing.T) {
	e := newEngine(t, engine.Options{})
	run := func(out string) ([]engine.Response, error) {
		d, err := e.AddComponent(context.Background(), writerModule(out))
		if err != nil {
			t.Fatal(err)
		}
		return e.Execute(context.Background(), rawRequest(d, ""))
	}
	resps, err := run(`{"responses":[{"payload":"0x0102","event_id_salt":"0xff"},{"payload":"0x"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []engine.Response{{Payload: []byte{1, 2}, EventIDSalt: []byte{0xff}}, {Payload: []byte{}}}
	if !reflect.DeepEqual(resps, want) {
		t.Fatalf("got %+v, want %+v", resps, want)
	}
	_, err = run(`{"error":"it went wrong"}`)
	wantCause(t, err, engine.CauseComponent, "it went wrong")
	_, err = run(`{"reponses":[]}`)
	wantCause(t, err, engine.CauseComponent, "bad output", "reponses")
	_, err = run(``)
	wantCause(t, err, engine.CauseComponent, "no output")
}
