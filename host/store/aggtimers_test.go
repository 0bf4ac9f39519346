package store

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAggTimers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wavs.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	now := time.Now()
	a := AggTimer{EventID: eid(strings.Repeat("a", 40)), ServiceID: "s", WorkflowID: "w", Due: now.Add(time.Minute), Trigger: json.RawMessage(`{"raw":{"data":"0x01"}}`), Round: 2}
	b := AggTimer{EventID: eid(strings.Repeat("b", 40)), Due: now, Trigger: json.RawMessage(`{}`)}
	for _, x := range []AggTimer{a, b} {
		if err := s.PutAggTimer(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	// Timers outlive a restart.
	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts, err := s.AggTimers(ctx)
	if err != nil || len(ts) != 2 || ts[0].EventID != b.EventID || ts[1].Round != 2 || string(ts[1].Trigger) != string(a.Trigger) || !ts[1].Due.Equal(a.Due) || ts[1].CreatedAt.IsZero() {
		t.Fatalf("AggTimers = %+v, %v; want b then a", ts, err)
	}
	if got, ok, err := s.GetAggTimer(ctx, a.EventID); err != nil || !ok || got.Round != 2 || got.EventID != a.EventID {
		t.Errorf("GetAggTimer = %+v, %v, %v", got, ok, err)
	}
	if _, ok, err := s.GetAggTimer(ctx, eid(strings.Repeat("c", 40))); ok || err != nil {
		t.Errorf("GetAggTimer of none = %v, %v", ok, err)
	}
	if err := s.DeleteAggTimer(ctx, b.EventID); err != nil {
		t.Fatal(err)
	}
	if ts, _ := s.AggTimers(ctx); len(ts) != 1 || ts[0].EventID != a.EventID {
		t.Errorf("after delete: %+v", ts)
	}
}
