package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// A service registered by its manager follows the manager's
// setServiceURI: the node sees ServiceURIUpdated, fetches the new JSON and
// swaps the service in place. Its workflow now runs another component,
// and signs with the same key; a URI that serves no service keeps the
// running one and shows the error.
func TestServiceURIUpdate(t *testing.T) {
	chain := anviltest.Start(t)
	docs := map[string][]byte{}
	var mu sync.Mutex
	for _, c := range []string{"evm-square", "echo-square"} {
		wasm, err := os.ReadFile(bins.components[c])
		if err != nil {
			t.Fatal(err)
		}
		docs["/"+c+".wasm"] = wasm
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		doc, ok := docs[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(doc)
	}))
	t.Cleanup(srv.Close)
	addrs, err := deploy.DeployAll(t.Context(), chain.Client, chain.Keys[0], deploy.Options{
		Pair:       deploy.PairRepo,
		Operators:  []deploy.Operator{{Address: chain.Accounts[1], SigningKey: common.HexToAddress(addrIndex1), Weight: big.NewInt(100)}},
		ServiceURI: srv.URL + "/v1.json",
	})
	if err != nil {
		t.Fatal(err)
	}
	version := func(name, component string) []byte {
		digest := sha256.Sum256(docs["/"+component+".wasm"])
		return []byte(fmt.Sprintf(`{"name": %q, "status": "active",
  "manager": {"evm": {"chain": "evm:31337", "address": %q}},
  "workflows": {"square": {
    "trigger": {"evm_contract_event": {"address": %q, "chain": "evm:31337", "event_hash": %q}},
    "component": {"source": {"download": {"uri": %q, "digest": %q}}, "permissions": {"allowed_http_hosts": "none"},
                  "fuel_limit": null, "time_limit_seconds": 10, "config": {}, "env_keys": []},
    "submit": {"aggregator": {"chain": "evm:31337", "address": %q}}}}}`,
			name, strings.ToLower(addrs.ServiceManager.Hex()),
			strings.ToLower(addrs.SimpleTrigger.Hex()), crypto.Keccak256Hash([]byte("NewTrigger(bytes)")).Hex(),
			srv.URL+"/"+component+".wasm", hex.EncodeToString(digest[:]), strings.ToLower(addrs.ServiceHandler.Hex())))
	}
	mu.Lock()
	docs["/v1.json"] = version("square-v1", "evm-square")
	docs["/v2.json"] = version("square-v2", "echo-square")
	docs["/v3.json"] = version("square-v3", "evm-square")
	docs["/junk.json"] = []byte(`{"name": "not a service"}`)
	mu.Unlock()

	c := &chainSetup{chain: chain, addrs: addrs, cfg: chainConfig(chain) + instantTriggers, env: []string{
		"WAVS_SIGNING_MNEMONIC=" + testMnemonic,
		"WAVS_EVM_CREDENTIAL=" + hex.EncodeToString(crypto.FromECDSA(chain.Keys[9])),
	}}
	data := t.TempDir()
	n := startNode(t, c.nodeOptions(data))
	svc := c.registerByManager(t, n)
	if svc.Name != "square-v1" || svc.SigningAddress != addrIndex1 {
		t.Fatalf("registered %s signing as %s", svc.Name, svc.SigningAddress)
	}
	user, err := deploy.NewSender(t.Context(), chain.Client, chain.Keys[2])
	if err != nil {
		t.Fatal(err)
	}
	owner, err := deploy.NewSender(t.Context(), chain.Client, chain.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	fire := func(data string, want int) []result {
		t.Helper()
		if _, _, err := deploy.AddTrigger(t.Context(), user, addrs.SimpleTrigger, []byte(data)); err != nil {
			t.Fatal(err)
		}
		var rs []result
		if !eventually(60*time.Second, func() bool {
			rs = results(t, n, svc.ID)
			return len(rs) == want && rs[0].Status == "submitted"
		}) {
			t.Fatalf("results after trigger %q: %+v", data, rs)
		}
		return rs
	}
	square49 := "0x" + fmt.Sprintf("%064x", 49)
	first := fire("7", 1)[0]
	if first.Payload != square49 || first.Signer != addrIndex1 {
		t.Fatalf("v1 result: payload %s, signer %s", first.Payload, first.Signer)
	}

	// A URI that serves no service: the old one keeps running, the error
	// shows on it.
	if err := deploy.SetServiceURI(t.Context(), owner, addrs.ServiceManager, srv.URL+"/junk.json"); err != nil {
		t.Fatal(err)
	}
	var info serviceInfo
	if !eventually(30*time.Second, func() bool {
		n.get("/services/"+svc.ID, &info)
		return strings.Contains(info.LastError, "junk.json")
	}) {
		t.Fatalf("after a bad URI: %+v", info)
	}
	if info.Name != "square-v1" {
		t.Fatalf("after a bad URI the service is %s", info.Name)
	}

	if err := deploy.SetServiceURI(t.Context(), owner, addrs.ServiceManager, srv.URL+"/v2.json"); err != nil {
		t.Fatal(err)
	}
	if !eventually(30*time.Second, func() bool {
		info = serviceInfo{} // last_error is omitted when empty
		n.get("/services/"+svc.ID, &info)
		return info.Name == "square-v2"
	}) {
		t.Fatalf("the node still shows %+v", info)
	}
	if info.SigningAddress != addrIndex1 || info.LastError != "" || strings.Join(info.Workflows, ",") != "square" {
		t.Errorf("after the update: %+v", info)
	}

	// echo-square echoes the NewTrigger log's data (not 32 bytes), signed
	// with the same key, and it lands.
	rs := fire("8", 2)
	second := rs[0]
	if second.EventID == first.EventID {
		second = rs[1]
	}
	if second.Payload == square49 || len(second.Payload) <= 2+64 || !strings.Contains(second.Payload, hex.EncodeToString([]byte("8"))) {
		t.Errorf("v2 result payload %s: want the echoed log data", second.Payload)
	}
	if second.Signer != first.Signer {
		t.Errorf("v2 result signed by %s, v1 by %s", second.Signer, first.Signer)
	}
	var landed map[string]int64
	if !eventually(30*time.Second, func() bool { landed = c.handled(t); return len(landed) == 2 }) {
		t.Errorf("handler holds %v", landed)
	}

	// An update made while the node is down, with more blocks since than
	// a new trigger would look back: the watch resumes from its stored
	// cursor and picks it up.
	n.signal(syscall.SIGTERM)
	if err := n.wait(30 * time.Second); err != nil {
		t.Logf("stop: %v", err)
	}
	if err := deploy.SetServiceURI(t.Context(), owner, addrs.ServiceManager, srv.URL+"/v3.json"); err != nil {
		t.Fatal(err)
	}
	if err := chain.Mine(t.Context(), 300); err != nil {
		t.Fatal(err)
	}
	n = startNode(t, c.nodeOptions(data))
	if !eventually(30*time.Second, func() bool {
		info = serviceInfo{}
		n.get("/services/"+svc.ID, &info)
		return info.Name == "square-v3"
	}) {
		t.Fatalf("after a restart the node shows %+v", info)
	}
	if info.SigningAddress != addrIndex1 {
		t.Errorf("after a restart: %+v", info)
	}
}
