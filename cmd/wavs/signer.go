package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	wavsapi "github.com/wavs-go/wavs/api"
)

// signerInfo is what `wavs signer --json` prints.
type signerInfo struct {
	OperatorAddress string          `json:"operator_address"`
	Services        []serviceSigner `json:"services"`
}

type serviceSigner struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	SigningAddress string `json:"signing_address"`
	SigningIndex   uint32 `json:"signing_index"`
}

func signerCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("signer", "signer [flags]", stdout, stderr)
	fs.about = `Shows the operator's address (the node's signing key, HD index 0 of
WAVS_SIGNING_MNEMONIC, or WAVS_SIGNING_KEY) and the address each service
signs its results with: the address to register with the service manager.`
	api := addAPIFlags(fs)
	ctx, cancel, c, err := api.connectBare(ctx, fs, args)
	if err != nil {
		return err
	}
	defer cancel()
	var info struct {
		OperatorAddress string `json:"operator_address"`
	}
	if _, err := c.get(ctx, "/info", &info); err != nil {
		return err
	}
	var list struct {
		Services []wavsapi.Service `json:"services"`
	}
	if _, err := c.get(ctx, "/services", &list); err != nil {
		return err
	}
	out := signerInfo{OperatorAddress: info.OperatorAddress, Services: []serviceSigner{}}
	for _, s := range list.Services {
		out.Services = append(out.Services, serviceSigner{ID: s.ID, Name: s.Name, SigningAddress: s.SigningAddress, SigningIndex: s.SigningIndex})
	}
	if api.json {
		return encodeJSON(stdout, out)
	}
	if out.OperatorAddress == "" {
		fmt.Fprintln(stdout, "Operator address: none (the node has no signing key: set WAVS_SIGNING_MNEMONIC or WAVS_SIGNING_KEY)")
	} else {
		fmt.Fprintf(stdout, "Operator address: %s\n", out.OperatorAddress)
	}
	fmt.Fprintln(stdout)
	if len(out.Services) == 0 {
		fmt.Fprintln(stdout, "no services")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE ID\tNAME\tSIGNING ADDRESS\tHD INDEX")
	for _, s := range out.Services {
		index := "-"
		if s.SigningAddress != "" {
			index = fmt.Sprint(s.SigningIndex)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, orDash(s.Name), orDash(s.SigningAddress), index)
	}
	return tw.Flush()
}
