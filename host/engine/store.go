package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The content-addressed component store: <ComponentsDir>/<sha256 hex>.wasm.

func digestOf(wasm []byte) string {
	sum := sha256.Sum256(wasm)
	return hex.EncodeToString(sum[:])
}

// componentPath is where the component digest lives; "" without a store.
func (e *Engine) componentPath(digest string) string {
	if e.opts.ComponentsDir == "" || !validDigest(digest) {
		return ""
	}
	return filepath.Join(e.opts.ComponentsDir, digest+".wasm")
}

// storeComponent writes wasm to the store atomically (a temporary file
// renamed into place), unless an intact copy is already there.
func (e *Engine) storeComponent(digest string, wasm []byte) error {
	path := e.componentPath(digest)
	if path == "" {
		return nil
	}
	if old, err := os.ReadFile(path); err == nil && digestOf(old) == digest {
		return nil
	}
	tmp, err := os.CreateTemp(e.opts.ComponentsDir, ".tmp-"+digest[:16]+"-*")
	if err != nil {
		return fmt.Errorf("engine: store component: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(wasm); err != nil {
		tmp.Close()
		return fmt.Errorf("engine: store component: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("engine: store component: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("engine: store component: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("engine: store component: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("engine: store component: %w", err)
	}
	return nil
}

// readComponent reads a stored component and checks it still has its
// digest.
func (e *Engine) readComponent(digest string) ([]byte, error) {
	path := e.componentPath(digest)
	if path == "" {
		return nil, execErr(CauseNotFound, "no component %s (the engine keeps components in memory only)", digest)
	}
	wasm, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, execErr(CauseNotFound, "no component %s in %s", digest, e.opts.ComponentsDir)
	}
	if err != nil {
		return nil, fmt.Errorf("engine: read component %s: %w", digest, err)
	}
	if got := digestOf(wasm); got != digest {
		return nil, execErr(CauseInvalid, "stored component %s is corrupt: its content has digest %s", path, got)
	}
	return wasm, nil
}

// storedComponent reports whether the store holds a file for digest.
func (e *Engine) storedComponent(digest string) bool {
	path := e.componentPath(digest)
	if path == "" {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// deleteComponent removes a stored component; false when none was stored.
func (e *Engine) deleteComponent(digest string) (bool, error) {
	path := e.componentPath(digest)
	if path == "" {
		return false, nil
	}
	err := os.Remove(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("engine: delete component %s: %w", digest, err)
	}
	return true, nil
}
