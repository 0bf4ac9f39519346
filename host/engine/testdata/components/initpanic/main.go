// Command initpanic panics during initialisation: a reactor that cannot
// be snapshotted (its _initialize fails), whose every execution fails.
package main

import (
	"context"

	"github.com/wavs-go/wavs/sdk/component"
)

func init() {
	component.Handle(func(context.Context, component.Input) ([]component.Response, error) {
		return []component.Response{{Payload: []byte("unreachable")}}, nil
	})
	panic("init boom")
}

func main() {}
