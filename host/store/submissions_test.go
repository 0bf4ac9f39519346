package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSubmissionsPersistAndOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wavs.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	subs := []Submission{
		{EventID: strings.Repeat("b", 40), ServiceID: "s", WorkflowID: "w", Chain: "evm:31337", Handler: "0x01", CreatedAt: t0.Add(time.Second)},
		{EventID: strings.Repeat("a", 40), ServiceID: "s", WorkflowID: "w", Chain: "evm:31337", Handler: "0x01", CreatedAt: t0},
	}
	for _, sub := range subs {
		if err := s.PutSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutSubmission(ctx, Submission{EventID: "0xnothex"}); err == nil {
		t.Error("a bad event id was accepted")
	}
	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Submissions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].EventID != subs[1].EventID || got[1].Chain != "evm:31337" {
		t.Fatalf("after reopen: %+v", got)
	}
	if err := s.DeleteSubmission(ctx, got[0].EventID); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Submissions(ctx); len(got) != 1 || got[0].EventID != subs[0].EventID {
		t.Fatalf("after delete: %+v", got)
	}
}
