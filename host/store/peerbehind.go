package store

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
	bolt "go.etcd.io/bbolt"
)

// PeerSignatureDelay is how long a peer's signature may wait in memory
// before it is written to disk.
//
// Most events land within a fraction of a second of their peers'
// signatures, and a landing deletes the event's signatures: written at
// once, each signature would cost a commit (and a sync to disk) only to
// be deleted by the next. So AddPeerSignature keeps a signature in memory
// and writes it PeerSignatureDelay later (or at Close) if its event is
// still open. Every read sees it at once. A crash loses at most the last
// PeerSignatureDelay of peers' signatures, which the peers send again: a
// peer that receives this node's signature long after publishing its own
// publishes it again.
const PeerSignatureDelay = 2 * time.Second

// peerSignatureSlack is how early a held signature may be written with
// one that is due: signatures that arrived close together (an event's
// peers sign within milliseconds) share one commit, whatever the timer's
// latency, instead of the later ones waiting for a commit of their own.
const peerSignatureSlack = PeerSignatureDelay / 4

// peersBehind holds the peer signatures not written yet, by peerKey,
// and their keys by event: a node catching up holds thousands, and the
// signatures of one event are read at each of its attempts.
type peersBehind struct {
	mu      sync.Mutex
	sigs    map[string]heldSig
	byEvent map[string]map[string]struct{} // event id → keys held
	timer   *time.Timer
	// closed is set by Close, after which signatures are written at once.
	closed bool
}

// heldSig is a signature held in memory and when it was put there.
type heldSig struct {
	ps PeerSignature
	at time.Time
}

// get returns the signature held for key; the caller holds p.mu.
func (p *peersBehind) get(key []byte) (PeerSignature, bool) {
	h, ok := p.sigs[string(key)]
	return h.ps, ok
}

// eventOf is the event part of a peerKey.
func eventOf(key string) string { return key[:min(len(key), len(service.EventID{}))] }

// put holds h under key; the caller holds p.mu.
func (p *peersBehind) put(key string, h heldSig) {
	if p.sigs == nil {
		p.sigs = map[string]heldSig{}
		p.byEvent = map[string]map[string]struct{}{}
	}
	p.sigs[key] = h
	ev := eventOf(key)
	if p.byEvent[ev] == nil {
		p.byEvent[ev] = map[string]struct{}{}
	}
	p.byEvent[ev][key] = struct{}{}
}

// drop stops holding key; the caller holds p.mu.
func (p *peersBehind) drop(key string) {
	delete(p.sigs, key)
	ev := eventOf(key)
	if keys := p.byEvent[ev]; keys != nil {
		delete(keys, key)
		if len(keys) == 0 {
			delete(p.byEvent, ev)
		}
	}
}

// keysWith returns the keys held that start with prefix: an event id's
// from the index, any other's by looking at every key; the caller holds
// p.mu.
func (p *peersBehind) keysWith(prefix []byte) []string {
	var out []string
	if len(prefix) == len(service.EventID{}) {
		for k := range p.byEvent[string(prefix)] {
			out = append(out, k)
		}
		return out
	}
	for k := range p.sigs {
		if strings.HasPrefix(k, string(prefix)) {
			out = append(out, k)
		}
	}
	return out
}

// withPrefix returns the signatures held whose key starts with prefix.
func (p *peersBehind) withPrefix(prefix []byte) []PeerSignature {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []PeerSignature
	for _, k := range p.keysWith(prefix) {
		out = append(out, p.sigs[k].ps)
	}
	return out
}

// forget drops the signatures held whose key starts with prefix (all
// with an empty prefix) and, with before set, only those received before
// it; it returns them, for restore.
func (p *peersBehind) forget(prefix []byte, before time.Time) map[string]heldSig {
	p.mu.Lock()
	defer p.mu.Unlock()
	gone := map[string]heldSig{}
	for _, k := range p.keysWith(prefix) {
		if h := p.sigs[k]; before.IsZero() || h.ps.ReceivedAt.Before(before) {
			p.drop(k)
			gone[k] = h
		}
	}
	return gone
}

// restore holds again what forget returned, when the deletion it was
// for failed; a signature held since under the same key wins.
func (p *peersBehind) restore(gone map[string]heldSig) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, h := range gone {
		if _, ok := p.sigs[k]; !ok {
			p.put(k, h)
		}
	}
}

// holdPeerSignature keeps ps (stored under key) in memory until its
// write is due; the caller holds s.behind.mu.
func (s *Store) holdPeerSignature(key []byte, ps PeerSignature) {
	p := &s.behind
	p.put(string(key), heldSig{ps: ps, at: time.Now()})
	if p.timer == nil {
		p.timer = time.AfterFunc(PeerSignatureDelay, func() { s.writeBehind(false) })
	}
}

// writeBehind writes the held signatures that are due, or will be within
// peerSignatureSlack (all of them when all is set), in one transaction,
// and schedules the next write while any are held.
func (s *Store) writeBehind(all bool) {
	p := &s.behind
	cutoff := time.Now().Add(peerSignatureSlack - PeerSignatureDelay)
	p.mu.Lock()
	due := map[string]heldSig{}
	for k, h := range p.sigs {
		if all || !h.at.After(cutoff) {
			due[k] = h
		}
	}
	p.mu.Unlock()
	if len(due) > 0 {
		keys := make([]string, 0, len(due))
		for k := range due {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		err := s.update(context.Background(), "store: write peer signatures", func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketPeerSigs)
			for _, k := range keys {
				// Only what is still held: a landing (or a prune) that
				// dropped it from memory, before this transaction, deletes
				// it in a transaction after it.
				p.mu.Lock()
				h, ok := p.sigs[k]
				p.mu.Unlock()
				if !ok || h.at != due[k].at {
					continue
				}
				if err := putJSON(b, []byte(k), h.ps); err != nil {
					return err
				}
			}
			return nil
		})
		p.mu.Lock()
		if err == nil {
			for _, k := range keys {
				if h, ok := p.sigs[k]; ok && h.at == due[k].at {
					p.drop(k)
				}
			}
		}
		p.mu.Unlock()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.timer = nil
	if len(p.sigs) > 0 && !p.closed {
		p.timer = time.AfterFunc(PeerSignatureDelay/2, func() { s.writeBehind(false) })
	}
}

// closeBehind writes every held signature; later ones are written at
// once.
func (s *Store) closeBehind() {
	p := &s.behind
	p.mu.Lock()
	p.closed = true
	if p.timer != nil {
		p.timer.Stop()
	}
	p.mu.Unlock()
	s.writeBehind(true)
}

// peerSigsOf merges the stored signatures of an event with those held in
// memory (which win), in signer order.
func peerSigsOf(stored, held []PeerSignature) []PeerSignature {
	if len(held) == 0 {
		return stored
	}
	out := append([]PeerSignature(nil), held...)
	for _, ps := range stored {
		if !containsSigner(held, ps.Signer) {
			out = append(out, ps)
		}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].Signer[:], out[j].Signer[:]) < 0 })
	return out
}

func containsSigner(ps []PeerSignature, signer sdk.Address) bool {
	for _, p := range ps {
		if p.Signer == signer {
			return true
		}
	}
	return false
}
