package sdk

import (
	"context"
	"sync"

	"github.com/hashicorp/go-hclog"
)

// streamSlot enforces "at most one open stream": opening a stream ends the
// one before it.
type streamSlot struct {
	mu     sync.Mutex
	seq    uint64
	cancel context.CancelFunc
}

// open returns a context for a new stream derived from parent, cancelling
// the previous stream's context. Call release when the stream ends.
func (s *streamSlot) open(parent context.Context) (ctx context.Context, release func()) {
	ctx, cancel := context.WithCancel(parent)
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.seq++
	seq := s.seq
	s.cancel = cancel
	s.mu.Unlock()
	return ctx, func() {
		cancel()
		s.mu.Lock()
		if s.seq == seq {
			s.cancel = nil
		}
		s.mu.Unlock()
	}
}

// sendAll forwards items from ch to send until ch closes or ctx is done.
func sendAll[T any, P any](ctx context.Context, ch <-chan T, conv func(T) (P, error), send func(P) error) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case item, ok := <-ch:
			if !ok {
				return nil
			}
			p, err := conv(item)
			if err != nil {
				return toStatus(err)
			}
			if err := send(p); err != nil {
				return err
			}
		}
	}
}

// streamBuffer is how many received items wait for the consumer before the
// receiving side stops reading (and gRPC flow control pushes back).
const streamBuffer = 64

// recvAll reads a gRPC stream into a channel that closes when the stream
// ends or ctx is done. An item that does not convert is logged and
// skipped: one malformed message must not end the stream.
func recvAll[P any, T any](ctx context.Context, log hclog.Logger, what string, recv func() (P, error), conv func(P) (T, error)) <-chan T {
	out := make(chan T, streamBuffer)
	go func() {
		defer close(out)
		for {
			p, err := recv()
			if err != nil {
				if ctx.Err() == nil {
					log.Debug("stream ended", "stream", what, "error", fromStatus(err))
				}
				return
			}
			item, err := conv(p)
			if err != nil {
				log.Warn("dropping malformed stream item", "stream", what, "error", err)
				continue
			}
			select {
			case out <- item:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
