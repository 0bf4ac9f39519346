package store

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
	bolt "go.etcd.io/bbolt"
)

func TestPeerSignatures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wavs.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	ev1, ev2 := eid(strings.Repeat("a", 40)), eid(strings.Repeat("b", 40))
	signer := func(c string) sdk.Address { return addr(strings.Repeat(c, 40)) }
	ps := func(ev service.EventID, who sdk.Address, payload string) PeerSignature {
		return PeerSignature{EventID: ev, Signer: who, ServiceID: "s", WorkflowID: "w", Payload: []byte(payload), Signature: []byte{1, 2, 3}}
	}
	for _, tt := range []struct {
		name      string
		ps        PeerSignature
		added     bool
		equivocal bool
	}{
		{"first", ps(ev1, signer("1"), "x"), true, false},
		{"second signer", ps(ev1, signer("2"), "x"), true, false},
		{"again, same envelope", ps(ev1, signer("1"), "x"), false, false},
		{"other envelope by the same signer", ps(ev1, signer("1"), "y"), false, true},
		{"other event", ps(ev2, signer("1"), "y"), true, false},
	} {
		added, prev, err := s.AddPeerSignature(ctx, tt.ps)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if added != tt.added || (prev != nil) != tt.equivocal {
			t.Errorf("%s: added %v prev %+v, want added %v equivocal %v", tt.name, added, prev, tt.added, tt.equivocal)
		}
		if prev != nil && (string(prev.Payload) != "x" || prev.Signer != signer("1")) {
			t.Errorf("%s: prev = %+v, want the stored envelope", tt.name, prev)
		}
	}

	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.PeerSignatures(ctx, ev1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Signer != signer("1") || got[1].Signer != signer("2") || string(got[0].Payload) != "x" || got[0].EventID != ev1 {
		t.Fatalf("after reopen: %+v", got)
	}
	if err := s.DeletePeerSignatures(ctx, ev1); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PeerSignatures(ctx, ev1); len(got) != 0 {
		t.Errorf("after delete: %+v", got)
	}
	if got, _ := s.PeerSignatures(ctx, ev2); len(got) != 1 {
		t.Errorf("delete of one event touched another: %+v", got)
	}
	n, err := s.PrunePeerSignatures(ctx, time.Now().Add(time.Hour))
	if err != nil || n != 1 {
		t.Errorf("prune = %d, %v; want 1", n, err)
	}
}

