package wasip2

import (
	"context"
	"fmt"
)

// startRequest counts a request in flight and returns the context it
// runs under: the execution's, ended by Close.
func (s *State) startRequest(ctx context.Context) (context.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	if s.inFlight >= MaxHTTPInFlight {
		return nil, fmt.Errorf("%d requests are already in flight (limit %d)", s.inFlight, MaxHTTPInFlight)
	}
	if s.httpCtx == nil {
		// The execution's end (its time limit) ends the requests too.
		s.httpCtx, s.httpCancel = context.WithCancel(ctx)
	}
	s.inFlight++
	return s.httpCtx, nil
}

func (s *State) endRequest() {
	s.mu.Lock()
	s.inFlight--
	s.mu.Unlock()
}

// notify wakes a wait: a future became ready.
func (s *State) notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *State) logf(format string, args ...any) {
	if s.cfg.Log != nil {
		s.cfg.Log(fmt.Sprintf(format, args...))
	}
}

// closeHTTP cancels the requests in flight; called by Close, locked.
func (s *State) closeHTTP() {
	if s.httpCancel != nil {
		s.httpCancel()
	}
}
