package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wavs-go/wavs/api"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/host/aggregator"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/plugins/transport-libp2p/p2p"
	"github.com/wavs-go/wavs/sdk"
)

// operatorNode is one operator of the cluster: its node, its signing key
// and how to start it again on the same data folder.
type operatorNode struct {
	*node
	key    *ecdsa.PrivateKey
	opts   nodeOptions
	peerID string
	// pprof is the node's profile address when the cluster profiles.
	pprof string
}

// quorumCluster is three operators of one service (weight 100 each and
// quorum 2/3 unless the options say otherwise) on a local chain, in remote
// mode on 127.0.0.1, node 0 the bootstrap node.
type quorumCluster struct {
	*chainSetup
	submitConfig, triggerConfig string
	config                      func(string) string
	ops                         []*operatorNode
	bootstrap                   string // node 0's multiaddr
	serviceID                   string
	topic                       string
	sender                      *deploy.Sender
	admission                   string // [wavs.p2p] admission ("": the default)
	profiling                   bool
}

// clusterOptions shape a cluster.
type clusterOptions struct {
	pair deploy.Pair
	// weights of the three operators (default 100 each).
	weights []int64
	// threshold is an absolute threshold weight (the WAVS pair only).
	threshold *big.Int
	// submitConfig is the submit-evm plugin's own table, as TOML (empty:
	// none); triggerConfig trigger-evm's (empty: confirmations = 0).
	submitConfig, triggerConfig string
	// trigger is the workflow's trigger as JSON ("": the trigger
	// contract's NewTrigger event).
	trigger string
	// more are the triggers of more workflows ("square2", …), as JSON.
	more []string
	// anvil starts the chain (the zero value: anviltest.Start's).
	anvil anviltest.Options
	// lazy: startCluster starts and registers no node (startOperator
	// does, one at a time).
	lazy bool
	// admission is [wavs.p2p] admission ("": the default, operators).
	admission string
	// config, if set, rewrites each node's wavs.toml.
	config func(string) string
	// profile: each node serves Go profiles on a loopback port
	// (WAVS_PPROF_ADDR), for c.profile.
	profile bool
}

// clusterTOML is a node's wavs.toml: the chain, short aggregator turns
// (so a test sees fallbacks in seconds) and remote P2P on loopback.
func clusterTOML(chain *anviltest.Chain, bootstrap, submitConfig, triggerConfig string) string {
	if bootstrap != "" {
		bootstrap = strconv.Quote(bootstrap)
	}
	cfg := chainConfig(chain) + fmt.Sprintf(`
[wavs.aggregator]
settle_ms = 300
claim_wait_ms = 1000
fallback_ms = 3000
rebroadcast_ms = 500

[wavs.p2p]
listen_address = "127.0.0.1"
remote = { listen_port = 0, bootstrap_nodes = [%s] }

[plugins.transport-libp2p.config]
discovery_interval = "500ms"
`, bootstrap)
	if submitConfig != "" {
		cfg += "\n[plugins.submit-evm.config]\n" + submitConfig + "\n"
	}
	if triggerConfig == "" {
		triggerConfig = "confirmations = 0" // see instantTriggers
	}
	cfg += "\n[plugins.trigger-evm.config]\n" + triggerConfig + "\n"
	return cfg
}

func keyHex(k *ecdsa.PrivateKey) string { return hex.EncodeToString(crypto.FromECDSA(k)) }

func newSigningKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func startCluster(t testing.TB, o clusterOptions) *quorumCluster {
	t.Helper()
	if o.weights == nil {
		o.weights = []int64{100, 100, 100}
	}
	chain := anviltest.StartWithOptions(t, o.anvil)
	c := &quorumCluster{chainSetup: &chainSetup{chain: chain}, admission: o.admission}
	var ops []deploy.Operator
	for i, w := range o.weights {
		k := newSigningKey(t)
		c.ops = append(c.ops, &operatorNode{key: k})
		ops = append(ops, deploy.Operator{Address: chain.Accounts[1+i], SigningKey: crypto.PubkeyToAddress(k.PublicKey), Weight: big.NewInt(w)})
	}
	c.addrs = deployServiceWith(t, chain, deploy.Options{Pair: o.pair, Operators: ops, QuorumNumerator: 2, QuorumDenominator: 3, ThresholdWeight: o.threshold}, append([]string{o.trigger}, o.more...)...)
	c.submitConfig, c.triggerConfig, c.config, c.profiling = o.submitConfig, o.triggerConfig, o.config, o.profile
	if !o.lazy {
		for i := range c.ops {
			c.startOperator(t, i)
		}
	}
	s, err := deploy.NewSender(t.Context(), chain.Client, chain.Keys[4])
	if err != nil {
		t.Fatal(err)
	}
	c.sender = s
	return c
}

