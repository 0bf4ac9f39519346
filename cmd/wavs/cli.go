package main

import (
	"bytes"
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
  run             start the node
  exec            run a component once, locally, and print its responses
  plugins         list the plugins in a folder, as the node would load them
  version         print the version

Commands that talk to a running node (--node URL, env WAVS_NODE):
  component add   upload a component (.wasm) and print its digest
  service add     register a service from its JSON, or by its manager's address
  service list    list the node's services
  service status  show a service and its latest results
  service remove  remove a service
  pending list    list the results whose landing is not proven yet
  pending drop    give up a pending result
  p2p status      show the node's P2P transport: peers and topics
  signer          show the operator's address and each service's signing address

Run "wavs <command> --help" for a command's flags.
`

// Main runs the command line and returns the process's exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
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
	case "component":
		err = componentCmd(ctx, rest, stdout, stderr)
	case "service":
		err = serviceCmd(ctx, rest, stdin, stdout, stderr)
	case "p2p":
		err = p2pCmd(ctx, rest, stdout, stderr)
	case "pending":
		err = pendingCmd(ctx, rest, stdout, stderr)
	case "signer":
		err = signerCmd(ctx, rest, stdout, stderr)
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
		name := cmd
		var sub *subcommandError
		if errors.As(err, &sub) {
			name = sub.name
		}
		fmt.Fprintf(stderr, "wavs %s: %v\n", name, err)
		return 1
	}
}

// errUsage marks a bad command line; the usage has already been printed
// with the reason.
var errUsage = errors.New("usage")

// subcommandError names the subcommand ("service add") whose run failed.
type subcommandError struct {
	name string
	err  error
}

func (e *subcommandError) Error() string { return e.err.Error() }
func (e *subcommandError) Unwrap() error { return e.err }

// cmdFlags is a command's flag set. Its usage goes to stdout when asked
// for (--help) and to stderr after a bad command line.
type cmdFlags struct {
	*flag.FlagSet
	synopsis string
	about    string // optional paragraph between the synopsis and the flags
	stdout   io.Writer
	stderr   io.Writer
}

// newFlags makes a flag set that reports errors to stderr, not by exiting.
func newFlags(name, synopsis string, stdout, stderr io.Writer) *cmdFlags {
	fs := &cmdFlags{
		FlagSet:  flag.NewFlagSet("wavs "+name, flag.ContinueOnError),
		synopsis: synopsis,
		stdout:   stdout,
		stderr:   stderr,
	}
	fs.SetOutput(stderr)
	fs.FlagSet.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: wavs %s\n", fs.synopsis)
		if fs.about != "" {
			fmt.Fprintf(out, "\n%s\n", strings.TrimRight(fs.about, "\n"))
		}
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(out, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// Usage prints the usage to stderr, after a bad command line.
func (fs *cmdFlags) Usage() {
	fs.SetOutput(fs.stderr)
	fs.FlagSet.Usage()
}

// usageError says what is wrong with the command line, prints the usage
// to stderr and returns errUsage.
func (fs *cmdFlags) usageError(format string, args ...any) error {
	fmt.Fprintf(fs.stderr, format+"\n", args...)
	fs.Usage()
	return errUsage
}

// parse parses flags and rejects stray arguments beyond maxArgs.
func parse(fs *cmdFlags, args []string, maxArgs int) error {
	_, err := parseArgs(fs, args, 0, maxArgs, "")
	return err
}

// parseArgs parses flags, which may come before, between or after the
// arguments ("--" ends the flags), and returns the arguments: at least
// minArgs (missing names the first one missing) and at most maxArgs.
// --help prints the usage to stdout and returns flag.ErrHelp.
func parseArgs(fs *cmdFlags, args []string, minArgs, maxArgs int, missing string) ([]string, error) {
	var out bytes.Buffer
	fs.SetOutput(&out)
	defer fs.SetOutput(fs.stderr)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				_, _ = fs.stdout.Write(out.Bytes())
				return nil, err
			}
			_, _ = fs.stderr.Write(out.Bytes())
			return nil, errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if i := len(args) - len(rest); i > 0 && args[i-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	fs.SetOutput(fs.stderr)
	if len(positional) > maxArgs {
		return nil, fs.usageError("unexpected argument %q", positional[maxArgs])
	}
	if len(positional) < minArgs {
		return nil, fs.usageError("missing argument: %s", missing)
	}
	return positional, nil
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
