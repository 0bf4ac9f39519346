// Package apitoken is the node's API bearer token file in its data
// folder: the node creates it on its first start (when no token is
// configured), and clients on the same machine read it.
package apitoken

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// File is the file in the data folder holding the API's bearer token when
// none is configured.
const File = "api-token"

// Path is the token file of the data folder data.
func Path(data string) string { return filepath.Join(data, File) }

// wantToken says what a token may be.
const wantToken = "want a token without whitespace or control characters"

// Read reads the token file of data folder data. It fails when the
// file is missing (wrapping fs.ErrNotExist), readable by other users, or
// not a token; no error shows the file's content.
func Read(data string) (string, error) {
	path := Path(data)
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("api token: %w", err)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("api token: %s is not a regular file", path)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("api token: %s has mode %04o, readable by other users; want 0600 (chmod 600 %s)", path, perm, path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("api token: %w", err)
	}
	tok := strings.TrimSpace(string(raw))
	if tok == "" || len(tok) > 4096 || strings.ContainsFunc(tok, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return "", fmt.Errorf("api token: %s does not hold a token (%s); delete it and the node makes a new one", path, wantToken)
	}
	return tok, nil
}

// Ensure returns the token of data folder data, creating the file
// (mode 0600, 32 random bytes as hex) when it does not exist; created says
// whether it did.
func Ensure(data string) (token string, created bool, err error) {
	tok, err := Read(data)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return tok, false, err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", false, fmt.Errorf("api token: %w", err)
	}
	tok = hex.EncodeToString(b[:])
	path := Path(data)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another process made it first: use its token.
		tok, err := Read(data)
		return tok, false, err
	}
	if err != nil {
		return "", false, fmt.Errorf("api token: %w", err)
	}
	if _, err := f.WriteString(tok + "\n"); err != nil {
		f.Close()
		os.Remove(path)
		return "", false, fmt.Errorf("api token: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", false, fmt.Errorf("api token: write %s: %w", path, err)
	}
	return tok, true, nil
}
