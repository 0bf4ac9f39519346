// Command echo-input returns what it was given: [0] its raw stdin, [1] the
// input decoded by sdk/component and encoded again, [2] its environment
// (one NAME=value a line), [3] its args, [4] what reading "/" gave.
package main

import (
	"io"
	"os"
	"strings"

	"github.com/wavs-go/wavs/sdk/component"
)

func main() {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	in, err := component.DecodeInput(raw)
	if err != nil {
		os.Stdout.Write(component.EncodeOutput(nil, err))
		return
	}
	again, err := component.EncodeInput(in)
	if err != nil {
		os.Stdout.Write(component.EncodeOutput(nil, err))
		return
	}
	fsProbe := "no error"
	if _, err := os.ReadDir("/"); err != nil {
		fsProbe = err.Error()
	}
	component.Log(component.LevelInfo, "echo-input ran")
	os.Stdout.Write(component.EncodeOutput([]component.Response{
		{Payload: raw},
		{Payload: again, EventIDSalt: []byte("salt")},
		{Payload: []byte(strings.Join(os.Environ(), "\n"))},
		{Payload: []byte(strings.Join(os.Args, " "))},
		{Payload: []byte(fsProbe)},
	}, nil))
}
