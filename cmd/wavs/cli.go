package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

const usage = `wavs is the WAVS operator node.

Usage:
  wavs <command> [flags]

Commands:
  run       start the node
  exec      run a component once, locally, and print its responses
  plugins   list the plugins in a folder, as the node would load them
  version   print the version

Run "wavs <command> --help" for a command's flags.
`

// Main runs the command line and returns the process's exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "run":
		err = runCmd(ctx, rest, stdout, stderr)
	case "exec":
		err = execCmd(ctx, rest, stdout, stderr)
	case "plugins":
		err = pluginsCmd(ctx, rest, stdout, stderr)
	case "version", "--version":
		err = versionCmd(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "wavs: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(stderr, "wavs %s: %v\n", cmd, err)
		return 1
	}
}

// errUsage marks a bad command line; the flag package has already said why.
var errUsage = errors.New("usage")

// newFlags makes a flag set that reports errors to stderr, not by exiting.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("wavs "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: wavs %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and rejects stray arguments beyond maxArgs.
func parse(fs *flag.FlagSet, args []string, maxArgs int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > maxArgs {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(maxArgs))
		fs.Usage()
		return errUsage
	}
	return nil
}

// defaultPluginsDir is "plugins" beside the wavs executable when that
// folder exists (an installed node), else ./plugins.
func defaultPluginsDir() string {
	if v := os.Getenv("WAVS_PLUGINS"); v != "" {
		return v
	}
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Join(filepath.Dir(exe), "plugins")
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	return "plugins"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
