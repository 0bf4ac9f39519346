package aggregator

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/signer"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// fakeChain is a service manager and handler in memory: weights, a 2/3
// quorum, and the events handled, with every landing transaction counted.
type fakeChain struct {
	mu      sync.Mutex
	weights map[sdk.Address]int64
	handled map[[20]byte][]byte
	txs     int
	reads   int // Quorum calls
	down    bool
}

func (c *fakeChain) LatestBlock(context.Context, string) (sdk.BlockRef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return sdk.BlockRef{}, fmt.Errorf("chain down: %w", sdk.ErrUnavailable)
	}
	return sdk.BlockRef{Number: 10}, nil
}

func (c *fakeChain) ServiceManager(context.Context, string, sdk.Address) (sdk.Address, error) {
	return sdk.Address{0xaa}, nil
}

func (c *fakeChain) Quorum(_ context.Context, q sdk.QuorumQuery) (sdk.Quorum, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	out := sdk.Quorum{TotalWeight: new(big.Int), ThresholdNumerator: 2, ThresholdDenominator: 3}
	for _, w := range c.weights {
		out.TotalWeight.Add(out.TotalWeight, big.NewInt(w))
	}
	for _, s := range q.Signers {
		out.Weights = append(out.Weights, big.NewInt(c.weights[s]))
	}
	return out, nil
}

// check is the manager's validate: sorted signers, each recovered from its
// signature, with weight meeting the quorum.
func (c *fakeChain) check(sub sdk.Submission) error {
	var signed int64
	var total int64
	for _, w := range c.weights {
		total += w
	}
	for i, s := range sub.Signatures.Signers {
		if i > 0 && bytes.Compare(sub.Signatures.Signers[i-1][:], s[:]) >= 0 {
			return fmt.Errorf("signers not sorted")
		}
		got, err := signer.RecoverEnvelopeSigner(sub.Envelope, sub.Signatures.Signatures[i])
		if err != nil || sdk.Address(got) != s {
			return fmt.Errorf("signature %d is not by %s", i, s.Hex())
		}
		signed += c.weights[s]
	}
	if signed*3 < total*2 {
		return fmt.Errorf("insufficient quorum %d of %d", signed, total)
	}
	return nil
}

func (c *fakeChain) Validate(_ context.Context, sub sdk.Submission) (sdk.Validation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(sub); err != nil {
		return sdk.Validation{Reason: err.Error()}, nil
	}
	return sdk.Validation{Valid: true}, nil
}

func (c *fakeChain) Submit(_ context.Context, sub sdk.Submission) (sdk.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.handled[sub.Envelope.EventID]; ok {
		return sdk.Receipt{AlreadyHandled: true}, nil
	}
	if err := c.check(sub); err != nil {
		return sdk.Receipt{}, err
	}
	c.txs++
	c.handled[sub.Envelope.EventID] = sub.Envelope.Payload
	return sdk.Receipt{TxHash: sdk.Hash{byte(c.txs)}, BlockNumber: 11}, nil
}

func (c *fakeChain) txCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.txs
}

// fakeNet is a topic bus: what one member publishes reaches every other
// member that is up, never the sender.
type fakeNet struct {
	mu      sync.Mutex
	members []*netMember
}

type netMember struct {
	net   *fakeNet
	name  string
	in    chan sdk.Message
	muted bool // sends go nowhere
}

func (n *fakeNet) join(name string) *netMember {
	m := &netMember{net: n, name: name, in: make(chan sdk.Message, 1024)}
	n.mu.Lock()
	n.members = append(n.members, m)
	n.mu.Unlock()
	return m
}

func (m *netMember) Publish(_ context.Context, topic string, data []byte) error {
	m.net.mu.Lock()
	defer m.net.mu.Unlock()
	if m.muted {
		return nil
	}
	for _, o := range m.net.members {
		if o != m {
			o.in <- sdk.Message{Topic: topic, Data: bytes.Clone(data), From: m.name, ReceivedAt: time.Now()}
		}
	}
	return nil
}

func (m *netMember) Inbound() <-chan sdk.Message { return m.in }

const (
	testService  = "5e1f000000000000000000000000000000000000000000000000000000000000"
	testWorkflow = "square"
	testChain    = "evm:31337"
)

var testHandler = sdk.Address{0xbb}

