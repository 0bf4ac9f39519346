package component

import (
	"os"
	"testing"
)

func TestParseProbeQuick(t *testing.T) {
	b, err := os.ReadFile("/tmp/cm-bin-npm/goprobe.wasm")
	if err != nil {
		t.Skip(err)
	}
	c, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("modules %d core instances %d core funcs %d funcs %d types %d instances %d imports %d exports %d", len(c.Modules), len(c.CoreInstances), len(c.CoreFuncs), len(c.Funcs), len(c.Types), len(c.Instances), len(c.Imports), len(c.Exports))
	for _, e := range c.Exports {
		t.Logf("export %s %s %d: %s", e.Name, e.Sort, e.Index, c.Funcs[e.Index].Type)
	}
}
