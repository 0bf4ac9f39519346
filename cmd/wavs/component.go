package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

func componentCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "component", []subcommand{
		{"add", "upload a component (.wasm) to the node and print its digest", func(ctx context.Context, args []string) error {
			return componentAddCmd(ctx, args, stdout, stderr)
		}},
		{"remove", "delete a component no service uses", func(ctx context.Context, args []string) error {
			return componentRemoveCmd(ctx, args, stdout, stderr)
		}},
	}, args, stdout, stderr)
}

func componentAddCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("component add", "component add [flags] FILE.wasm", stdout, stderr)
	fs.about = `Uploads a component to the node (POST /components), which keeps it by
its sha256 digest; a service JSON names the component by that digest.
Uploading the same component again is harmless.`
	api := addAPIFlags(fs)
	pos, err := parseArgs(fs, args, 1, 1, "FILE.wasm")
	if err != nil {
		return err
	}
	wasm, err := os.ReadFile(pos[0])
	if err != nil {
		return fmt.Errorf("read the component: %w", err)
	}
	ctx, cancel, c, err := api.connect(ctx, fs)
	if err != nil {
		return err
	}
	defer cancel()
	raw, err := c.send(ctx, http.MethodPost, "/components", "application/wasm", wasm)
	if err != nil {
		return err
	}
	if api.json {
		return printJSON(stdout, raw)
	}
	var out struct {
		Digest string `json:"digest"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.Digest == "" {
		return fmt.Errorf("the answer of POST /components has no digest: %s", raw)
	}
	fmt.Fprintf(stdout, "%s\n", out.Digest)
	return nil
}

func componentRemoveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("component remove", "component remove [flags] DIGEST", stdout, stderr)
	fs.about = "Deletes a stored component and its compiled code. The node refuses (409) while a registered service uses it."
	return deleteOne(ctx, fs, args, "DIGEST", "/components/", "removed component %s\n")
}
