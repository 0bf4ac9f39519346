package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
	bolt "go.etcd.io/bbolt"
)

// PeerSignature is another operator's signature over an envelope, kept
// once it has been verified until the event lands (or the signature gets
// too old to matter), so that a restarted node still knows what its peers
// signed.
type PeerSignature struct {
	// EventID is the envelope's event id; with Signer, the record's key.
	EventID service.EventID `json:"-"`
	// Signer is the recovered signing address.
	Signer     sdk.Address `json:"-"`
	ServiceID  string      `json:"service_id"`
	WorkflowID string      `json:"workflow_id"`
	Ordering   []byte      `json:"ordering,omitempty"`
	Payload    []byte      `json:"payload"`
	Signature  []byte      `json:"signature"`
	ReceivedAt time.Time   `json:"received_at"`
}

// sameEnvelope reports whether p and q sign the same envelope.
func (p PeerSignature) sameEnvelope(q PeerSignature) bool {
	return bytes.Equal(p.Ordering, q.Ordering) && bytes.Equal(p.Payload, q.Payload)
}

// peerKey is the event id's 20 bytes then the signer's 20, so that one
// event's signatures are one key range (the first 20 bytes: eventID[:]).
func peerKey(eventID service.EventID, signer sdk.Address) []byte {
	return append(eventID[:], signer[:]...)
}

// AddPeerSignature stores ps unless its signer already has a signature
// for the event. It reports whether ps was stored; when the stored
// signature is over a different envelope, prev is that signature (the
// signer equivocated, and ps was not stored).
func (s *Store) AddPeerSignature(ctx context.Context, ps PeerSignature) (added bool, prev *PeerSignature, err error) {
	op := "store: add peer signature for event " + strconv.Quote(ps.EventID.String())
	key := peerKey(ps.EventID, ps.Signer)
	if err := checkID("service id", ps.ServiceID); err != nil {
		return false, nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := checkID("workflow id", ps.WorkflowID); err != nil {
		return false, nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := checkValue("payload", ps.Payload); err != nil {
		return false, nil, fmt.Errorf("%s: %w", op, err)
	}
	if ps.ReceivedAt.IsZero() {
		ps.ReceivedAt = s.now()
	}
	ps.ReceivedAt = utc(ps.ReceivedAt)
	// Held in memory until written (see PeerSignatureDelay); checked
	// against what is held and what is stored under one lock, so that two
	// signatures of one signer cannot both be taken.
	p := &s.behind
	p.mu.Lock()
	defer p.mu.Unlock()
	check := func(old PeerSignature) {
		if !old.sameEnvelope(ps) {
			old.EventID, old.Signer = ps.EventID, ps.Signer
			prev = &old
		}
	}
	if old, ok := p.get(key); ok {
		check(old)
		return false, prev, nil
	}
	var old PeerSignature
	found := false
	err = s.view(ctx, op, func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketPeerSigs), key, &old)
		return err
	})
	if err != nil {
		return false, nil, err
	}
	if found {
		check(old)
		return false, prev, nil
	}
	if p.closed {
		err = s.update(ctx, op, func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketPeerSigs), key, ps) })
		return err == nil, nil, err
	}
	s.holdPeerSignature(key, ps)
	return true, nil, nil
}

// PeerSignatures returns the stored signatures for an event, in signer
// order.
func (s *Store) PeerSignatures(ctx context.Context, eventID service.EventID) ([]PeerSignature, error) {
	op := "store: peer signatures of event " + strconv.Quote(eventID.String())
	prefix := eventID[:]
	var out []PeerSignature
	err := s.view(ctx, op, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPeerSigs).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var ps PeerSignature
			if err := json.Unmarshal(v, &ps); err != nil || len(k) != 40 {
				return fmt.Errorf("corrupt peer signature %x: %v", k, err)
			}
			ps.EventID, ps.Signer = eventID, sdk.Address(k[20:])
			out = append(out, ps)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	held := s.behind.withPrefix(prefix)
	for i := range held {
		held[i].EventID = eventID
	}
	return peerSigsOf(out, held), nil
}

