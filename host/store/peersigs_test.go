package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPeerSignatures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wavs.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	ev1, ev2 := strings.Repeat("a", 40), strings.Repeat("b", 40)
	signer := func(c string) string { return strings.Repeat(c, 40) }
	ps := func(ev, who, payload string) PeerSignature {
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
	if _, _, err := s.AddPeerSignature(ctx, ps("0xab", signer("1"), "x")); err == nil || !strings.Contains(err.Error(), `event id "0xab"`) {
		t.Errorf("bad event id: %v", err)
	}
	if _, _, err := s.AddPeerSignature(ctx, ps(ev1, "0x12", "x")); err == nil || !strings.Contains(err.Error(), `signer "0x12"`) {
		t.Errorf("bad signer: %v", err)
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
		ev := Evidence{EventID: strings.Repeat(c, 40), Signer: strings.Repeat("1", 40), ServiceID: "s", RecordedAt: t0.Add(time.Duration(i) * time.Second)}
		added, err := s.AddEvidence(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		if added != (i < 2) {
			t.Errorf("evidence %d: added = %v", i, added)
		}
	}
	got, err := s.ListEvidence(ctx)
	if err != nil || len(got) != 2 || got[0].EventID != strings.Repeat("b", 40) {
		t.Fatalf("ListEvidence = %+v, %v; want 2, newest first", got, err)
	}
}
