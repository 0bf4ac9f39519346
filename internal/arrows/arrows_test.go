package arrows

import (
	"bufio"
	"bytes"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is the root module's path.
const module = "github.com/wavs-go/wavs"

// allowed is, for each part of the module (its first path element), the
// parts its packages (code and tests) may import. The arrows: the host
// never imports plugins or examples; plugins, examples, contracts and
// internal never import the host; the SDK (its own module, with its own
// test of what it imports) is importable by all; the HTTP API's bodies
// and client (api) import nothing of the module and serve the node, the
// CLI and the examples. e2e, which drives the built binaries, may import
// anything.
var allowed = map[string][]string{
	"api":       {"api"},
	"cmd":       {"cmd", "api", "host", "internal", "sdk"},
	"host":      {"host", "api", "internal", "sdk"},
	"internal":  {"internal", "sdk", "contracts"},
	"plugins":   {"plugins", "internal", "sdk", "contracts"},
	"examples":  {"examples", "api", "internal", "sdk", "contracts"},
	"contracts": {"contracts", "internal", "sdk"},
	"e2e":       {"*"},
}

// part is the first element of a package path inside the module; "" for
// a package outside it.
func part(pkg string) string {
	rest, ok := strings.CutPrefix(pkg, module+"/")
	if !ok {
		return ""
	}
	first, _, _ := strings.Cut(rest, "/")
	return first
}

func TestImportArrows(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		from := fields[0]
		fromPart := part(from)
		may, ok := allowed[fromPart]
		if !ok {
			t.Errorf("%s: the part %q has no arrows: add it to allowed", from, fromPart)
			continue
		}
		seen[fromPart] = true
		for _, imp := range fields[1:] {
			to := part(imp)
			if to == "" || to == fromPart || slices.Contains(may, "*") || slices.Contains(may, to) {
				continue
			}
			t.Errorf("%s imports %s: %s may import only %v of the module", from, imp, fromPart, may)
		}
	}
	for p := range allowed {
		if !seen[p] {
			t.Errorf("no package of the part %q was listed: is the arrow list stale?", p)
		}
	}
}

// TestPartOf checks the path split the arrows rely on.
func TestPartOf(t *testing.T) {
	for pkg, want := range map[string]string{
		module + "/host/aggregator":           "host",
		module + "/plugins/submit-evm/submit": "plugins",
		module + "/e2e":                       "e2e",
		module + "/sdk":                       "sdk",
		"github.com/wavs-go/wavsx/host":       "",
		"fmt":                                 "",
	} {
		if got := part(pkg); got != want {
			t.Errorf("part(%q) = %q, want %q", pkg, got, want)
		}
	}
}
