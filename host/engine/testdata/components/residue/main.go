// Command residue looks for marks an earlier execution left in its
// memory, then leaves its own: in a package array (memory the snapshot
// holds) and in a 16 MiB heap block (memory grown past the snapshot's,
// which the Go runtime takes to read as zero). It returns "clean", or
// where it found a mark.
package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/wavs-go/wavs/sdk/component"
)

const (
	mark = 0xa5
	// step is the spacing of the bytes it reads and marks: many to a
	// page, few enough to be quick.
	step = 512
)

var scratch [256 << 10]byte

func init() { component.Handle(handle) }

func main() { component.Run(handle) }

func handle(context.Context, component.Input) ([]component.Response, error) {
	var found []string
	block := make([]byte, 16<<20)
	for name, mem := range map[string][]byte{"scratch": scratch[:], "block": block} {
		for i := 0; i < len(mem); i += step {
			if mem[i] != 0 {
				found = append(found, fmt.Sprintf("%s[%d] = %#x", name, i, mem[i]))
				break
			}
		}
		for i := 0; i < len(mem); i += step {
			mem[i] = mark
		}
	}
	out := "clean"
	if len(found) > 0 {
		out = strings.Join(found, ", ")
	}
	return []component.Response{{Payload: []byte(out)}}, nil
}