// operator is one node's aggregator and what it signs with.
type operator struct {
	key   *signer.Key
	store *store.Store
	agg   *Aggregator
	net   *netMember
	stop  context.CancelFunc
	done  chan struct{}
}

func newKey(t *testing.T) *signer.Key {
	t.Helper()
	pk, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := signer.FromEnv(func(k string) (string, bool) {
		if k == "WAVS_SIGNING_KEY" {
			return hex.EncodeToString(crypto.FromECDSA(pk)), true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.Operator()
}

func newOperator(t *testing.T, chain *fakeChain, net *fakeNet, name string, key *signer.Key) *operator {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	o := &operator{key: key, store: st, net: net.join(name)}
	o.agg = New(Options{
		Store:    st,
		ChainFor: func(string) (Chain, error) { return chain, nil },
		Network:  o.net,
		Routes: func(s, w string) (Route, bool) {
			return Route{Chain: testChain, Handler: testHandler}, s == testService && w == testWorkflow
		},
		SettleDelay:    50 * time.Millisecond,
		FallbackDelay:  400 * time.Millisecond,
		RebroadcastMin: 100 * time.Millisecond,
		RebroadcastMax: 200 * time.Millisecond,
		RetryMin:       50 * time.Millisecond,
	})
	return o
}

func (o *operator) start(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	o.stop, o.done = cancel, make(chan struct{})
	go func() {
		defer close(o.done)
		o.agg.Run(ctx)
	}()
	t.Cleanup(o.halt)
}

func (o *operator) halt() {
	if o.stop != nil {
		o.stop()
		<-o.done
		o.stop = nil
	}
}

// sign stores this operator's result for event i, as the registry does,
// and queues it.
func (o *operator) sign(t *testing.T, i int, payload []byte) [20]byte {
	t.Helper()
	eid, err := service.EventID(testService, testWorkflow, []byte{byte(i)})
	if err != nil {
		t.Fatal(err)
	}
	sig, err := o.key.SignEnvelope(sdk.Envelope{EventID: eid, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	id := hex.EncodeToString(eid[:])
	ctx := t.Context()
	if _, err := o.store.AddResult(ctx, store.ResultRecord{EventID: id, ServiceID: testService, WorkflowID: testWorkflow, Payload: payload, Signer: o.key.AddressHex(), Signature: sig, Status: "signed"}); err != nil {
		t.Fatal(err)
	}
	if err := o.agg.Enqueue(ctx, store.Submission{EventID: id, ServiceID: testService, WorkflowID: testWorkflow, Chain: testChain, Handler: testHandler.Hex()}); err != nil {
		t.Fatal(err)
	}
	return eid
}

func (o *operator) status(t *testing.T, eid [20]byte) string {
	rec, ok, err := o.store.GetResult(t.Context(), hex.EncodeToString(eid[:]))
	if err != nil || !ok {
		return "missing"
	}
	return rec.Status
}

func cluster(t *testing.T, n int) (*fakeChain, []*operator) {
	t.Helper()
	chain := &fakeChain{weights: map[sdk.Address]int64{}, handled: map[[20]byte][]byte{}}
	net := &fakeNet{}
	var ops []*operator
	for i := range n {
		k := newKey(t)
		chain.weights[k.Address()] = 100
		ops = append(ops, newOperator(t, chain, net, fmt.Sprintf("op%d", i), k))
	}
	return chain, ops
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestOperatorsLandEachEventOnce(t *testing.T) {
	chain, ops := cluster(t, 3)
	for _, o := range ops {
		o.start(t)
	}
	const events = 20
	var ids [][20]byte
	for i := range events {
		payload := []byte{byte(i), byte(i * i)}
		var eid [20]byte
		for _, o := range ops {
			eid = o.sign(t, i, payload)
		}
		ids = append(ids, eid)
	}
	waitFor(t, "every operator to see every event landed", func() bool {
		for _, o := range ops {
			if st := o.agg.Stats(t.Context()); st.Submitted+st.AlreadyHandled != events {
				return false
			}
			for _, id := range ids {
				if o.status(t, id) != StatusSubmitted {
					return false
				}
			}
		}
		return true
	})
	chain.mu.Lock()
	defer chain.mu.Unlock()
	if chain.txs != events {
		t.Errorf("%d transactions for %d events", chain.txs, events)
	}
	var submitted, already uint64
	for _, o := range ops {
		st := o.agg.Stats(t.Context())
		submitted += st.Submitted
		already += st.AlreadyHandled
		// A node that hears of the landing before its own quorum check
		// finishes without one.
		if st.QuorumsReached < st.Submitted || st.QuorumsReached > events || st.Pending != 0 {
			t.Errorf("stats %+v: want a quorum for each event it submitted, at most %d, and nothing pending", st, events)
		}
		for r, n := range st.Rejected {
			t.Errorf("%d signatures rejected as %s among honest operators", n, r)
		}
	}
	if submitted != events || already != 2*events {
		t.Errorf("submitted %d, already handled %d; want %d and %d", submitted, already, events, 2*events)
	}
	// The submit duty rotates: with 20 events, no single operator did all.
	for i, o := range ops {
		if n := o.agg.Stats(t.Context()).Submitted; n == events {
			t.Errorf("operator %d submitted all %d events", i, n)
		}
	}
	// Peer signatures are dropped once an event landed.
	for _, o := range ops {
		for _, id := range ids {
			if ps, _ := o.store.PeerSignatures(t.Context(), hex.EncodeToString(id[:])); len(ps) != 0 {
				t.Fatalf("peer signatures kept after landing: %d", len(ps))
			}
		}
	}
}

func TestOperatorsWithOneDown(t *testing.T) {
	chain, ops := cluster(t, 3)
	ops[0].start(t)
	ops[1].start(t)
	eid := ops[0].sign(t, 1, []byte("x"))
	ops[1].sign(t, 1, []byte("x"))
	waitFor(t, "the event to land", func() bool {
		return ops[0].status(t, eid) == StatusSubmitted && ops[1].status(t, eid) == StatusSubmitted
	})
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
}

func TestOperatorAloneWaitsThenLateJoinerCompletes(t *testing.T) {
	chain, ops := cluster(t, 3)
	ops[0].start(t)
	eid := ops[0].sign(t, 1, []byte("x"))
	time.Sleep(500 * time.Millisecond)
	if st := ops[0].status(t, eid); st != "signed" {
		t.Fatalf("one of three operators landed the event alone: %s", st)
	}
	// The second operator starts later; it has missed the first one's
	// signature and gets it from the re-broadcast.
	ops[1].start(t)
	ops[1].sign(t, 1, []byte("x"))
	waitFor(t, "the event to land", func() bool {
		return ops[0].status(t, eid) == StatusSubmitted && ops[1].status(t, eid) == StatusSubmitted
	})
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
}

func TestDesignatedSubmitterDownFallsBack(t *testing.T) {
	chain, ops := cluster(t, 3)
	eid, err := service.EventID(testService, testWorkflow, []byte{7})
	if err != nil {
		t.Fatal(err)
	}
	var signers []sdk.Address
	for _, o := range ops {
		signers = append(signers, o.key.Address())
	}
	first := SubmitOrder(eid, signers)[0]
	// The designated operator signs and publishes, then dies before its
	// turn: its aggregator never runs after the publish.
	var dead *operator
	for _, o := range ops {
		if sdk.Address(o.key.Address()) == first {
			dead = o
		} else {
			o.start(t)
		}
	}
	res := dead.sign(t, 7, []byte("x"))
	dead.agg.publish(t.Context(), mustResult(t, dead, res), dead.agg.log)
	start := time.Now()
	for _, o := range ops {
		if o != dead {
			o.sign(t, 7, []byte("x"))
		}
	}
	waitFor(t, "a fallback operator to land the event", func() bool {
		chain.mu.Lock()
		defer chain.mu.Unlock()
		return chain.txs == 1
	})
	if took := time.Since(start); took < 400*time.Millisecond {
		t.Errorf("landed after %v, before the first fallback turn (400ms)", took)
	}
}

func mustResult(t *testing.T, o *operator, eid [20]byte) store.ResultRecord {
	t.Helper()
	rec, ok, err := o.store.GetResult(t.Context(), hex.EncodeToString(eid[:]))
	if err != nil || !ok {
		t.Fatalf("no result: %v", err)
	}
	return rec
}

func TestRoguePeerRejected(t *testing.T) {
	chain, ops := cluster(t, 3)
	rogue := ops[0].net.net.join("rogue")
	outsider := newKey(t)
	insider := ops[2].key // an operator's key, used to sign a conflicting envelope
	ops[0].start(t)
	ops[1].start(t)

	eid, err := service.EventID(testService, testWorkflow, []byte{9})
	if err != nil {
		t.Fatal(err)
	}
	good := sdk.Envelope{EventID: eid, Payload: []byte("81")}
	bad := sdk.Envelope{EventID: eid, Payload: []byte("forged")}
	send := func(env sdk.Envelope, sig []byte, topic string) {
		data, err := EncodeGossip(Gossip{ServiceID: testService, WorkflowID: testWorkflow, Envelope: env, Signature: sig})
		if err != nil {
			t.Fatal(err)
		}
		if topic == "" {
			topic = service.TopicFor(testService)
		}
		rogue.Publish(t.Context(), topic, data)
	}
	sign := func(k *signer.Key, env sdk.Envelope) []byte {
		sig, err := k.SignEnvelope(env)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	forged := bytes.Repeat([]byte{0x42}, 65)
	forged[64] = 27
	rogue.Publish(t.Context(), service.TopicFor(testService), []byte(`{"v":1,"payload":"nope"}`))
	send(good, sign(outsider, good), "")
	send(good, forged, "")
	send(good, sign(ops[0].key, good), "wavs/"+testService[:63]+"1/topic/v1")
	// The insider signs the forged payload and then the good one.
	send(bad, sign(insider, bad), "")
	send(good, sign(insider, good), "")
	// A forged payload signed by the outsider with the victims' good one.
	send(bad, sign(outsider, bad), "")

	ops[0].sign(t, 9, good.Payload)
	ops[1].sign(t, 9, good.Payload)
	waitFor(t, "the event to land", func() bool {
		return ops[0].status(t, eid) == StatusSubmitted && ops[1].status(t, eid) == StatusSubmitted
	})
	chain.mu.Lock()
	if chain.txs != 1 || string(chain.handled[eid]) != "81" {
		t.Errorf("txs %d, handled %q; want 1 and the good payload", chain.txs, chain.handled[eid])
	}
	chain.mu.Unlock()
	for i, o := range ops[:2] {
		st := o.agg.Stats(t.Context())
		for _, r := range []string{RejectMalformed, RejectNotOperator, RejectWrongTopic, RejectEquivocation} {
			if st.Rejected[r] == 0 {
				t.Errorf("operator %d: no %s rejection counted: %+v", i, r, st.Rejected)
			}
		}
		if n := st.Rejected[RejectNotOperator] + st.Rejected[RejectBadSignature]; n < 3 {
			t.Errorf("operator %d: %d forged or outsider signatures rejected, want 3: %+v", i, n, st.Rejected)
		}
		status, err := o.agg.Status(t.Context())
		if err != nil || len(status.Evidence) != 1 || status.Evidence[0].Signer != sdk.Address(insider.Address()).Hex() {
			t.Errorf("operator %d: evidence %+v, %v; want the insider's equivocation", i, status.Evidence, err)
		}
	}
}

func TestLateSignerLearnsTheEventLanded(t *testing.T) {
	chain, ops := cluster(t, 3)
	eid, err := service.EventID(testService, testWorkflow, []byte{3})
	if err != nil {
		t.Fatal(err)
	}
	chain.handled[eid] = []byte("x") // the others landed it while this one was down
	ops[0].start(t)
	ops[0].sign(t, 3, []byte("x"))
	waitFor(t, "the late signer to find the event on chain", func() bool {
		return ops[0].status(t, eid) == StatusSubmitted && ops[0].agg.Stats(t.Context()).AlreadyHandled == 1
	})
	if n := chain.txCount(); n != 0 {
		t.Errorf("%d transactions sent for a landed event", n)
	}
	if st := ops[0].agg.Stats(t.Context()); st.AlreadyHandled != 1 || st.Pending != 0 {
		t.Errorf("stats %+v: want 1 already handled, nothing pending", st)
	}
}

func TestMadeUpSignersAreRateLimited(t *testing.T) {
	chain, ops := cluster(t, 3)
	ops[0].start(t)
	rogue := ops[0].net.net.join("rogue")
	eid, err := service.EventID(testService, testWorkflow, []byte{5})
	if err != nil {
		t.Fatal(err)
	}
	env := sdk.Envelope{EventID: eid, Payload: []byte("x")}
	const flood = 200
	for range flood {
		data, err := EncodeGossip(Gossip{ServiceID: testService, WorkflowID: testWorkflow, Envelope: env, Signature: sign(newKey(t), env)})
		if err != nil {
			t.Fatal(err)
		}
		rogue.Publish(t.Context(), service.TopicFor(testService), data)
	}
	waitFor(t, "the flood to be taken in", func() bool { return ops[0].agg.Stats(t.Context()).Received >= flood })
	st := ops[0].agg.Stats(t.Context())
	chain.mu.Lock()
	reads := chain.reads
	chain.mu.Unlock()
	if st.Rejected[RejectRateLimited] == 0 || reads > flood/2 {
		t.Errorf("%d chain reads for %d made-up signers, %d rate limited; want most refused before reading", reads, flood, st.Rejected[RejectRateLimited])
	}
	// An operator's signature from another peer still counts.
	ops[1].start(t)
	ops[0].sign(t, 5, []byte("x"))
	ops[1].sign(t, 5, []byte("x"))
	waitFor(t, "the event to land", func() bool { return ops[0].status(t, eid) == StatusSubmitted })
}

func sign(k *signer.Key, env sdk.Envelope) []byte {
	sig, err := k.SignEnvelope(env)
	if err != nil {
		panic(err)
	}
	return sig
}

func TestLandedNoticeEndsTheWait(t *testing.T) {
	chain, ops := cluster(t, 3)
	for _, o := range ops {
		o.agg.o.FallbackDelay = time.Hour // no fallback turn would come in time
		o.start(t)
	}
	eid, err := service.EventID(testService, testWorkflow, []byte{8})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range ops {
		o.sign(t, 8, []byte("x"))
	}
	waitFor(t, "every operator to see the event landed", func() bool {
		for _, o := range ops {
			if o.status(t, eid) != StatusSubmitted {
				return false
			}
		}
		return true
	})
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
	var notices uint64
	for _, o := range ops {
		notices += o.agg.Stats(t.Context()).LandedNotices
	}
	if notices != 2 {
		t.Errorf("%d landed notices received, want 2 (the submitter's, at the two others)", notices)
	}
}

func TestFalseLandedNoticeSendsNothing(t *testing.T) {
	chain, ops := cluster(t, 3)
	ops[0].start(t)
	rogue := ops[0].net.net.join("rogue")
	eid := ops[0].sign(t, 6, []byte("x"))
	data, err := EncodeGossip(Gossip{ServiceID: testService, WorkflowID: testWorkflow, Envelope: sdk.Envelope{EventID: eid}, Landed: true})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		rogue.Publish(t.Context(), service.TopicFor(testService), data)
	}
	waitFor(t, "the notices to be taken in", func() bool { return ops[0].agg.Stats(t.Context()).LandedNotices == 5 })
	time.Sleep(200 * time.Millisecond)
	if st := ops[0].status(t, eid); st != "signed" {
		t.Errorf("a false notice made the event %s", st)
	}
	if n := chain.txCount(); n != 0 {
		t.Errorf("%d transactions after false notices", n)
	}
}

// TestPeerSignaturesSurviveRestart: a peer's signature taken in before
// this node signed is kept in the store; after a restart of this node's
// aggregator, and with the peer gone quiet, it still completes the quorum.
func TestPeerSignaturesSurviveRestart(t *testing.T) {
	chain, ops := cluster(t, 3)
	ops[0].start(t)
	ops[1].start(t)
	eid := ops[1].sign(t, 4, []byte("x"))
	waitFor(t, "the peer's signature to be stored", func() bool {
		ps, _ := ops[0].store.PeerSignatures(t.Context(), hex.EncodeToString(eid[:]))
		return len(ps) == 1
	})
	ops[1].halt()
	ops[1].net.net.mu.Lock()
	ops[1].net.muted = true
	ops[1].net.net.mu.Unlock()

	ops[0].halt()
	restarted := New(ops[0].agg.o) // same store, same network
	ops[0].agg = restarted
	ops[0].start(t)
	ops[0].sign(t, 4, []byte("x"))
	waitFor(t, "the event to land", func() bool { return ops[0].status(t, eid) == StatusSubmitted })
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
}
