package aggregator

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
)

// The store holds the pending submissions; the queue keeps, in memory,
// which events are pending, since when and when each is next due, so
// that working the queue (on every signature that arrives, every attempt
// that ends) costs no read of the store. Every write of a submission
// goes through putSubmission or deleteSubmission, which keep the two in
// step; the index is read from the store once, when the queue starts.

// pendingEntry is the queue's note of one pending submission.
type pendingEntry struct {
	created time.Time // orders the queue: oldest first
	next    time.Time // NextTry
}

// putSubmission stores sub and notes it in the queue.
func (a *Aggregator) putSubmission(ctx context.Context, sub store.Submission) error {
	if err := a.o.Store.PutSubmission(ctx, sub); err != nil {
		return err
	}
	a.note(sub)
	return nil
}

// putProgress stores an attempt's result and submission together and
// notes the submission in the queue.
func (a *Aggregator) putProgress(ctx context.Context, res store.ResultRecord, sub store.Submission) error {
	if err := a.o.Store.PutResultAndSubmission(ctx, res, sub); err != nil {
		return err
	}
	a.note(sub)
	return nil
}

// note records sub's place in the queue.
func (a *Aggregator) note(sub store.Submission) {
	created := sub.CreatedAt
	a.mu.Lock()
	if old, ok := a.pending[sub.EventID]; ok && created.IsZero() {
		created = old.created
	}
	if created.IsZero() {
		created = time.Now()
	}
	a.pending[sub.EventID] = pendingEntry{created: created, next: sub.NextTry}
	a.mu.Unlock()
}

// deleteSubmission forgets a submission in the store and in the queue.
func (a *Aggregator) deleteSubmission(ctx context.Context, eventID service.EventID) error {
	if err := a.o.Store.DeleteSubmission(ctx, eventID); err != nil {
		return err
	}
	a.mu.Lock()
	delete(a.pending, eventID)
	a.mu.Unlock()
	return nil
}

// loadPending reads the pending submissions from the store into the
// queue, once; submissions enqueued before it stay.
func (a *Aggregator) loadPending(ctx context.Context) error {
	a.mu.Lock()
	loaded := a.pendingLoaded
	a.mu.Unlock()
	if loaded {
		return nil
	}
	subs, err := a.o.Store.Submissions(ctx)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, sub := range subs {
		if _, ok := a.pending[sub.EventID]; !ok {
			a.pending[sub.EventID] = pendingEntry{created: sub.CreatedAt, next: sub.NextTry}
		}
	}
	a.pendingLoaded = true
	return nil
}

// queued is a pending event as the queue sees it.
type queued struct {
	eventID service.EventID
	pendingEntry
}

// queue lists the pending events, oldest first.
func (a *Aggregator) queue() []queued {
	a.mu.Lock()
	out := make([]queued, 0, len(a.pending))
	for id, e := range a.pending {
		out = append(out, queued{id, e})
	}
	a.mu.Unlock()
	slices.SortFunc(out, func(x, y queued) int {
		if c := x.created.Compare(y.created); c != 0 {
			return c
		}
		return bytes.Compare(x.eventID[:], y.eventID[:])
	})
	return out
}

// pendingCount is how many submissions are pending (-1 before the queue
// has read the store).
func (a *Aggregator) pendingCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.pendingLoaded {
		return -1
	}
	return len(a.pending)
}

// updateWatch stores a landing watch looked at, and notes when it is
// next due, unless the watch ended meanwhile or now watches a newer
// landing of the event (see store.UpdateWatch).
func (a *Aggregator) updateWatch(ctx context.Context, w store.Watch) error {
	ok, err := a.o.Store.UpdateWatch(ctx, w)
	if err != nil || !ok {
		return err
	}
	a.mu.Lock()
	a.watched[w.EventID] = w.NextCheck
	a.mu.Unlock()
	return nil
}

// closeWatch ends the watch of w's landing (see store.CloseWatch) and
// forgets it in memory; a watch that now watches a newer landing is left
// alone.
func (a *Aggregator) closeWatch(ctx context.Context, w store.Watch, end store.WatchEnd) (bool, error) {
	closed, err := a.o.Store.CloseWatch(ctx, w.EventID, w.TxHash, end)
	if err != nil || !closed {
		return false, err
	}
	a.mu.Lock()
	delete(a.watched, w.EventID)
	a.mu.Unlock()
	return true, nil
}

// loadWatches reads the landing watches from the store, once.
func (a *Aggregator) loadWatches(ctx context.Context) error {
	a.mu.Lock()
	loaded := a.watchedLoaded
	a.mu.Unlock()
	if loaded {
		return nil
	}
	ws, err := a.o.Store.Watches(ctx)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, w := range ws {
		if _, ok := a.watched[w.EventID]; !ok {
			a.watched[w.EventID] = w.NextCheck
		}
	}
	a.watchedLoaded = true
	return nil
}

// dueWatches lists the landings due for a look at now (or hurried), the
// soonest due first.
func (a *Aggregator) dueWatches(now time.Time, hurried map[service.EventID]bool) []service.EventID {
	type due struct {
		id service.EventID
		at time.Time
	}
	var ds []due
	a.mu.Lock()
	for id, at := range a.watched {
		if !at.After(now) || hurried[id] {
			ds = append(ds, due{id, at})
		}
	}
	a.mu.Unlock()
	slices.SortFunc(ds, func(x, y due) int {
		if c := x.at.Compare(y.at); c != 0 {
			return c
		}
		return bytes.Compare(x.id[:], y.id[:])
	})
	ids := make([]service.EventID, len(ds))
	for i, d := range ds {
		ids[i] = d.id
	}
	return ids
}

// watchCount is how many landings are watched (-1 before the watches
// have been read from the store).
func (a *Aggregator) watchCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.watchedLoaded {
		return -1
	}
	return len(a.watched)
}
