package e2e

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/envelope"
)

// The third-party examples: a trigger plugin declaring its own kind
// (examples/trigger-webhook) and the submit plugin of a chain family that
// is not EVM (examples/submit-ledger), landing on the stand-in ledger
// (bin/examples/ledger, a process of its own). They run beside the
// shipped EVM plugins on one node, each service on its own plugins.

// extendBins holds the examples' binaries, found (or built) once.
var extendBins struct {
	once   sync.Once
	ledger string
	err    error
}

// extendBinaries adds trigger-webhook and submit-ledger to bins.plugins
// and finds the ledger: under WAVS_E2E_BIN/examples (make examples), or
// built into the run's temporary folder.
func extendBinaries(t testing.TB) {
	t.Helper()
	extendBins.once.Do(func() {
		dir := filepath.Dir(bins.wavs)
		out := map[string]string{
			"trigger-webhook": filepath.Join(dir, "examples", "wavs-plugin-trigger-webhook"),
			"submit-ledger":   filepath.Join(dir, "examples", "wavs-plugin-submit-ledger"),
		}
		ledger := filepath.Join(dir, "examples", "ledger")
		if os.Getenv("WAVS_E2E_BIN") == "" {
			for _, b := range []struct{ module, out, pkg string }{
				{"../examples/trigger-webhook", out["trigger-webhook"], "."},
				{"../examples/submit-ledger", out["submit-ledger"], "."},
				{"../examples/submit-ledger", ledger, "./cmd/ledger"},
			} {
				if err := goCmd(b.module, "build", "-o", b.out, b.pkg); err != nil {
					extendBins.err = err
					return
				}
			}
		}
		for _, p := range append(values(out), ledger) {
			if _, err := os.Stat(p); err != nil {
				extendBins.err = fmt.Errorf("%w (run make examples, or unset WAVS_E2E_BIN)", err)
				return
			}
		}
		for name, p := range out {
			bins.plugins[name] = p
		}
		extendBins.ledger = ledger
	})
	if extendBins.err != nil {
		t.Fatal(extendBins.err)
	}
}

// extendPlugins is the plugins folder of a node running both kinds of
// service: the shipped EVM plugins, a transport, and the two examples.
func extendPlugins(transport string) []string {
	return []string{transport, "trigger-evm", "submit-evm", "trigger-webhook", "submit-ledger"}
}

// ledgerChain is the chain key of the test's ledger.
const ledgerChain = "ledger:demo"

// ledgerProc is a running ledger.
type ledgerProc struct {
	t   testing.TB
	url string
}

// startLedger runs bin/examples/ledger on 127.0.0.1, making an empty
// block every 200 ms besides one per transaction.
func startLedger(t testing.TB) *ledgerProc {
	t.Helper()
	cmd := exec.Command(extendBins.ledger, "-listen", "127.0.0.1:0", "-chain", "demo", "-block-interval", "200ms",
		"-state", filepath.Join(t.TempDir(), "ledger.json"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	// "ledger ledger:demo listening on http://127.0.0.1:<port>"
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line, ok := <-lines:
		_, url, found := strings.Cut(line, " listening on ")
		if !ok || !found || !strings.HasPrefix(line, "ledger "+ledgerChain) || !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Fatalf("ledger said %q, want %q and its URL\n%s", line, "ledger "+ledgerChain+" listening on", stderr.String())
		}
		return &ledgerProc{t: t, url: url}
	case <-time.After(10 * time.Second):
		t.Fatalf("the ledger did not start within 10s\n%s", stderr.String())
		return nil
	}
}

