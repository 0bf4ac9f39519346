package aggregator

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

func TestFairQueueTakesPeersInTurn(t *testing.T) {
	q := newFairQueue[string](3, 5)
	for i := range 4 {
		ok := q.push("rogue", fmt.Sprint("r", i))
		if want := i < 3; ok != want {
			t.Fatalf("push %d of one peer = %v, want %v (3 per peer)", i, ok, want)
		}
	}
	q.push("op", "o0")
	q.push("other", "x0")
	if q.push("op", "o1") {
		t.Fatal("push past the queue's total of 5 was taken")
	}
	var got []string
	for {
		it, ok := q.tryPop()
		if !ok {
			break
		}
		got = append(got, it)
	}
	if fmt.Sprint(got) != "[r0 o0 x0 r1 r2]" {
		t.Errorf("order %v: want the peers in turn, one item each", got)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, ok := q.pop(ctx); ok {
		t.Error("pop on an empty queue returned an item")
	}
}

func TestVerdictOfReasons(t *testing.T) {
	for reason, want := range map[string]sdk.Verdict{
		RejectMalformed: sdk.VerdictReject, RejectBadSignature: sdk.VerdictReject, RejectNotOperator: sdk.VerdictReject,
		RejectRateLimited: sdk.VerdictReject, RejectWrongTopic: sdk.VerdictReject,
		RejectUnverified: sdk.VerdictIgnore, RejectOverloaded: sdk.VerdictIgnore, RejectUnknownService: sdk.VerdictIgnore,
		RejectEquivocation: sdk.VerdictIgnore,
	} {
		if got := verdictOf(reason); got != want {
			t.Errorf("verdictOf(%s) = %v, want %v", reason, got, want)
		}
	}
}

func TestPeerRejectionsStayBounded(t *testing.T) {
	p := peerRejections{}
	for i := range 3 * maxPeersKept {
		p.add(fmt.Sprint("peer", i), RejectNotOperator)
	}
	for range 50 {
		p.add("rogue", RejectBadSignature)
	}
	if len(p) > maxPeersKept {
		t.Errorf("%d peers kept, want at most %d", len(p), maxPeersKept)
	}
	top := p.top(topRejectedPeers)
	if len(top) != topRejectedPeers+1 || top[0].Peer != "rogue" || top[0].Total != 50 || top[len(top)-1].Peer != OtherPeers {
		t.Errorf("top = %+v...: want rogue first, %d peers and other", top[0], topRejectedPeers)
	}
}

// verdictNet is a transport that names the forwarder of each message,
// gives it an id and records the verdicts.
type verdictNet struct {
	in       chan sdk.Message
	mu       sync.Mutex
	next     int
	verdicts map[string]sdk.Verdict
	sentAt   map[string]time.Time
	judgedAt map[string]time.Time
}

func newVerdictNet() *verdictNet {
	return &verdictNet{in: make(chan sdk.Message, 4096), verdicts: map[string]sdk.Verdict{}, sentAt: map[string]time.Time{}, judgedAt: map[string]time.Time{}}
}

func (n *verdictNet) Publish(context.Context, string, []byte) error { return nil }
func (n *verdictNet) Inbound() <-chan sdk.Message                   { return n.in }
func (n *verdictNet) Report(_ context.Context, id string, v sdk.Verdict) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.verdicts[id] = v
	n.judgedAt[id] = time.Now()
	return nil
}

// send delivers data as forwarded by peer, authored by author; it
// returns the message's id.
func (n *verdictNet) send(peer, author string, data []byte) string {
	n.mu.Lock()
	n.next++
	id := fmt.Sprint(n.next)
	n.sentAt[id] = time.Now()
	n.mu.Unlock()
	n.in <- sdk.Message{ID: id, Topic: service.TopicFor(testService), Data: data, From: author, ReceivedFrom: peer, ReceivedAt: time.Now()}
	return id
}

