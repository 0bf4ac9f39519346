// Command modproxy writes the SDK module (or any module folder) at one
// version into a Go module proxy tree, for GOPROXY=file://<tree>:
//
//	go run ./internal/cmd/modproxy -dir sdk -out bin/goproxy
//
// The version is -version, or else the one in <dir>/VERSION (sdk/VERSION
// holds the version the node, the examples and third parties require;
// its tag is sdk/<version>). `make sdk-proxy` runs it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/wavs-go/wavs/internal/modproxy"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", "sdk", "the module's folder (with its go.mod)")
	out := flag.String("out", "bin/goproxy", "the proxy tree to write into")
	version := flag.String("version", "", "the version to serve (default: the one in <dir>/VERSION)")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	v := *version
	if v == "" {
		var err error
		if v, err = modproxy.ReadVersion(filepath.Join(*dir, "VERSION")); err != nil {
			return err
		}
	}
	m, err := modproxy.Write(*out, *dir, v, versionTime(*dir))
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	fmt.Printf("%s served by GOPROXY=file://%s\n", m, abs)
	return nil
}

// versionTime is the time of the last commit that touched dir, as a tag
// there would have; the current time outside a git checkout.
func versionTime(dir string) time.Time {
	cmd := exec.Command("git", "log", "-1", "--format=%cI", "--", ".")
	cmd.Dir = dir
	b, err := cmd.Output()
	if err != nil {
		return time.Now()
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(b)))
	if err != nil {
		return time.Now()
	}
	return t
}
