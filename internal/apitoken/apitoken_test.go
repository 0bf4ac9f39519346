package apitoken

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
)

func TestAPIToken(t *testing.T) {
	dir := t.TempDir()
	if _, err := Read(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadAPIToken of a new folder: %v, want fs.ErrNotExist", err)
	}
	tok, created, err := Ensure(dir)
	if err != nil || !created || len(tok) != 64 {
		t.Fatalf("EnsureAPIToken = %q, %v, %v; want a new 64-character token", tok, created, err)
	}
	st, err := os.Stat(Path(dir))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, mode %v; want 0600", err, st.Mode())
	}
	again, created, err := Ensure(dir)
	if err != nil || created || again != tok {
		t.Errorf("second EnsureAPIToken = %v, %v; want the same token, not created", created, err)
	}
	if got, err := Read(dir); err != nil || got != tok {
		t.Errorf("ReadAPIToken: %v", err)
	}

	// A file other users can read is refused; a malformed one is reported
	// without its content.
	if err := os.Chmod(Path(dir), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "0644") || strings.Contains(err.Error(), tok) {
		t.Errorf("token file mode 0644: %v", err)
	}
	const secret = "s3cret half\x01"
	if err := os.WriteFile(Path(dir), []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(Path(dir), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("malformed token file: %v (must not show the content)", err)
	}
}
