// Package modproxy writes one version of a module in a local folder into a
// Go module proxy tree (the GOPROXY protocol served from files:
// GOPROXY=file:///path/to/tree). The node's build uses it to serve its own
// SDK (the module in sdk/) at the version in sdk/VERSION, so that modules
// which require the SDK by version, as a third-party plugin does, build
// before and without a published tag.
//
// The module zip holds what the go command puts in one: the folder's
// regular files, less nested modules, vcs folders and vendored packages,
// within the module zip size limits (golang.org/x/mod/zip decides).
package modproxy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wavs-go/wavs/internal/atomicfile"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	modzip "golang.org/x/mod/zip"
)

// ReadVersion reads a version file: one semantic version such as v0.1.0,
// with optional surrounding space and # comment lines.
func ReadVersion(file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("version file: %w", err)
	}
	var v string
	for line := range strings.SplitSeq(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if v != "" {
			return "", fmt.Errorf("version file %s: more than one version", file)
		}
		v = line
	}
	if v == "" {
		return "", fmt.Errorf("version file %s: no version", file)
	}
	if !semver.IsValid(v) || semver.Canonical(v) != v {
		return "", fmt.Errorf("version file %s: %q is not a canonical semantic version such as v0.1.0", file, v)
	}
	return v, nil
}

// ModulePath reads the module path from dir/go.mod.
func ModulePath(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("module in %s: %w", dir, err)
	}
	p := modfile.ModulePath(b)
	if p == "" {
		return "", fmt.Errorf("module in %s: go.mod has no module line", dir)
	}
	return p, nil
}

// info is a version's .info file.
type info struct {
	Version string
	Time    time.Time
}

// Write adds version of the module in dir to the proxy tree at root
// (created if missing): <module>/@v/<version>.info, .mod and .zip, and the
// version in <module>/@v/list. A version already in the tree is replaced.
// t is the version's time in its .info file.
func Write(root, dir, version string, t time.Time) (module.Version, error) {
	path, err := ModulePath(dir)
	if err != nil {
		return module.Version{}, err
	}
	m := module.Version{Path: path, Version: version}
	if err := module.Check(path, version); err != nil {
		return m, err
	}
	if semver.Canonical(version) != version {
		return m, fmt.Errorf("%s: version %q is not canonical", path, version)
	}
	escPath, err := module.EscapePath(path)
	if err != nil {
		return m, err
	}
	escVersion, err := module.EscapeVersion(version)
	if err != nil {
		return m, err
	}
	vdir := filepath.Join(root, filepath.FromSlash(escPath), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return m, fmt.Errorf("proxy folder: %w", err)
	}
	base := filepath.Join(vdir, escVersion)

	var zbuf bytes.Buffer
	if err := modzip.CreateFromDir(&zbuf, m, dir); err != nil {
		return m, fmt.Errorf("module zip of %s: %w", m, err)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return m, fmt.Errorf("go.mod of %s: %w", m, err)
	}
	ib, err := json.Marshal(info{Version: version, Time: t.UTC().Truncate(time.Second)})
	if err != nil {
		return m, err
	}
	// The zip goes last before the list: a reader that finds the version
	// listed finds all of its files.
	for _, f := range []struct {
		name string
		data []byte
	}{
		{base + ".mod", gomod},
		{base + ".info", ib},
		{base + ".zip", zbuf.Bytes()},
	} {
		if err := atomicfile.Write(f.name, f.data, 0o644); err != nil {
			return m, err
		}
	}
	if err := addToList(filepath.Join(vdir, "list"), version); err != nil {
		return m, err
	}
	return m, nil
}

// addToList adds version to a proxy's list file, sorted by semver.
func addToList(file, version string) error {
	var versions []string
	b, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("version list: %w", err)
	}
	for _, v := range strings.Fields(string(b)) {
		if v != version {
			versions = append(versions, v)
		}
	}
	versions = append(versions, version)
	slices.SortFunc(versions, semver.Compare)
	return atomicfile.Write(file, []byte(strings.Join(versions, "\n")+"\n"), 0o644)
}
