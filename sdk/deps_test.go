package sdk_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestSDKStaysLight keeps the SDK importable by third-party plugins
// without the host's heavy dependencies: a plugin author who imports sdk
// must not inherit go-ethereum, libp2p, wazero or the host's packages.
func TestSDKStaysLight(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/ethereum/go-ethereum",
		"github.com/libp2p/",
		"github.com/tetratelabs/wazero",
		"github.com/wavs-go/wavs/host",
		"github.com/wavs-go/wavs/plugins",
		"github.com/wavs-go/wavs/internal",
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(pkg, f) {
				t.Errorf("sdk depends on %s", pkg)
			}
		}
	}
}
