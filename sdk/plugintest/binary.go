package plugintest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// BinaryPrefix starts the file name of every plugin executable: the node
// finds a plugin called N in its plugins folder as BinaryPrefix+N.
const BinaryPrefix = "wavs-plugin-"

// describeTimeout bounds a `describe` run, as the host's discovery does.
const describeTimeout = 10 * time.Second

// CheckBinary checks a built plugin executable the way the node's plugin
// discovery reads it: `<path> describe`, run with only PATH and HOME in
// its environment, must exit 0 within 10s and print its Info as JSON;
// that Info must be valid (sdk.Info.Validate) and the file must be named
// BinaryPrefix+Info.Name ("wavs-plugin-<name>", ".exe" aside). When impl
// is not nil, the printed Info must also equal impl.Info() (with the
// SDK's protocol version), as the host requires of a plugin whose gRPC
// answer and description differ.
//
// Build the binary in the test, e.g. with
//
//	exe := filepath.Join(t.TempDir(), "wavs-plugin-mytrigger")
//	out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput()
//
// or set the Binary field of the suite's options to have the suite call
// CheckBinary with a fresh plugin.
func CheckBinary(t testing.TB, path string, impl sdk.Plugin) {
	t.Helper()
	file := strings.TrimSuffix(filepath.Base(path), ".exe")
	named, hasPrefix := strings.CutPrefix(file, BinaryPrefix)
	if !hasPrefix || named == "" {
		t.Errorf("plugin binary %s: the file name must be %s<name>; the node ignores other files", path, BinaryPrefix)
	}

	ctx, cancel := context.WithTimeout(context.Background(), describeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, sdk.DescribeCommand)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			t.Fatalf("plugin binary %s: `%s` did not finish within %v", path, sdk.DescribeCommand, describeTimeout)
		}
		t.Fatalf("plugin binary %s: `%s` failed: %v: %s", path, sdk.DescribeCommand, err, strings.TrimSpace(stderr.String()))
	}
	var info sdk.Info
	if err := json.NewDecoder(&stdout).Decode(&info); err != nil {
		t.Fatalf("plugin binary %s: `%s` did not print its Info as JSON: %v", path, sdk.DescribeCommand, err)
	}
	if err := info.Validate(); err != nil {
		t.Errorf("plugin binary %s: `%s`: %v", path, sdk.DescribeCommand, err)
	}
	if hasPrefix && named != info.Name {
		t.Errorf("plugin binary %s describes itself as %q: name the file %s%s", path, info.Name, BinaryPrefix, info.Name)
	}
	if impl != nil {
		if err := sameInfo(info, impl.Info()); err != nil {
			t.Errorf("plugin binary %s: `%s` prints another Info than the plugin answers: %v", path, sdk.DescribeCommand, err)
		}
	}
}
