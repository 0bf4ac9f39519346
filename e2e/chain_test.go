package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// chainSetup is a local chain with the contracts deployed for one
// operator (the node's HD key 1, weight 100, quorum 2/3) and the service
// JSON and component served on 127.0.0.1.
type chainSetup struct {
	chain *anviltest.Chain
	addrs deploy.Addresses
	cfg   string // wavs.toml
	env   []string
}

func setupChain(t testing.TB) *chainSetup {
	t.Helper()
	chain := anviltest.Start(t)
	addrs := deployService(t, chain, deploy.Options{
		Operators: []deploy.Operator{{Address: chain.Accounts[1], SigningKey: common.HexToAddress(addrIndex1), Weight: big.NewInt(100)}},
	})
	return &chainSetup{
		chain: chain,
		addrs: addrs,
		cfg:   chainConfig(chain),
		env: []string{
			"WAVS_SIGNING_MNEMONIC=" + testMnemonic,
			"WAVS_EVM_CREDENTIAL=" + hex.EncodeToString(crypto.FromECDSA(chain.Keys[9])),
		},
	}
}

// chainConfig is the wavs.toml table of the local chain.
func chainConfig(chain *anviltest.Chain) string {
	return fmt.Sprintf("[default.chains.evm.31337]\nws_endpoints = [%q]\nhttp_endpoint = %q\n", chain.WSURL, chain.HTTPURL)
}

// deployService deploys the contracts with o's operators and quorum and
// serves the square service's JSON (its manager's service URI) and
// component on 127.0.0.1.
func deployService(t testing.TB, chain *anviltest.Chain, o deploy.Options) deploy.Addresses {
	t.Helper()
	wasm, err := os.ReadFile(bins.components["evm-square"])
	if err != nil {
		t.Fatal(err)
	}
	var serviceJSON []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/service.json":
			w.Write(serviceJSON)
		case "/evm-square.wasm":
			w.Write(wasm)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	o.ServiceURI = srv.URL + "/service.json"
	addrs, err := deploy.DeployAll(t.Context(), chain.Client, chain.Keys[0], o)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(wasm)
	serviceJSON = []byte(fmt.Sprintf(`{"name": "square", "status": "active",
  "manager": {"evm": {"chain": "evm:31337", "address": %q}},
  "workflows": {"square": {
    "trigger": {"evm_contract_event": {"address": %q, "chain": "evm:31337", "event_hash": %q}},
    "component": {"source": {"download": {"url": %q, "digest": %q}}, "permissions": {"allowed_http_hosts": "none"},
                  "fuel_limit": null, "time_limit_seconds": 10, "config": {}, "env_keys": []},
    "submit": {"aggregator": {"chain": "evm:31337", "address": %q}}}}}`,
		strings.ToLower(addrs.ServiceManager.Hex()), strings.ToLower(addrs.SimpleTrigger.Hex()),
		crypto.Keccak256Hash([]byte("NewTrigger(bytes)")).Hex(), srv.URL+"/evm-square.wasm",
		hex.EncodeToString(digest[:]), strings.ToLower(addrs.ServiceHandler.Hex())))
	return addrs
}

func (c *chainSetup) nodeOptions(data string) nodeOptions {
	return nodeOptions{data: data, plugins: []string{"transport-none", "trigger-evm", "submit-evm"}, config: c.cfg, env: c.env}
}

func (c *chainSetup) registerByManager(t testing.TB, n *node) serviceInfo {
	t.Helper()
	return register(t, n, []byte(fmt.Sprintf(`{"chain": "evm:31337", "address": %q}`, c.addrs.ServiceManager.Hex())))
}