// startOperator starts operator i's node (node 0 first: it is the
// bootstrap node) and registers the service on it by its manager.
func (c *quorumCluster) startOperator(t testing.TB, i int) {
	t.Helper()
	op := c.ops[i]
	cfg := withAdmission(clusterTOML(c.chain, c.bootstrap, c.submitConfig, c.triggerConfig), c.admission)
	if c.config != nil {
		cfg = c.config(cfg)
	}
	op.opts = nodeOptions{
		data:    t.TempDir(),
		plugins: []string{"transport-libp2p", "trigger-evm", "submit-evm"},
		config:  cfg,
		env: []string{
			"WAVS_SIGNING_KEY=" + keyHex(op.key),
			"WAVS_EVM_CREDENTIAL=" + keyHex(c.chain.Keys[7+i]), // each pays from its own account
		},
	}
	if c.profiling {
		op.pprof = fmt.Sprintf("127.0.0.1:%d", freePort(t))
		op.opts.env = append(op.opts.env, "WAVS_PPROF_ADDR="+op.pprof)
		if dir := os.Getenv(envProfileDir); dir != "" {
			// The plugins serve theirs and say where in dir.
			op.opts.env = append(op.opts.env, "WAVS_PLUGIN_PPROF_DIR="+dir)
		}
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
	svc := register(t, op.node, []byte(fmt.Sprintf(`{"chain": "evm:31337", "address": %q}`, c.addrs.ServiceManager.Hex())))
	if want := crypto.PubkeyToAddress(op.key.PublicKey).Hex(); !strings.EqualFold(svc.SigningAddress, want) {
		t.Fatalf("node %d signs with %s, want %s", i, svc.SigningAddress, want)
	}
	c.serviceID, c.topic = svc.ID, svc.Topic
}

// meshed waits until each running node is connected to the others and
// sees them on the service's topic.
func (c *quorumCluster) meshed(t testing.TB, running ...int) {
	t.Helper()
	var why string
	check := func() bool {
		for _, i := range running {
			var st p2pStatus
			if code := c.ops[i].get("/p2p/status", &st); code != 200 {
				why = fmt.Sprintf("node %d: /p2p/status %d", i, code)
				return false
			}
			for _, j := range running {
				if j == i {
					continue
				}
				if !slices.Contains(st.PeerIDs, c.ops[j].peerID) {
					why = fmt.Sprintf("node %d is not connected to node %d: %+v", i, j, st)
					return false
				}
				if st.Admission != "" && !slices.ContainsFunc(st.Peers, func(p struct {
					PeerID string   `json:"peer_id"`
					Topics []string `json:"topics"`
				}) bool {
					return p.PeerID == c.ops[j].peerID && slices.Contains(p.Topics, c.topic)
				}) {
					why = fmt.Sprintf("node %d has not admitted node %d to %s: %+v", i, j, c.topic, st)
					return false
				}
			}
			if n := st.TopicPeerCounts[c.topic]; n < len(running)-1 {
				why = fmt.Sprintf("node %d sees %d peers on %s, want %d: %+v", i, n, c.topic, len(running)-1, st)
				return false
			}
		}
		return true
	}
	if !eventually(60*time.Second, check) {
		t.Fatal(why)
	}
	// A peer just admitted is reconnected a moment later (so that pubsub
	// exchanges subscriptions again): messages sent across that moment
	// come late, by gossip. Meshed is when the links stay up.
	time.Sleep(admissionSettle)
	if !eventually(60*time.Second, check) {
		t.Fatal(why)
	}
}

// admissionSettle covers the transport's reconnection of a newly
// admitted peer.
const admissionSettle = 1500 * time.Millisecond

// fire sends triggers carrying from..to-1 and returns when each is mined.
func (c *quorumCluster) fire(t testing.TB, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if _, _, err := deploy.AddTrigger(t.Context(), c.sender, c.addrs.SimpleTrigger, []byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
}

// landed waits until the handler holds the squares of 1..n-1, each once.
func (c *quorumCluster) landed(t testing.TB, n int, d time.Duration) {
	t.Helper()
	var got map[string]int64
	eventually(d, func() bool { got = c.handled(t); return len(got) >= n-1 })
	if len(got) != n-1 {
		t.Fatalf("%d of %d results on chain", len(got), n-1)
	}
	seen := map[int64]bool{}
	for _, v := range got {
		seen[v] = true
	}
	for i := int64(1); i < int64(n); i++ {
		if !seen[i*i] {
			t.Fatalf("no result for trigger %d", i)
		}
	}
}

// aggregatorStatus is GET /aggregator.
type aggregatorStatus = api.AggregatorStatus

func (op *operatorNode) aggregator(t testing.TB) aggregatorStatus {
	t.Helper()
	var st aggregatorStatus
	if code := op.get("/aggregator", &st); code != 200 {
		t.Fatalf("GET /aggregator: %d", code)
	}
	return st
}

// stop ends the node with SIGTERM and waits for it.
func (op *operatorNode) stop(t testing.TB) {
	t.Helper()
	op.signal(syscall.SIGTERM)
	if err := op.wait(30 * time.Second); err != nil {
		t.Fatalf("node exited with %v", err)
	}
}

// rogue is a libp2p peer on the service's topic that answers each real
// signature it sees with forged ones: a corrupted signature, the same
// envelope signed by a key outside the operator set, a conflicting
// envelope signed by an operator's key (as a thief of that key would),
// and false notices that the event landed, naming each transaction of
// lies.
type rogue struct {
	tr   *p2p.Transport
	sent int
	lies []sdk.Hash
	mu   sync.Mutex
}

func startRogue(t testing.TB, bootstrap []string, topic string, insider *ecdsa.PrivateKey, lies []sdk.Hash) *rogue {
	t.Helper()
	r := &rogue{tr: p2p.New(hclog.NewNullLogger()), lies: lies}
	t.Cleanup(func() { _ = r.tr.Shutdown(context.Background()) })
	cfg, _ := json.Marshal(map[string]any{
		"p2p":    map[string]any{"listen_address": "127.0.0.1", "remote": map[string]any{"listen_port": 0, "bootstrap_nodes": bootstrap}},
		"plugin": map[string]any{"discovery_interval": "500ms"},
	})
	ctx := t.Context()
	if err := r.tr.Configure(ctx, sdk.ConfigureRequest{DataDir: t.TempDir(), Config: cfg, HostVersion: "rogue"}); err != nil {
		t.Fatal(err)
	}
	if err := r.tr.Subscribe(ctx, topic); err != nil {
		t.Fatal(err)
	}
	// It holds an operator's key, as a thief of it would: it attests
	// with it and is admitted to the topic like that operator.
	if insider != nil {
		attest(t, r.tr, topic, insider)
	}
	in, err := r.tr.Inbound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	outsider, insiderKey := signingKey(t, newSigningKey(t)), signingKey(t, insider)
	go func() {
		answered := map[[20]byte]bool{}
		for msg := range in {
			g, err := aggregator.DecodeGossip(msg.Data)
			if err != nil || g.Landed || answered[g.Envelope.EventID] {
				continue
			}
			answered[g.Envelope.EventID] = true
			forged := slices.Clone(g.Signature)
			forged[10] ^= 0xff
			conflicting := g.Envelope
			conflicting.Payload = []byte("forged result")
			// Each event's answer starts with another kind of lie: the
			// nodes soon drop this peer's messages (its score falls with
			// each rejection), and a false "landed" notice counts only while
			// its event is pending.
			var forgeries []aggregator.Gossip
			for _, h := range r.lies {
				forgeries = append(forgeries, aggregator.Gossip{Envelope: sdk.Envelope{EventID: g.Envelope.EventID}, Landed: true, TxHash: h})
			}
			forgeries = append(forgeries,
				aggregator.Gossip{Envelope: g.Envelope, Signature: forged},
				aggregator.Gossip{Envelope: g.Envelope, Signature: sign(outsider, g.Envelope)},
				aggregator.Gossip{Envelope: conflicting, Signature: sign(insiderKey, conflicting)},
				aggregator.Gossip{Envelope: conflicting, Signature: sign(outsider, conflicting)},
			)
			kinds := []int{0, len(r.lies), len(r.lies) + 1, len(r.lies) + 2} // lies, forged, outsider, equivocation
			start := kinds[(len(answered)-1)%len(kinds)]
			forgeries = append(forgeries[start:], forgeries[:start]...)
			for _, f := range forgeries {
				f.ServiceID, f.WorkflowID = g.ServiceID, g.WorkflowID
				data, err := aggregator.EncodeGossip(f)
				if err != nil {
					continue
				}
				if r.tr.Publish(context.Background(), topic, data) == nil {
					r.mu.Lock()
					r.sent++
					r.mu.Unlock()
				}
			}
		}
	}()
	return r
}

func signingKey(t testing.TB, k *ecdsa.PrivateKey) *signer.Key {
	t.Helper()
	s, err := signer.FromEnv(func(name string) (string, bool) {
		return keyHex(k), name == "WAVS_SIGNING_KEY"
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.Operator()
}

func sign(k *signer.Key, env sdk.Envelope) []byte {
	sig, err := k.SignEnvelope(env)
	if err != nil {
		panic(err)
	}
	return sig
}

// TestOperatorsReachQuorumOnChain runs three operators of one service
// (quorum 2/3) on anvil through the real binaries, against each contract
// pair: every result lands once with one transaction per trigger (also on
// a handler that accepts replays), a rogue peer's signatures and false
// landed notices never count, results go on landing with an operator
// stopped, and a node started after a trigger completes the quorum of
// that pending event, which nothing marked landed meanwhile.
func TestOperatorsReachQuorumOnChain(t *testing.T) {
	for _, pair := range pairs {
		t.Run(string(pair), func(t *testing.T) { operatorsReachQuorum(t, pair) })
	}
}

// noSignatureErrors are what each pair's manager reverts with when a
// submission carries no signatures: configured as "already handled", they
// once made an under-quorum event count as landed (and be lost). A
// selector cannot be checked when configured; the plugin must not take it
// for a landing at run time.
var noSignatureErrors = map[deploy.Pair]string{
	deploy.PairRepo: "InvalidSignatureLength()",
	deploy.PairWAVS: "InvalidLength()",
}

func selectorOf(sig string) string { return hexutil.Encode(crypto.Keccak256([]byte(sig))[:4]) }

func operatorsReachQuorum(t *testing.T, pair deploy.Pair) {
	const batch = 100
	c := startCluster(t, clusterOptions{
		pair:         pair,
		submitConfig: fmt.Sprintf(`already_handled_errors = ["EventAlreadyHandled(bytes20)", %q]`, selectorOf(noSignatureErrors[pair])),
	})
	c.meshed(t, 0, 1, 2)
	for i, op := range c.ops {
		var st p2pStatus
		op.get("/p2p/status", &st)
		if *st.ConnectedPeers != 2 || st.TopicPeerCounts[c.topic] != 2 {
			t.Errorf("node %d: %d peers, %d on the topic; want 2 and 2: %+v", i, *st.ConnectedPeers, st.TopicPeerCounts[c.topic], st)
		}
	}

	// 1. Every result on chain once, one transaction per trigger.
	next := 1
	c.fire(t, next, next+batch)
	next += batch
	c.landed(t, next, 2*time.Minute)
	if n := c.handlerTxs(t); n != next-1 {
		t.Fatalf("%d handleSignedEnvelope transactions for %d triggers", n, next-1)
	}
	for i, op := range c.ops {
		st := op.aggregator(t)
		if st.Mode != "operators" || st.QuorumsReached == 0 || st.Accepted == 0 || st.Published < batch {
			t.Errorf("node %d /aggregator = %+v: want operators mode, quorums and signatures exchanged", i, st)
		}
	}

	// 2. A rogue peer answers each real signature with forged ones and
	// false landed notices: a transaction nobody sent, one to another
	// address, a reverted one and another event's landing. None counts,
	// every result is still right, and the rejections are counted.
	landedBefore, _ := c.landings(t)
	lies := []sdk.Hash{
		{0xde, 0xad, 0xbe, 0xef},
		sdk.Hash(c.rawTx(t, 8, c.chain.Accounts[9], []byte{0x12, 0x34})),
		sdk.Hash(c.rawTx(t, 8, c.addrs.ServiceHandler, []byte{0x12, 0x34})),
		sdk.Hash(landedBefore[0].tx),
	}
	// It dials every node, so that each node meets its lies (a node does
	// not forward what it rejects).
	var addrs []string
	for _, op := range c.ops {
		var st p2pStatus
		op.get("/p2p/status", &st)
		a := st.ListenAddresses[0]
		if !strings.Contains(a, "/p2p/") {
			a += "/p2p/" + op.peerID
		}
		addrs = append(addrs, a)
	}
	rg := startRogue(t, addrs, c.topic, c.ops[2].key, lies)
	eventually(30*time.Second, func() bool {
		for _, op := range c.ops {
			var st p2pStatus
			op.get("/p2p/status", &st)
			if st.TopicPeerCounts[c.topic] < 3 {
				return false
			}
		}
		return true
	})
	// Its admission (and the reconnection that follows it) takes a
	// moment: fire one trigger at a time until it has answered a real
	// signature, then the batch.
	for deadline := time.Now().Add(time.Minute); ; {
		c.fire(t, next, next+1)
		next++
		c.landed(t, next, time.Minute)
		rg.mu.Lock()
		sent := rg.sent
		rg.mu.Unlock()
		if sent > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	c.fire(t, next, next+10)
	next += 10
	c.landed(t, next, time.Minute)
	if n := c.handlerTxs(t); n != next-1 {
		t.Fatalf("%d handleSignedEnvelope transactions for %d triggers", n, next-1)
	}
	rg.mu.Lock()
	sent := rg.sent
	rg.mu.Unlock()
	if sent == 0 {
		t.Fatal("the rogue peer published nothing")
	}
	var notOperator, equivocations, falseLandings uint64
	count := func(log bool) {
		notOperator, equivocations, falseLandings = 0, 0, 0
		for i, op := range c.ops[:2] {
			st := op.aggregator(t)
			if log {
				t.Logf("node %d rejected: %v", i, st.Rejected)
			}
			notOperator += st.Rejected[aggregator.RejectNotOperator] + st.Rejected[aggregator.RejectBadSignature]
			equivocations += st.Rejected[aggregator.RejectEquivocation]
			falseLandings += st.Rejected[aggregator.RejectFalseLanding]
			if log && st.Rejected[aggregator.RejectEquivocation] > 0 && len(st.Evidence) == 0 {
				t.Errorf("node %d counted equivocations but keeps no evidence", i)
			}
		}
	}
	// The nodes soon drop the rogue's messages (its score falls with each
	// rejection), and which of its lies reach them first varies (it
	// starts each event's answer with another one): one trigger at a
	// time until each kind has been counted.
	count(false)
	for deadline := time.Now().Add(45 * time.Second); (notOperator == 0 || equivocations == 0 || falseLandings == 0) && time.Now().Before(deadline); {
		c.fire(t, next, next+1)
		next++
		c.landed(t, next, time.Minute)
		time.Sleep(300 * time.Millisecond)
		count(false)
	}
	count(true)
	if n := c.handlerTxs(t); n != next-1 {
		t.Fatalf("%d handleSignedEnvelope transactions for %d triggers", n, next-1)
	}
	if notOperator == 0 || equivocations == 0 || falseLandings == 0 {
		t.Errorf("rogue messages rejected as forged/outsider %d, equivocation %d, false landing %d; want each counted", notOperator, equivocations, falseLandings)
	}

	// Every stage of the path is counted on /metrics.
	for i, op := range c.ops {
		m := scrape(t, op.node)
		for _, name := range []string{
			"wavs_triggers_received_total", `wavs_component_executions_total{outcome="ok"`,
			"wavs_component_execution_seconds_count", "wavs_signatures_made_total",
			"wavs_signatures_published_total", "wavs_signatures_received_total", "wavs_signatures_accepted_total",
			"wavs_signatures_rejected_total", "wavs_quorums_reached_total", `wavs_gossip_messages_total{direction="in"}`,
			`wavs_gossip_messages_total{direction="out"}`, "wavs_p2p_connected_peers", `wavs_plugin_healthy{kind="transport"`,
			`wavs_plugin_calls_total{kind="submit",method="LatestBlock",outcome="ok"`, `wavs_plugin_calls_total{kind="transport",method="Publish",outcome="ok"`,
		} {
			if m.value(name) <= 0 {
				t.Errorf("node %d: %s is not above 0 on /metrics", i, name)
			}
		}
	}
	// A submitter records its landing when its receipt comes back, a
	// moment after the chain shows the transaction.
	var txSent, confirmed, avoided float64
	eventually(10*time.Second, func() bool {
		txSent, confirmed, avoided = 0, 0, 0
		for _, op := range c.ops {
			m := scrape(t, op.node)
			txSent += m.value(`wavs_submissions_total{outcome="sent"}`)
			confirmed += m.value(`wavs_submissions_total{outcome="confirmed"}`)
			avoided += m.value("wavs_duplicates_avoided_total")
		}
		return confirmed >= float64(next-1)
	})
	if confirmed != float64(next-1) || txSent < confirmed {
		t.Errorf("the nodes count %v submissions sent and %v confirmed for %d triggers", txSent, confirmed, next-1)
	}
	if avoided == 0 {
		t.Errorf("no node counts a duplicate avoided")
	}

	// 3. One operator stopped: the two others still reach 2/3.
	c.ops[2].stop(t)
	c.fire(t, next, next+10)
	next += 10
	c.landed(t, next, time.Minute)

	// 4. Only one operator running: a trigger waits, past every turn and
	// probe a node takes (the manager's "no signatures" error configured
	// as "already handled" must not end it); a node started afterwards
	// (the stopped one, same data folder and so the same peer id) catches
	// up on the trigger and completes the quorum.
	c.ops[1].stop(t)
	c.fire(t, next, next+1)
	next++
	time.Sleep(7 * time.Second) // more than two fallback_ms
	if got := len(c.handled(t)); got != next-2 {
		t.Fatalf("%d results on chain with one operator of three running, want %d", got, next-2)
	}
	want := int64((next - 1) * (next - 1))
	var pending aggregatorStatus
	if code := c.ops[0].get("/aggregator", &pending); code != 200 || pending.Pending != 1 || len(pending.PendingEvents) != 1 {
		t.Fatalf("node 0 /aggregator: %d %+v; want the one event pending", code, pending)
	}
	for _, r := range results(t, c.ops[0].node, c.serviceID) {
		if payloadNumber(r.Payload) == want && r.Status != "signed" {
			t.Fatalf("the event short of the quorum is %q on node 0 (error %q): nothing may mark it landed without proof", r.Status, r.Error)
		}
	}
	op := c.ops[2]
	op.node = startNode(t, op.opts)
	var st p2pStatus
	op.get("/p2p/status", &st)
	if *st.LocalPeerID != op.peerID {
		t.Errorf("restarted node's peer id %s, was %s", *st.LocalPeerID, op.peerID)
	}
	c.meshed(t, 0, 2)
	c.landed(t, next, time.Minute)
	if n := c.handlerTxs(t); n != next-1 {
		t.Fatalf("%d handleSignedEnvelope transactions for %d triggers", n, next-1)
	}
	// The late node's catch-up of events that landed without it ends
	// without a transaction.
	if !eventually(30*time.Second, func() bool { return op.aggregator(t).Pending == 0 }) {
		t.Errorf("the restarted node still has submissions pending: %+v", op.aggregator(t))
	}
	if n := c.handlerTxs(t); n != next-1 {
		t.Fatalf("%d handleSignedEnvelope transactions for %d triggers after catch-up", n, next-1)
	}
	found := false
	for _, r := range results(t, op.node, c.serviceID) {
		if payloadNumber(r.Payload) != want && !(pair == deploy.PairWAVS && dataWithIDValue(r.Payload) == want) {
			continue
		}
		found = true
		q := r.Quorum
		if r.Status != "submitted" || len(r.Signers) != 2 || q == nil || q.SignedWeight != "200" || r.TxHash == "" {
			t.Errorf("the late node's record of the pending event: %+v (quorum %+v)", r, q)
			continue
		}
		switch pair {
		case deploy.PairRepo: // its manager shows its total and quorum
			if q.TotalWeight != "300" || q.Threshold != "2/3" {
				t.Errorf("quorum %+v, want 200 of 300, 2/3", q)
			}
		case deploy.PairWAVS: // the interface alone: validate's word
			if q.TotalWeight != "" || q.Verdict != "validate passes" {
				t.Errorf("quorum %+v, want no total and validate's verdict", q)
			}
		}
	}
	if !found {
		t.Errorf("the late node has no result for the pending event")
	}
}

// rawTx sends data to `to` from dev account i with a fixed gas limit (no
// estimate: a call that reverts is mined as a failure) and waits for it.
// landings leaves it out: it is the test's, not a node's.
func (c *chainSetup) rawTx(t testing.TB, i int, to common.Address, data []byte) common.Hash {
	t.Helper()
	ctx := t.Context()
	chain := c.chain
	nonce, err := chain.Client.PendingNonceAt(ctx, chain.Accounts[i])
	if err != nil {
		t.Fatal(err)
	}
	price, err := chain.Client.SuggestGasPrice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := types.SignNewTx(chain.Keys[i], types.LatestSignerForChainID(chain.ChainID),
		&types.LegacyTx{Nonce: nonce, GasPrice: new(big.Int).Mul(price, big.NewInt(2)), Gas: 200_000, To: &to, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if err := chain.Client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	if c.ours == nil {
		c.ours = map[common.Hash]bool{}
	}
	c.ours[tx.Hash()] = true
	c.mu.Unlock()
	if _, err := deploy.WaitReceipt(ctx, chain.Client, tx.Hash()); err != nil {
		t.Fatal(err)
	}
	return tx.Hash()
}

// dataWithIDValue reads the square in a result's DataWithId payload (-1
// if it is not one).
func dataWithIDValue(s string) int64 {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return -1
	}
	_, data, err := deploy.DecodeDataWithID(b)
	if err != nil {
		return -1
	}
	return new(big.Int).SetBytes(data).Int64()
}

// payloadNumber reads a result's 0x payload as a number (-1 if it is not
// hex).
func payloadNumber(s string) int64 {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return -1
	}
	return new(big.Int).SetBytes(b).Int64()
}

// metricsText is a /metrics page.
type metricsText string

// scrape fetches a node's /metrics.
func scrape(t testing.TB, n *node) metricsText {
	t.Helper()
	resp, err := http.Get(n.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: %d %v", resp.StatusCode, err)
	}
	return metricsText(body)
}

// value sums the samples whose line starts with prefix (a name, or a name
// and the start of its labels).
func (m metricsText) value(prefix string) float64 {
	var total float64
	for _, line := range strings.Split(string(m), "\n") {
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		// A bare name must not match a longer name that starts with it.
		if rest := line[len(prefix):]; !strings.Contains(prefix, "{") && rest != "" && rest[0] != ' ' && rest[0] != '{' {
			continue
		}
		fields := strings.Fields(line)
		if v, err := strconv.ParseFloat(fields[len(fields)-1], 64); err == nil {
			total += v
		}
	}
	return total
}
