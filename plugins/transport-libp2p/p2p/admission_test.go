package p2p_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/internal/admission"
	"github.com/wavs-go/wavs/plugins/transport-libp2p/p2p"
	"github.com/wavs-go/wavs/sdk"
)

// admissionConfig is configFor with p2p.admission and
// p2p.authorized_peers set.
func admissionConfig(t testing.TB, bootstrap []string, mode string, authorized ...string) json.RawMessage {
	t.Helper()
	var cfg map[string]map[string]any
	if err := json.Unmarshal(configFor(t, bootstrap, ""), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["p2p"]["admission"] = mode
	if authorized != nil {
		cfg["p2p"]["authorized_peers"] = authorized
	}
	raw, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// operatorKey is a service signing key.
type operatorKey struct {
	priv *ecdsa.PrivateKey
	addr sdk.Address
}

func newOperatorKey(t testing.TB) operatorKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return operatorKey{k, sdk.Address(crypto.PubkeyToAddress(k.PublicKey))}
}

// attest signs the admission digest of (peerID, topic) with k, as the
// host does with a service's key.
func (k operatorKey) attest(t testing.TB, peerID, topic string) sdk.Attestation {
	t.Helper()
	h, err := admission.Hash(peerID, topic)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := crypto.Sign(h[:], k.priv)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return sdk.Attestation{Topic: topic, Signer: k.addr, Signature: sig}
}

// fakeHost answers an instance's peer claims as a host would after
// reading the chain: signers in operators are admitted, others refused.
type fakeHost struct {
	mu     sync.Mutex
	claims []sdk.PeerClaim
}

func (f *fakeHost) seen() []sdk.PeerClaim {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.claims)
}

func runFakeHost(t *testing.T, in *instance, operators ...sdk.Address) *fakeHost {
	t.Helper()
	adm := in.Transport.(sdk.AdmissionTransport)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch, err := adm.PeerClaims(ctx)
	if err != nil {
		t.Fatalf("PeerClaims: %v", err)
	}
	f := &fakeHost{}
	go func() {
		for c := range ch {
			f.mu.Lock()
			f.claims = append(f.claims, c)
			f.mu.Unlock()
			_ = adm.Admit(ctx, c.PeerID, c.Topic, slices.Contains(operators, c.Signer))
		}
	}()
	return f
}

// setAdmission gives in its attestations for topic, signed by k.
func setAdmission(t *testing.T, in *instance, mode string, k operatorKey, topic string) {
	t.Helper()
	err := in.Transport.(sdk.AdmissionTransport).SetAdmission(ctxFor(t, 5*time.Second), sdk.Admission{
		Mode: mode, Attestations: []sdk.Attestation{k.attest(t, in.id, topic)},
	})
	if err != nil {
		t.Fatalf("SetAdmission: %v", err)
	}
}

// peerStatus returns what in's Status says of peer id.
func peerStatus(t *testing.T, in *instance, id string) (sdk.PeerStatus, bool) {
	st, err := in.Status(context.Background())
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	for _, p := range st.Peers {
		if p.PeerID == id {
			return p, true
		}
	}
	return sdk.PeerStatus{}, false
}

