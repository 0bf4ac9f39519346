// Command spin runs a loop of N iterations (N is the raw trigger data in
// decimal) and returns a checksum, for measuring loop-heavy guests.
package main

import (
	"context"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/wavs-go/wavs/sdk/component"
)

func init() { component.Handle(spin) }

func main() { component.Run(spin) }

func spin(_ context.Context, in component.Input) ([]component.Response, error) {
	n, err := strconv.Atoi(strings.TrimSpace(string(in.Trigger.Raw)))
	if err != nil {
		return nil, err
	}
	x := uint64(88172645463325252)
	for i := 0; i < n; i++ { // xorshift: a loop the compiler cannot fold
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return []component.Response{{Payload: binary.BigEndian.AppendUint64(nil, x)}}, nil
}
