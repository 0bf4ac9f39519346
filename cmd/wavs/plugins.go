package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/sdk"
)

func pluginsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("plugins", "plugins [--json] [DIR]", stdout, stderr)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	pos, err := parseArgs(fs, args, 0, 1, "")
	if err != nil {
		return err
	}
	dir := defaultPluginsDir()
	if len(pos) == 1 {
		dir = pos[0]
	}
	found, problems, err := plugins.Discover(ctx, dir)
	if err != nil {
		return err
	}
	overlaps := plugins.Overlaps(found)
	if *asJSON {
		type row struct {
			Name         string            `json:"name"`
			Kind         string            `json:"kind"`
			Version      string            `json:"version"`
			Protocol     int               `json:"protocol_version"`
			Capabilities []string          `json:"capabilities"`
			TriggerKinds []sdk.TriggerKind `json:"trigger_kinds,omitempty"`
			Description  string            `json:"description,omitempty"`
			Path         string            `json:"path"`
			SHA256       string            `json:"sha256"`
		}
		type listing struct {
			Plugins  []row             `json:"plugins"`
			Overlaps []plugins.Overlap `json:"overlaps"`
		}
		out := listing{Plugins: []row{}, Overlaps: overlaps}
		if out.Overlaps == nil {
			out.Overlaps = []plugins.Overlap{}
		}
		for _, f := range found {
			caps := f.Info.Capabilities
			if caps == nil {
				caps = []string{}
			}
			out.Plugins = append(out.Plugins, row{f.Name, string(f.Info.Kind), f.Info.Version, f.Info.ProtocolVersion, caps, f.Info.TriggerKinds, f.Info.Description, f.Path, f.SHA256Hex()})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tKIND\tVERSION\tCAPABILITIES\tSHA256")
		for _, f := range found {
			caps := append([]string{}, f.Info.Capabilities...)
			for _, k := range f.Info.TriggerKinds {
				if !slices.Contains(caps, "trigger:"+k.Name) {
					caps = append(caps, "trigger:"+k.Name)
				}
			}
			list := strings.Join(caps, ",")
			if list == "" {
				list = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Name, f.Info.Kind, f.Info.Version, list, f.SHA256Hex())
		}
		tw.Flush()
		for _, o := range overlaps {
			fmt.Fprintf(stdout, "overlap: %s\n", o)
		}
	}
	for _, p := range problems {
		fmt.Fprintf(stderr, "problem: %s\n", oneLine(p.Error()))
	}
	if len(problems) > 0 {
		return errors.New("some plugin files could not be loaded (see above)")
	}
	return nil
}