// TestAdmissionOperatorsOnly: three operators in operators mode mesh on
// the topic and exchange messages, while a connected peer whose key is no
// operator's is not among the topic's peers and receives nothing, and a
// peer presenting an operator's signature made for another peer id is not
// even reported to the host.
func TestAdmissionOperatorsOnly(t *testing.T) {
	defer p2p.SetAdmissionTimings(time.Minute, time.Minute)()
	kA, kB, kC, kR := newOperatorKey(t), newOperatorKey(t), newOperatorKey(t), newOperatorKey(t)
	ops := []sdk.Address{kA.addr, kB.addr, kC.addr}
	a := start(t, "a", admissionConfig(t, nil, sdk.AdmissionOperators), "")
	b := start(t, "b", admissionConfig(t, []string{a.addr}, sdk.AdmissionOperators), "")
	c := start(t, "c", admissionConfig(t, []string{a.addr}, sdk.AdmissionOperators), "")
	// r is a rogue in open mode with a key of its own; f forges: it
	// presents kB's signature made for b's peer id.
	r := start(t, "r", configFor(t, []string{a.addr}, ""), "")
	f := start(t, "f", configFor(t, []string{a.addr}, ""), "")
	hosts := map[*instance]*fakeHost{}
	for _, in := range []*instance{a, b, c} {
		hosts[in] = runFakeHost(t, in, ops...)
	}
	subscribe(t, testTopic, a, b, c, r, f)
	setAdmission(t, a, sdk.AdmissionOperators, kA, testTopic)
	setAdmission(t, b, sdk.AdmissionOperators, kB, testTopic)
	setAdmission(t, c, sdk.AdmissionOperators, kC, testTopic)
	setAdmission(t, r, sdk.AdmissionOpen, kR, testTopic)
	forged := kB.attest(t, b.id, testTopic)
	if err := f.Transport.(sdk.AdmissionTransport).SetAdmission(ctxFor(t, 5*time.Second), sdk.Admission{Attestations: []sdk.Attestation{forged}}); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Fatalf("SetAdmission with an attestation for another peer id = %v, want ErrInvalidArgument", err)
	}
	inA, inB, inC, inR, inF := inbound(t, a), inbound(t, b), inbound(t, c), inbound(t, r), inbound(t, f)

	// The operators mesh among themselves only.
	waitFor(t, 30*time.Second, func() (bool, string) {
		for _, in := range []*instance{a, b, c} {
			st, err := in.Status(context.Background())
			if err != nil {
				return false, err.Error()
			}
			if n := st.TopicPeerCounts[testTopic]; n != 2 {
				return false, fmt.Sprintf("%s: %d topic peers, want 2 (peers %+v)", in.id, n, st.Peers)
			}
		}
		return true, ""
	})
	settle(t, testTopic, b, map[*instance]<-chan sdk.Message{a: inA, c: inC})
	for _, x := range []*instance{r, f} {
		if _, ok := peerStatus(t, a, x.id); !ok {
			t.Fatalf("%s is not connected to a; the test proves nothing", x.id)
		}
	}

	for i, from := range []*instance{a, b, c} {
		payload := fmt.Sprintf("secret %d", i)
		if err := from.Publish(ctxFor(t, 5*time.Second), testTopic, []byte(payload)); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	got := map[string][]sdk.Message{}
	for name, ch := range map[string]<-chan sdk.Message{"a": inA, "b": inB, "c": inC, "r": inR, "f": inF} {
		got[name] = collect(ch, 1500*time.Millisecond)
	}
	for i, name := range []string{"a", "b", "c"} {
		for j, other := range []string{"a", "b", "c"} {
			if i != j && countData(got[other], fmt.Sprintf("secret %d", i)) != 1 {
				t.Errorf("operator %s did not receive %s's message (got %d messages)", other, name, len(got[other]))
			}
		}
	}
	for _, name := range []string{"r", "f"} {
		if len(got[name]) != 0 {
			t.Errorf("non-operator %s received %d messages, e.g. %q", name, len(got[name]), got[name][0].Data)
		}
	}
	// r publishes: the operators ignore what a non-admitted peer relays.
	if err := r.Publish(ctxFor(t, 5*time.Second), testTopic, []byte("from the rogue")); err != nil {
		t.Fatalf("r: Publish: %v", err)
	}
	if n := countData(collect(inA, time.Second), "from the rogue"); n != 0 {
		t.Errorf("a delivered a message relayed by the rogue")
	}

	pa, _ := peerStatus(t, a, b.id)
	if !pa.Operator || !slices.Equal(pa.Topics, []string{testTopic}) {
		t.Errorf("a's status of b = %+v, want an operator admitted to %q", pa, testTopic)
	}
	if pr, _ := peerStatus(t, a, r.id); pr.Operator || len(pr.Topics) != 0 {
		t.Errorf("a's status of the rogue = %+v, want no operator", pr)
	}
	for _, cl := range hosts[a].seen() {
		if cl.PeerID == f.id {
			t.Errorf("a's host was told of a claim by the forger: %+v", cl)
		}
	}
	if !slices.ContainsFunc(hosts[a].seen(), func(cl sdk.PeerClaim) bool { return cl.PeerID == r.id && cl.Signer == kR.addr }) {
		t.Errorf("a's host never saw the rogue's (valid but non-operator) claim: %+v", hosts[a].seen())
	}
}

