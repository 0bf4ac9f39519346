package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	wavsapi "github.com/wavs-go/wavs/api"
)

func p2pCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "p2p", []subcommand{
		{"status", "show the node's P2P transport: its peer id, addresses, peers and topics", func(ctx context.Context, args []string) error {
			return p2pStatusCmd(ctx, args, stdout, stderr)
		}},
	}, args, stdout, stderr)
}

func p2pStatusCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("p2p status", "p2p status [flags]", stdout, stderr)
	fs.about = `Shows the node's P2P transport: whether operators gossip (enabled) or the
node runs alone (single-operator mode), its peer id and addresses, the
connected peers, and each service topic with its number of peers.`
	api := addAPIFlags(fs)
	ctx, cancel, c, err := api.connectBare(ctx, fs, args)
	if err != nil {
		return err
	}
	defer cancel()
	var st wavsapi.P2PStatus
	raw, err := c.get(ctx, "/p2p/status", &st)
	if err != nil {
		return err
	}
	if api.json {
		return printJSON(stdout, raw)
	}
	enabled := "yes"
	if !st.Enabled {
		enabled = "no (single-operator mode)"
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, kv := range [][2]string{
		{"Enabled", enabled},
		{"Local peer id", st.LocalPeerID},
		{"Listen addresses", strings.Join(st.ListenAddresses, ", ")},
		{"External addresses", strings.Join(st.ExternalAddresses, ", ")},
		{"Connected peers", fmt.Sprint(st.ConnectedPeers)},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", kv[0], orDash(kv[1]))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(st.PeerIDs) > 0 {
		fmt.Fprintln(stdout, "\nPeers:")
		for _, p := range st.PeerIDs {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
	}
	fmt.Fprintln(stdout)
	topics := append([]string(nil), st.SubscribedTopics...)
	for t := range st.TopicPeerCounts {
		if !contains(topics, t) {
			topics = append(topics, t)
		}
	}
	if len(topics) == 0 {
		fmt.Fprintln(stdout, "no topics")
		return nil
	}
	sort.Strings(topics)
	tw = tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOPIC\tSUBSCRIBED\tPEERS")
	for _, t := range topics {
		sub := "no"
		if contains(st.SubscribedTopics, t) {
			sub = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\n", t, sub, st.TopicPeerCounts[t])
	}
	return tw.Flush()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
