package anviltest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// EnvAnvil names an anvil executable to use instead of the npm-installed one.
const EnvAnvil = "WAVS_ANVIL"

// ErrNotInstalled is wrapped by FindAnvil's error when no anvil is found.
var ErrNotInstalled = errors.New("anvil is not installed: `make anvil` installs it into tools/node_modules")

// FindAnvil returns the anvil executable: $WAVS_ANVIL if set, else the one
// npm installed under tools/node_modules of this repository, found from
// this source file's location or by walking up from the working directory.
//
// It prefers the platform package's native binary over the node wrapper in
// node_modules/.bin, so that the process a test signals is anvil itself.
func FindAnvil() (string, error) {
	if p := os.Getenv(EnvAnvil); p != "" {
		if err := isExecutable(p); err != nil {
			return "", fmt.Errorf("anviltest: %s=%s: %w", EnvAnvil, p, err)
		}
		return p, nil
	}
	var roots []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		// <root>/contracts/anviltest/find.go (not with -trimpath).
		roots = append(roots, filepath.Join(filepath.Dir(file), "..", ".."))
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			roots = append(roots, dir)
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	for _, root := range roots {
		for _, rel := range candidates() {
			p := filepath.Join(root, "tools", "node_modules", rel)
			if isExecutable(p) == nil {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("anviltest: %w (or set %s)", ErrNotInstalled, EnvAnvil)
}

// candidates are the paths under node_modules where npm puts anvil, best
// first: the native binary of this platform's package, then the wrapper.
func candidates() []string {
	goos, exe := runtime.GOOS, "anvil"
	if goos == "windows" {
		goos, exe = "win32", "anvil.exe"
	}
	return []string{
		filepath.Join("@foundry-rs", "anvil-"+goos+"-"+runtime.GOARCH, "bin", exe),
		filepath.Join(".bin", "anvil"),
	}
}

func isExecutable(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() || (runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0) {
		return fmt.Errorf("%s is not an executable file", p)
	}
	return nil
}
