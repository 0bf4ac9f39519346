// Command kv-counter is an example component: it increments the counter
// under key "count" in the service's key-value store and returns the new
// value as a 32-byte big-endian uint256. Each execution returns the next
// number.
//
// It builds as a reactor (as the Makefile builds it; the node snapshots it
// after initialisation, so a trigger does not pay the Go runtime's
// start-up) or as a command:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o kv-counter.wasm ./examples/components/kv-counter
//	GOOS=wasip1 GOARCH=wasm go build -o kv-counter.wasm ./examples/components/kv-counter
package main

import (
	"context"
	"fmt"
	"math/big"

	"github.com/wavs-go/wavs/sdk/component"
)

const key = "count"

// The handler, for a reactor build (whose main does not run).
func init() { component.Handle(handle) }

// main runs only in a command build.
func main() { component.Run(handle) }

func handle(context.Context, component.Input) ([]component.Response, error) {
	old, _, err := component.KVGet(key)
	if err != nil {
		return nil, fmt.Errorf("kv-counter: %w", err)
	}
	n := new(big.Int).SetBytes(old) // absent: 0
	n.Add(n, big.NewInt(1))
	v := n.FillBytes(make([]byte, 32))
	if err := component.KVSet(key, v); err != nil {
		return nil, fmt.Errorf("kv-counter: %w", err)
	}
	component.Logf(component.LevelInfo, "count is now %s", n)
	return []component.Response{{Payload: v}}, nil
}
