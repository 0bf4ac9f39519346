// Command initstdout writes to stdout during initialisation, which makes
// its output invalid (it comes before the ABI's JSON object): the engine
// does not snapshot it, so it fails as it would as a command.
package main

import (
	"context"
	"os"

	"github.com/wavs-go/wavs/sdk/component"
)

func init() {
	os.Stdout.WriteString("hello")
	component.Handle(handle)
}

func main() { component.Run(handle) }

func handle(context.Context, component.Input) ([]component.Response, error) {
	return []component.Response{{Payload: []byte("ok")}}, nil
}