// call sends a JSON request to the ledger and decodes the answer into
// out; an error answer fails the test.
func (l *ledgerProc) call(method, path string, in, out any) {
	l.t.Helper()
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			l.t.Fatal(err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(l.t.Context(), method, l.url+path, body)
	if err != nil {
		l.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatalf("ledger %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		l.t.Fatalf("ledger %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		l.t.Fatalf("ledger %s %s: %v: %s", method, path, err, raw)
	}
}

type ledgerOperator struct {
	Signer string `json:"signer"`
	Weight uint64 `json:"weight"`
}

type ledgerReceipt struct {
	ID      string `json:"id"`
	Height  uint64 `json:"height"`
	Address string `json:"address"`
}

// twoThirds is the ledger managers' threshold: 2/3 of the total weight.
var twoThirds = map[string]uint64{"numerator": 2, "denominator": 3}

// createManager makes a manager account holding ops, its service URI
// set; it returns the manager's address.
func (l *ledgerProc) createManager(name string, ops []ledgerOperator, uri string) string {
	l.t.Helper()
	var r ledgerReceipt
	l.call("POST", "/admin/managers", map[string]any{"name": name, "operators": ops, "threshold": twoThirds, "service_uri": uri}, &r)
	return r.Address
}

// setOperators replaces a manager's operators; it returns the height of
// the change.
func (l *ledgerProc) setOperators(manager string, ops []ledgerOperator) uint64 {
	l.t.Helper()
	var r ledgerReceipt
	l.call("POST", "/admin/managers/"+manager+"/operators", map[string]any{"operators": ops, "threshold": twoThirds}, &r)
	return r.Height
}

// createHandler makes a handler account bound to manager.
func (l *ledgerProc) createHandler(name, manager string) string {
	l.t.Helper()
	var r ledgerReceipt
	l.call("POST", "/admin/handlers", map[string]any{"name": name, "manager": manager}, &r)
	return r.Address
}

type ledgerBlock struct {
	Height uint64   `json:"height"`
	Hash   string   `json:"hash"`
	Txs    []string `json:"txs"`
}

func (l *ledgerProc) head() ledgerBlock {
	l.t.Helper()
	var b ledgerBlock
	l.call("GET", "/head", nil, &b)
	return b
}

// ledgerTx is a submit transaction as the ledger records it.
type ledgerTx struct {
	ID        string `json:"id"`
	Height    uint64 `json:"height"`
	BlockHash string `json:"block_hash"`
	Tx        struct {
		Type     string `json:"type"`
		Handler  string `json:"handler"`
		Envelope struct {
			EventID  string `json:"event_id"`
			Ordering string `json:"ordering"`
			Payload  string `json:"payload"`
		} `json:"envelope"`
		Signatures struct {
			Scheme     string   `json:"scheme"`
			Signers    []string `json:"signers"`
			Signatures []string `json:"signatures"`
			Reference  uint64   `json:"reference"`
		} `json:"signatures"`
	} `json:"tx"`
}

// submits lists the submit transactions to a handler.
func (l *ledgerProc) submits(handler string) []ledgerTx {
	l.t.Helper()
	var out struct {
		Txs []ledgerTx `json:"txs"`
	}
	l.call("GET", "/handlers/"+handler+"/txs?from=0", nil, &out)
	return out.Txs
}

// checkLanded checks a landed submit transaction against the ledger's own
// records (the transaction by id, its block) and its signatures with the
// SDK's envelope package, and returns its envelope.
func (l *ledgerProc) checkLanded(tx ledgerTx) sdk.Envelope {
	l.t.Helper()
	var byID ledgerTx
	l.call("GET", "/txs/"+tx.ID, nil, &byID)
	var block ledgerBlock
	l.call("GET", fmt.Sprintf("/blocks/%d", tx.Height), nil, &block)
	if byID.ID != tx.ID || block.Hash != tx.BlockHash || !slices.Contains(block.Txs, tx.ID) {
		l.t.Fatalf("transaction %s: by id %+v, block %+v", tx.ID, byID, block)
	}
	unhex := func(s string) []byte {
		b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
		if err != nil {
			l.t.Fatalf("transaction %s: %q: %v", tx.ID, s, err)
		}
		return b
	}
	var env sdk.Envelope
	copy(env.EventID[:], unhex(tx.Tx.Envelope.EventID))
	copy(env.Ordering[:], unhex(tx.Tx.Envelope.Ordering))
	env.Payload = unhex(tx.Tx.Envelope.Payload)
	sd := sdk.SignatureData{Scheme: sdk.Scheme(tx.Tx.Signatures.Scheme), Reference: tx.Tx.Signatures.Reference}
	for _, s := range tx.Tx.Signatures.Signers {
		sd.Signers = append(sd.Signers, unhex(s))
	}
	for _, s := range tx.Tx.Signatures.Signatures {
		sd.Signatures = append(sd.Signatures, unhex(s))
	}
	if _, err := envelope.Verify(env, sd); err != nil {
		l.t.Fatalf("transaction %s: the signatures do not verify: %v", tx.ID, err)
	}
	return env
}

// ledgerService is a service on the ledger: a manager, a handler, and
// the service JSON (workflow "orders": a webhook on /hooks/orders runs
// echo-square, whose result goes to the handler) served as the manager's
// service URI.
type ledgerService struct {
	manager, handler string
}

func setupLedgerService(t testing.TB, lg *ledgerProc, ops []ledgerOperator) ledgerService {
	t.Helper()
	wasm, err := os.ReadFile(bins.components["echo-square"])
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ledger-service.json":
			mu.Lock()
			defer mu.Unlock()
			w.Write(doc)
		case "/echo-square.wasm":
			w.Write(wasm)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	s := ledgerService{manager: lg.createManager("orders", ops, srv.URL+"/ledger-service.json")}
	s.handler = lg.createHandler("orders", s.manager)
	digest := sha256.Sum256(wasm)
	mu.Lock()
	doc = []byte(fmt.Sprintf(`{"name": "orders", "status": "active",
  "manager": {"ledger": {"chain": %q, "address": %q}},
  "workflows": {"orders": {
    "trigger": {"webhook": {"path": "orders"}},
    "component": {"source": {"download": {"uri": %q, "digest": %q}}, "permissions": {"allowed_http_hosts": "none"},
                  "fuel_limit": null, "time_limit_seconds": 10, "config": {}, "env_keys": []},
    "submit": {"aggregator": {"chain": %q, "address": %q}},
    "plugins": {"trigger": "trigger-webhook", "submit": "submit-ledger"}}}}`,
		ledgerChain, s.manager, srv.URL+"/echo-square.wasm", hex.EncodeToString(digest[:]), ledgerChain, s.handler))
	mu.Unlock()
	return s
}

// extendTOML is the examples' part of a node's wavs.toml: its webhook
// port and the ledger's URL.
func extendTOML(hookPort int, lg *ledgerProc) string {
	return fmt.Sprintf("\n[plugins.trigger-webhook.config]\nlisten = \"127.0.0.1:%d\"\n\n[plugins.submit-ledger.config]\nchains = { %q = %q }\n", hookPort, ledgerChain, lg.url)
}

// hook posts body to a node's webhook plugin.
func hook(t testing.TB, port int, body string) {
	t.Helper()
	resp, err := http.Post(fmt.Sprintf("http://127.0.0.1:%d/hooks/orders", port), "text/plain", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /hooks/orders: %d %s", resp.StatusCode, answer)
	}
}

// square32 is n² as a 32-byte big-endian integer: echo-square's answer.
func square32(n int64) []byte {
	return new(big.Int).Mul(big.NewInt(n), big.NewInt(n)).FillBytes(make([]byte, 32))
}

// ledgerLanded waits until the handler holds n submit transactions.
func ledgerLanded(t testing.TB, lg *ledgerProc, handler string, n int, d time.Duration) []ledgerTx {
	t.Helper()
	var txs []ledgerTx
	if !eventually(d, func() bool { txs = lg.submits(handler); return len(txs) >= n }) {
		t.Fatalf("%d submit transactions to the ledger handler after %v, want %d", len(txs), d, n)
	}
	return txs
}

// submittedResult waits until a node records its one result of a service
// as submitted, and returns it.
func submittedResult(t testing.TB, n *node, serviceID string, d time.Duration) result {
	t.Helper()
	var rs []result
	if !eventually(d, func() bool { rs = results(t, n, serviceID); return len(rs) == 1 && rs[0].Status == "submitted" }) {
		t.Fatalf("results of %s: %+v, want one submitted", serviceID, rs)
	}
	return rs[0]
}

// TestExtendSingleOperator: one node, with trigger-evm, submit-evm,
// transport-none and the two examples, runs an EVM service (a contract
// event → evm-square → the handler contract) and a ledger service (a
// webhook POST → echo-square → the ledger handler) at once; both results
// land.
func TestExtendSingleOperator(t *testing.T) {
	extendBinaries(t)
	start := time.Now()
	c := setupChain(t, deploy.PairRepo)
	lg := startLedger(t)
	// The manager starts with no operators: the node's signing address
	// is known once the service is registered.
	ls := setupLedgerService(t, lg, []ledgerOperator{})
	hookPort := freePort(t)
	opts := c.nodeOptions("")
	opts.plugins = extendPlugins("transport-none")
	opts.config = c.cfg + extendTOML(hookPort, lg)
	n := startNode(t, opts)

	evmSvc := c.registerByManager(t, n)
	if evmSvc.SigningAddress != addrIndex1 {
		t.Fatalf("the EVM service signs with %s, want %s", evmSvc.SigningAddress, addrIndex1)
	}
	ledgerSvc := register(t, n, []byte(fmt.Sprintf(`{"chain": %q, "address": %q}`, ledgerChain, ls.manager)))
	if ledgerSvc.SigningAddress == "" || strings.EqualFold(ledgerSvc.SigningAddress, evmSvc.SigningAddress) {
		t.Fatalf("the ledger service signs with %q (the EVM one with %s): want a key of its own", ledgerSvc.SigningAddress, evmSvc.SigningAddress)
	}
	// The node's service signing address goes into the manager's
	// operator set; signatures are weighed a block later (at head − 1).
	changed := lg.setOperators(ls.manager, []ledgerOperator{{Signer: strings.ToLower(ledgerSvc.SigningAddress), Weight: 100}})
	if !eventually(10*time.Second, func() bool { return lg.head().Height > changed }) {
		t.Fatal("the ledger made no block after the operator change")
	}

	s, err := deploy.NewSender(t.Context(), c.chain.Client, c.chain.Keys[2])
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := deploy.AddTrigger(t.Context(), s, c.addrs.SimpleTrigger, []byte("7")); err != nil {
		t.Fatal(err)
	}
	hook(t, hookPort, "12")

	var got map[string]int64
	if !eventually(60*time.Second, func() bool { got = c.handled(t); return len(got) == 1 }) {
		t.Fatalf("the EVM handler holds %v after 60s", got)
	}
	for _, v := range got {
		if v != 49 {
			t.Errorf("EVM payload %d, want 49", v)
		}
	}
	txs := ledgerLanded(t, lg, ls.handler, 1, 60*time.Second)
	env := lg.checkLanded(txs[0])
	if !bytes.Equal(env.Payload, square32(12)) {
		t.Errorf("ledger payload %x, want 144 as 32 bytes", env.Payload)
	}
	if signers := txs[0].Tx.Signatures.Signers; len(signers) != 1 || !strings.EqualFold(signers[0], ledgerSvc.SigningAddress) {
		t.Errorf("the ledger transaction's signers %v, want the node's %s", signers, ledgerSvc.SigningAddress)
	}

	r := submittedResult(t, n, ledgerSvc.ID, 10*time.Second)
	if strings.TrimPrefix(r.TxHash, "0x") != txs[0].ID || strings.TrimPrefix(r.EventID, "0x") != hex.EncodeToString(env.EventID[:]) {
		t.Errorf("the node records %+v; the ledger has transaction %s of event %x", r, txs[0].ID, env.EventID)
	}
	submittedResult(t, n, evmSvc.ID, 10*time.Second)
	if again := lg.submits(ls.handler); len(again) != 1 {
		t.Errorf("%d ledger transactions for one hook", len(again))
	}
	t.Logf("both results landed %v after the start (ledger tx %s at height %d)", time.Since(start).Round(time.Millisecond), txs[0].ID, txs[0].Height)
}

// TestExtendTwoOperators: two nodes over libp2p on 127.0.0.1, each with
// the EVM plugins and the two examples, run an EVM service and a ledger
// service whose managers need both operators' signatures. Each node gets
// the same POST on its own webhook port; exactly one ledger transaction
// lands (and one EVM one), carrying both signatures, and the other node
// records the landing.
func TestExtendTwoOperators(t *testing.T) {
	extendBinaries(t)
	start := time.Now()
	c := startCluster(t, clusterOptions{pair: deploy.PairRepo, weights: []int64{100, 100}, lazy: true})
	lg := startLedger(t)
	var ops []ledgerOperator
	for _, op := range c.ops {
		ops = append(ops, ledgerOperator{Signer: strings.ToLower(crypto.PubkeyToAddress(op.key.PublicKey).Hex()), Weight: 100})
	}
	ls := setupLedgerService(t, lg, ops)

	hookPorts := make([]int, len(c.ops))
	topics := map[string]bool{}
	var evmID, ledgerID string
	for i, op := range c.ops {
		hookPorts[i] = freePort(t)
		op.opts = nodeOptions{
			data:    t.TempDir(),
			plugins: extendPlugins("transport-libp2p"),
			config:  clusterTOML(c.chain, c.bootstrap, "", "") + extendTOML(hookPorts[i], lg),
			env: []string{
				"WAVS_SIGNING_KEY=" + keyHex(op.key),
				"WAVS_EVM_CREDENTIAL=" + keyHex(c.chain.Keys[7+i]),
			},
		}
		op.node = startNode(t, op.opts)
		var st p2pStatus
		if code := op.get("/p2p/status", &st); code != 200 || st.LocalPeerID == nil || len(st.ListenAddresses) == 0 {
			t.Fatalf("node %d: /p2p/status = %d %+v", i, code, st)
		}
		op.peerID = *st.LocalPeerID
		if i == 0 {
			c.bootstrap = st.ListenAddresses[0]
			if !strings.Contains(c.bootstrap, "/p2p/") {
				c.bootstrap += "/p2p/" + op.peerID
			}
		}
		want := crypto.PubkeyToAddress(op.key.PublicKey).Hex()
		evm := register(t, op.node, []byte(fmt.Sprintf(`{"chain": "evm:31337", "address": %q}`, c.addrs.ServiceManager.Hex())))
		led := register(t, op.node, []byte(fmt.Sprintf(`{"chain": %q, "address": %q}`, ledgerChain, ls.manager)))
		if !strings.EqualFold(evm.SigningAddress, want) || !strings.EqualFold(led.SigningAddress, want) {
			t.Fatalf("node %d signs with %s and %s, want %s", i, evm.SigningAddress, led.SigningAddress, want)
		}
		evmID, ledgerID = evm.ID, led.ID
		topics[evm.Topic], topics[led.Topic] = true, true
	}
	// Both nodes see each other on both services' topics.
	var why string
	if !eventually(60*time.Second, func() bool {
		for i, op := range c.ops {
			var st p2pStatus
			op.get("/p2p/status", &st)
			for topic := range topics {
				if st.TopicPeerCounts[topic] < 1 {
					why = fmt.Sprintf("node %d sees no peer on %s: %+v", i, topic, st)
					return false
				}
			}
		}
		return true
	}) {
		t.Fatal(why)
	}
	meshedAt := time.Since(start)

	c.fire(t, 5, 6)
	for _, port := range hookPorts {
		hook(t, port, "9")
	}

	var got map[string]int64
	if !eventually(60*time.Second, func() bool { got = c.handled(t); return len(got) == 1 }) {
		t.Fatalf("the EVM handler holds %v after 60s", got)
	}
	for _, v := range got {
		if v != 25 {
			t.Errorf("EVM payload %d, want 25", v)
		}
	}
	txs := ledgerLanded(t, lg, ls.handler, 1, 60*time.Second)
	env := lg.checkLanded(txs[0])
	if !bytes.Equal(env.Payload, square32(9)) {
		t.Errorf("ledger payload %x, want 81 as 32 bytes", env.Payload)
	}
	var want []string
	for _, o := range ops {
		want = append(want, o.Signer)
	}
	slices.Sort(want)
	if got := txs[0].Tx.Signatures.Signers; !slices.Equal(got, want) {
		t.Errorf("the ledger transaction's signers %v, want both operators %v", got, want)
	}
	// Each node records the one landing: the submitter its own
	// transaction (with both signatures), the other the landing it
	// observed and checked on the ledger.
	own := 0
	for i, op := range c.ops {
		r := submittedResult(t, op.node, ledgerID, 30*time.Second)
		if strings.TrimPrefix(r.TxHash, "0x") != txs[0].ID {
			t.Errorf("node %d records %+v; the ledger has transaction %s", i, r, txs[0].ID)
		}
		if r.Proof == "own transaction" {
			own++
			if len(r.Signers) != 2 {
				t.Errorf("node %d submitted with signers %v, want both", i, r.Signers)
			}
		}
		t.Logf("node %d: the ledger result's landing: %s", i, r.Proof)
		submittedResult(t, op.node, evmID, 30*time.Second)
	}
	if own != 1 {
		t.Errorf("%d nodes record the ledger transaction as their own, want 1", own)
	}
	if again := lg.submits(ls.handler); len(again) != 1 {
		t.Errorf("%d ledger transactions for one hook on two nodes, want 1", len(again))
	}
	if n := c.handlerTxs(t); n != 1 {
		t.Errorf("%d EVM handler transactions for one trigger, want 1", n)
	}
	t.Logf("meshed %v after the start; both results landed and recorded on both nodes %v after it (ledger tx %s at height %d)",
		meshedAt.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), txs[0].ID, txs[0].Height)
}