// handled reads every SignedEnvelopeHandled event of the handler: event
// id → payload as a number.
func (c *chainSetup) handled(t testing.TB) map[string]int64 {
	t.Helper()
	h := bindings.NewServiceHandler()
	logs, err := c.chain.Client.FilterLogs(t.Context(), ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{c.addrs.ServiceHandler}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, l := range logs {
		ev, err := h.UnpackSignedEnvelopeHandledEvent(&l)
		if err != nil {
			continue
		}
		key := hex.EncodeToString(ev.EventId[:])
		if _, dup := out[key]; dup {
			t.Fatalf("event %s handled twice", key)
		}
		out[key] = new(big.Int).SetBytes(ev.Payload).Int64()
	}
	return out
}

func TestSingleOperatorResultLandsOnChain(t *testing.T) {
	c := setupChain(t)
	n := startNode(t, c.nodeOptions(""))
	svc := c.registerByManager(t, n)
	if svc.SigningAddress != addrIndex1 {
		t.Fatalf("signing address %s, want %s", svc.SigningAddress, addrIndex1)
	}
	s, err := deploy.NewSender(t.Context(), c.chain.Client, c.chain.Keys[2])
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := deploy.AddTrigger(t.Context(), s, c.addrs.SimpleTrigger, []byte("7")); err != nil {
		t.Fatal(err)
	}
	var got map[string]int64
	if !eventually(60*time.Second, func() bool { got = c.handled(t); return len(got) == 1 }) {
		t.Fatalf("handler holds %v after 60s", got)
	}
	for _, v := range got {
		if v != 49 {
			t.Errorf("payload %d, want 49", v)
		}
	}
	// The node records the transaction (a moment after it is mined).
	var rs []result
	if !eventually(10*time.Second, func() bool { rs = results(t, n, svc.ID); return len(rs) == 1 && rs[0].Status == "submitted" }) {
		t.Errorf("results %+v, want one submitted", rs)
	}
}

func TestTriggersSurviveKills(t *testing.T) {
	const total = 200
	c := setupChain(t)
	data := t.TempDir()
	opts := c.nodeOptions(data)
	n := startNode(t, opts)
	c.registerByManager(t, n)

	// Fire from two accounts in the background while plugins and the
	// host are killed.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			s, err := deploy.NewSender(ctx, c.chain.Client, c.chain.Keys[2+w])
			if err != nil {
				errs <- err
				return
			}
			for i := w; i < total; i += 2 {
				if _, _, err := deploy.AddTrigger(ctx, s, c.addrs.SimpleTrigger, []byte(strconv.Itoa(i+1))); err != nil {
					errs <- err
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}(w)
	}
	killPlugin := func(name string) {
		for _, p := range n.info().Plugins {
			if p.Name == name && p.PID != 0 {
				_ = syscall.Kill(p.PID, syscall.SIGKILL)
				return
			}
		}
		t.Errorf("plugin %s not running", name)
	}
	time.Sleep(time.Second)
	killPlugin("trigger-evm")
	time.Sleep(1500 * time.Millisecond)
	killPlugin("trigger-evm")
	time.Sleep(1500 * time.Millisecond)
	n.signal(syscall.SIGKILL)
	n.wait(15 * time.Second)
	n = startNode(t, opts)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	var got map[string]int64
	eventually(3*time.Minute, func() bool { got = c.handled(t); return len(got) >= total })
	if len(got) != total {
		t.Fatalf("%d of %d results on chain", len(got), total)
	}
	seen := map[int64]bool{}
	for _, v := range got {
		seen[v] = true
	}
	for i := int64(1); i <= total; i++ {
		if !seen[i*i] {
			t.Errorf("no result for trigger data %d", i)
		}
	}
	t.Logf("%d triggers, %d results on chain, each once", total, len(got))
}

func TestChainBadInput(t *testing.T) {
	c := setupChain(t)
	closed := freePort(t) // nothing listens here
	cfg := c.cfg + fmt.Sprintf("\n[default.chains.evm.1]\nhttp_endpoint = \"http://127.0.0.1:%d\"\n\n[default.chains.evm.5]\nhttp_endpoint = %q\n", closed, c.chain.HTTPURL)
	opts := c.nodeOptions("")
	opts.config = cfg
	n := startNode(t, opts)

	// Unreachable chain 1 and chain 5 pointing at a 31337 node: the node
	// runs, and /health says what is wrong with which chain.
	var h struct {
		Status   string
		Problems []string
	}
	if !eventually(15*time.Second, func() bool { return n.get("/health", &h) == 503 }) {
		t.Fatalf("/health = %+v, want degraded", h)
	}
	all := strings.Join(h.Problems, "\n")
	t.Logf("/health problems:\n%s", all)
	for _, want := range []string{"evm:1", "evm:5", "31337"} {
		if !strings.Contains(all, want) {
			t.Errorf("/health problems do not mention %q:\n%s", want, all)
		}
	}

	cases := []struct {
		name, body string
		want       []string
	}{
		{"no contract at the manager address", `{"chain": "evm:31337", "address": "0x000000000000000000000000000000000000dEaD"}`, []string{"0x000000000000000000000000000000000000dEaD", "getServiceURI"}},
		{"unknown chain", `{"chain": "evm:77", "address": "0x000000000000000000000000000000000000dEaD"}`, []string{"evm:77"}},
		{"bad address", `{"chain": "evm:31337", "address": "0x12"}`, []string{"address", `"0x12"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var e struct{ Error string }
			code := n.send("POST", "/services", "", []byte(tc.body), &e)
			if code < 400 || code >= 600 {
				t.Fatalf("code %d, want an error", code)
			}
			t.Logf("%s: %d %s", tc.name, code, e.Error)
			for _, w := range tc.want {
				if !strings.Contains(strings.ToLower(e.Error), strings.ToLower(w)) {
					t.Errorf("error %q does not mention %q", e.Error, w)
				}
			}
		})
	}
	// And the node still does its job.
	c.registerByManager(t, n)
	s, err := deploy.NewSender(t.Context(), c.chain.Client, c.chain.Keys[2])
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := deploy.AddTrigger(t.Context(), s, c.addrs.SimpleTrigger, []byte("3")); err != nil {
		t.Fatal(err)
	}
	if !eventually(60*time.Second, func() bool { return len(c.handled(t)) == 1 }) {
		t.Fatal("no result on chain")
	}
}
