package component_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestComponentSDKStaysSmall: what a component imports is compiled into
// every component and initialised on every execution, so the package keeps
// to the standard library, and not its heavy parts.
func TestComponentSDKStaysSmall(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		std := !strings.Contains(strings.SplitN(pkg, "/", 2)[0], ".") // vendor/golang.org/x/... is std too
		if !std && !strings.HasPrefix(pkg, "github.com/wavs-go/wavs/sdk/component") {
			t.Errorf("sdk/component depends on %s, outside the standard library", pkg)
		}
		if pkg == "net/http" || pkg == "net" || pkg == "crypto/tls" {
			t.Errorf("sdk/component depends on %s", pkg)
		}
	}
}
