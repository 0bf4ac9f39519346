// Command sleep sleeps for an hour.
package main

import (
	"context"
	"time"

	"github.com/wavs-go/wavs/sdk/component"
)

func init() { component.Handle(sleep) }

func main() { component.Run(sleep) }

func sleep(context.Context, component.Input) ([]component.Response, error) {
	time.Sleep(time.Hour)
	return nil, nil
}
