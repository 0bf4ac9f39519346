// Command counter keeps state in package variables, a map and the heap,
// and returns it after adding to it: "count entries blocks" (the
// executions it has seen, the keys of its map, the 1 MiB blocks it
// holds). In a fresh instance per execution that is always "1 1 1".
package main

import (
	"context"
	"fmt"

	"github.com/wavs-go/wavs/sdk/component"
)

var (
	count  int
	seen   = map[string]int{}
	blocks [][]byte
)

func init() { component.Handle(handle) }

func main() { component.Run(handle) }

func handle(_ context.Context, in component.Input) ([]component.Response, error) {
	count++
	seen[fmt.Sprintf("%s/%d", in.Trigger.Raw, count)]++
	b := make([]byte, 1<<20)
	b[0], b[len(b)-1] = byte(count), byte(count)
	blocks = append(blocks, b)
	return []component.Response{{Payload: fmt.Appendf(nil, "%d %d %d", count, len(seen), len(blocks))}}, nil
}