func TestEvidence(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, c := range []string{"a", "b", "a"} {
		ev := Evidence{EventID: eid(strings.Repeat(c, 40)), Signer: addr(strings.Repeat("1", 40)), ServiceID: "s", RecordedAt: t0.Add(time.Duration(i) * time.Second)}
		added, err := s.AddEvidence(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		if added != (i < 2) {
			t.Errorf("evidence %d: added = %v", i, added)
		}
	}
	got, err := s.ListEvidence(ctx)
	if err != nil || len(got) != 2 || got[0].EventID != eid(strings.Repeat("b", 40)) || got[0].Signer != addr(strings.Repeat("1", 40)) {
		t.Fatalf("ListEvidence = %+v, %v; want 2, newest first, with their signer", got, err)
	}
	// On disk the record keeps its text forms: the event id and the
	// signer as 40 lowercase hex digits.
	var raw map[string]any
	if err := s.db.View(func(tx *bolt.Tx) error {
		_, v := tx.Bucket(bucketEvidence).Cursor().First()
		return json.Unmarshal(v, &raw)
	}); err != nil {
		t.Fatal(err)
	}
	if raw["event_id"] != strings.Repeat("a", 40) || raw["signer"] != strings.Repeat("1", 40) {
		t.Errorf("stored evidence %v: want event_id and signer as 40 hex digits", raw)
	}
}

// storedPeerSigs counts the peer signatures on disk (not those held in
// memory).
func storedPeerSigs(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	if err := s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bucketPeerSigs).Stats().KeyN; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPeerSignaturesWrittenBehind: a peer signature is seen by every read
// at once, written to disk only later (or at Close), and never written
// when its event lands first; an equivocation against a held signature
// is caught as against a stored one.
func TestPeerSignaturesWrittenBehind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wavs.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	open, landed, deleted := eid(strings.Repeat("a", 40)), eid(strings.Repeat("b", 40)), eid(strings.Repeat("c", 40))
	ps := func(ev service.EventID, who, payload string) PeerSignature {
		return PeerSignature{EventID: ev, Signer: addr(strings.Repeat(who, 40)), ServiceID: "s", WorkflowID: "w", Payload: []byte(payload), Signature: []byte{1}}
	}
	for _, p := range []PeerSignature{ps(open, "1", "x"), ps(open, "2", "x"), ps(landed, "1", "x"), ps(deleted, "1", "x")} {
		if added, _, err := s.AddPeerSignature(ctx, p); !added || err != nil {
			t.Fatalf("add %s/%s: %v %v", p.EventID, p.Signer, added, err)
		}
	}
	if n := storedPeerSigs(t, s); n != 0 {
		t.Errorf("%d signatures on disk at once, want 0 (held)", n)
	}
	got, err := s.PeerSignatures(ctx, open)
	if err != nil || len(got) != 2 || got[0].Signer != addr(strings.Repeat("1", 40)) || got[1].EventID != open || string(got[1].Payload) != "x" {
		t.Fatalf("PeerSignatures while held = %+v, %v", got, err)
	}
	if added, prev, _ := s.AddPeerSignature(ctx, ps(open, "1", "y")); added || prev == nil || string(prev.Payload) != "x" || prev.Signer != addr(strings.Repeat("1", 40)) {
		t.Errorf("equivocation against a held signature: added %v prev %+v", added, prev)
	}
	res := ResultRecord{EventID: landed, ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signer: sdk.Address{0x01}, Signature: []byte{2}, Status: "submitted"}
	if err := s.RecordLanding(ctx, res, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePeerSignatures(ctx, deleted); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := storedPeerSigs(t, s); n != 2 {
		t.Errorf("%d signatures on disk after Close, want the open event's 2", n)
	}
	if got, _ := s.PeerSignatures(ctx, open); len(got) != 2 {
		t.Errorf("after a restart: %+v", got)
	}
	for _, ev := range []service.EventID{landed, deleted} {
		if got, _ := s.PeerSignatures(ctx, ev); len(got) != 0 {
			t.Errorf("event %s: signatures %+v came back", ev, got)
		}
	}
	// A stored signature is still checked against.
	if added, prev, _ := s.AddPeerSignature(ctx, ps(open, "2", "z")); added || prev == nil {
		t.Errorf("equivocation against a stored signature: added %v prev %+v", added, prev)
	}
}

// TestPeerSignatureWrittenWhenDue: the held signatures are written by
// themselves once due, in one commit, though they arrived apart (within
// peerSignatureSlack of each other).
func TestPeerSignatureWrittenWhenDue(t *testing.T) {
	s := openTemp(t)
	ctx := t.Context()
	for i, who := range []string{"1", "2", "3"} {
		if i > 0 {
			time.Sleep(peerSignatureSlack / 16)
		}
		p := PeerSignature{EventID: eid(strings.Repeat("d", 40)), Signer: addr(strings.Repeat(who, 40)), ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signature: []byte{1}}
		if _, _, err := s.AddPeerSignature(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if n := storedPeerSigs(t, s); n != 0 {
		t.Fatalf("%d signatures on disk before due, want 0", n)
	}
	before := s.Stats().Commits
	deadline := time.Now().Add(3 * PeerSignatureDelay)
	for storedPeerSigs(t, s) != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 3 signatures on disk after %v", storedPeerSigs(t, s), 3*PeerSignatureDelay)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if c := s.Stats().Commits - before; c != 1 {
		t.Errorf("%d commits for 3 held signatures, want 1", c)
	}
}

// TestPeerSignatureOneOfConcurrent: of one signer's signatures for one
// event added at once, exactly one is taken.
func TestPeerSignatureOneOfConcurrent(t *testing.T) {
	s := openTemp(t)
	ctx := t.Context()
	var wg sync.WaitGroup
	var added atomic.Int32
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := PeerSignature{EventID: eid(strings.Repeat("e", 40)), Signer: addr(strings.Repeat("1", 40)), ServiceID: "s", WorkflowID: "w", Payload: []byte{byte(i % 2)}, Signature: []byte{1}}
			if ok, _, err := s.AddPeerSignature(ctx, p); err != nil {
				t.Error(err)
			} else if ok {
				added.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := added.Load(); n != 1 {
		t.Errorf("%d taken, want 1", n)
	}
}

// TestHeldSignaturesIndexedByEvent: the held signatures of one event are
// found among many events' through the index by event, which every way a
// signature stops being held (written, deleted with its event or its
// landing) keeps exact, down to no entry at all.
func TestHeldSignaturesIndexedByEvent(t *testing.T) {
	s := openTemp(t)
	ctx := t.Context()
	events := []string{"a", "b", "c", "d"}
	for _, e := range events {
		for _, who := range []string{"1", "2", "3"} {
			p := PeerSignature{EventID: eid(strings.Repeat(e, 40)), Signer: addr(strings.Repeat(who, 40)), ServiceID: "s", WorkflowID: "w", Payload: []byte(e), Signature: []byte{1}}
			if _, _, err := s.AddPeerSignature(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, e := range events {
		got, err := s.PeerSignatures(ctx, eid(strings.Repeat(e, 40)))
		if err != nil || len(got) != 3 {
			t.Fatalf("event %s: %d signatures, %v; want its 3", e, len(got), err)
		}
		for _, ps := range got {
			if string(ps.Payload) != e {
				t.Errorf("event %s: got a signature of event %s", e, ps.Payload)
			}
		}
	}
	indexed := func() (events, keys int) {
		s.behind.mu.Lock()
		defer s.behind.mu.Unlock()
		for _, ks := range s.behind.byEvent {
			events++
			keys += len(ks)
		}
		return events, keys
	}
	if err := s.DeletePeerSignatures(ctx, eid(strings.Repeat("a", 40))); err != nil {
		t.Fatal(err)
	}
	res := ResultRecord{EventID: eid(strings.Repeat("b", 40)), ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signer: sdk.Address{0x01}, Signature: []byte{2}, Status: "submitted"}
	if err := s.RecordLanding(ctx, res, nil); err != nil {
		t.Fatal(err)
	}
	if e, k := indexed(); e != 2 || k != 6 {
		t.Errorf("after two events went: index holds %d events, %d keys; want 2, 6", e, k)
	}
	s.writeBehind(true) // c's and d's written: no longer held
	if e, k := indexed(); e != 0 || k != 0 {
		t.Errorf("after the write: index holds %d events, %d keys; want none", e, k)
	}
	for _, e := range []string{"c", "d"} {
		if got, _ := s.PeerSignatures(ctx, eid(strings.Repeat(e, 40))); len(got) != 3 {
			t.Errorf("event %s after the write: %d signatures, want 3 from disk", e, len(got))
		}
	}
}

// BenchmarkPeerSignaturesAmongHeld reads one event's signatures while
// 1000 events' (3000 signatures) are held in memory, as in a node
// catching up with a backlog.
func BenchmarkPeerSignaturesAmongHeld(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "wavs.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := b.Context()
	ids := make([]service.EventID, 1000)
	for i := range ids {
		ids[i][0], ids[i][1] = byte(i>>8), byte(i)
		for _, who := range []byte{1, 2, 3} {
			p := PeerSignature{EventID: ids[i], Signer: sdk.Address{who}, ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signature: []byte{1}}
			if _, _, err := s.AddPeerSignature(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for i := range b.N {
		if got, err := s.PeerSignatures(ctx, ids[i%len(ids)]); err != nil || len(got) != 3 {
			b.Fatalf("%d signatures, %v", len(got), err)
		}
	}
}
