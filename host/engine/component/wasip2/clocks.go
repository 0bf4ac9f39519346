package wasip2

import (
	"context"
	"math"
	"time"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// resolution of both clocks, in nanoseconds.
const clockResolution = 1

func init() {
	register("wasi:clocks/wall-clock", nil, map[string]*funcDef{
		"now": def(nil, []*cabi.Type{tDatetime}, func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
			return one(datetime(s.cfg.Now()))
		}),
		"resolution": def(nil, []*cabi.Type{tDatetime}, func(context.Context, *State, []cabi.Value) ([]cabi.Value, error) {
			return one(cabi.Fields(uint64(0), uint32(clockResolution)))
		}),
	})
	register("wasi:clocks/monotonic-clock", nil, map[string]*funcDef{
		"now": def(nil, []*cabi.Type{cabi.U64()}, func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
			return one(s.monotonic())
		}),
		"resolution": def(nil, []*cabi.Type{cabi.U64()}, func(context.Context, *State, []cabi.Value) ([]cabi.Value, error) {
			return one(uint64(clockResolution))
		}),
		"subscribe-instant": def([]cabi.Param{p("when", cabi.U64())}, []*cabi.Type{cabi.Own("pollable")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				when, err := argU64(args, 0)
				if err != nil {
					return nil, err
				}
				return s.newPollable(&pollable{timer: true, at: when})
			}),
		"subscribe-duration": def([]cabi.Param{p("when", cabi.U64())}, []*cabi.Type{cabi.Own("pollable")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				d, err := argU64(args, 0)
				if err != nil {
					return nil, err
				}
				at := s.monotonic()
				if d > math.MaxUint64-at {
					at = math.MaxUint64
				} else {
					at += d
				}
				return s.newPollable(&pollable{timer: true, at: at})
			}),
	})
}

// monotonic is the monotonic clock: nanoseconds since the State began.
func (s *State) monotonic() uint64 {
	return uint64(time.Since(s.start))
}

// datetime is t as wall-clock's datetime (before 1970 clamps to 0).
func datetime(t time.Time) cabi.Record {
	sec, ns := t.Unix(), t.Nanosecond()
	if sec < 0 {
		sec, ns = 0, 0
	}
	return cabi.Fields(uint64(sec), uint32(ns))
}
