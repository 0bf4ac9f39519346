// Command memhog allocates 1 MiB blocks, touching and keeping each, until
// its memory cannot grow.
package main

import (
	"context"

	"github.com/wavs-go/wavs/sdk/component"
)

func init() { component.Handle(hog) }

func main() { component.Run(hog) }

func hog(context.Context, component.Input) ([]component.Response, error) {
	var keep [][]byte
	for i := 0; ; i++ {
		b := make([]byte, 1<<20)
		for j := range b {
			if j%4096 == 0 {
				b[j] = byte(i)
			}
		}
		keep = append(keep, b)
	}
}
