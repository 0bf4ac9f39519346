package component

import (
	"context"
	"fmt"
	"io"
	"os"
)

// Handler handles one trigger. Returning an error makes the execution fail
// with its message.
type Handler func(ctx context.Context, in Input) ([]Response, error)

// Run reads the input from stdin, calls h and writes its responses (or its
// error) to stdout, as Component ABI v1 wants. It returns when the output
// is written; a component's main usually ends with it. If the input cannot
// be read or the output written, Run reports that as the error and exits
// with code 1.
func Run(h Handler) {
	if err := run(context.Background(), h); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Stdout.Write(EncodeOutput(nil, err))
		os.Exit(1)
	}
}

func run(ctx context.Context, h Handler) error {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		return fmt.Errorf("component: read input: %w", err)
	}
	in, err := DecodeInput(raw)
	if err != nil {
		return err
	}
	resps, herr := h(ctx, in)
	if _, err := os.Stdout.Write(EncodeOutput(resps, herr)); err != nil {
		return fmt.Errorf("component: write output: %w", err)
	}
	return nil
}
