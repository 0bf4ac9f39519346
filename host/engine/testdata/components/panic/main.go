// Command panic panics.
package main

import (
	"context"

	"github.com/wavs-go/wavs/sdk/component"
)

func main() {
	component.Run(func(context.Context, component.Input) ([]component.Response, error) {
		panic("boom")
	})
}
