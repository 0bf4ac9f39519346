package wasip2

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// maxRandomBytes caps one get-random-bytes call; the spec lets the host
// trap on a request it cannot satisfy.
const maxRandomBytes = 1 << 20

func init() {
	bytesFn := def([]cabi.Param{p("len", cabi.U64())}, []*cabi.Type{tU8List},
		func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
			n, err := argU64(args, 0)
			if err != nil {
				return nil, err
			}
			b, err := s.randomBytes(n)
			if err != nil {
				return nil, err
			}
			return one(b)
		})
	u64Fn := def(nil, []*cabi.Type{cabi.U64()}, func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
		b, err := s.randomBytes(8)
		if err != nil {
			return nil, err
		}
		return one(binary.LittleEndian.Uint64(b))
	})
	register("wasi:random/random", nil, map[string]*funcDef{
		"get-random-bytes": bytesFn,
		"get-random-u64":   u64Fn,
	})
	register("wasi:random/insecure", nil, map[string]*funcDef{
		"get-insecure-random-bytes": bytesFn,
		"get-insecure-random-u64":   u64Fn,
	})
	register("wasi:random/insecure-seed", nil, map[string]*funcDef{
		"insecure-seed": def(nil, []*cabi.Type{cabi.TupleOf(cabi.U64(), cabi.U64())},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				b, err := s.randomBytes(16)
				if err != nil {
					return nil, err
				}
				return one(cabi.Fields(binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])))
			}),
	})
}

func (s *State) randomBytes(n uint64) ([]byte, error) {
	if n > maxRandomBytes {
		return nil, fmt.Errorf("%d random bytes asked, at most %d per call", n, maxRandomBytes)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(s.cfg.Random, b); err != nil {
		return nil, fmt.Errorf("random source: %w", err)
	}
	return b, nil
}
