package sdk

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// EventQueue keeps a trigger plugin's events until the host acknowledges
// them, and feeds Events streams: a new stream starts with every pending
// event, in the order they were pushed. It gives a plugin the protocol's
// at-least-once delivery with a few lines:
//
//	func (p *P) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) { return p.queue.Stream(ctx), nil }
//	func (p *P) Ack(_ context.Context, id, cursor string) error { p.queue.Ack(id, cursor); return nil }
//
// A queue from NewEventQueue lives in memory: the events it holds are lost
// when the plugin stops, which suits a trigger that can read them again
// from their source (a chain, from the cursor the host acked). A plugin
// whose source cannot replay (a webhook) uses OpenEventQueue, which keeps
// the pending events in a file until they are acked.
type EventQueue struct {
	mu    sync.Mutex
	items []queuedEvent // in push order
	seq   uint64
	wake  chan struct{} // closed and replaced when items change
	max   int
	// path is the file that keeps the pending events; "" in memory.
	path   string
	closed bool
	// werr is the first error persisting an Ack or Remove.
	werr error
}

type queuedEvent struct {
	seq uint64
	ev  TriggerEvent
	// rec is the event's encoding in the queue file (file queues only).
	rec []byte
}

// NewEventQueue returns an in-memory queue that holds at most max
// unacknowledged events; Push waits while it is full.
func NewEventQueue(max int) *EventQueue {
	if max < 1 {
		max = 1
	}
	return &EventQueue{wake: make(chan struct{}), max: max}
}

func (q *EventQueue) signal() {
	close(q.wake)
	q.wake = make(chan struct{})
}

// Push adds an event. While the queue is full it waits for acks (the
// back-pressure a plugin should pass on, e.g. by reading the chain more
// slowly) until ctx is done. A queue from OpenEventQueue returns only once
// the event is in its file (and refuses an event whose Data is not one of
// the SDK's kinds); a plugin answers its source only after that, so an
// event it accepted survives a crash. Push on a closed queue is an error
// wrapping ErrUnavailable.
func (q *EventQueue) Push(ctx context.Context, ev TriggerEvent) error {
	var rec []byte
	if q.path != "" {
		var err error
		if rec, err = encodeQueuedEvent(ev); err != nil {
			return fmt.Errorf("event queue %s: %w", q.path, err)
		}
	}
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			return fmt.Errorf("%w: event queue is closed", ErrUnavailable)
		}
		if len(q.items) < q.max {
			q.seq++
			q.items = append(q.items, queuedEvent{seq: q.seq, ev: ev, rec: rec})
			if err := q.persist(); err != nil {
				q.items[len(q.items)-1] = queuedEvent{}
				q.items = q.items[:len(q.items)-1]
				q.mu.Unlock()
				return err
			}
			q.signal()
			q.mu.Unlock()
			return nil
		}
		wake := q.wake
		q.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Ack drops the trigger's events up to and including the one with cursor.
// A cursor the queue does not hold drops nothing. A file queue rewrites its
// file; if that fails the acked events stay in the file (and come again
// after a restart, which at-least-once delivery allows) and Close reports
// the error.
func (q *EventQueue) Ack(triggerID, cursor string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	last := -1
	for i, it := range q.items {
		if it.ev.TriggerID == triggerID && it.ev.Cursor == cursor {
			last = i
		}
	}
	if last < 0 {
		return
	}
	q.filter(func(i int, it queuedEvent) bool { return i > last || it.ev.TriggerID != triggerID })
}

// Remove drops every pending event of a trigger.
func (q *EventQueue) Remove(triggerID string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.filter(func(_ int, it queuedEvent) bool { return it.ev.TriggerID != triggerID })
}

// filter keeps the items for which keep is true and persists the change;
// q.mu must be held.
func (q *EventQueue) filter(keep func(int, queuedEvent) bool) {
	kept := q.items[:0]
	for i, it := range q.items {
		if keep(i, it) {
			kept = append(kept, it)
		}
	}
	if len(kept) == len(q.items) {
		return
	}
	clear(q.items[len(kept):])
	q.items = kept
	if err := q.persist(); err != nil && q.werr == nil {
		q.werr = err
	}
	q.signal()
}

// Len returns the number of unacknowledged events.
func (q *EventQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Close ends every stream and makes Push fail; a file queue stops writing
// its file, so another queue may open it. Close returns the first error
// persisting an Ack or Remove, if any. Closing twice is not an error.
func (q *EventQueue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		q.signal()
	}
	return q.werr
}

// Stream returns a channel carrying every pending event and then each new
// one, until ctx is done or the queue is closed.
func (q *EventQueue) Stream(ctx context.Context) <-chan TriggerEvent {
	out := make(chan TriggerEvent)
	go func() {
		defer close(out)
		var sent uint64
		for {
			q.mu.Lock()
			if q.closed {
				q.mu.Unlock()
				return
			}
			var next *queuedEvent
			// items are in seq order: find the first one not yet sent.
			if i := sort.Search(len(q.items), func(i int) bool { return q.items[i].seq > sent }); i < len(q.items) {
				it := q.items[i]
				next = &it
			}
			wake := q.wake
			q.mu.Unlock()
			if next == nil {
				select {
				case <-wake:
					continue
				case <-ctx.Done():
					return
				}
			}
			select {
			case out <- next.ev:
				sent = next.seq
			case <-wake:
				// Acked, removed or closed meanwhile: look again.
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
