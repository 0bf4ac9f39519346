package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWatches(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	now := time.Now()
	a := Watch{EventID: strings.Repeat("a", 40), Chain: "evm:1", TxHash: "0x01", Block: 7, NextCheck: now.Add(time.Minute), Interval: time.Second}
	b := Watch{EventID: strings.Repeat("b", 40), Chain: "evm:1", TxHash: "0x02", Block: 8, NextCheck: now}
	for _, w := range []Watch{a, b} {
		if err := s.PutWatch(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	ws, err := s.Watches(ctx)
	if err != nil || len(ws) != 2 || ws[0].EventID != b.EventID || ws[1].Block != 7 || ws[1].Interval != time.Second || ws[1].CreatedAt.IsZero() {
		t.Fatalf("Watches = %+v, %v; want b then a", ws, err)
	}
	if err := s.DeleteWatch(ctx, b.EventID); err != nil {
		t.Fatal(err)
	}
	if ws, _ := s.Watches(ctx); len(ws) != 1 || ws[0].EventID != a.EventID {
		t.Errorf("after delete: %+v", ws)
	}
	if err := s.PutWatch(ctx, Watch{EventID: "0xnope"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad event id: %v", err)
	}
}
