package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDevServices(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s, err := Open(filepath.Join(t.TempDir(), "wavs.db"), WithClock(func() time.Time { now = now.Add(time.Second); return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()

	doc := []byte(`{"name": "x"}`)
	hash, err := s.PutDevService(ctx, doc)
	sum := sha256.Sum256(doc)
	if err != nil || hash != hex.EncodeToString(sum[:]) {
		t.Fatalf("PutDevService = %q, %v; want the sha256 of the bytes", hash, err)
	}
	got, at, ok, err := s.DevService(ctx, hash)
	if err != nil || !ok || string(got) != string(doc) || at.IsZero() {
		t.Fatalf("DevService = %q %v %v %v", got, at, ok, err)
	}
	if _, _, ok, err := s.DevService(ctx, strings.Repeat("0", 64)); ok || err != nil {
		t.Errorf("unknown hash: %v %v", ok, err)
	}
	if _, err := s.PutDevService(ctx, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty: %v", err)
	}
	if _, err := s.PutDevService(ctx, make([]byte, MaxValueSize+1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("over 1 MiB: %v", err)
	}
	if _, err := s.PutDevService(ctx, make([]byte, MaxValueSize)); err != nil {
		t.Errorf("exactly 1 MiB: %v", err)
	}
}

func TestDevServicesCap(t *testing.T) {
	defer func(n int) { devServicesCap = n }(devServicesCap)
	devServicesCap = 3
	now := time.Unix(1_700_000_000, 0)
	s, err := Open(filepath.Join(t.TempDir(), "wavs.db"), WithClock(func() time.Time { now = now.Add(time.Second); return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	var hashes []string
	for i := range 3 {
		h, err := s.PutDevService(ctx, fmt.Appendf(nil, `{"n": %d}`, i))
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	// Saving the first again makes it the newest: the second is now the oldest.
	if _, err := s.PutDevService(ctx, []byte(`{"n": 0}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutDevService(ctx, []byte(`{"n": 3}`)); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false, true} {
		if _, _, ok, _ := s.DevService(ctx, hashes[i]); ok != want {
			t.Errorf("document %d kept = %v, want %v", i, ok, want)
		}
	}
}
