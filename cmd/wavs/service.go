package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	wavsapi "github.com/wavs-go/wavs/api"
)

// subcommand is one command of a group ("service add").
type subcommand struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
}

// runGroup runs the subcommand args[0] of group.
func runGroup(ctx context.Context, group string, subs []subcommand, args []string, stdout, stderr io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage:\n  wavs %s <command> [flags]\n\nCommands:\n", group)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, s := range subs {
		fmt.Fprintf(tw, "  %s\t%s\n", s.name, s.summary)
	}
	tw.Flush()
	fmt.Fprintf(&b, "\nRun \"wavs %s <command> --help\" for a command's flags.\n", group)
	usage := b.String()

	if len(args) == 0 {
		fmt.Fprintf(stderr, "wavs %s: missing command\n\n%s", group, usage)
		return errUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return flag.ErrHelp
	}
	for _, s := range subs {
		if s.name != name {
			continue
		}
		err := s.run(ctx, args[1:])
		if err == nil || errors.Is(err, flag.ErrHelp) || errors.Is(err, errUsage) {
			return err
		}
		return &subcommandError{name: group + " " + name, err: err}
	}
	if strings.HasPrefix(name, "-") {
		fmt.Fprintf(stderr, "wavs %s: %q comes after the command: wavs %s <command> [flags]\n\n%s", group, name, group, usage)
		return errUsage
	}
	fmt.Fprintf(stderr, "wavs %s: unknown command %q\n\n%s", group, name, usage)
	return errUsage
}

func serviceCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runGroup(ctx, "service", []subcommand{
		{"add", "register a service from its JSON, or by its manager's address", func(ctx context.Context, args []string) error {
			return serviceAddCmd(ctx, args, stdin, stdout, stderr)
		}},
		{"list", "list the node's services", func(ctx context.Context, args []string) error {
			return serviceListCmd(ctx, args, stdout, stderr)
		}},
		{"status", "show a service and its latest results", func(ctx context.Context, args []string) error {
			return serviceStatusCmd(ctx, args, stdout, stderr)
		}},
		{"remove", "remove a service", func(ctx context.Context, args []string) error {
			return serviceRemoveCmd(ctx, args, stdout, stderr)
		}},
		{"reset", "run a failed service's triggers again", func(ctx context.Context, args []string) error {
			return serviceResetCmd(ctx, args, stdout, stderr)
		}},
	}, args, stdout, stderr)
}

func serviceAddCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("service add", "service add [flags] FILE.json|-\n       wavs service add [flags] --manager ADDRESS --chain CHAIN", stdout, stderr)
	fs.about = `Registers a service on the node: from its service JSON (a file, or - for
stdin; its components must be on the node already, POST /components), or
by its service manager's address on a chain, whose getServiceURI() leads
the node to the service JSON.`
	manager := fs.String("manager", "", "address of the service manager contract (0x…); needs --chain")
	chain := fs.String("chain", "", "chain of the service manager, e.g. evm:31337")
	api := addAPIFlags(fs)
	pos, err := parseArgs(fs, args, 0, 1, "")
	if err != nil {
		return err
	}
	var body []byte
	switch {
	case *manager != "" || *chain != "":
		if len(pos) > 0 {
			return fs.usageError("give either FILE.json or --manager and --chain, not both")
		}
		if *manager == "" || *chain == "" {
			return fs.usageError("--manager and --chain go together")
		}
		body, err = json.Marshal(map[string]string{"chain": *chain, "address": *manager})
		if err != nil {
			return err
		}
	case len(pos) == 0:
		return fs.usageError("missing argument: FILE.json (or - for stdin), or --manager and --chain")
	default:
		if body, err = readServiceJSON(pos[0], stdin); err != nil {
			return err
		}
	}
	ctx, cancel, c, err := api.connect(ctx, fs)
	if err != nil {
		return err
	}
	defer cancel()
	raw, err := c.call(ctx, http.MethodPost, "/services", body)
	if err != nil {
		return err
	}
	if api.json {
		return printJSON(stdout, raw)
	}
	var info wavsapi.Service
	if err := json.Unmarshal(raw, &info); err != nil {
		return fmt.Errorf("the answer of POST /services: %w", err)
	}
	fmt.Fprintf(stdout, "registered service %s\n\n", orDash(info.Name))
	return printServiceInfo(stdout, info)
}

// readServiceJSON reads the service JSON from a file or, for "-", stdin.
func readServiceJSON(name string, stdin io.Reader) ([]byte, error) {
	var data []byte
	var err error
	if name == "-" {
		name = "stdin"
		if stdin == nil {
			return nil, errors.New("reading stdin: no stdin")
		}
		data, err = io.ReadAll(io.LimitReader(stdin, wavsapi.MaxAnswer)) // the node takes 1 MiB; it says so
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the service JSON: %w", err)
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, fmt.Errorf("%s is empty: want a service JSON", name)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%s is not JSON: %w", name, err)
	}
	return data, nil
}

func serviceListCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("service list", "service list [flags]", stdout, stderr)
	fs.about = "Lists the node's services: id, name, status, signing address and workflows."
	api := addAPIFlags(fs)
	ctx, cancel, c, err := api.connectBare(ctx, fs, args)
	if err != nil {
		return err
	}
	defer cancel()
	var list struct {
		Services []wavsapi.Service `json:"services"`
	}
	raw, err := c.get(ctx, "/services", &list)
	if err != nil {
		return err
	}
	if api.json {
		return printJSON(stdout, raw)
	}
	if len(list.Services) == 0 {
		fmt.Fprintln(stdout, "no services")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tSIGNING ADDRESS\tWORKFLOWS")
	for _, s := range list.Services {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, orDash(s.Name), orDash(s.Status), orDash(s.SigningAddress), orDash(strings.Join(s.Workflows, ",")))
	}
	return tw.Flush()
}

func serviceStatusCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("service status", "service status [flags] SERVICE-ID", stdout, stderr)
	fs.about = `Shows a service (status, last error, signing address, workflows) and its
latest results, newest first: status, signers, when the quorum was met and
the transaction this node landed.`
	limit := fs.Int("limit", 10, "how many of the latest results to show (1..1000)")
	api := addAPIFlags(fs)
	id, err := oneArg(fs, args, "SERVICE-ID")
	if err != nil {
		return err
	}
	if *limit < 1 || *limit > 1000 {
		return fs.usageError("--limit %d: want a number 1..1000", *limit)
	}
	ctx, cancel, c, err := api.connect(ctx, fs)
	if err != nil {
		return err
	}
	defer cancel()
	path := "/services/" + url.PathEscape(id)
	var info wavsapi.Service
	rawInfo, err := c.get(ctx, path, &info)
	if err != nil {
		return err
	}
	var res struct {
		Results json.RawMessage `json:"results"`
	}
	if _, err := c.get(ctx, fmt.Sprintf("%s/results?limit=%d", path, *limit), &res); err != nil {
		return err
	}
	if api.json {
		if res.Results == nil {
			res.Results = json.RawMessage("[]")
		}
		return encodeJSON(stdout, struct {
			Service json.RawMessage `json:"service"`
			Results json.RawMessage `json:"results"`
		}{rawInfo, res.Results})
	}
	var results []wavsapi.Result
	if res.Results != nil {
		if err := json.Unmarshal(res.Results, &results); err != nil {
			return fmt.Errorf("the answer of GET %s/results: %w", path, err)
		}
	}
	if err := printServiceInfo(stdout, info); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if len(results) == 0 {
		fmt.Fprintln(stdout, "no results yet")
		return nil
	}
	fmt.Fprintf(stdout, "Latest results (%d, newest first):\n", len(results))
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CREATED\tWORKFLOW\tEVENT ID\tSTATUS\tSIGNERS\tQUORUM AT\tTX HASH")
	for _, r := range results {
		status := orDash(r.Status)
		if r.Error != "" {
			status += " (" + oneLine(r.Error) + ")"
		}
		quorum := "-"
		if r.QuorumAt != nil {
			quorum = formatTime(*r.QuorumAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", formatTime(r.CreatedAt), orDash(r.WorkflowID), orDash(r.EventID),
			status, orDash(strings.Join(r.Signers, ",")), quorum, orDash(r.TxHash))
	}
	return tw.Flush()
}

func serviceRemoveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("service remove", "service remove [flags] SERVICE-ID", stdout, stderr)
	fs.about = "Removes a service from the node: it stops running and its topic is left."
	return deleteOne(ctx, fs, args, "SERVICE-ID", "/services/", "removed service %s\n")
}

// deleteOne runs a command that deletes one thing named by its only
// argument: DELETE prefix+ARG, then done (with the argument) or the
// node's JSON.
func deleteOne(ctx context.Context, fs *cmdFlags, args []string, argName, prefix, done string) error {
	api := addAPIFlags(fs)
	id, err := oneArg(fs, args, argName)
	if err != nil {
		return err
	}
	ctx, cancel, c, err := api.connect(ctx, fs)
	if err != nil {
		return err
	}
	defer cancel()
	raw, err := c.call(ctx, http.MethodDelete, prefix+url.PathEscape(id), nil)
	if err != nil {
		return err
	}
	if api.json {
		return printJSON(fs.stdout, raw)
	}
	fmt.Fprintf(fs.stdout, done, id)
	return nil
}

func serviceResetCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("service reset", "service reset [flags] SERVICE-ID", stdout, stderr)
	fs.about = "Clears a service the node marked failed (its component faulted again and again), so that its triggers run again."
	api := addAPIFlags(fs)
	id, err := oneArg(fs, args, "SERVICE-ID")
	if err != nil {
		return err
	}
	ctx, cancel, c, err := api.connect(ctx, fs)
	if err != nil {
		return err
	}
	defer cancel()
	raw, err := c.call(ctx, http.MethodPost, "/services/"+url.PathEscape(id)+"/reset", nil)
	if err != nil {
		return err
	}
	if api.json {
		return printJSON(fs.stdout, raw)
	}
	var info wavsapi.Service
	if err := json.Unmarshal(raw, &info); err != nil {
		return fmt.Errorf("the node's answer: %w", err)
	}
	fmt.Fprintf(fs.stdout, "service %s is %s again\n", id, info.Status)
	return nil
}

// oneArg parses a command line of flags and one non-empty argument.
func oneArg(fs *cmdFlags, args []string, argName string) (string, error) {
	pos, err := parseArgs(fs, args, 1, 1, argName)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(pos[0]) == "" {
		return "", fs.usageError("missing argument: " + argName)
	}
	return pos[0], nil
}

// printServiceInfo writes a service's description, one field a line.
func printServiceInfo(w io.Writer, s wavsapi.Service) error {
	signing := "-"
	if s.SigningAddress != "" {
		signing = fmt.Sprintf("%s (HD index %d)", s.SigningAddress, s.SigningIndex)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, kv := range [][2]string{
		{"ID", s.ID},
		{"Name", s.Name},
		{"Status", s.Status},
		{"Last error", oneLine(s.LastError)},
		{"Signing address", signing},
		{"Topic", s.Topic},
		{"Workflows", strings.Join(s.Workflows, ", ")},
		{"Registered", formatTime(s.RegisteredAt)},
		{"Updated", formatTime(s.UpdatedAt)},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", kv[0], orDash(kv[1]))
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
