package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

var testBucket = []byte("commit-test")

// put is a write of key=val into the test bucket; fail makes it fail after
// writing, panic makes it panic.
func put(s *Store, key, val string, fail, panics bool) error {
	return putRiding(s, key, val, fail, panics, 0)
}

// putRiding is put as a write that waits up to wait for another's commit.
func putRiding(s *Store, key, val string, fail, panics bool, wait time.Duration) error {
	return s.updateRiding(context.Background(), "test put", wait, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(testBucket)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(key), []byte(val)); err != nil {
			return err
		}
		if panics {
			panic("boom")
		}
		if fail {
			return errors.New("refused " + key)
		}
		return nil
	})
}

func get(t *testing.T, s *Store, key string) string {
	t.Helper()
	var v []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(testBucket); b != nil {
			v = append([]byte(nil), b.Get([]byte(key))...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if v == nil {
		return "<none>"
	}
	return string(v)
}

// TestGroupCommitKeepsEachOutcome: concurrent writes share transactions,
// and each keeps its own result: the good ones are stored, a failing or
// panicking one is not, and its error (and only its) reaches its caller.
func TestGroupCommitKeepsEachOutcome(t *testing.T) {
	s := openTemp(t)
	const n = 400
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = put(s, fmt.Sprint(i), "v", i%50 == 7, i%97 == 13)
		})
	}
	wg.Wait()
	for i := range n {
		key := fmt.Sprint(i)
		switch {
		case i%97 == 13:
			if errs[i] == nil || get(t, s, key) != "<none>" {
				t.Errorf("write %d panicked: err %v, stored %q", i, errs[i], get(t, s, key))
			}
		case i%50 == 7:
			if errs[i] == nil || get(t, s, key) != "<none>" {
				t.Errorf("write %d failed: err %v, stored %q", i, errs[i], get(t, s, key))
			}
		default:
			if errs[i] != nil || get(t, s, key) != "v" {
				t.Errorf("write %d: err %v, stored %q", i, errs[i], get(t, s, key))
			}
		}
	}
	s.writes.mu.Lock()
	batches, batched := s.writes.batches, s.writes.batched
	s.writes.mu.Unlock()
	t.Logf("%d writes, %d in %d shared transactions", n, batched, batches)
	if batches == 0 {
		t.Error("no two concurrent writes shared a transaction")
	}
}

// TestGroupCommitOrder: a write sees the writes committed before it, in a
// shared transaction as alone.
func TestGroupCommitOrder(t *testing.T) {
	s := openTemp(t)
	if err := put(s, "k", "1", false, false); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			_ = s.update(context.Background(), "test incr", func(tx *bolt.Tx) error {
				b := tx.Bucket(testBucket)
				return b.Put([]byte(fmt.Sprint("seen", i)), b.Get([]byte("k")))
			})
		})
	}
	wg.Wait()
	for i := range 50 {
		if v := get(t, s, fmt.Sprint("seen", i)); v != "1" {
			t.Errorf("write %d saw %q", i, v)
		}
	}
}

func TestGroupCommitAfterClose(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := put(s, "k", "v", false, false); !errors.Is(err, ErrClosed) {
		t.Errorf("write after close = %v, want ErrClosed", err)
	}
}

// BenchmarkConcurrentWrites is 8 writers at once (a node's trigger,
// gossip and aggregator goroutines): with group commit they share syncs.
// Compare with BenchmarkSequentialWrites, one write at a time.
func BenchmarkConcurrentWrites(b *testing.B) {
	s := openBench(b)
	b.SetParallelism(4) // 4 × GOMAXPROCS writers
	var i int64
	var mu sync.Mutex
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			mu.Lock()
			i++
			k := fmt.Sprint(i)
			mu.Unlock()
			if err := put(s, k, "value", false, false); err != nil {
				b.Error(err)
			}
		}
	})
}

func BenchmarkSequentialWrites(b *testing.B) {
	s := openBench(b)
	for i := range b.N {
		if err := put(s, fmt.Sprint(i), "value", false, false); err != nil {
			b.Fatal(err)
		}
	}
}

func openBench(b *testing.B) *Store {
	s, err := Open(filepath.Join(b.TempDir(), "wavs.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// riding starts a write of key that waits up to wait for another's
// commit, and returns once it waits; its outcome comes on the channel.
func riding(t *testing.T, s *Store, key string, fail bool, wait time.Duration) <-chan error {
	t.Helper()
	g := &s.writes
	g.mu.Lock()
	before := len(g.riders)
	g.mu.Unlock()
	done := make(chan error, 1)
	go func() { done <- putRiding(s, key, "v", fail, false, wait) }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		g.mu.Lock()
		n := len(g.riders)
		g.mu.Unlock()
		switch {
		case n > before:
			return done
		case time.Now().After(deadline):
			t.Fatalf("the write of %q never waited for another's commit", key)
		}
	}
}

// TestRidingWrites: a write that may wait starts no commit of its own
// while another commits: it goes with the next commit, keeping its own
// outcome; alone, it commits once its wait is over; Close commits it at
// once.
func TestRidingWrites(t *testing.T) {
	t.Run("with another's commit", func(t *testing.T) {
		s := openTemp(t)
		before := s.Stats().Commits
		good, bad := riding(t, s, "rider", false, time.Hour), riding(t, s, "failing rider", true, time.Hour)
		if err := put(s, "k", "v", false, false); err != nil {
			t.Fatal(err)
		}
		if err := <-good; err != nil {
			t.Fatalf("rider: %v", err)
		}
		if err := <-bad; err == nil {
			t.Error("the failing rider's error was lost")
		}
		if get(t, s, "rider") != "v" || get(t, s, "k") != "v" || get(t, s, "failing rider") != "<none>" {
			t.Errorf("stored: rider %q, k %q, failing rider %q", get(t, s, "rider"), get(t, s, "k"), get(t, s, "failing rider"))
		}
		// One shared transaction (Stats counts it once, though its writes
		// ran again alone after the failing one rolled it back).
		if c := s.Stats().Commits - before; c != 1 {
			t.Errorf("%d commits for two riders and a write, want 1 (the shared one)", c)
		}
	})
	t.Run("alone", func(t *testing.T) {
		s := openTemp(t)
		before := s.Stats().Commits
		start := time.Now()
		if err := putRiding(s, "rider", "v", false, false, 30*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 30*time.Millisecond {
			t.Errorf("a lone rider committed after %v, before its wait was over", took)
		}
		if c := s.Stats().Commits - before; c != 1 || get(t, s, "rider") != "v" {
			t.Errorf("%d commits, rider %q; want 1, stored", c, get(t, s, "rider"))
		}
	})
	t.Run("at close", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "wavs.db")
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		done := riding(t, s, "rider", false, time.Hour)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatalf("rider at close: %v", err)
		}
		s, err = Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if v := get(t, s, "rider"); v != "v" {
			t.Errorf("after reopening, rider = %q, want it stored at Close", v)
		}
	})
}