func (n *verdictNet) verdict(id string) (sdk.Verdict, time.Duration) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.verdicts[id], n.judgedAt[id].Sub(n.sentAt[id])
}

func (n *verdictNet) count(v sdk.Verdict) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := 0
	for _, got := range n.verdicts {
		if got == v {
			c++
		}
	}
	return c
}

// slowChain answers weight reads after a delay.
type slowChain struct {
	*fakeChain
	delay time.Duration
}

func (c slowChain) Quorum(ctx context.Context, q sdk.QuorumQuery) (sdk.Quorum, error) {
	time.Sleep(c.delay)
	return c.fakeChain.Quorum(ctx, q)
}

func startVerdictAggregator(t *testing.T, chain Chain) (*Aggregator, *verdictNet) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	net := newVerdictNet()
	a := New(Options{
		Store:    st,
		ChainFor: func(string, string) (Chain, error) { return chain, nil },
		Network:  net,
		Routes: func(s, w string) (Route, bool) {
			return Route{Chain: testChain, Handler: testHandler}, s == testService && w == testWorkflow
		},
		Logger: testLogger("verdicts"),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return a, net
}

func signedGossip(t *testing.T, k interface {
	SignEnvelope(sdk.Envelope) ([]byte, error)
}, n byte) []byte {
	t.Helper()
	eid, err := service.NewEventID(testService, testWorkflow, []byte{n})
	if err != nil {
		t.Fatal(err)
	}
	env := sdk.Envelope{EventID: eid, Payload: []byte{n}}
	sig, err := k.SignEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	data, err := EncodeGossip(Gossip{ServiceID: testService, WorkflowID: testWorkflow, Envelope: env, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestBudgetIsTheForwarders: a peer that forwards made-up signers, each
// under a fresh author name, spends its own budget (one budget, however
// many authors), its messages are rejected, and another peer's unknown
// signer is still looked up.
func TestBudgetIsTheForwarders(t *testing.T) {
	chain := newFakeChain()
	op := newKey(t)
	chain.weights[op.Address()] = 100
	a, net := startVerdictAggregator(t, chain)
	const flood = 200
	var ids []string
	for i := range flood {
		ids = append(ids, net.send("rogue", fmt.Sprint("author", i), signedGossip(t, newKey(t), byte(i))))
	}
	waitFor(t, "every flood message judged", func() bool { return net.count(sdk.VerdictReject) >= flood })
	st := a.Stats(t.Context())
	chain.mu.Lock()
	reads := chain.reads
	chain.mu.Unlock()
	if st.Rejected[RejectRateLimited] < flood-lookupBurst-10 || reads > lookupBurst+10 {
		t.Errorf("%d chain reads, %d rate limited of %d made-up signers from one forwarder: want the authors sharing its budget", reads, st.Rejected[RejectRateLimited], flood)
	}
	if v, _ := net.verdict(ids[flood-1]); v != sdk.VerdictReject {
		t.Errorf("a made-up signer over budget: %v, want reject", v)
	}
	id := net.send("honest", "op", signedGossip(t, op, 1))
	waitFor(t, "the operator's signature judged", func() bool { v, _ := net.verdict(id); return v != 0 })
	if v, _ := net.verdict(id); v != sdk.VerdictAccept {
		t.Errorf("an operator's signature from another forwarder: %v, want accept", v)
	}
	if len(st.RejectedPeers) == 0 || st.RejectedPeers[0].Peer != "rogue" {
		t.Errorf("rejected by peer %+v: want the forwarder, not the authors", st.RejectedPeers)
	}
	// Without a forwarder (an older transport), the author is the key.
	m := sdk.Message{Topic: service.TopicFor(testService), Data: []byte("junk"), From: "someone"}
	if peerOf(m) != "someone" {
		t.Errorf("peerOf without ReceivedFrom = %q", peerOf(m))
	}
}

// TestGlobalBudget: many forwarders, each within its own budget, cannot
// together make the node read the chain more than the global budget; the
// excess is ignored, not blamed on them.
func TestGlobalBudget(t *testing.T) {
	chain := newFakeChain()
	a, net := startVerdictAggregator(t, chain)
	const peers, each = 30, 10
	for p := range peers {
		for i := range each {
			net.send(fmt.Sprint("peer", p), "x", signedGossip(t, newKey(t), byte(i)))
		}
	}
	waitFor(t, "every message judged", func() bool {
		return net.count(sdk.VerdictReject)+net.count(sdk.VerdictIgnore) >= peers*each
	})
	st := a.Stats(t.Context())
	if st.SignerLookups > globalLookupBurst+globalLookupRate || st.Rejected[RejectOverloaded] == 0 {
		t.Errorf("%d lookups, %d overloaded for %d made-up signers from %d peers: want the global budget to hold", st.SignerLookups, st.Rejected[RejectOverloaded], peers*each, peers)
	}
	if got := net.count(sdk.VerdictIgnore); got != int(st.Rejected[RejectOverloaded]) {
		t.Errorf("%d ignored, %d overloaded: want the overload ignored", got, st.Rejected[RejectOverloaded])
	}
}

// TestKnownOperatorsSkipTheBacklog: with slow chain reads and a backlog of
// made-up signers queued for them, a known operator's signature is
// judged at once.
func TestKnownOperatorsSkipTheBacklog(t *testing.T) {
	chain := newFakeChain()
	op := newKey(t)
	chain.weights[op.Address()] = 100
	_, net := startVerdictAggregator(t, slowChain{chain, 200 * time.Millisecond})
	first := net.send("honest", "op", signedGossip(t, op, 1)) // its weight is read once
	waitFor(t, "the operator known", func() bool { v, _ := net.verdict(first); return v == sdk.VerdictAccept })
	for i := range lookupBurst {
		net.send(fmt.Sprint("rogue", i%2), "x", signedGossip(t, newKey(t), byte(i)))
	}
	time.Sleep(20 * time.Millisecond) // the backlog is queued
	id := net.send("honest", "op", signedGossip(t, op, 2))
	waitFor(t, "the operator's second signature judged", func() bool { v, _ := net.verdict(id); return v != 0 })
	v, took := net.verdict(id)
	if v != sdk.VerdictAccept || took > 150*time.Millisecond {
		t.Errorf("known operator's signature: %v after %v behind %d slow lookups; want accepted without waiting", v, took, lookupBurst)
	}
	if n := net.count(sdk.VerdictReject); n >= lookupBurst {
		t.Errorf("%d of the backlog judged before the operator's signature: it waited behind them", n)
	}
}

// TestBurstOfOneUnknownOperator: an operator's first signatures arrive in
// a burst, before its weight was ever read: the burst is charged a read
// (two: one by the handler while its manager is unknown, one by it),
// none is refused, and the chain is read about once.
func TestBurstOfOneUnknownOperator(t *testing.T) {
	chain := newFakeChain()
	op := newKey(t)
	chain.weights[op.Address()] = 100
	a, net := startVerdictAggregator(t, slowChain{chain, 100 * time.Millisecond})
	const burst = 3 * lookupBurst
	for i := range burst {
		net.send("honest", "op", signedGossip(t, op, byte(i)))
	}
	waitFor(t, "the burst judged", func() bool { return net.count(sdk.VerdictAccept) == burst })
	st := a.Stats(t.Context())
	chain.mu.Lock()
	reads := chain.reads
	chain.mu.Unlock()
	if st.Rejected[RejectRateLimited] != 0 || st.SignerLookups > 2 || reads > 3 {
		t.Errorf("%d rate limited, %d lookups charged, %d chain reads for %d signatures of one operator", st.Rejected[RejectRateLimited], st.SignerLookups, reads, burst)
	}
}
