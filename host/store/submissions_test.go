package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
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
		{EventID: eid(strings.Repeat("b", 40)), ServiceID: "s", WorkflowID: "w", Chain: "evm:31337", Handler: "0x01", CreatedAt: t0.Add(time.Second)},
		{EventID: eid(strings.Repeat("a", 40)), ServiceID: "s", WorkflowID: "w", Chain: "evm:31337", Handler: "0x01", CreatedAt: t0},
	}
	for _, sub := range subs {
		if err := s.PutSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
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

// TestEventKeysOnDisk: records are keyed by the event id's 40 lowercase
// hex digits, as before event ids had a type of their own, and a key that
// is not one is reported as corrupt, not read as some other event.
func TestEventKeysOnDisk(t *testing.T) {
	s := openTemp(t)
	ctx := t.Context()
	id := eventID(0xabc)
	if err := s.PutSubmission(ctx, Submission{EventID: id, ServiceID: "s", WorkflowID: "w", Chain: "evm:1", Handler: "0x01"}); err != nil {
		t.Fatal(err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubmissions)
		if b.Get([]byte("0000000000000000000000000000000000000abc")) == nil {
			t.Error("the submission is not under its event id's hex")
		}
		return b.Put([]byte("0xnot-an-event-id"), []byte(`{}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submissions(ctx); err == nil || !strings.Contains(err.Error(), `corrupt submission key "0xnot-an-event-id"`) {
		t.Errorf("Submissions with a bad key: %v, want it named as corrupt", err)
	}
}
