package sdk

import (
	"context"
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
type EventQueue struct {
	mu    sync.Mutex
	items []queuedEvent // in push order
	seq   uint64
	wake  chan struct{} // closed and replaced when items change
	max   int
}

type queuedEvent struct {
	seq uint64
	ev  TriggerEvent
}

// NewEventQueue returns a queue that holds at most max unacknowledged
// events; Push waits while it is full.
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
// slowly) until ctx is done.
func (q *EventQueue) Push(ctx context.Context, ev TriggerEvent) error {
	for {
		q.mu.Lock()
		if len(q.items) < q.max {
			q.seq++
			q.items = append(q.items, queuedEvent{seq: q.seq, ev: ev})
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
// A cursor the queue does not hold drops nothing.
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

// filter keeps the items for which keep is true; q.mu must be held.
func (q *EventQueue) filter(keep func(int, queuedEvent) bool) {
	kept := q.items[:0]
	for i, it := range q.items {
		if keep(i, it) {
			kept = append(kept, it)
		}
	}
	clear(q.items[len(kept):])
	q.items = kept
	q.signal()
}

// Len returns the number of unacknowledged events.
func (q *EventQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Stream returns a channel carrying every pending event and then each new
// one, until ctx is done.
func (q *EventQueue) Stream(ctx context.Context) <-chan TriggerEvent {
	out := make(chan TriggerEvent)
	go func() {
		defer close(out)
		var sent uint64
		for {
			q.mu.Lock()
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
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
