package registry

import (
	"context"
	"sync"
	"time"
)

// laneIdle is how long a trigger's lane waits for its next event, with
// none in flight, before it ends: a removed service's lanes do not stay
// for the node's life, and a busy trigger keeps its lane.
const laneIdle = time.Minute

// lanes routes each trigger's events to a lane of its own: started by its
// first event, ended once it has been idle (nothing queued, nothing in
// flight, nothing being sent to it) for idle.
type lanes struct {
	idle time.Duration
	// run runs one lane until ctx ends or, once its events are all
	// handled and none came for idle, retire says it may end.
	run func(ctx context.Context, tid string, ch <-chan event, idle time.Duration, retire func() bool)
	// beforeSend, if set, runs between finding a lane and sending to it
	// (tests widen that window).
	beforeSend func()

	mu sync.Mutex
	m  map[string]*lane
	wg sync.WaitGroup
}

// A lane is one trigger's queue, and how many are sending to it.
type lane struct {
	ch      chan event
	senders int
}

// send queues e on trigger tid's lane, starting the lane if it has none;
// false when ctx ended first.
func (l *lanes) send(ctx context.Context, tid string, e event) bool {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]*lane{}
	}
	ln := l.m[tid]
	if ln == nil {
		ln = &lane{ch: make(chan event, laneBuffer)}
		l.m[tid] = ln
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.run(ctx, tid, ln.ch, l.idle, func() bool { return l.retire(tid, ln) })
		}()
	}
	ln.senders++
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		ln.senders--
		l.mu.Unlock()
	}()
	if l.beforeSend != nil {
		l.beforeSend()
	}
	select {
	case ln.ch <- e:
		return true
	case <-ctx.Done():
		return false
	}
}

// retire removes lane ln of trigger tid when nothing is queued on it or
// being sent to it, and reports whether it did: the lane may then end,
// and the trigger's next event starts a new one.
func (l *lanes) retire(tid string, ln *lane) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ln.senders > 0 || len(ln.ch) > 0 || l.m[tid] != ln {
		return false
	}
	delete(l.m, tid)
	return true
}

// count is how many lanes run.
func (l *lanes) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

// wait waits for every lane to end (after ctx ends).
func (l *lanes) wait() { l.wg.Wait() }
