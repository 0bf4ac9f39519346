package aggregator

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

// fakeChain is a service manager and handler in memory: weights, a quorum
// fraction and an optional absolute threshold, and a ledger of every
// transaction sent to the handler.
type fakeChain struct {
	mu      sync.Mutex
	weights map[sdk.Address]int64
	// num/den is validate's quorum fraction (default 2/3); threshold an
	// absolute minimum signed weight (0: none).
	num, den  int64
	threshold int64
	// views: Quorum reports the total and thresholds (a manager with
	// views the plugin knows); otherwise only weights, as from the WAVS
	// interface alone.
	views bool
	// replays: the handler accepts a replayed event (WAVS's example
	// handler); otherwise it refuses it naming the event.
	replays bool
	ledger  []fakeTx
	head    uint64
	reads   int // Quorum calls
	down    bool
	// sendDown: sending and looking for landings fail as unreachable,
	// while reads (head, weights, validate) answer from elsewhere, e.g. a
	// cache or another endpoint.
	sendDown bool
	// mineDelay is how long a sent transaction takes to be mined (and
	// Submit to return).
	mineDelay time.Duration
	// lostReceipts: the next Submits send their transaction but report
	// an error, as a receipt that never came back would.
	lostReceipts int
	// finality is how deep a block must be to be final (0: at once);
	// gens[n] counts the reorgs that replaced block n (its hash).
	finality uint64
	gens     map[uint64]byte
	sent     int
	// repool: a reorg puts the transactions of the blocks it replaced
	// back in the pool (as geth does), where FindLanding finds them
	// pending.
	repool bool
	pool   []fakeTx
}

type fakeTx struct {
	hash  sdk.Hash
	to    string
	env   sdk.Envelope
	ok    bool
	block uint64
}

func newFakeChain() *fakeChain {
	return &fakeChain{weights: map[sdk.Address]int64{}, num: 2, den: 3, views: true, head: 10}
}

func (c *fakeChain) LatestBlock(context.Context, string) (sdk.BlockRef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return sdk.BlockRef{}, fmt.Errorf("chain down: %w", sdk.ErrUnavailable)
	}
	return sdk.BlockRef{Number: c.head}, nil
}

func (c *fakeChain) ServiceManager(context.Context, string, string) (string, error) {
	return sdk.Address{0xaa}.Hex(), nil
}

func (c *fakeChain) total() int64 {
	var total int64
	for _, w := range c.weights {
		total += w
	}
	return total
}

func (c *fakeChain) Quorum(_ context.Context, q sdk.QuorumQuery) (sdk.Quorum, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	var out sdk.Quorum
	if c.views {
		out.TotalWeight = big.NewInt(c.total())
		out.ThresholdNumerator, out.ThresholdDenominator = uint64(c.num), uint64(c.den)
		out.ThresholdWeight = big.NewInt(c.threshold)
	}
	for _, s := range q.Signers {
		out.Weights = append(out.Weights, big.NewInt(c.weights[sdk.Address(s)]))
	}
	return out, nil
}

// check is the manager's validate: sorted signers, each recovered from its
// signature, with weight meeting the fraction and the absolute threshold.
func (c *fakeChain) check(sub sdk.Submission) error {
	var signed int64
	if len(sub.Signatures.Signers) == 0 {
		return fmt.Errorf("InvalidLength()")
	}
	if sub.Signatures.Scheme != sdk.SchemeSecp256k1EIP191 {
		return fmt.Errorf("scheme %q", sub.Signatures.Scheme)
	}
	for i, sb := range sub.Signatures.Signers {
		s := sdk.Address(sb)
		if i > 0 && bytes.Compare(sub.Signatures.Signers[i-1], sb) >= 0 {
			return fmt.Errorf("signers not sorted")
		}
		got, err := signer.RecoverEnvelopeSigner(sub.Envelope, sub.Signatures.Signatures[i])
		if err != nil || sdk.Address(got) != s {
			return fmt.Errorf("signature %d is not by %s", i, s.Hex())
		}
		if c.weights[s] == 0 {
			return fmt.Errorf("SignerNotRegistered()")
		}
		signed += c.weights[s]
	}
	if signed < c.threshold {
		return fmt.Errorf("InsufficientSignedStake()")
	}
	if signed*c.den < c.total()*c.num {
		return fmt.Errorf("InsufficientQuorum(%d, %d, %d)", signed, c.num, c.total())
	}
	return nil
}

func (c *fakeChain) Validate(_ context.Context, sub sdk.Submission) (sdk.Validation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return sdk.Validation{}, fmt.Errorf("chain down: %w", sdk.ErrUnavailable)
	}
	if err := c.check(sub); err != nil {
		return sdk.Validation{Reason: err.Error()}, nil
	}
	return sdk.Validation{Valid: true}, nil
}

func (c *fakeChain) landed(eventID [20]byte) bool {
	for _, tx := range c.ledger {
		if tx.ok && tx.env.EventID == eventID {
			return true
		}
	}
	return false
}

func (c *fakeChain) Submit(_ context.Context, sub sdk.Submission) (sdk.Receipt, error) {
	c.mu.Lock()
	delay := c.mineDelay
	c.mu.Unlock()
	time.Sleep(delay)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down || c.sendDown {
		return sdk.Receipt{}, fmt.Errorf("chain down: %w", sdk.ErrUnavailable)
	}
	if !c.replays && c.landed(sub.Envelope.EventID) {
		return sdk.Receipt{AlreadyHandled: true}, nil
	}
	if err := c.check(sub); err != nil {
		return sdk.Receipt{}, fmt.Errorf("%w: estimate reverts: %v", sdk.ErrInvalidArgument, err)
	}
	return c.send(sub.Handler, sub.Envelope, true)
}

