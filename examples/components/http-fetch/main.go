// Command http-fetch is an example component: it GETs the URL in the
// workflow's config var "url" and returns the first 4 KiB of the body. The
// URL's host must be allowed by the workflow's HTTP policy.
//
// It builds as a reactor (as the Makefile builds it; the node snapshots it
// after initialisation, so a trigger does not pay the Go runtime's
// start-up) or as a command:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o http-fetch.wasm ./examples/components/http-fetch
//	GOOS=wasip1 GOARCH=wasm go build -o http-fetch.wasm ./examples/components/http-fetch
package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/wavs-go/wavs/sdk/component"
)

const maxPayload = 4 << 10

// The handler, for a reactor build (whose main does not run).
func init() { component.Handle(handle) }

// main runs only in a command build.
func main() { component.Run(handle) }

func handle(ctx context.Context, in component.Input) ([]component.Response, error) {
	url := in.Config["url"]
	if url == "" {
		return nil, errors.New(`http-fetch: config var "url" is not set`)
	}
	body, err := component.HTTPGet(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("http-fetch: %w", err)
	}
	if len(body) > maxPayload {
		body = body[:maxPayload]
	}
	return []component.Response{{Payload: body}}, nil
}
