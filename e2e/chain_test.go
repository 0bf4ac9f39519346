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

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// pairs are the contract pairs the chain tests run against: this repo's
// own (a manager with views of its totals, a handler that refuses a
// replay) and one that behaves like upstream WAVS's (a POA-style manager
// showing only the WAVS interface behind a proxy, an example handler that
// accepts replays and emits nothing).
var pairs = []deploy.Pair{deploy.PairRepo, deploy.PairWAVS}

// chainSetup is a local chain with the contracts deployed for one
// operator (the node's HD key 1, weight 100, quorum 2/3) and the service
// JSON and component served on 127.0.0.1.
type chainSetup struct {
	chain *anviltest.Chain
	addrs deploy.Addresses
	cfg   string // wavs.toml
	env   []string

	mu      sync.Mutex
	scanned map[uint64][]landing // blocks read by landings
	ours    map[common.Hash]bool // transactions the test sent itself
}

func setupChain(t testing.TB, pair deploy.Pair) *chainSetup {
	t.Helper()
	chain := anviltest.Start(t)
	addrs := deployService(t, chain, deploy.Options{
		Pair:      pair,
		Operators: []deploy.Operator{{Address: chain.Accounts[1], SigningKey: common.HexToAddress(addrIndex1), Weight: big.NewInt(100)}},
	})
	return &chainSetup{
		chain: chain,
		addrs: addrs,
		cfg:   chainConfig(chain) + instantTriggers,
		env: []string{
			"WAVS_SIGNING_MNEMONIC=" + testMnemonic,
			"WAVS_EVM_CREDENTIAL=" + hex.EncodeToString(crypto.FromECDSA(chain.Keys[9])),
		},
	}
}

// instantTriggers makes trigger-evm act on a log at once, as the tests
// want on anvil, which mines a block only when sent a transaction (the
// default, two confirmations, is what the finality tests check).
const instantTriggers = "\n[plugins.trigger-evm.config]\nconfirmations = 0\n"

// chainConfig is the wavs.toml table of the local chain. It allows
// outbound fetches to loopback, where the tests serve service JSON and
// components (a dotted key, so that it can open any document).
func chainConfig(chain *anviltest.Chain) string {
	return fmt.Sprintf("wavs.outbound_allow = [\"127.0.0.0/8\"]\n\n[default.chains.evm.31337]\nws_endpoints = [%q]\nhttp_endpoint = %q\n", chain.WSURL, chain.HTTPURL)
}

// deployService deploys the contracts of o.Pair with o's operators and
// quorum and serves the square service's JSON (its manager's service URI)
// and component on 127.0.0.1. For the WAVS pair the component answers in
// the example handler's DataWithId format.
func deployService(t testing.TB, chain *anviltest.Chain, o deploy.Options) deploy.Addresses {
	t.Helper()
	return deployServiceWith(t, chain, o, "")
}

// deployServiceWith is deployService with the workflows' triggers as JSON
// ("" for the trigger contract's NewTrigger event): workflow "square"
// with the first, "square2", "square3"… with the others (none: one
// workflow on NewTrigger).
func deployServiceWith(t testing.TB, chain *anviltest.Chain, o deploy.Options, triggers ...string) deploy.Addresses {
	t.Helper()
	config := `{}`
	if o.Pair == deploy.PairWAVS {
		config = `{"payload": "data_with_id"}`
	}
	return deployServiceOf(t, chain, o, bins.components["evm-square"], config, triggers...)
}

// deployServiceOf is deployServiceWith running the component at wasmPath
// with the component config (a JSON object).
func deployServiceOf(t testing.TB, chain *anviltest.Chain, o deploy.Options, wasmPath, config string, triggers ...string) deploy.Addresses {
	t.Helper()
	wasm, err := os.ReadFile(wasmPath)
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
	if len(triggers) == 0 {
		triggers = []string{""}
	}
	var workflows []string
	for i, trigger := range triggers {
		if trigger == "" {
			trigger = fmt.Sprintf(`{"evm_contract_event": {"address": %q, "chain": "evm:31337", "event_hash": %q}}`,
				strings.ToLower(addrs.SimpleTrigger.Hex()), crypto.Keccak256Hash([]byte("NewTrigger(bytes)")).Hex())
		}
		name := "square"
		if i > 0 {
			name += strconv.Itoa(i + 1)
		}
		workflows = append(workflows, fmt.Sprintf(`%q: {
    "trigger": %s,
    "component": {"source": {"download": {"uri": %q, "digest": %q}}, "permissions": {"allowed_http_hosts": "none"},
                  "fuel_limit": null, "time_limit_seconds": 10, "config": %s, "env_keys": []},
    "submit": {"aggregator": {"chain": "evm:31337", "address": %q}}}`,
			name, trigger, srv.URL+"/evm-square.wasm", hex.EncodeToString(digest[:]), config, strings.ToLower(addrs.ServiceHandler.Hex())))
	}
	serviceJSON = []byte(fmt.Sprintf(`{"name": "square", "status": "active",
  "manager": {"evm": {"chain": "evm:31337", "address": %q}},
  "workflows": {%s}}`, strings.ToLower(addrs.ServiceManager.Hex()), strings.Join(workflows, ",\n  ")))
	return addrs
}

