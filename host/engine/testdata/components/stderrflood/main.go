// Command stderrflood writes to stderr as fast as it can, forever.
package main

import (
	"context"
	"os"
	"strings"

	"github.com/wavs-go/wavs/sdk/component"
)

func init() { component.Handle(flood) }

func main() { component.Run(flood) }

func flood(context.Context, component.Input) ([]component.Response, error) {
	line := []byte(strings.Repeat("flood ", 1000) + "\n")
	for {
		os.Stderr.Write(line)
	}
}
