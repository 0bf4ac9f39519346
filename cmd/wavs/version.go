package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/wavs-go/wavs/internal/version"
	"github.com/wavs-go/wavs/sdk"
)

func versionCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "version", stdout, stderr)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wavs %s (plugin protocol %d, %s %s/%s)\n", version.Version, sdk.ProtocolVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