func (c *chainSetup) nodeOptions(data string) nodeOptions {
	return nodeOptions{data: data, plugins: []string{"transport-none", "trigger-evm", "submit-evm"}, config: c.cfg, env: c.env}
}

func (c *chainSetup) registerByManager(t testing.TB, n *node) serviceInfo {
	t.Helper()
	return register(t, n, []byte(fmt.Sprintf(`{"chain": "evm:31337", "address": %q}`, c.addrs.ServiceManager.Hex())))
}

// landing is a successful handleSignedEnvelope transaction to the handler.
type landing struct {
	eventID string // hex, no 0x
	value   int64  // the square the payload carries
	tx      common.Hash
	block   uint64
}

// landings reads the transactions sent to the handler, in block order,
// from the chain itself (the WAVS pair's handler emits nothing): the
// successful ones, and how many reverted. Blocks are read once.
func (c *chainSetup) landings(t testing.TB) (ok []landing, reverted int) {
	t.Helper()
	ctx := t.Context()
	head, err := c.chain.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	call := bindings.NewServiceHandler().GetABI().Methods["handleSignedEnvelope"]
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.scanned == nil {
		c.scanned = map[uint64][]landing{}
	}
	for b := uint64(1); b <= head; b++ {
		if _, done := c.scanned[b]; done {
			continue
		}
		block, err := c.chain.Client.BlockByNumber(ctx, new(big.Int).SetUint64(b))
		if err != nil {
			t.Fatal(err)
		}
		var found []landing
		for _, tx := range block.Transactions() {
			if to := tx.To(); to == nil || *to != c.addrs.ServiceHandler || c.ours[tx.Hash()] {
				continue
			}
			r, err := c.chain.Client.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				t.Fatal(err)
			}
			l := landing{tx: tx.Hash(), block: b, value: -1}
			if len(tx.Data()) >= 4 && string(tx.Data()[:4]) == string(call.ID) {
				if args, err := call.Inputs.Unpack(tx.Data()[4:]); err == nil {
					env := *abi.ConvertType(args[0], new(bindings.ServiceHandlerEnvelope)).(*bindings.ServiceHandlerEnvelope)
					l.eventID = hex.EncodeToString(env.EventId[:])
					l.value = c.payloadValue(env.Payload)
				}
			}
			if r.Status != 1 {
				l.value = -2 // reverted
			}
			found = append(found, l)
		}
		c.scanned[b] = found
	}
	for b := uint64(1); b <= head; b++ {
		for _, l := range c.scanned[b] {
			if l.value == -2 {
				reverted++
			} else {
				ok = append(ok, l)
			}
		}
	}
	return ok, reverted
}

// payloadValue reads the square a result carries: a uint256, or the data
// of a DataWithId for the WAVS pair.
func (c *chainSetup) payloadValue(payload []byte) int64 {
	if c.addrs.Pair == deploy.PairWAVS {
		_, data, err := deploy.DecodeDataWithID(payload)
		if err != nil {
			return -1
		}
		payload = data
	}
	return new(big.Int).SetBytes(payload).Int64()
}

// handled is what landed: event id → the square its payload carries. It
// fails the test on a reverted handler transaction or an event landed
// twice: exactly once means one successful transaction and no other.
func (c *chainSetup) handled(t testing.TB) map[string]int64 {
	t.Helper()
	ok, reverted := c.landings(t)
	if reverted > 0 {
		t.Fatalf("%d handler transactions reverted", reverted)
	}
	out := map[string]int64{}
	for _, l := range ok {
		if _, dup := out[l.eventID]; dup {
			t.Fatalf("event %s landed twice (the second in tx %s, block %d)", l.eventID, l.tx.Hex(), l.block)
		}
		out[l.eventID] = l.value
	}
	return out
}

// handlerTxs counts the transactions sent to the handler, and fails the
// test on one that reverted or an event landed twice.
func (c *chainSetup) handlerTxs(t testing.TB) int {
	t.Helper()
	ok, _ := c.landings(t)
	c.handled(t)
	return len(ok)
}

func TestSingleOperatorResultLandsOnChain(t *testing.T) {
	for _, pair := range pairs {
		t.Run(string(pair), func(t *testing.T) { singleOperatorResultLands(t, pair) })
	}
}

func singleOperatorResultLands(t *testing.T, pair deploy.Pair) {
	c := setupChain(t, pair)
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
	landed, _ := c.landings(t)
	if len(rs) == 1 && (len(landed) != 1 || rs[0].TxHash != landed[0].tx.Hex()) {
		t.Errorf("the node records tx %s; the chain has %+v", rs[0].TxHash, landed)
	}
}

func TestTriggersSurviveKills(t *testing.T) {
	for _, pair := range pairs {
		t.Run(string(pair), func(t *testing.T) { triggersSurviveKills(t, pair) })
	}
}

func triggersSurviveKills(t *testing.T, pair deploy.Pair) {
	const total = 200
	c := setupChain(t, pair)
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
	if n := c.handlerTxs(t); n != total {
		t.Errorf("%d handler transactions for %d triggers", n, total)
	}
	t.Logf("%d triggers, %d results on chain, each once, %d transactions", total, len(got), total)
}

func TestChainBadInput(t *testing.T) {
	c := setupChain(t, deploy.PairRepo)
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
