package store

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// groupCommit runs the store's writes so that writers waiting at the same
// time share one bbolt transaction, and so one sync to disk. bbolt allows
// one writer at a time and syncs the file at each commit: with every
// write a commit of its own, a node's writes (results, peer signatures,
// submissions, cursors, watches) queue behind each other's fsync. Here the
// first writer to find no commit running commits for everyone queued: a
// lone write commits at once, as before, and writes that arrive during a
// commit go together in the next one.
//
// Each write keeps its own outcome: when a write in a shared transaction
// fails (or the commit does), the transaction rolls back and every write
// of it runs again in a transaction of its own.
//
// A write that may wait a moment (ride) starts no commit: it goes with
// the next commit another write starts, or alone once its wait is over.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*pendingWrite
	riders  []*pendingWrite // writes waiting for a commit to go with
	leading bool
	// batches counts shared transactions and writes the writes in them,
	// for tests.
	batches, batched int
	// commits counts transactions committed (or tried).
	commits uint64
}

func (g *groupCommit) commitCount() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.commits
}

type pendingWrite struct {
	fn   func(*bolt.Tx) error
	done chan error
}

// maxBatch bounds how many writes share a transaction.
const maxBatch = 256

// errBatchFailed aborts a shared transaction in which a write failed.
var errBatchFailed = errors.New("a write of the batch failed")

// do runs fn in a write transaction of db, with others waiting at the
// same time, and returns fn's error (or the commit's).
func (g *groupCommit) do(db *bolt.DB, fn func(*bolt.Tx) error) error {
	w := &pendingWrite{fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.enqueue(db, w)
	return <-w.done
}

// enqueue queues ws and, when no commit is running, commits the queue;
// the caller holds g.mu, which enqueue releases.
func (g *groupCommit) enqueue(db *bolt.DB, ws ...*pendingWrite) {
	g.queue = append(g.queue, ws...)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if lead {
		g.lead(db)
	}
}

// ride runs fn in the next transaction another write commits, or in one
// of its own after wait, and returns fn's error (or the commit's).
func (g *groupCommit) ride(db *bolt.DB, fn func(*bolt.Tx) error, wait time.Duration) error {
	w := &pendingWrite{fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.riders = append(g.riders, w)
	g.mu.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case err := <-w.done:
		return err
	case <-t.C:
	}
	g.mu.Lock()
	i := slices.Index(g.riders, w)
	if i < 0 {
		// Taken into a batch meanwhile.
		g.mu.Unlock()
		return <-w.done
	}
	g.riders = slices.Delete(g.riders, i, i+1)
	g.enqueue(db, w)
	return <-w.done
}

// flush commits every waiting rider now (at Close).
func (g *groupCommit) flush(db *bolt.DB) {
	g.mu.Lock()
	if len(g.riders) == 0 {
		g.mu.Unlock()
		return
	}
	riders := g.riders
	g.riders = nil
	g.enqueue(db, riders...)
}

// lead commits the queue, batch after batch, until it is empty; the
// riders waiting go with the first batch that has room.
func (g *groupCommit) lead(db *bolt.DB) {
	for {
		g.mu.Lock()
		if len(g.queue) > 0 && len(g.riders) > 0 {
			g.queue = append(g.queue, g.riders...)
			g.riders = nil
		}
		n := min(len(g.queue), maxBatch)
		batch := g.queue[:n:n]
		g.queue = g.queue[n:]
		if n == 0 {
			g.queue = nil
			g.leading = false
			g.mu.Unlock()
			return
		}
		g.commits++
		if n > 1 {
			g.batches++
			g.batched += n
		}
		g.mu.Unlock()
		commit(db, batch)
	}
}

// commit runs batch in one transaction; if any write fails, each runs
// again alone.
func commit(db *bolt.DB, batch []*pendingWrite) {
	if len(batch) == 1 {
		batch[0].done <- db.Update(safe(batch[0].fn))
		return
	}
	err := db.Update(func(tx *bolt.Tx) error {
		for _, w := range batch {
			if err := safe(w.fn)(tx); err != nil {
				return errBatchFailed
			}
		}
		return nil
	})
	if err == nil {
		for _, w := range batch {
			w.done <- nil
		}
		return
	}
	for _, w := range batch {
		w.done <- db.Update(safe(w.fn))
	}
}

// safe turns a panic in fn into its error: the writer that commits for
// others must not die of another's bug and leave them waiting.
func safe(fn func(*bolt.Tx) error) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("store: a write panicked: %v", r)
			}
		}()
		return fn(tx)
	}
}
