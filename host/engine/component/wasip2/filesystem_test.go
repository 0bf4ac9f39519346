package wasip2

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	ifFS       = "wasi:filesystem/types"
	ifPreopens = "wasi:filesystem/preopens"
)

func TestPreopensWithoutDir(t *testing.T) {
	g := newGuest(t, Config{})
	g.mem.b[retArea+4] = 0xff
	g.must(ifPreopens, "get-directories")
	if n := g.u32(retArea + 4); n != 0 {
		t.Fatalf("%d preopens, want none", n)
	}
	// Descriptor functions have no descriptor to act on.
	if _, err := g.call(ifFS, "[method]descriptor.get-type", 1); err == nil || !strings.Contains(err.Error(), "descriptor handle 1 is not valid") {
		t.Errorf("get-type without preopens: %v", err)
	}
}

// fsGuest is a guest with dir preopened; it returns the root descriptor.
func fsGuest(t *testing.T) (*guest, uint64, string) {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "svc")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "secret"), []byte("outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(base, "secret"), filepath.Join(dir, "escape")); err != nil {
		t.Fatal(err)
	}
	g := newGuest(t, Config{Dir: dir})
	g.must(ifPreopens, "get-directories")
	if n := g.u32(retArea + 4); n != 1 {
		t.Fatalf("%d preopens, want 1", n)
	}
	e := g.u32(retArea) // tuple<own<descriptor>, string>: handle at 0, name at 4
	if name := string(g.bytesAt(e + 4)); name != PreopenName {
		t.Fatalf("preopen named %q", name)
	}
	return g, uint64(g.u32(e)), dir
}

// openAt opens path in d; it returns (case, handle-or-error-code).
func openAt(g *guest, d uint64, path string, pathFlags, openFlags, flags uint64) (uint8, uint32) {
	p, n := g.put([]byte(path))
	g.must(ifFS, "[method]descriptor.open-at", d, pathFlags, p, n, openFlags, flags)
	// result<own<descriptor>, error-code>: case at 0, payload at 4
	if g.u8(retArea) == 0 {
		return 0, g.u32(retArea + 4)
	}
	return 1, uint32(g.u8(retArea + 4))
}

func TestFilesystemConfined(t *testing.T) {
	g, root, _ := fsGuest(t)
	tests := []struct {
		path string
		code errorCode
	}{
		{"../secret", ecNotPermitted},
		{"/etc/passwd", ecNotPermitted},
		{"./../secret", ecNotPermitted},
		{"escape", ecNotPermitted}, // a symlink leaving the folder, followed
		{"missing", ecNoEntry},
		{"missing/../secret", ecNoEntry},
		{"", ecNoEntry},
	}
	for _, tt := range tests {
		c, v := openAt(g, root, tt.path, uint64(pfSymlinkFollow), 0, uint64(dfRead))
		if c != 1 || errorCode(v) != tt.code {
			t.Errorf("open-at %q: case %d value %d, want error-code %d", tt.path, c, v, tt.code)
		}
	}
	// Not following the link: it is refused as a link.
	if c, v := openAt(g, root, "escape", 0, 0, uint64(dfRead)); c != 1 || errorCode(v) != ecLoop {
		t.Errorf("open-at escape without follow: case %d value %d", c, v)
	}
}