// send puts a transaction on the ledger; the caller holds c.mu.
func (c *fakeChain) send(to string, env sdk.Envelope, ok bool) (sdk.Receipt, error) {
	c.head++
	c.sent++
	tx := fakeTx{hash: sdk.Hash{byte(c.sent), byte(c.sent >> 8), 0xee}, to: to, env: env, ok: ok, block: c.head}
	c.ledger = append(c.ledger, tx)
	if c.lostReceipts > 0 {
		c.lostReceipts--
		return sdk.Receipt{}, fmt.Errorf("%w: no receipt in time", sdk.ErrUnavailable)
	}
	return sdk.Receipt{TxHash: tx.hash, BlockNumber: tx.block}, nil
}

// FindLanding is the proof the submit plugin gives: a successful
// transaction to the handler carrying the event.
func (c *fakeChain) FindLanding(_ context.Context, q sdk.LandingQuery) (sdk.Landing, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down || c.sendDown {
		return sdk.Landing{}, fmt.Errorf("chain down: %w", sdk.ErrUnavailable)
	}
	for _, tx := range c.ledger {
		if q.TxHash != (sdk.Hash{}) && tx.hash != q.TxHash {
			continue
		}
		if q.TxHash == (sdk.Hash{}) && tx.block < q.FromBlock {
			continue
		}
		if tx.ok && tx.to == q.Handler && tx.env.EventID == q.EventID {
			return sdk.Landing{Found: true, TxHash: tx.hash, BlockNumber: tx.block, Final: tx.block+c.finality <= c.head}, nil
		}
	}
	for _, tx := range c.pool {
		if q.TxHash != (sdk.Hash{}) && tx.hash == q.TxHash {
			return sdk.Landing{Pending: true, Reason: "pending in the pool", ScannedTo: c.head}, nil
		}
	}
	return sdk.Landing{Reason: "not found", ScannedTo: c.head}, nil
}

// BlockAt is the block at a height; its hash changes with each reorg
// that replaced it.
func (c *fakeChain) BlockAt(_ context.Context, _ string, n uint64) (sdk.BlockRef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return sdk.BlockRef{}, fmt.Errorf("chain down: %w", sdk.ErrUnavailable)
	}
	if n > c.head {
		return sdk.BlockRef{}, fmt.Errorf("no block %d: %w", n, sdk.ErrNotFound)
	}
	return sdk.BlockRef{Number: n, Hash: fakeBlockHash(n, c.gens[n])}, nil
}

func fakeBlockHash(n uint64, gen byte) sdk.Hash {
	return sdk.Hash{0xb1, byte(n >> 8), byte(n), gen}
}

// reorg replaces the blocks above head−depth with as many new, empty
// ones: the transactions in them are gone (not back in any pool).
func (c *fakeChain) reorg(depth uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gens == nil {
		c.gens = map[uint64]byte{}
	}
	from := c.head - depth + 1
	kept := c.ledger[:0]
	for _, tx := range c.ledger {
		if tx.block < from {
			kept = append(kept, tx)
		} else if c.repool {
			c.pool = append(c.pool, tx)
		}
	}
	c.ledger = kept
	for n := from; n <= c.head; n++ {
		c.gens[n]++
	}
}

// minePool mines the transactions back in the pool into a new block.
func (c *fakeChain) minePool() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.head++
	for _, tx := range c.pool {
		tx.block = c.head
		c.ledger = append(c.ledger, tx)
	}
	c.pool = nil
}

func (c *fakeChain) mine(n uint64) {
	c.mu.Lock()
	c.head += n
	c.mu.Unlock()
}

func (c *fakeChain) txCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.ledger)
}

// handlerTxs counts the successful transactions of one event.
func (c *fakeChain) eventTxs(eventID [20]byte) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, tx := range c.ledger {
		if tx.ok && tx.env.EventID == eventID {
			n++
		}
	}
	return n
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

var testHandler = sdk.Address{0xbb}.Hex()

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
		ChainFor: func(string, string) (Chain, error) { return chain, nil },
		Network:  o.net,
		Routes: func(s, w string) (Route, bool) {
			return Route{Chain: testChain, Handler: testHandler, Key: key}, s == testService && w == testWorkflow
		},
		SettleDelay:    50 * time.Millisecond,
		ClaimWait:      150 * time.Millisecond,
		FallbackDelay:  400 * time.Millisecond,
		RebroadcastMin: 100 * time.Millisecond,
		RebroadcastMax: 200 * time.Millisecond,
		RetryMin:       50 * time.Millisecond,
		WatchInterval:  100 * time.Millisecond,
		Logger:         testLogger(name),
	})
	return o
}

