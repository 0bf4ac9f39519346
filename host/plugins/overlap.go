package plugins

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wavs-go/wavs/sdk"
)

// Overlap is a trigger kind or chain family that more than one plugin
// serves. Without a choice in the workflow ("plugins": {"trigger": …} or
// {"submit": …}) the node routes it to Chosen, the first in name order.
type Overlap struct {
	// Capability is "trigger:<kind>" or "chain:<family>".
	Capability string
	// Plugins serve it, in name order; Chosen is Plugins[0].
	Plugins []string
	Chosen  string
}

func (o Overlap) String() string {
	what, field := "trigger kind "+strings.TrimPrefix(o.Capability, "trigger:"), "trigger"
	if strings.HasPrefix(o.Capability, "chain:") {
		what, field = "chain family "+strings.TrimPrefix(o.Capability, "chain:"), "submit"
	}
	return fmt.Sprintf("%s is served by %s: %s serves it unless a workflow names another (\"plugins\": {%q: \"<name>\"})",
		what, strings.Join(o.Plugins, ", "), o.Chosen, field)
}

// Overlaps lists the trigger kinds and chain families that more than one
// of found serves (each trigger or submit plugin's capabilities, and the
// trigger kinds it declares), sorted by capability. found is in name
// order, as Discover returns it.
func Overlaps(found []Found) []Overlap {
	byCap := map[string][]string{}
	for _, f := range found {
		var prefix string
		switch f.Info.Kind {
		case sdk.KindTrigger:
			prefix = "trigger:"
		case sdk.KindSubmit:
			prefix = "chain:"
		default:
			continue
		}
		seen := map[string]bool{}
		caps := append([]string{}, f.Info.Capabilities...)
		for _, k := range f.Info.TriggerKinds {
			caps = append(caps, "trigger:"+k.Name)
		}
		for _, c := range caps {
			if strings.HasPrefix(c, prefix) && !seen[c] {
				seen[c] = true
				byCap[c] = append(byCap[c], f.Name)
			}
		}
	}
	var out []Overlap
	for c, names := range byCap {
		if len(names) > 1 {
			sort.Strings(names)
			out = append(out, Overlap{Capability: c, Plugins: names, Chosen: names[0]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Capability < out[j].Capability })
	return out
}
