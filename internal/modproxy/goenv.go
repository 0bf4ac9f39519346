package modproxy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Environ returns os.Environ() with the settings under which go commands,
// run in a module outside this tree, take the modules named in served
// from the proxy tree at root (written with Write), as docs/plugins.md
// tells a plugin author to after `make sdk-proxy`: GOWORK=off, GOPROXY
// with the tree first, GONOSUMDB naming the served modules (they are in
// no checksum database). goflags are added to GOFLAGS.
//
// Every other module comes from this machine's module cache, read as a
// proxy and never written, or else from the caller's GOPROXY, checked
// against go.sum and the checksum database as usual.
//
// modCache is the commands' own module cache, which the caller makes
// empty: the shared one may hold an earlier copy of a served version,
// which the go command would take as it is (a version never changes), so
// the commands would build stale code; and a locally served version must
// not end up in it, where it would outlive the tree and clash with the
// published one. GOFLAGS gets -modcacherw, so that the folder can be
// removed, and -trimpath, so that packages compiled from the module cache
// are cached by module version rather than by folder: a fresh module
// cache then still finds them in the (shared) build cache. GOTOOLCHAIN is
// local: the commands use the go command that runs them.
func Environ(root, modCache string, served []string, goflags ...string) ([]string, error) {
	out, err := exec.Command("go", "env", "GOPROXY", "GOMODCACHE", "GOFLAGS").Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	vals := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(vals) != 3 {
		return nil, fmt.Errorf("go env GOPROXY GOMODCACHE GOFLAGS: %q", out)
	}
	upstream, sharedCache, flags := vals[0], vals[1], vals[2]
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	proxies := []string{"file://" + filepath.ToSlash(absRoot)}
	if sharedCache != "" {
		proxies = append(proxies, "file://"+filepath.ToSlash(filepath.Join(sharedCache, "cache", "download")))
	}
	if upstream != "" {
		proxies = append(proxies, upstream)
	}
	allFlags := strings.Fields(flags)
	allFlags = append(allFlags, "-modcacherw", "-trimpath")
	allFlags = append(allFlags, goflags...)
	return append(os.Environ(),
		"GOWORK=off",
		"GOFLAGS="+strings.Join(allFlags, " "),
		"GOPROXY="+strings.Join(proxies, ","),
		"GONOSUMDB="+strings.Join(served, ","),
		"GOPRIVATE=",
		"GONOPROXY=",
		"GOMODCACHE="+modCache,
		"GOTOOLCHAIN=local",
	), nil
}
