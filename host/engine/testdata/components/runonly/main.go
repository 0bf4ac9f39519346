// Command runonly calls component.Run from main and never
// component.Handle: as a command it works, as a reactor (whose main does
// not run) it has no handler.
package main

import (
	"context"

	"github.com/wavs-go/wavs/sdk/component"
)

func main() {
	component.Run(func(context.Context, component.Input) ([]component.Response, error) {
		return []component.Response{{Payload: []byte("ok")}}, nil
	})
}