// TestAdmissionAuthorizedPeers: a peer in authorized_peers takes part in
// every topic without any attestation.
func TestAdmissionAuthorizedPeers(t *testing.T) {
	r := start(t, "r", configFor(t, nil, ""), "")
	a := start(t, "a", admissionConfig(t, []string{r.addr}, sdk.AdmissionOperators, r.id), "")
	k := newOperatorKey(t)
	runFakeHost(t, a, k.addr)
	subscribe(t, testTopic, a, r)
	setAdmission(t, a, sdk.AdmissionOperators, k, testTopic)
	inR := inbound(t, r)
	waitMesh(t, testTopic, a, r)
	settle(t, testTopic, a, map[*instance]<-chan sdk.Message{r: inR})
	if p, _ := peerStatus(t, a, r.id); !p.Authorized || p.Operator {
		t.Errorf("a's status of r = %+v, want authorized, not operator", p)
	}
}

// TestAdmissionOpenMode: in open mode a non-operator takes part as before,
// and the verified operators still show in Status.
func TestAdmissionOpenMode(t *testing.T) {
	kA, kB := newOperatorKey(t), newOperatorKey(t)
	a := start(t, "a", admissionConfig(t, nil, sdk.AdmissionOpen), "")
	b := start(t, "b", admissionConfig(t, []string{a.addr}, sdk.AdmissionOpen), "")
	r := start(t, "r", configFor(t, []string{a.addr}, ""), "")
	runFakeHost(t, a, kA.addr, kB.addr)
	subscribe(t, testTopic, a, b, r)
	setAdmission(t, a, sdk.AdmissionOpen, kA, testTopic)
	setAdmission(t, b, sdk.AdmissionOpen, kB, testTopic)
	inR := inbound(t, r)
	waitMesh(t, testTopic, a, b, r)
	settle(t, testTopic, a, map[*instance]<-chan sdk.Message{r: inR})
	waitFor(t, 10*time.Second, func() (bool, string) {
		p, _ := peerStatus(t, a, b.id)
		return p.Operator, fmt.Sprintf("a's status of b = %+v, want operator", p)
	})
	if st, _ := a.Status(context.Background()); st.Admission != sdk.AdmissionOpen {
		t.Errorf("status admission = %q, want open", st.Admission)
	}
}

// TestAdmissionGraceCutsOff: an operators-mode node disconnects a peer
// admitted to nothing after the grace period and refuses it for a while.
func TestAdmissionGraceCutsOff(t *testing.T) {
	defer p2p.SetAdmissionTimings(time.Second, time.Minute)()
	k := newOperatorKey(t)
	a := start(t, "a", admissionConfig(t, nil, sdk.AdmissionOperators), "")
	runFakeHost(t, a, k.addr)
	subscribe(t, testTopic, a)
	setAdmission(t, a, sdk.AdmissionOperators, k, testTopic)
	r := start(t, "r", configFor(t, []string{a.addr}, ""), "")
	waitFor(t, 10*time.Second, func() (bool, string) {
		_, ok := peerStatus(t, a, r.id)
		return ok, "r never connected to a"
	})
	waitFor(t, 10*time.Second, func() (bool, string) {
		_, ok := peerStatus(t, a, r.id)
		return !ok, "a did not cut r off"
	})
	// r's discovery dials a again every 200 ms: refused.
	time.Sleep(time.Second)
	if _, ok := peerStatus(t, a, r.id); ok {
		t.Error("a let r back in while refusing it")
	}
}

// TestAdmissionConfigErrors: bad admission settings name their key.
func TestAdmissionConfigErrors(t *testing.T) {
	for _, tc := range []struct{ mode, peer, want string }{
		{"friends", "", `p2p.admission = "friends"`},
		{sdk.AdmissionOperators, "not-a-peer", `p2p.authorized_peers[0] = "not-a-peer"`},
	} {
		var cfg json.RawMessage
		if tc.peer != "" {
			cfg = admissionConfig(t, nil, tc.mode, tc.peer)
		} else {
			cfg = admissionConfig(t, nil, tc.mode)
		}
		tr := p2p.New(nil)
		err := tr.Configure(context.Background(), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: cfg})
		if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Configure(%s) = %v, want ErrInvalidArgument naming %s", cfg, err, tc.want)
		}
		_ = tr.Shutdown(context.Background())
	}
}