func TestFilesystemReadWrite(t *testing.T) {
	g, root, dir := fsGuest(t)
	c, f := openAt(g, root, "./a.txt", 0, uint64(ofCreate|ofTruncate), uint64(dfRead|dfWrite))
	if c != 0 {
		t.Fatalf("create a.txt: error-code %d", f)
	}
	p, n := g.put([]byte("hello world"))
	g.must(ifFS, "[method]descriptor.write", uint64(f), p, n, 0)
	// result<filesize, error-code>: case at 0, u64 at 8
	if g.u8(retArea) != 0 || g.u64(retArea+8) != 11 {
		t.Fatalf("write: case %d n %d", g.u8(retArea), g.u64(retArea+8))
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "hello world" {
		t.Fatalf("file holds %q", b)
	}
	g.must(ifFS, "[method]descriptor.read", uint64(f), 5, 6)
	// result<tuple<list<u8>, bool>, error-code>: case 0, list at 4, bool at 12
	if g.u8(retArea) != 0 || string(g.bytesAt(retArea+4)) != "world" {
		t.Fatalf("read: case %d %q", g.u8(retArea), g.bytesAt(retArea+4))
	}
	g.must(ifFS, "[method]descriptor.stat", uint64(f))
	// result<descriptor-stat, error-code>: case 0, stat at 8: type 8, link-count 16, size 24
	if g.u8(retArea) != 0 || uint32(g.u8(retArea+8)) != dtRegularFile || g.u64(retArea+24) != 11 {
		t.Fatalf("stat: case %d type %d size %d", g.u8(retArea), g.u8(retArea+8), g.u64(retArea+24))
	}
	// Streams: append, then read from an offset.
	g.must(ifFS, "[method]descriptor.append-via-stream", uint64(f))
	if g.u8(retArea) != 0 {
		t.Fatalf("append-via-stream: error-code %d", g.u8(retArea+4))
	}
	out := uint64(g.u32(retArea + 4))
	p, n = g.put([]byte("!"))
	g.must(ifStreams, "[method]output-stream.blocking-write-and-flush", out, p, n)
	g.must(ifFS, "[method]descriptor.read-via-stream", uint64(f), 6)
	in := uint64(g.u32(retArea + 4))
	g.must(ifStreams, "[method]input-stream.read", in, 100)
	if got := string(g.bytesAt(retArea + 4)); got != "world!" {
		t.Errorf("read-via-stream: %q", got)
	}
	// Read-only descriptor: no writes.
	_, ro := openAt(g, root, "a.txt", 0, 0, uint64(dfRead))
	p, n = g.put([]byte("x"))
	g.must(ifFS, "[method]descriptor.write", uint64(ro), p, n, 0)
	if g.u8(retArea) != 1 || errorCode(g.u8(retArea+8)) != ecBadDescriptor {
		t.Errorf("write on a read-only descriptor: case %d code %d", g.u8(retArea), g.u8(retArea+8))
	}
	// A directory listing.
	p, n = g.put([]byte("d"))
	g.must(ifFS, "[method]descriptor.create-directory-at", root, p, n)
	if g.u8(retArea) != 0 {
		t.Fatalf("create-directory-at: code %d", g.u8(retArea+1))
	}
	g.must(ifFS, "[method]descriptor.read-directory", root)
	ds := uint64(g.u32(retArea + 4))
	names := map[string]uint8{}
	for range 10 {
		g.must(ifFS, "[method]directory-entry-stream.read-directory-entry", ds)
		// result<option<directory-entry>, error-code>: case 0, option at 4, entry at 8: type 8, name 12
		if g.u8(retArea) != 0 || g.u8(retArea+4) == 0 {
			break
		}
		names[string(g.bytesAt(retArea+12))] = g.u8(retArea + 8)
	}
	if len(names) != 3 || uint32(names["d"]) != dtDirectory || uint32(names["a.txt"]) != dtRegularFile || uint32(names["escape"]) != dtSymbolicLink {
		t.Errorf("listing %v", names)
	}
	// unlink-file-at refuses a directory; remove-directory-at removes it.
	p, n = g.put([]byte("d"))
	g.must(ifFS, "[method]descriptor.unlink-file-at", root, p, n)
	if g.u8(retArea) != 1 || errorCode(g.u8(retArea+1)) != ecIsDirectory {
		t.Errorf("unlink-file-at a directory: case %d code %d", g.u8(retArea), g.u8(retArea+1))
	}
	g.must(ifFS, "[method]descriptor.remove-directory-at", root, p, n)
	if g.u8(retArea) != 0 {
		t.Errorf("remove-directory-at: code %d", g.u8(retArea+1))
	}
	// Not implemented: an error-code, not a trap.
	p, n = g.put([]byte("x"))
	p2, n2 := g.put([]byte("y"))
	g.must(ifFS, "[method]descriptor.symlink-at", root, p, n, p2, n2)
	if g.u8(retArea) != 1 || errorCode(g.u8(retArea+1)) != ecUnsupported {
		t.Errorf("symlink-at: case %d code %d", g.u8(retArea), g.u8(retArea+1))
	}
	// Dropping the descriptor closes the file; Close closes the rest.
	if err := g.drop(ifFS, "descriptor", f); err != nil {
		t.Fatal(err)
	}
}

func TestFilesystemErrorCode(t *testing.T) {
	g, root, _ := fsGuest(t)
	_, f := openAt(g, root, "r.txt", 0, uint64(ofCreate), uint64(dfRead|dfWrite))
	g.must(ifFS, "[method]descriptor.write-via-stream", uint64(f), 0)
	out := uint64(g.u32(retArea + 4))
	if err := g.drop(ifFS, "descriptor", f); err != nil {
		t.Fatal(err)
	}
	// The file is closed under the stream: the write fails with an error
	// whose filesystem-error-code is bad-descriptor.
	p, n := g.put([]byte("x"))
	g.must(ifStreams, "[method]output-stream.write", out, p, n)
	if g.u8(retArea) != 1 || g.u8(retArea+4) != 0 {
		t.Fatalf("write on a closed file: result %d case %d", g.u8(retArea), g.u8(retArea+4))
	}
	e := uint64(g.u32(retArea + 8))
	g.must(ifFS, "filesystem-error-code", e)
	if g.u8(retArea) != 1 || errorCode(g.u8(retArea+1)) != ecBadDescriptor {
		t.Errorf("filesystem-error-code: case %d code %d", g.u8(retArea), g.u8(retArea+1))
	}
}
