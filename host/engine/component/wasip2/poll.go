package wasip2

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// pollable is a wasi:io/poll pollable: always ready (streams over memory,
// writers and files never block), a timer ready once the monotonic clock
// reaches at, or ready once done is closed (a wasi:http response).
type pollable struct {
	timer bool
	at    uint64          // monotonic-clock instant, for a timer
	done  <-chan struct{} // when not nil: ready once closed
}

// maxPollList caps the pollables one poll call may name.
const maxPollList = MaxHandles

func (s *State) newPollable(pl *pollable) ([]cabi.Value, error) {
	h, err := s.add("pollable", pl)
	if err != nil {
		return nil, err
	}
	return one(cabi.Handle(h))
}

func (pl *pollable) ready(now uint64) bool {
	if pl.done != nil {
		select {
		case <-pl.done:
			return true
		default:
			return false
		}
	}
	return !pl.timer || now >= pl.at
}

func init() {
	register("wasi:io/poll", []string{"pollable"}, map[string]*funcDef{
		"[method]pollable.ready": def([]cabi.Param{p("self", cabi.Borrow("pollable"))}, []*cabi.Type{cabi.Bool()},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				pl, err := s.pollableArg(args, 0)
				if err != nil {
					return nil, err
				}
				return one(pl.ready(s.monotonic()))
			}),
		"[method]pollable.block": def([]cabi.Param{p("self", cabi.Borrow("pollable"))}, nil,
			func(ctx context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				pl, err := s.pollableArg(args, 0)
				if err != nil {
					return nil, err
				}
				_, err = s.wait(ctx, []*pollable{pl})
				return nil, err
			}),
		"poll": def([]cabi.Param{p("in", cabi.ListOf(cabi.Borrow("pollable")))}, []*cabi.Type{cabi.ListOf(cabi.U32())},
			func(ctx context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				in, ok := args[0].([]cabi.Value)
				if !ok {
					return nil, fmt.Errorf("argument 0 is not a list")
				}
				if len(in) == 0 {
					return nil, errors.New("poll of an empty list")
				}
				if len(in) > maxPollList {
					return nil, fmt.Errorf("poll of %d pollables, at most %d", len(in), maxPollList)
				}
				pls := make([]*pollable, len(in))
				for i := range in {
					pl, err := s.pollableArg(in, i)
					if err != nil {
						return nil, fmt.Errorf("in[%d]: %w", i, err)
					}
					pls[i] = pl
				}
				ready, err := s.wait(ctx, pls)
				if err != nil {
					return nil, err
				}
				out := make([]cabi.Value, len(ready))
				for i, r := range ready {
					out[i] = r
				}
				return one(out)
			}),
	})
}

func (s *State) pollableArg(args []cabi.Value, i int) (*pollable, error) {
	h, err := argHandle(args, i)
	if err != nil {
		return nil, err
	}
	return getAs[*pollable](s, h, "pollable")
}

// wait blocks until at least one of pls is ready and returns the indices
// of the ready ones; a wasi:http response wakes it through s.wake. It gives up, with the context's error, when ctx ends:
// the engine's wall-time limit stops a guest sleeping here.
func (s *State) wait(ctx context.Context, pls []*pollable) ([]uint32, error) {
	for {
		now := s.monotonic()
		var ready []uint32
		next := uint64(math.MaxUint64)
		for i, pl := range pls {
			if pl.ready(now) {
				ready = append(ready, uint32(i))
			} else if pl.timer && pl.at < next {
				next = pl.at
			}
		}
		if len(ready) > 0 {
			return ready, nil
		}
		d := time.Duration(math.MaxInt64)
		if delta := next - now; delta < uint64(math.MaxInt64) {
			d = time.Duration(delta)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("poll interrupted: %w", context.Cause(ctx))
		case <-t.C:
		case <-s.wake: // a response arrived: look again
			t.Stop()
		}
	}
}
