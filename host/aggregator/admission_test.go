package aggregator

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/admission"
	"github.com/wavs-go/wavs/sdk"
)

// testPeerID is a valid libp2p peer id (text form).
const testPeerID = "12D3KooWGRUVh5DquV5ZbeAWpAkhEy7TMLGYAXNfP8FiGBMojJLe"

// fakeAdmissionNet is a transport with admission, in memory.
type fakeAdmissionNet struct {
	mu       sync.Mutex
	unimpl   bool
	set      []sdk.Admission
	answers  map[admitKey]bool
	claims   chan sdk.PeerClaim
	setCalls int
}

func newFakeAdmissionNet() *fakeAdmissionNet {
	return &fakeAdmissionNet{answers: map[admitKey]bool{}, claims: make(chan sdk.PeerClaim, 16)}
}

func (n *fakeAdmissionNet) Status(context.Context) (sdk.TransportStatus, error) {
	return sdk.TransportStatus{Enabled: true, LocalPeerID: testPeerID}, nil
}

func (n *fakeAdmissionNet) SetAdmission(_ context.Context, a sdk.Admission) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.setCalls++
	if n.unimpl {
		return sdk.ErrUnimplemented
	}
	n.set = append(n.set, a)
	return nil
}

func (n *fakeAdmissionNet) PeerClaims() <-chan sdk.PeerClaim { return n.claims }

func (n *fakeAdmissionNet) Admit(_ context.Context, peerID, topic string, ok bool) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.answers[admitKey{peerID, topic}] = ok
	return nil
}

func (n *fakeAdmissionNet) answer(peerID, topic string) (ok, answered bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	ok, answered = n.answers[admitKey{peerID, topic}]
	return ok, answered
}

func startAdmission(t *testing.T, chain *fakeChain, n *fakeAdmissionNet, services func() []AdmissionService) *Aggregator {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	agg := New(Options{Store: st, ChainFor: func(string, string) (Chain, error) { return chain, nil }, Logger: testLogger("admission")})
	agg.o.MemberTTL = 50 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		agg.RunAdmission(ctx, AdmissionOptions{
			Network: n, Mode: sdk.AdmissionOperators, AuthorizedPeers: []string{"12D3KooWAuthorized"},
			Services: services, Interval: 20 * time.Millisecond, Retry: 50 * time.Millisecond, Recheck: 100 * time.Millisecond,
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	return agg
}

// TestAdmissionDecides: the host attests each service over the
// transport's peer id, admits a claim whose signer has weight, refuses
// one without, and puts a peer out once its signer's weight goes to 0.
func TestAdmissionDecides(t *testing.T) {
	chain := newFakeChain()
	mine, op, stranger := newKey(t), newKey(t), newKey(t)
	chain.weights[mine.Address()] = 1
	chain.weights[op.Address()] = 1
	n := newFakeAdmissionNet()
	route := Route{Chain: testChain, Handler: testHandler, Key: mine}
	startAdmission(t, chain, n, func() []AdmissionService { return []AdmissionService{{ServiceID: testService, Route: route}} })
	topic := sdk.ServiceTopic(testService)

	waitFor(t, "the attestation", func() bool {
		n.mu.Lock()
		defer n.mu.Unlock()
		return len(n.set) > 0
	})
	n.mu.Lock()
	adm := n.set[0]
	n.mu.Unlock()
	if adm.Mode != sdk.AdmissionOperators || len(adm.AuthorizedPeers) != 1 || len(adm.Attestations) != 1 {
		t.Fatalf("SetAdmission(%+v): want operators mode, the authorized peer and one attestation", adm)
	}
	at := adm.Attestations[0]
	got, err := admission.Recover(testPeerID, topic, at.Signature)
	if err != nil || got != mine.Address() || at.Signer != mine.Address() || at.Topic != topic {
		t.Fatalf("attestation %+v does not recover the service key %s for (%s, %s): %v", at, mine.AddressHex(), testPeerID, topic, err)
	}

	const opPeer, strangerPeer = "12D3KooWOperator", "12D3KooWStranger"
	n.claims <- sdk.PeerClaim{PeerID: opPeer, Topic: topic, Signer: op.Address()}
	n.claims <- sdk.PeerClaim{PeerID: strangerPeer, Topic: topic, Signer: stranger.Address()}
	n.claims <- sdk.PeerClaim{PeerID: strangerPeer, Topic: sdk.ServiceTopic(testService[:63] + "f"), Signer: op.Address()}
	waitFor(t, "answers to both claims", func() bool {
		_, a1 := n.answer(opPeer, topic)
		_, a2 := n.answer(strangerPeer, topic)
		return a1 && a2
	})
	if ok, _ := n.answer(opPeer, topic); !ok {
		t.Error("the operator's peer was refused")
	}
	if ok, _ := n.answer(strangerPeer, topic); ok {
		t.Error("a signer without weight was admitted")
	}

	// The operator leaves the manager: the recheck puts its peer out.
	chain.mu.Lock()
	chain.weights[op.Address()] = 0
	chain.mu.Unlock()
	waitFor(t, "the peer put out", func() bool {
		ok, _ := n.answer(opPeer, topic)
		return !ok
	})
}

// TestAdmissionChainDownRetries: a claim the chain cannot answer is not
// refused but answered once the chain is back.
func TestAdmissionChainDownRetries(t *testing.T) {
	chain := newFakeChain()
	mine, op := newKey(t), newKey(t)
	chain.weights[op.Address()] = 3
	chain.down = true
	n := newFakeAdmissionNet()
	startAdmission(t, chain, n, func() []AdmissionService {
		return []AdmissionService{{ServiceID: testService, Route: Route{Chain: testChain, Handler: testHandler, Key: mine}}}
	})
	topic := sdk.ServiceTopic(testService)
	n.claims <- sdk.PeerClaim{PeerID: "12D3KooWOperator", Topic: topic, Signer: op.Address()}
	time.Sleep(200 * time.Millisecond)
	if _, answered := n.answer("12D3KooWOperator", topic); answered {
		t.Fatal("a claim was answered while the chain was down")
	}
	chain.mu.Lock()
	chain.down = false
	chain.mu.Unlock()
	waitFor(t, "the admission after the chain came back", func() bool {
		ok, _ := n.answer("12D3KooWOperator", topic)
		return ok
	})
}

// TestAdmissionUnimplemented: a transport without admission is asked once
// per change, not on every tick.
func TestAdmissionUnimplemented(t *testing.T) {
	n := newFakeAdmissionNet()
	n.unimpl = true
	startAdmission(t, newFakeChain(), n, func() []AdmissionService { return nil })
	time.Sleep(200 * time.Millisecond)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.setCalls != 1 {
		t.Errorf("SetAdmission was called %d times on a transport without admission, want 1", n.setCalls)
	}
}
