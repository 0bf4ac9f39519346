package aggregator

import (
	"bytes"
	"slices"
	"testing"

	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

func TestEventCountsEachSignerOnceAndKeepsEvidence(t *testing.T) {
	k1, k2, k3 := testKey(t, 1), testKey(t, 2), testKey(t, 3)
	a, b := signed(t, k1, "answer"), signed(t, k2, "answer")
	ev := NewEvent(a.Envelope.EventID)

	q, added := ev.Add(a.Envelope, sdk.Address(k1.Address()), a.Signature)
	if !added {
		t.Fatal("first signature not added")
	}
	if _, again := ev.Add(a.Envelope, sdk.Address(k1.Address()), a.Signature); again {
		t.Error("the same signer counted twice")
	}
	if q2, _ := ev.Add(b.Envelope, sdk.Address(k2.Address()), b.Signature); q2 != q {
		t.Error("an identical envelope went to another queue")
	}

	// k3 signs a different answer: its own queue. Then k1 signs that
	// other answer too: it counts nowhere.
	c := signed(t, k3, "other answer")
	qc, _ := ev.Add(c.Envelope, sdk.Address(k3.Address()), c.Signature)
	if qc == q {
		t.Fatal("a different envelope joined the first queue")
	}
	d := signed(t, k1, "other answer")
	if qd, added := ev.Add(d.Envelope, sdk.Address(k1.Address()), d.Signature); qd != nil || added {
		t.Error("an equivocating signature counted")
	}
	if n := len(q.Signers()); n != 2 {
		t.Errorf("the first queue has %d signers after the equivocation, want its 2", n)
	}
	if n := len(qc.Signers()); n != 1 {
		t.Errorf("the second queue has %d signers, want 1", n)
	}

	sd := q.SignatureData(41)
	if len(sd.Signers) != 2 || bytes.Compare(sd.Signers[0][:], sd.Signers[1][:]) >= 0 || sd.Reference != 41 {
		t.Fatalf("signature data not sorted ascending: %v", sd.Signers)
	}
	for i, s := range sd.Signers {
		g := Gossip{Envelope: q.Envelope, Signature: sd.Signatures[i]}
		if who, err := g.Verify(); err != nil || who != s {
			t.Errorf("signature %d does not belong to signer %s", i, s.Hex())
		}
	}
}

func TestSubmitOrder(t *testing.T) {
	signers := []sdk.Address{{1}, {2}, {3}, {4}, {5}}
	e1 := [20]byte{0xaa}
	o1 := SubmitOrder(e1, signers)
	rev := slices.Clone(signers)
	slices.Reverse(rev)
	if !slices.Equal(o1, SubmitOrder(e1, rev)) {
		t.Error("the order depends on the order of the input")
	}
	if !slices.Equal(slices.Sorted(slices.Values(addrStrings(o1))), addrStrings(signers)) {
		t.Errorf("order %v is not a permutation of the signers", o1)
	}
	// Over many events the first place is spread across operators.
	first := map[sdk.Address]int{}
	for i := 0; i < 200; i++ {
		first[SubmitOrder([20]byte{byte(i), byte(i >> 8), 7}, signers)[0]]++
	}
	if len(first) != len(signers) {
		t.Errorf("only %d of %d operators are ever first: %v", len(first), len(signers), first)
	}
}

func addrStrings(as []sdk.Address) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Hex()
	}
	return out
}

// TestEventDigestsEachEnvelope: a queue's digest is its envelope's,
// whether computed or taken from a queue over the same envelope, and
// envelopes that differ in any field get queues of their own, however
// many queues the event has.
func TestEventDigestsEachEnvelope(t *testing.T) {
	base := signed(t, testKey(t, 1), "answer").Envelope
	ev := NewEvent(base.EventID)
	var envs []sdk.Envelope
	for i := range 8 {
		e := base
		e.Payload = append([]byte(nil), base.Payload...)
		switch i % 3 {
		case 1:
			e.Payload = append(e.Payload, byte(i))
		case 2:
			e.Ordering[0] = byte(i)
		}
		envs = append(envs, e)
	}
	seen := map[[32]byte]bool{}
	for i, e := range envs {
		for _, who := range []byte{byte(2 * i), byte(2*i + 1)} {
			q, _ := ev.Add(e, sdk.Address{who, 1}, []byte{1})
			if q == nil {
				t.Fatalf("envelope %d: no queue", i)
			}
			if want := signer.EnvelopeDigest(e); q.Digest != want {
				t.Errorf("envelope %d: queue digest %x, want %x", i, q.Digest, want)
			}
			if !bytes.Equal(q.Envelope.Payload, e.Payload) || q.Envelope.Ordering != e.Ordering {
				t.Errorf("envelope %d went to the queue of another envelope", i)
			}
			seen[q.Digest] = true
		}
	}
	if len(seen) != len(ev.queues) || len(ev.queues) != 6 {
		t.Errorf("%d queues, %d digests; want 6 (envelopes 0, 3, 6 are the same)", len(ev.queues), len(seen))
	}
}
