package e2e

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/internal/apitoken"
)

// wavsCall makes a request to the node with its token and the given
// content type, and returns the code and the body.
func wavsCall(t *testing.T, n *node, method, path, ctype string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, n.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := apitoken.Read(n.data)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// TestWAVSAPIDevFlow drives WAVS's HTTP API the way its CLI does in local
// development: upload a component and save a service on the node's dev
// routes, register the saved service, fire a simulated raw trigger and
// read the signed result; then point the manager's service URI at the
// node's own /dev/services/<hash> (no outbound_allow: the node reads its
// own saved document) and register by manager.
func TestWAVSAPIDevFlow(t *testing.T) {
	chain := anviltest.Start(t)
	addrs, err := deploy.DeployAll(t.Context(), chain.Client, chain.Keys[0], deploy.Options{
		Operators: []deploy.Operator{{Address: chain.Accounts[1], SigningKey: common.HexToAddress(addrIndex1), Weight: big.NewInt(100)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("[wavs]\ndev_mode = true\ndev_endpoints = true\n\n[default.chains.evm.31337]\nws_endpoints = [%q]\nhttp_endpoint = %q\n", chain.WSURL, chain.HTTPURL)
	n := startNode(t, nodeOptions{
		plugins: []string{"transport-none", "trigger-evm", "submit-evm"},
		config:  cfg,
		env:     []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic, "WAVS_EVM_CREDENTIAL=" + hex.EncodeToString(crypto.FromECDSA(chain.Keys[9]))},
	})

	wasm, err := os.ReadFile(bins.components["echo-square"])
	if err != nil {
		t.Fatal(err)
	}
	code, body := wavsCall(t, n, "POST", "/dev/components", "application/wasm", wasm)
	var comp struct{ Digest string }
	if json.Unmarshal(body, &comp); code != 201 || len(comp.Digest) != 64 {
		t.Fatalf("POST /dev/components: %d %s", code, body)
	}

	manager := strings.ToLower(addrs.ServiceManager.Hex())
	svcJSON := fmt.Sprintf(`{"name": "dev-square", "status": "active",
  "manager": {"evm": {"chain": "evm:31337", "address": %q}},
  "workflows": {"main": {
    "trigger": {"evm_contract_event": {"address": %q, "chain": "evm:31337", "event_hash": %q}},
    "component": {"source": {"digest": %q}, "permissions": {"allowed_http_hosts": "none"},
                  "fuel_limit": null, "time_limit_seconds": 10, "config": {}, "env_keys": []},
    "submit": "none"}}}`, manager, strings.ToLower(addrs.SimpleTrigger.Hex()), crypto.Keccak256Hash([]byte("NewTrigger(bytes)")).Hex(), comp.Digest)
	code, body = wavsCall(t, n, "POST", "/dev/services", "application/json", []byte(svcJSON))
	var saved struct{ Hash string }
	if json.Unmarshal(body, &saved); code != 200 || len(saved.Hash) != 64 {
		t.Fatalf("POST /dev/services: %d %s", code, body)
	}
	resp, err := http.Get(n.url + "/dev/services/" + saved.Hash) // public: a service URI points here
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(string(doc), `"dev-square"`) {
		t.Fatalf("GET /dev/services/%s: %d %s", saved.Hash, resp.StatusCode, doc)
	}

	// Register the saved service directly (dev_mode).
	code, body = wavsCall(t, n, "POST", "/dev/services/"+saved.Hash, "application/json", nil)
	var svc serviceInfo
	if json.Unmarshal(body, &svc); code != 201 || svc.SigningAddress != addrIndex1 {
		t.Fatalf("POST /dev/services/{hash}: %d %s", code, body)
	}

	// A simulated raw trigger: "7", squared by the component.
	trig := fmt.Sprintf(`{"service_id": %q, "workflow_id": "main", "trigger": {"manual": null}, "data": {"Raw": [55]}, "count": 1, "wait_for_completion": true}`, svc.ID)
	code, body = wavsCall(t, n, "POST", "/dev/triggers", "application/json", []byte(trig))
	var rep struct {
		EventIDs []string `json:"event_ids"`
		Errors   []string `json:"errors"`
	}
	if json.Unmarshal(body, &rep); code != 200 || len(rep.EventIDs) != 1 || len(rep.Errors) != 0 {
		t.Fatalf("POST /dev/triggers: %d %s", code, body)
	}
	rs := results(t, n, svc.ID)
	if len(rs) != 1 || rs[0].EventID != rep.EventIDs[0] {
		t.Fatalf("results %+v, want the one of event %s", rs, rep.EventIDs[0])
	}
	if got := counts(t, rs, addrIndex1); len(got) != 1 || got[0] != 49 {
		t.Fatalf("payload %v, want 49 signed by %s", got, addrIndex1)
	}
	// Not waited for: 202 at once, the result comes after (same data,
	// same event id: still one result).
	code, body = wavsCall(t, n, "POST", "/dev/triggers", "application/json", []byte(strings.Replace(trig, `"wait_for_completion": true`, `"wait_for_completion": false`, 1)))
	if code != 202 {
		t.Fatalf("POST /dev/triggers not waited: %d %s", code, body)
	}

	// The WAVS reads by manager.
	code, body = wavsCall(t, n, "GET", "/services/evm:31337/"+manager, "", nil)
	if code != 200 || !strings.Contains(string(body), `"dev-square"`) {
		t.Fatalf("GET /services/evm:31337/%s: %d %s", manager, code, body)
	}
	mgr := fmt.Sprintf(`{"evm": {"chain": "evm:31337", "address": %q}}`, manager)
	code, body = wavsCall(t, n, "POST", "/services/signer", "application/json", []byte(`{"service_manager": `+mgr+`}`))
	if code != 200 || !strings.Contains(string(body), `"hd_index": 1`) || !strings.Contains(string(body), addrIndex1) || strings.Contains(string(body), "test test") {
		t.Fatalf("POST /services/signer: %d %s", code, body)
	}

	// Remove, then register by manager with the service URI on the node
	// itself.
	code, body = wavsCall(t, n, "DELETE", "/services", "application/json", []byte(`{"service_managers": [`+mgr+`]}`))
	if code != 204 {
		t.Fatalf("DELETE /services: %d %s", code, body)
	}
	code, body = wavsCall(t, n, "DELETE", "/services", "application/json", []byte(`{"service_managers": [`+mgr+`]}`))
	if code != 404 || !strings.Contains(string(body), "service_managers[0]") {
		t.Fatalf("DELETE /services again: %d %s", code, body)
	}
	owner, err := deploy.NewSender(t.Context(), chain.Client, chain.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := deploy.SetServiceURI(t.Context(), owner, addrs.ServiceManager, n.url+"/dev/services/"+saved.Hash); err != nil {
		t.Fatal(err)
	}
	code, body = wavsCall(t, n, "POST", "/services", "application/json", []byte(`{"service_manager": `+mgr+`}`))
	if code != 204 || len(body) != 0 {
		t.Fatalf("POST /services by manager: %d %s", code, body)
	}
	if code := n.get("/services/"+svc.ID, &svc); code != 200 || svc.Name != "dev-square" {
		t.Fatalf("GET /services/%s after registering by manager: %d %+v", svc.ID, code, svc)
	}
}
