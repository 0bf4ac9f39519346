package engine

import (
	"context"
	"fmt"
	"sync"
)

// slots hands out the engine's execution slots: at most total at once, at
// most perService to one service, and, when executions wait, the next
// free slot goes to the waiting service that runs the fewest (the longest
// waiting first among equals). So a service whose components run for a
// long time holds at most perService slots and every other service keeps
// the rest.
type slots struct {
	total, perService int

	mu        sync.Mutex
	running   int
	byService map[string]int
	waiters   []*slotWaiter // in arrival order
	closed    bool
	drained   chan struct{} // closed when running drops to 0 after close
}

type slotWaiter struct {
	service string
	ready   chan struct{} // closed when granted, or when the slots close
	granted bool
}

func newSlots(total, perService int) *slots {
	return &slots{total: total, perService: perService, byService: map[string]int{}}
}

// acquire takes a slot for service, waiting until ctx or done ends.
func (s *slots) acquire(ctx context.Context, service string, done <-chan struct{}) (func(), error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	w := &slotWaiter{service: service, ready: make(chan struct{})}
	s.waiters = append(s.waiters, w)
	s.dispatchLocked()
	s.mu.Unlock()
	release := func() { s.release(service) }
	select {
	case <-w.ready:
	case <-ctx.Done():
	case <-done:
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.granted {
		select {
		case <-ctx.Done():
		case <-done:
		default:
			return release, nil
		}
		s.releaseLocked(service)
	} else {
		s.removeLocked(w)
	}
	if s.closed {
		return nil, ErrClosed
	}
	return nil, fmt.Errorf("engine: waiting for an execution slot (%d running, %d of them service %.12s's; at most %d per service): %w",
		s.running, s.byService[service], service, s.perService, context.Cause(ctx))
}

func (s *slots) release(service string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseLocked(service)
}

func (s *slots) releaseLocked(service string) {
	s.running--
	if s.byService[service]--; s.byService[service] <= 0 {
		delete(s.byService, service)
	}
	if s.closed {
		if s.running == 0 && s.drained != nil {
			close(s.drained)
			s.drained = nil
		}
		return
	}
	s.dispatchLocked()
}

// dispatchLocked grants free slots to waiters: each time to the waiter
// whose service runs the fewest executions, below perService.
func (s *slots) dispatchLocked() {
	for s.running < s.total {
		best := -1
		for i, w := range s.waiters {
			n := s.byService[w.service]
			if n >= s.perService {
				continue
			}
			if best < 0 || n < s.byService[s.waiters[best].service] {
				best = i
			}
		}
		if best < 0 {
			return
		}
		w := s.waiters[best]
		s.waiters = append(s.waiters[:best], s.waiters[best+1:]...)
		s.running++
		s.byService[w.service]++
		w.granted = true
		close(w.ready)
	}
}

func (s *slots) removeLocked(w *slotWaiter) {
	for i, x := range s.waiters {
		if x == w {
			s.waiters = append(s.waiters[:i], s.waiters[i+1:]...)
			return
		}
	}
}

// close refuses new executions, wakes the waiting ones (they get
// ErrClosed) and waits until the running ones end or ctx is done.
func (s *slots) close(ctx context.Context) {
	s.mu.Lock()
	s.closed = true
	for _, w := range s.waiters {
		close(w.ready)
	}
	s.waiters = nil
	if s.running == 0 {
		s.mu.Unlock()
		return
	}
	drained := make(chan struct{})
	s.drained = drained
	s.mu.Unlock()
	select {
	case <-drained:
	case <-ctx.Done():
	}
}

// stats is how many executions run, in all and for service.
func (s *slots) stats(service string) (all, ofService int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running, s.byService[service]
}
