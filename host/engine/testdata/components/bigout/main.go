// Command bigout writes to stdout forever.
package main

import (
	"bytes"
	"context"
	"os"

	"github.com/wavs-go/wavs/sdk/component"
)

func init() { component.Handle(flood) }

func main() { component.Run(flood) }

func flood(context.Context, component.Input) ([]component.Response, error) {
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for {
		os.Stdout.Write(chunk)
	}
}