// DeletePeerSignatures forgets an event's signatures (it landed).
func (s *Store) DeletePeerSignatures(ctx context.Context, eventID service.EventID) error {
	op := "store: delete peer signatures of event " + strconv.Quote(eventID.String())
	prefix := eventID[:]
	gone := s.behind.forget(prefix, time.Time{})
	err := s.update(ctx, op, func(tx *bolt.Tx) error {
		return deletePrefix(tx.Bucket(bucketPeerSigs), prefix)
	})
	if err != nil {
		s.behind.restore(gone)
	}
	return err
}

// PrunePeerSignatures forgets every peer signature received before
// before, and returns how many there were: events this node never
// submitted (it did not run them, or they landed without it) leave their
// signatures behind otherwise.
func (s *Store) PrunePeerSignatures(ctx context.Context, before time.Time) (int, error) {
	held := len(s.behind.forget(nil, before))
	n := 0
	err := s.update(ctx, "store: prune peer signatures", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPeerSigs)
		var old [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var ps PeerSignature
			if err := json.Unmarshal(v, &ps); err != nil || ps.ReceivedAt.Before(before) {
				old = append(old, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	return held + n, err
}

// deletePrefix deletes the keys of b that start with prefix.
func deletePrefix(b *bolt.Bucket, prefix []byte) error {
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// Evidence is proof that an operator signed two different envelopes for
// one event id: both signatures recover to Signer.
type Evidence struct {
	EventID    service.EventID  `json:"event_id"`
	Signer     sdk.Address      `json:"-"` // in the key, and as evidenceRow.Signer
	ServiceID  string           `json:"service_id"`
	Envelopes  [2]EvidenceEntry `json:"envelopes"`
	RecordedAt time.Time        `json:"recorded_at"`
}

// evidenceRow is Evidence on disk: the signer also written in the record,
// as 40 lowercase hex digits.
type evidenceRow struct {
	Evidence
	Signer string `json:"signer"`
}

// EvidenceEntry is one of the two signed envelopes.
type EvidenceEntry struct {
	Ordering  []byte `json:"ordering,omitempty"`
	Payload   []byte `json:"payload"`
	Signature []byte `json:"signature"`
}

// maxEvidence bounds the evidence kept; the oldest goes first.
const maxEvidence = 1000

// AddEvidence records an equivocation once per (event, signer) and
// reports whether it was new.
func (s *Store) AddEvidence(ctx context.Context, ev Evidence) (bool, error) {
	op := "store: add evidence for event " + strconv.Quote(ev.EventID.String())
	key := peerKey(ev.EventID, ev.Signer)
	if ev.RecordedAt.IsZero() {
		ev.RecordedAt = s.now()
	}
	ev.RecordedAt = utc(ev.RecordedAt)
	added := false
	err := s.update(ctx, op, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvidence)
		if b.Get(key) != nil {
			return nil
		}
		if b.Stats().KeyN >= maxEvidence {
			var oldest []byte
			var at time.Time
			if err := b.ForEach(func(k, v []byte) error {
				var e Evidence
				if json.Unmarshal(v, &e) != nil || oldest == nil || e.RecordedAt.Before(at) {
					oldest, at = bytes.Clone(k), e.RecordedAt
				}
				return nil
			}); err != nil {
				return err
			}
			if err := b.Delete(oldest); err != nil {
				return err
			}
		}
		added = true
		return putJSON(b, key, evidenceRow{Evidence: ev, Signer: hex.EncodeToString(ev.Signer[:])})
	})
	return added, err
}

// ListEvidence returns the recorded equivocations, newest first.
func (s *Store) ListEvidence(ctx context.Context) ([]Evidence, error) {
	out := []Evidence{}
	err := s.view(ctx, "store: list evidence", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEvidence).ForEach(func(k, v []byte) error {
			var e Evidence
			if err := json.Unmarshal(v, &e); err != nil || len(k) != 40 {
				return fmt.Errorf("corrupt evidence %x: %v", k, err)
			}
			e.Signer = sdk.Address(k[20:])
			out = append(out, e)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b Evidence) int { return b.RecordedAt.Compare(a.RecordedAt) })
	return out, err
}
