// Command initkv reads the key "init" from the key-value store during
// initialisation and returns what it read: a host call whose result
// belongs to an execution, so the engine does not snapshot it.
package main

import (
	"context"

	"github.com/wavs-go/wavs/sdk/component"
)

var value, found, err = func() ([]byte, bool, error) { return component.KVGet("init") }()

func init() { component.Handle(handle) }

func main() { component.Run(handle) }

func handle(context.Context, component.Input) ([]component.Response, error) {
	if err != nil {
		return nil, err
	}
	if !found {
		return []component.Response{{Payload: []byte("absent")}}, nil
	}
	return []component.Response{{Payload: value}}, nil
}
