// Command loop never ends.
package main

import (
	"context"

	"github.com/wavs-go/wavs/sdk/component"
)

func init() { component.Handle(loop) }

func main() { component.Run(loop) }

func loop(context.Context, component.Input) ([]component.Response, error) {
	n := 0
	for {
		n++
	}
}