// testLogger logs an operator's decisions to stderr when
// WAVS_TEST_LOG is set, to see why a timing-dependent test failed.
func testLogger(name string) hclog.Logger {
	if os.Getenv("WAVS_TEST_LOG") == "" {
		return nil
	}
	return hclog.New(&hclog.LoggerOptions{Name: name, Level: hclog.Debug, Output: os.Stderr})
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
	eid, err := service.NewEventID(testService, testWorkflow, []byte{byte(i)})
	if err != nil {
		t.Fatal(err)
	}
	sig, err := o.key.SignEnvelope(sdk.Envelope{EventID: eid, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	id := service.EventID(eid)
	ctx := t.Context()
	rec := store.ResultRecord{EventID: id, ServiceID: testService, WorkflowID: testWorkflow, Payload: payload, Signer: o.key.Address(), Signature: sig, Status: "signed"}
	if _, err := o.agg.EnqueueResult(ctx, rec, store.Submission{EventID: id, ServiceID: testService, WorkflowID: testWorkflow, Chain: testChain, Handler: testHandler}); err != nil {
		t.Fatal(err)
	}
	return eid
}

func (o *operator) status(t *testing.T, eid [20]byte) store.ResultStatus {
	rec, ok, err := o.store.GetResult(t.Context(), service.EventID(eid))
	if err != nil || !ok {
		return "missing"
	}
	return rec.Status
}

func cluster(t *testing.T, n int) (*fakeChain, []*operator) {
	t.Helper()
	chain := newFakeChain()
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

// TestOperatorsLandEachEventOnce: three operators land 20 events with one
// transaction each, whatever the manager shows of itself and whether the
// handler refuses a replay or not.
func TestOperatorsLandEachEventOnce(t *testing.T) {
	cases := []struct {
		name           string
		views, replays bool
	}{
		{"manager with views, handler refusing replays", true, false},
		{"interface-only manager, handler accepting replays", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			chain, ops := cluster(t, 3)
			chain.views, chain.replays = tc.views, tc.replays
			landEachOnce(t, chain, ops)
		})
	}
}

func landEachOnce(t *testing.T, chain *fakeChain, ops []*operator) {
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
			if st := o.agg.Stats(t.Context()); st.Submitted+st.AlreadyHandled+st.LandedElsewhere != events {
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
	if n := chain.txCount(); n != events {
		t.Errorf("%d transactions for %d events", n, events)
	}
	for _, id := range ids {
		if n := chain.eventTxs(id); n != 1 {
			t.Errorf("event %x landed %d times", id[:4], n)
		}
	}
	var submitted, elsewhere uint64
	for _, o := range ops {
		st := o.agg.Stats(t.Context())
		submitted += st.Submitted
		elsewhere += st.AlreadyHandled + st.LandedElsewhere
		// A node that hears of the landing before its own quorum check
		// finishes without one.
		if st.QuorumsReached < st.Submitted || st.QuorumsReached > events || st.Pending != 0 {
			t.Errorf("stats %+v: want a quorum for each event it submitted, at most %d, and nothing pending", st, events)
		}
		for r, n := range st.Rejected {
			t.Errorf("%d messages rejected as %s among honest operators", n, r)
		}
	}
	if submitted != events || elsewhere != 2*events {
		t.Errorf("submitted %d, landed elsewhere %d; want %d and %d", submitted, elsewhere, events, 2*events)
	}
	// The submit duty rotates: with 20 events, no single operator did all.
	for i, o := range ops {
		if n := o.agg.Stats(t.Context()).Submitted; n == events {
			t.Errorf("operator %d submitted all %d events", i, n)
		}
	}
	// Every record names the transaction that landed it.
	for _, o := range ops {
		for _, id := range ids {
			if rec := mustResult(t, o, id); rec.TxHash == (sdk.Hash{}) && rec.Proof != ProofHandler {
				t.Errorf("event %x landed without a transaction on record: %+v", id[:4], rec)
			}
		}
	}
	// Peer signatures are dropped once an event landed.
	for _, o := range ops {
		for _, id := range ids {
			if ps, _ := o.store.PeerSignatures(t.Context(), service.EventID(id)); len(ps) != 0 {
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
	_, first := designated(t, ops, 7)
	// The designated operator signs and publishes, then dies before its
	// turn: its aggregator never runs after the publish.
	var dead *operator
	for _, o := range ops {
		o.agg.o.FallbackDelay = 5 * time.Second
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
	waitFor(t, "a fallback operator to land the event", func() bool { return chain.txCount() == 1 })
	// The designated operator never claimed the event: the next takes
	// over one ClaimWait (150ms) later, not a FallbackDelay (5s).
	took := time.Since(start)
	if took < 150*time.Millisecond || took > 2*time.Second {
		t.Errorf("landed after %v; want after the next turn (150ms) and well before a fallback (5s)", took)
	}
	time.Sleep(300 * time.Millisecond)
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
}

// designated is event salt's id and the operator first in its submit
// order among ops.
func designated(t *testing.T, ops []*operator, salt byte) ([20]byte, sdk.Address) {
	t.Helper()
	eid, err := service.NewEventID(testService, testWorkflow, []byte{salt})
	if err != nil {
		t.Fatal(err)
	}
	var signers []sdk.Address
	for _, o := range ops {
		signers = append(signers, o.key.Address())
	}
	return eid, SubmitOrder(eid, signers)[0]
}

func mustResult(t *testing.T, o *operator, eid [20]byte) store.ResultRecord {
	t.Helper()
	rec, ok, err := o.store.GetResult(t.Context(), service.EventID(eid))
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

	eid, err := service.NewEventID(testService, testWorkflow, []byte{9})
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
	if len(chain.ledger) != 1 || string(chain.ledger[0].env.Payload) != "81" {
		t.Errorf("ledger %+v; want one transaction with the good payload", chain.ledger)
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
	eid, err := service.NewEventID(testService, testWorkflow, []byte{3})
	if err != nil {
		t.Fatal(err)
	}
	// The others landed it while this one was down, on a handler that
	// takes replays: only the chain's transactions tell.
	chain.replays = true
	chain.send(testHandler, sdk.Envelope{EventID: eid, Payload: []byte("x")}, true)
	ops[0].start(t)
	ops[0].sign(t, 3, []byte("x"))
	waitFor(t, "the late signer to find the event on chain", func() bool {
		return ops[0].status(t, eid) == StatusSubmitted && ops[0].agg.Stats(t.Context()).LandedElsewhere == 1
	})
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions; this node sent for a landed event", n-1)
	}
	if st := ops[0].agg.Stats(t.Context()); st.LandedElsewhere != 1 || st.Pending != 0 {
		t.Errorf("stats %+v: want 1 landed elsewhere, nothing pending", st)
	}
	if rec := mustResult(t, ops[0], eid); rec.Proof != ProofFound || rec.TxHash == (sdk.Hash{}) {
		t.Errorf("record %+v: want the transaction found on chain", rec)
	}
}

func TestMadeUpSignersAreRateLimited(t *testing.T) {
	chain, ops := cluster(t, 3)
	ops[0].start(t)
	rogue := ops[0].net.net.join("rogue")
	eid, err := service.NewEventID(testService, testWorkflow, []byte{5})
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
		// No other turn would come in time.
		o.agg.o.FallbackDelay, o.agg.o.ClaimWait = time.Hour, time.Hour
		o.start(t)
	}
	eid, err := service.NewEventID(testService, testWorkflow, []byte{8})
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
	// Each operator that did not submit heard of the landing from a
	// notice (a signature arriving after a landing is answered with one
	// more, so the total depends on timing). The counts follow the store.
	waitFor(t, "the landings counted", func() bool {
		for _, o := range ops {
			if st := o.agg.Stats(t.Context()); st.Pending != 0 || st.Submitted+st.LandedElsewhere != 1 {
				return false
			}
		}
		return true
	})
	for i, o := range ops {
		st := o.agg.Stats(t.Context())
		if st.Submitted == 0 && (st.LandedNotices == 0 || st.LandedElsewhere != 1) {
			t.Errorf("operator %d did not submit and was told of the landing by %d notices, landed elsewhere %d; want ≥ 1 and 1", i, st.LandedNotices, st.LandedElsewhere)
		}
	}
}

// TestFalseLandedNoticeSendsNothing: notices naming transactions that do
// not carry the event to the handler (unknown, another event, reverted,
// another contract) never end the wait.
func TestFalseLandedNoticeSendsNothing(t *testing.T) {
	chain, ops := cluster(t, 3)
	chain.replays = true
	ops[0].start(t)
	rogue := ops[0].net.net.join("rogue")
	eid := ops[0].sign(t, 6, []byte("x"))
	other, err := service.NewEventID(testService, testWorkflow, []byte{60})
	if err != nil {
		t.Fatal(err)
	}
	chain.mu.Lock()
	forOther, _ := chain.send(testHandler, sdk.Envelope{EventID: other}, true)
	reverted, _ := chain.send(testHandler, sdk.Envelope{EventID: eid}, false)
	elsewhere, _ := chain.send(sdk.Address{0xcc}.Hex(), sdk.Envelope{EventID: eid}, true)
	chain.mu.Unlock()
	lies := []sdk.Hash{{0xde, 0xad}, forOther.TxHash, reverted.TxHash, elsewhere.TxHash}
	for _, h := range lies {
		for range 3 { // each is checked once, however often it is told
			data, err := EncodeGossip(Gossip{ServiceID: testService, WorkflowID: testWorkflow, Envelope: sdk.Envelope{EventID: eid}, Landed: true, TxHash: h})
			if err != nil {
				t.Fatal(err)
			}
			rogue.Publish(t.Context(), service.TopicFor(testService), data)
		}
	}
	waitFor(t, "the notices to be checked", func() bool {
		return ops[0].agg.Stats(t.Context()).Rejected[RejectFalseLanding] == uint64(len(lies))
	})
	time.Sleep(200 * time.Millisecond)
	if st := ops[0].status(t, eid); st != "signed" {
		t.Errorf("false notices made the event %s", st)
	}
	if n := chain.txCount(); n != 3 {
		t.Errorf("%d transactions after false notices, want the 3 the test sent", n)
	}
	if st := ops[0].agg.Stats(t.Context()); st.Rejected[RejectFalseLanding] != uint64(len(lies)) || st.Pending != 1 {
		t.Errorf("stats %+v: want %d false landings and the event pending", st, len(lies))
	}
}

// TestLateFirstSignerNoClaimWait: the third signature comes a moment
// after two met the quorum, and its signer ranks first once it is in.
// The node first among the two waits a moment for the rest before it
// claims, so the late signer (first in the whole order) sends at once:
// one transaction, well within the half settle a claimer that lost first
// place waits for rival claims.
func TestLateFirstSignerNoClaimWait(t *testing.T) {
	chain, ops := cluster(t, 3)
	// Long, so that a loaded machine (the race detector, other packages'
	// tests) still delivers the third signature within the moment's wait
	// (settle/8).
	const settle = 1600 * time.Millisecond
	// An event whose order puts ops[0] first among ops[0..1] and ops[2]
	// first among all three.
	i := eventWhere(t, func(first func(...*operator) *operator) bool {
		return first(ops[0], ops[1]) == ops[0] && first(ops...) == ops[2]
	})
	for _, o := range ops {
		o.agg.o.SettleDelay = settle
		o.start(t)
	}
	eid := ops[0].sign(t, i, []byte("x"))
	ops[1].sign(t, i, []byte("x"))
	id := service.EventID(eid)
	waitFor(t, "the quorum of two", func() bool {
		sub, ok, _ := ops[0].store.GetSubmission(t.Context(), id)
		return ok && !sub.QuorumAt.IsZero()
	})
	time.Sleep(10 * time.Millisecond)
	signed := time.Now()
	ops[2].sign(t, i, []byte("x"))
	waitFor(t, "the landing", func() bool {
		return ops[2].status(t, eid) == StatusSubmitted || ops[0].status(t, eid) == StatusSubmitted
	})
	// Without the moment's wait: the claimer's half settle from its
	// claim, ~10 ms before the third signature.
	if took := time.Since(signed); took >= settle/4 {
		t.Errorf("landed %v after the third signature; want well within a quarter settle (%v)", took, settle/4)
	} else {
		t.Logf("landed %v after the third signature", took)
	}
	time.Sleep(settle)
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
}

// TestNoticeBeforeQueued: a landed notice that comes before this node has
// queued the event (a peer's signature is in, this node has not run the
// trigger yet) is kept and checked at its first attempt; one for an event
// nobody signed is dropped.
func TestNoticeBeforeQueued(t *testing.T) {
	_, ops := cluster(t, 3)
	ops[0].start(t)
	ops[1].start(t)
	rogue := ops[0].net.net.join("rogue")
	eid := ops[1].sign(t, 7, []byte("x"))
	id := service.EventID(eid)
	waitFor(t, "the peer's signature at node 0", func() bool {
		ps, _ := ops[0].store.PeerSignatures(t.Context(), id)
		return len(ps) == 1
	})
	unknown, err := service.NewEventID(testService, testWorkflow, []byte{99})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range [][20]byte{eid, unknown} {
		data, err := EncodeGossip(Gossip{ServiceID: testService, WorkflowID: testWorkflow, Envelope: sdk.Envelope{EventID: e}, Landed: true, TxHash: sdk.Hash{0xde, 0xad}})
		if err != nil {
			t.Fatal(err)
		}
		rogue.Publish(t.Context(), service.TopicFor(testService), data)
	}
	waitFor(t, "the notices", func() bool { return ops[0].agg.Stats(t.Context()).LandedNotices == 2 })
	ops[0].agg.mu.Lock()
	_, kept := ops[0].agg.events[service.EventID(unknown)]
	ops[0].agg.mu.Unlock()
	if kept {
		t.Error("a notice for an event nobody signed is kept")
	}
	ops[0].sign(t, 7, []byte("x"))
	waitFor(t, "the notice checked at the first attempt", func() bool {
		return ops[0].agg.Stats(t.Context()).Rejected[RejectFalseLanding] == 1
	})
}

// TestPendingNoticeCheckedAgain: a notice naming a transaction that this
// node's chain still shows pending (named a moment after it was mined) is
// looked at again, not counted false, and proves the landing once mined.
func TestPendingNoticeCheckedAgain(t *testing.T) {
	chain, ops := cluster(t, 3)
	ops[0].start(t)
	peer := ops[0].net.net.join("peer")
	eid := ops[0].sign(t, 6, []byte("x"))
	tx := fakeTx{hash: sdk.Hash{0x77, 0x77}, to: testHandler, env: sdk.Envelope{EventID: eid}, ok: true}
	chain.mu.Lock()
	chain.pool = append(chain.pool, tx)
	chain.mu.Unlock()
	data, err := EncodeGossip(Gossip{ServiceID: testService, WorkflowID: testWorkflow, Envelope: sdk.Envelope{EventID: eid}, Landed: true, TxHash: tx.hash})
	if err != nil {
		t.Fatal(err)
	}
	peer.Publish(t.Context(), service.TopicFor(testService), data)
	waitFor(t, "the notice to be taken in", func() bool { return ops[0].agg.Stats(t.Context()).LandedNotices == 1 })
	time.Sleep(100 * time.Millisecond)
	chain.mu.Lock()
	chain.pool = nil
	chain.head++
	tx.block = chain.head
	chain.ledger = append(chain.ledger, tx)
	chain.mu.Unlock()
	waitFor(t, "the landing the notice named", func() bool { return ops[0].status(t, eid) == StatusSubmitted })
	if n := ops[0].agg.Stats(t.Context()).Rejected[RejectFalseLanding]; n != 0 {
		t.Errorf("%d false landings counted for a transaction that was pending, then mined", n)
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
		ps, _ := ops[0].store.PeerSignatures(t.Context(), service.EventID(eid))
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

// TestQuorumShortWaitsThenLandsOnce: weights 33/33/34 at 2/3 with only
// the two 33s signing — validate says no, so nothing is sent and the
// event waits with its progress on record; the third signs and it lands
// once. The manager shows no views: only validate can tell.
func TestQuorumShortWaitsThenLandsOnce(t *testing.T) {
	chain, ops := cluster(t, 3)
	chain.views, chain.replays = false, true
	for i, w := range []int64{33, 33, 34} {
		chain.weights[ops[i].key.Address()] = w
	}
	ops[0].start(t)
	ops[1].start(t)
	eid := ops[0].sign(t, 1, []byte("x"))
	ops[1].sign(t, 1, []byte("x"))
	waitFor(t, "both signatures to be counted", func() bool {
		rec := mustResult(t, ops[0], eid)
		return len(rec.Signers) == 2 && strings.Contains(rec.Verdict, "InsufficientQuorum")
	})
	time.Sleep(500 * time.Millisecond)
	if n := chain.txCount(); n != 0 {
		t.Fatalf("%d transactions with 66 of 100 signed", n)
	}
	st, err := ops[0].agg.Status(t.Context())
	if err != nil || len(st.PendingEvents) != 1 || st.PendingEvents[0].SignedWeight != "66" || !strings.Contains(st.PendingEvents[0].Verdict, "InsufficientQuorum") {
		t.Fatalf("pending events %+v, %v; want the event with 66 signed and validate's reason", st.PendingEvents, err)
	}
	ops[2].start(t)
	ops[2].sign(t, 1, []byte("x"))
	waitFor(t, "the event to land", func() bool {
		for _, o := range ops {
			if o.status(t, eid) != StatusSubmitted {
				return false
			}
		}
		return true
	})
	time.Sleep(300 * time.Millisecond)
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
}

// TestAbsoluteThresholdWaits: a manager that also wants an absolute
// signed weight above what the fraction asks: the node waits, and never
// sends a transaction that would revert.
func TestAbsoluteThresholdWaits(t *testing.T) {
	for _, views := range []bool{true, false} {
		t.Run(fmt.Sprintf("views=%v", views), func(t *testing.T) {
			chain, ops := cluster(t, 3)
			chain.views, chain.threshold = views, 300 // every operator must sign
			// Verdicts and views are reused for MemberTTL, and views that
			// rule a set out are checked by validate every ValidateEvery:
			// short here, so that a change on chain is seen in the test.
			for _, o := range ops[:2] {
				o.agg.o.ValidateEvery, o.agg.o.MemberTTL = 100*time.Millisecond, 100*time.Millisecond
				o.start(t)
			}
			eid := ops[0].sign(t, 2, []byte("x"))
			ops[1].sign(t, 2, []byte("x"))
			waitFor(t, "both signatures to be counted", func() bool { return len(mustResult(t, ops[0], eid).Signers) == 2 })
			time.Sleep(600 * time.Millisecond)
			if n := chain.txCount(); n != 0 {
				t.Fatalf("%d transactions below the absolute threshold", n)
			}
			if rec := mustResult(t, ops[0], eid); rec.Status != "signed" || rec.Verdict == "" {
				t.Errorf("record %+v: want it pending with a reason", rec)
			}
			// The owner lowers the threshold; the next look lands it.
			chain.mu.Lock()
			chain.threshold = 200
			chain.mu.Unlock()
			time.Sleep(150 * time.Millisecond) // past MemberTTL
			for _, o := range ops[:2] {
				o.agg.wake(service.EventID(eid))
			}
			waitFor(t, "the event to land", func() bool { return ops[0].status(t, eid) == StatusSubmitted })
			if n := chain.txCount(); n != 1 {
				t.Errorf("%d transactions, want 1", n)
			}
		})
	}
}

// singleOperator is a node without a network: its own signature must pass.
func singleOperator(t *testing.T, chain *fakeChain) *operator {
	t.Helper()
	k := newKey(t)
	chain.weights[k.Address()] = 100
	st, err := store.Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	o := &operator{key: k, store: st}
	o.agg = New(Options{
		Store:    st,
		ChainFor: func(string, string) (Chain, error) { return chain, nil },
		RetryMin: 20 * time.Millisecond,
		RetryMax: 100 * time.Millisecond,
	})
	return o
}

// TestLostReceiptIsNoSecondTransaction: the plugin sent the transaction
// but reported an error (a receipt that never came): the next attempt
// finds the transaction on chain instead of sending another, even on a
// handler that would take the replay.
func TestLostReceiptIsNoSecondTransaction(t *testing.T) {
	chain := newFakeChain()
	chain.replays, chain.lostReceipts = true, 1
	o := singleOperator(t, chain)
	o.start(t)
	eid := o.sign(t, 1, []byte("x"))
	waitFor(t, "the event to land", func() bool { return o.status(t, eid) == StatusSubmitted })
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
	if rec := mustResult(t, o, eid); !strings.Contains(rec.Proof, "found on chain") || rec.TxHash == (sdk.Hash{}) {
		t.Errorf("record %+v: want the transaction found on chain", rec)
	}
}

// TestRestartAfterSendingIsNoSecondTransaction: a node that stops
// between sending and recording the landing finds its transaction after
// the restart.
func TestRestartAfterSendingIsNoSecondTransaction(t *testing.T) {
	chain := newFakeChain()
	chain.replays = true
	o := singleOperator(t, chain)
	eid := o.sign(t, 1, []byte("x"))
	ctx := t.Context()
	id := service.EventID(eid)
	// What the crashed node left: the submission marked as sent, the
	// transaction on chain, the result still "signed".
	sub, _, _ := o.store.GetSubmission(ctx, id)
	sub.SentAt = time.Now()
	if err := o.store.PutSubmission(ctx, sub); err != nil {
		t.Fatal(err)
	}
	chain.mu.Lock()
	chain.send(testHandler, sdk.Envelope{EventID: eid, Payload: []byte("x")}, true)
	chain.mu.Unlock()
	o.start(t)
	waitFor(t, "the event to be found landed", func() bool { return o.status(t, eid) == StatusSubmitted })
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
}

// failingSubmit is a chain whose Submit never sends: an operator that
// claimed the event and then could not land it.
type failingSubmit struct{ *fakeChain }

func (failingSubmit) Submit(context.Context, sdk.Submission) (sdk.Receipt, error) {
	return sdk.Receipt{}, fmt.Errorf("%w: the paying account is empty", sdk.ErrInvalidArgument)
}

// TestClaimPostponesTakeover: the designated operator claims the event
// and fails to land it; the next waits FallbackDelay after the claim
// (not just ClaimWait), then lands it.
func TestClaimPostponesTakeover(t *testing.T) {
	chain, ops := cluster(t, 3)
	_, first := designated(t, ops, 4)
	for _, o := range ops {
		o.agg.o.FallbackDelay = time.Second
		if sdk.Address(o.key.Address()) == first {
			o.agg.o.ChainFor = func(string, string) (Chain, error) { return failingSubmit{chain}, nil }
		}
		o.start(t)
	}
	start := time.Now()
	// The designated operator and one other sign first: the designated
	// one is first in any view that holds it, and claims. (Were the third
	// to sign with the other before the designated one's signature came,
	// the two could claim first, and it would stand down to them.)
	var designatedOp *operator
	var rest []*operator
	for _, o := range ops {
		if sdk.Address(o.key.Address()) == first {
			designatedOp = o
		} else {
			rest = append(rest, o)
		}
	}
	designatedOp.sign(t, 4, []byte("x"))
	rest[0].sign(t, 4, []byte("x"))
	waitFor(t, "the designated operator to claim", func() bool { return designatedOp.agg.Stats(t.Context()).Claims == 1 })
	rest[1].sign(t, 4, []byte("x"))
	waitFor(t, "another operator to land the event", func() bool { return chain.txCount() == 1 })
	if took := time.Since(start); took < time.Second {
		t.Errorf("landed after %v: the claim should have held the others off for a fallback (1s)", took)
	}
	var claims, received uint64
	for _, o := range ops {
		st := o.agg.Stats(t.Context())
		claims += st.Claims
		received += st.ClaimsReceived
	}
	if claims == 0 || received == 0 {
		t.Errorf("claims published %d, received %d; want both", claims, received)
	}
}

// TestOutsiderClaimsChangeNothing: claims signed by keys outside the
// operator set are refused and do not hold anybody off.
func TestOutsiderClaimsChangeNothing(t *testing.T) {
	chain, ops := cluster(t, 3)
	rogue := ops[0].net.net.join("rogue")
	outsider := newKey(t)
	eid, first := designated(t, ops, 7)
	for _, o := range ops {
		o.agg.o.FallbackDelay = 5 * time.Second
	}
	var dead *operator
	for _, o := range ops {
		if sdk.Address(o.key.Address()) == first {
			dead = o
		} else {
			o.start(t)
		}
	}
	sig, err := outsider.SignClaim(testService, eid)
	if err != nil {
		t.Fatal(err)
	}
	claim, err := EncodeGossip(Gossip{ServiceID: testService, WorkflowID: testWorkflow, Envelope: sdk.Envelope{EventID: eid}, Claim: true, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	rogue.Publish(t.Context(), service.TopicFor(testService), claim)
	res := dead.sign(t, 7, []byte("x"))
	dead.agg.publish(t.Context(), mustResult(t, dead, res), dead.agg.log)
	start := time.Now()
	for _, o := range ops {
		if o != dead {
			o.sign(t, 7, []byte("x"))
		}
		rogue.Publish(t.Context(), service.TopicFor(testService), claim)
	}
	waitFor(t, "a fallback operator to land the event", func() bool { return chain.txCount() == 1 })
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("landed after %v: an outsider's claim held the operators off", took)
	}
	for _, o := range ops {
		if o == dead {
			continue
		}
		if st := o.agg.Stats(t.Context()); st.Rejected[RejectNotOperator] == 0 {
			t.Errorf("stats %+v: want the outsider's claims refused as not_operator", st)
		}
	}
}

// TestDropEndsAPendingSubmission: the operator drops an event that cannot
// land; this node never submits it afterwards (a peer holding its
// signature still may: the drop is this node's own).
func TestDropEndsAPendingSubmission(t *testing.T) {
	_, ops := cluster(t, 3)
	ops[0].start(t)
	eid := ops[0].sign(t, 5, []byte("x")) // alone: 100 of 300, never enough
	if err := ops[0].agg.Drop(t.Context(), "0x"+service.EventID(eid).String()); err != nil {
		t.Fatal(err)
	}
	if st := ops[0].status(t, eid); st != StatusDropped {
		t.Errorf("status %s, want dropped", st)
	}
	if err := ops[0].agg.Drop(t.Context(), service.EventID(eid).String()); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("second drop: %v, want ErrNotFound", err)
	}
	ops[1].start(t)
	ops[1].sign(t, 5, []byte("x"))
	time.Sleep(700 * time.Millisecond)
	if st := ops[0].agg.Stats(t.Context()); st.Pending != 0 || st.Dropped != 1 || st.Sent != 0 {
		t.Errorf("stats %+v: want nothing pending, one dropped, nothing sent", st)
	}
	if st := ops[0].status(t, eid); st != StatusDropped {
		t.Errorf("status %s after a peer signed, want dropped", st)
	}
}

// TestRivalClaimStandsDown: two operators whose views of the signers
// differ may both take the first turn; both claim, and the one that ranks
// second between the two stands down. Here the rival is an operator the
// others never heard sign (its signature was lost): its claim alone makes
// the designated submitter wait a fallback, look on chain, and only then
// send — one transaction.
func TestRivalClaimStandsDown(t *testing.T) {
	chain, ops := cluster(t, 3)
	chain.replays = true
	rogue := ops[0].net.net.join("rogue")
	var signers []sdk.Address
	for _, o := range ops[:2] {
		signers = append(signers, o.key.Address())
		o.agg.o.FallbackDelay = time.Second
		o.start(t)
	}
	// An event whose designated submitter among operators 0 and 1 ranks
	// after operator 2 between the two of them.
	var salt int
	var eid [20]byte
	for salt = 10; ; salt++ {
		var err error
		if eid, err = service.NewEventID(testService, testWorkflow, []byte{byte(salt)}); err != nil {
			t.Fatal(err)
		}
		first := SubmitOrder(eid, signers)[0]
		if SubmitOrder(eid, []sdk.Address{first, ops[2].key.Address()})[0] == sdk.Address(ops[2].key.Address()) {
			break
		}
	}
	sig, err := ops[2].key.SignClaim(testService, eid)
	if err != nil {
		t.Fatal(err)
	}
	claim, err := EncodeGossip(Gossip{ServiceID: testService, WorkflowID: testWorkflow, Envelope: sdk.Envelope{EventID: eid}, Claim: true, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rogue.Publish(t.Context(), service.TopicFor(testService), claim)
	waitFor(t, "the claim to be taken in", func() bool {
		for _, o := range ops[:2] {
			if o.agg.Stats(t.Context()).ClaimsReceived == 0 {
				return false
			}
		}
		return true
	})
	for _, o := range ops[:2] {
		o.sign(t, salt, []byte("x"))
	}
	waitFor(t, "the event to land", func() bool { return chain.txCount() == 1 })
	if took := time.Since(start); took < time.Second {
		t.Errorf("landed after %v: the rival's claim should have held the designated submitter off for a fallback (1s)", took)
	}
	time.Sleep(300 * time.Millisecond)
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
}

// TestLateViewLooksBeforeSending: an operator whose quorum formed long
// after its own signature (a peer's signature was lost on the way, as
// after a restart) looks for a landing before it sends, even when it is
// first in its order: another operator, which had the quorum long before
// and whose claim and notice were lost too, may have landed the event.
// The handler accepts replays, so a second transaction would land again.
func TestLateViewLooksBeforeSending(t *testing.T) {
	chain, ops := cluster(t, 3)
	chain.replays = true
	const settle = 200 * time.Millisecond
	// ops[2] first among ops[1..2] (it lands, unheard); ops[1] first
	// among ops[0..1] (its view, formed late).
	i := eventWhere(t, func(first func(...*operator) *operator) bool {
		return first(ops[1], ops[2]) == ops[2] && first(ops[0], ops[1]) == ops[1]
	})
	for _, o := range ops {
		o.agg.o.SettleDelay = settle
		o.agg.o.ClaimWait, o.agg.o.FallbackDelay = time.Hour, time.Hour // no takeover
		o.start(t)
	}
	ops[2].net.net.mu.Lock()
	ops[2].net.muted = true // everything ops[2] sends is lost
	ops[2].net.net.mu.Unlock()
	eid := ops[1].sign(t, i, []byte("x"))
	ops[2].sign(t, i, []byte("x"))
	waitFor(t, "ops[2] to land the event, unheard", func() bool { return ops[2].status(t, eid) == StatusSubmitted })
	time.Sleep(2 * settle)
	ops[0].sign(t, i, []byte("x")) // ops[1]'s quorum, long after its signature
	waitFor(t, "ops[1] to find the landing", func() bool { return ops[1].status(t, eid) == StatusSubmitted })
	time.Sleep(settle)
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions, want 1: ops[1] sent without looking", n)
	}
	if st := ops[1].agg.Stats(t.Context()); st.Sent != 0 || st.LandedElsewhere != 1 {
		t.Errorf("ops[1] stats %+v: want nothing sent, landed elsewhere once", st)
	}
}

// TestKnownWeightsSpareTheReferenceRead: once every signer's weight is
// known (read within MemberTTL), a turn does not read them again at its
// reference block; validate, asked there, still judges. A validate that
// says no makes the next turn read them.
func TestKnownWeightsSpareTheReferenceRead(t *testing.T) {
	chain, ops := cluster(t, 3)
	for _, o := range ops {
		o.start(t)
	}
	land := func(i int) {
		t.Helper()
		var eid [20]byte
		for _, o := range ops {
			eid = o.sign(t, i, []byte("x"))
		}
		waitFor(t, "the landing", func() bool {
			for _, o := range ops {
				if o.status(t, eid) != StatusSubmitted {
					return false
				}
			}
			return true
		})
	}
	land(1) // the weights are read and kept
	chain.mu.Lock()
	before := chain.reads
	chain.mu.Unlock()
	land(2)
	chain.mu.Lock()
	after := chain.reads
	chain.mu.Unlock()
	if after != before {
		t.Errorf("%d weight reads for an event whose signers' weights were known; want none", after-before)
	}
	if n := chain.txCount(); n != 2 {
		t.Errorf("%d transactions, want 2", n)
	}
	// A validate that says no: the weights are forgotten and read again.
	own := sdk.Address(ops[0].key.Address())
	ops[0].agg.forget(testChain, "", []sdk.Address{own})
	ops[0].agg.mu.Lock()
	_, kept := ops[0].agg.members[memberKey{testChain, "", own}]
	ops[0].agg.mu.Unlock()
	if kept {
		t.Error("forget kept the weight")
	}
}

// eventWhere returns the first test event number n (0..255) for which
// want holds, given first: the operator that the submit order of n puts
// first among some operators.
func eventWhere(t *testing.T, want func(first func(...*operator) *operator) bool) int {
	t.Helper()
	for n := range 256 {
		eid, err := service.NewEventID(testService, testWorkflow, []byte{byte(n)})
		if err != nil {
			t.Fatal(err)
		}
		first := func(os ...*operator) *operator {
			addrs := make([]sdk.Address, len(os))
			for i, o := range os {
				addrs[i] = sdk.Address(o.key.Address())
			}
			top := SubmitOrder(eid, addrs)[0]
			for _, o := range os {
				if sdk.Address(o.key.Address()) == top {
					return o
				}
			}
			return nil
		}
		if want(first) {
			return n
		}
	}
	t.Fatal("no event with the order the test needs")
	return -1
}
