// Command echo-square is an example component: when the trigger carries a
// number (raw data as decimal text, or an EVM log's 32-byte data as a
// uint256) it returns the number's square as a 32-byte big-endian uint256,
// ready for abi.decode(payload, (uint256)); otherwise it echoes the raw
// bytes (or the log's data).
//
// It builds as a reactor (as the Makefile builds it; the node snapshots it
// after initialisation, so a trigger does not pay the Go runtime's
// start-up) or as a command:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o echo-square.wasm ./examples/components/echo-square
//	GOOS=wasip1 GOARCH=wasm go build -o echo-square.wasm ./examples/components/echo-square
package main

import (
	"context"
	"errors"
	"math/big"
	"strings"

	"github.com/wavs-go/wavs/sdk/component"
)

// The handler, for a reactor build (whose main does not run).
func init() { component.Handle(handle) }

// main runs only in a command build.
func main() { component.Run(handle) }

func handle(_ context.Context, in component.Input) ([]component.Response, error) {
	t := in.Trigger
	var n *big.Int
	var echo []byte
	switch {
	case t.Raw != nil:
		n, echo = decimal(t.Raw), t.Raw
	case t.EvmLog != nil && len(t.EvmLog.Data) == 32:
		n = new(big.Int).SetBytes(t.EvmLog.Data)
	case t.EvmLog != nil:
		echo = t.EvmLog.Data
	default:
		return nil, nil // block and cron triggers carry no number
	}
	if n == nil {
		return []component.Response{{Payload: echo}}, nil
	}
	sq := new(big.Int).Mul(n, n)
	if sq.BitLen() > 256 {
		return nil, errors.New("echo-square: the square does not fit in a uint256")
	}
	return []component.Response{{Payload: sq.FillBytes(make([]byte, 32))}}, nil
}

// decimal parses b as a non-negative decimal number of at most 256 bits,
// or returns nil.
func decimal(b []byte) *big.Int {
	s := strings.TrimSpace(string(b))
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return nil
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.BitLen() > 256 {
		return nil
	}
	return n
}
