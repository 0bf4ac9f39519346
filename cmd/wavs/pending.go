package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	wavsapi "github.com/wavs-go/wavs/api"
)

func pendingCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "pending", []subcommand{
		{"list", "list the results whose landing on chain is not proven yet, and what each waits for", func(ctx context.Context, args []string) error {
			return pendingListCmd(ctx, args, stdout, stderr)
		}},
		{"drop", "give up a pending result: this node never submits it", func(ctx context.Context, args []string) error {
			return pendingDropCmd(ctx, args, stdout, stderr)
		}},
	}, args, stdout, stderr)
}

func pendingListCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("pending list", "pending list [flags]", stdout, stderr)
	fs.about = `Lists the oldest results whose landing on chain is not proven yet (at most
50; the total is counted): since when, the weight signed so far against what
the service manager shows of its thresholds, what its validate said last,
and what the result waits for. A result stays pending until a transaction
that landed it is found on chain or it is dropped (wavs pending drop).`
	api := addAPIFlags(fs)
	ctx, cancel, c, err := api.connectBare(ctx, fs, args)
	if err != nil {
		return err
	}
	defer cancel()
	var st wavsapi.AggregatorStatus
	raw, err := c.get(ctx, "/aggregator", &st)
	if err != nil {
		return err
	}
	if api.json {
		return printJSON(stdout, raw)
	}
	if st.Pending == 0 {
		fmt.Fprintln(stdout, "nothing pending: every result's landing is proven")
		return nil
	}
	fmt.Fprintf(stdout, "%d pending", st.Pending)
	if len(st.PendingEvents) < st.Pending {
		fmt.Fprintf(stdout, " (the oldest %d shown)", len(st.PendingEvents))
	}
	fmt.Fprintln(stdout)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SINCE\tEVENT ID\tWORKFLOW\tSIGNERS\tSIGNED\tNEEDS\tWAITING FOR")
	for _, p := range st.PendingEvents {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", formatTime(p.Since), p.EventID, orDash(p.WorkflowID),
			len(p.Signers), signedOf(p), orDash(needs(p)), orDash(oneLine(waitingFor(p))))
	}
	return tw.Flush()
}

// signedOf is "200 of 300", or the signed weight alone when the manager
// shows no total.
func signedOf(p wavsapi.PendingEvent) string {
	switch {
	case p.SignedWeight == "":
		return "-"
	case p.TotalWeight == "":
		return p.SignedWeight
	}
	return p.SignedWeight + " of " + p.TotalWeight
}

// needs is what the manager shows of its thresholds ("" when nothing).
func needs(p wavsapi.PendingEvent) string {
	var parts []string
	if p.Threshold != "" {
		parts = append(parts, p.Threshold)
	}
	if p.ThresholdWeight != "" && p.ThresholdWeight != "0" {
		parts = append(parts, "≥ "+p.ThresholdWeight)
	}
	return strings.Join(parts, ", ")
}

// waitingFor prefers validate's verdict when it said no.
func waitingFor(p wavsapi.PendingEvent) string {
	if strings.HasPrefix(p.Verdict, "validate: ") {
		return p.Verdict
	}
	return p.Waiting
}

func pendingDropCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("pending drop", "pending drop [flags] EVENT-ID", stdout, stderr)
	fs.about = `Gives up a pending result: this node stops working on it and never submits
it; its record says "dropped". Other operators that hold this node's
signature may still land it. Needs the bearer token.`
	return deleteOne(ctx, fs, args, "EVENT-ID", "/aggregator/pending/", "dropped %s\n")
}
