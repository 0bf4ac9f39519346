// Command panic panics.
package main

import (
	"context"

	"github.com/wavs-go/wavs/sdk/component"
)

func init() { component.Handle(boom) }

func main() { component.Run(boom) }

func boom(context.Context, component.Input) ([]component.Response, error) {
	panic("boom")
}
