package aggregator

import (
	"bytes"
	"slices"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

// Event collects the operators' signatures for one event id. Signatures
// over different envelopes for one event id go to different queues (only
// identical envelopes can be submitted together); an operator's second,
// different envelope for one event id counts nowhere (the evidence of it
// is the store's: store.AddEvidence, on receipt).
type Event struct {
	ID     [20]byte
	queues map[[32]byte]*Queue      // by envelope digest
	first  map[sdk.Address][32]byte // each signer's first envelope
}

// NewEvent starts collecting for an event id.
func NewEvent(id [20]byte) *Event {
	return &Event{ID: id, queues: map[[32]byte]*Queue{}, first: map[sdk.Address][32]byte{}}
}

// Add records a verified signature by signer over env. It returns the
// queue the signature went to and whether it was new there; a signer's
// second, different envelope for this event counts nowhere (nil, false).
func (e *Event) Add(env sdk.Envelope, who sdk.Address, sig []byte) (*Queue, bool) {
	digest := e.digest(env)
	if prev, ok := e.first[who]; ok && prev != digest {
		return nil, false
	}
	e.first[who] = digest
	q, ok := e.queues[digest]
	if !ok {
		q = &Queue{Envelope: env, Digest: digest, sigs: map[sdk.Address][]byte{}}
		e.queues[digest] = q
	}
	return q, q.add(who, sig)
}

// digest is env's digest: a queue's when its envelope is the same (the
// operators agree, as they nearly always do, and an attempt adds every
// stored signature again), else computed. Only the first few queues are
// compared: signers who disagree make more, each computed.
func (e *Event) digest(env sdk.Envelope) [32]byte {
	looked := 0
	for d, q := range e.queues {
		if looked++; looked > 4 {
			break
		}
		if q.Envelope.EventID == env.EventID && q.Envelope.Ordering == env.Ordering && bytes.Equal(q.Envelope.Payload, env.Payload) {
			return d
		}
	}
	return signer.EnvelopeDigest(env)
}

// Queue is the signatures over one envelope.
type Queue struct {
	Envelope sdk.Envelope
	Digest   [32]byte
	sigs     map[sdk.Address][]byte
}

func (q *Queue) add(who sdk.Address, sig []byte) bool {
	if _, ok := q.sigs[who]; ok {
		return false
	}
	q.sigs[who] = slices.Clone(sig)
	return true
}

// Signers returns the signers in ascending byte order, as validate wants.
func (q *Queue) Signers() []sdk.Address {
	out := make([]sdk.Address, 0, len(q.sigs))
	for a := range q.sigs {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b sdk.Address) int { return bytes.Compare(a[:], b[:]) })
	return out
}

// Signatures is a set of signatures over one envelope in the scheme this
// node signs with, secp256k1-eip191, whose signers are 20-byte addresses.
type Signatures struct {
	Signers    []sdk.Address
	Signatures [][]byte
	// Reference is the height the signers' weights are read at.
	Reference uint64
}

// Data lays the set out as the plugin protocol carries it.
func (s Signatures) Data() sdk.SignatureData {
	out := sdk.SignatureData{Scheme: sdk.SchemeSecp256k1EIP191, Signatures: s.Signatures, Reference: s.Reference}
	out.Signers = signerBytes(s.Signers)
	return out
}

// signerBytes lays out signer addresses as the plugin protocol carries
// them.
func signerBytes(signers []sdk.Address) [][]byte {
	out := make([][]byte, len(signers))
	for i := range signers {
		out[i] = signers[i][:]
	}
	return out
}

// SignatureData is the queue's signatures for a submission at reference
// height ref, signers sorted, each counted once.
func (q *Queue) SignatureData(ref uint64) Signatures {
	signers := q.Signers()
	sigs := make([][]byte, len(signers))
	for i, a := range signers {
		sigs[i] = q.sigs[a]
	}
	return Signatures{Signers: signers, Signatures: sigs, Reference: ref}
}

// SubmitOrder ranks signers for submitting an event: every operator
// computes the same order from the event id alone, the first submits, and
// each next one takes over if the result is not on chain after its turn.
// The rank is keccak256(eventID ‖ signer), so the duty rotates across
// events instead of falling on one operator.
func SubmitOrder(eventID [20]byte, signers []sdk.Address) []sdk.Address {
	type ranked struct {
		a sdk.Address
		h []byte
	}
	rs := make([]ranked, len(signers))
	for i, a := range signers {
		rs[i] = ranked{a, crypto.Keccak256(eventID[:], a[:])}
	}
	slices.SortFunc(rs, func(x, y ranked) int {
		if c := bytes.Compare(x.h, y.h); c != 0 {
			return c
		}
		return bytes.Compare(x.a[:], y.a[:])
	})
	out := make([]sdk.Address, len(rs))
	for i, r := range rs {
		out[i] = r.a
	}
	return out
}
