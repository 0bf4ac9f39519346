package wasip2

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// quotaGuest is a guest with dir preopened under q; it returns the root
// descriptor.
func quotaGuest(t *testing.T, dir string, q *Quota) (*guest, uint64) {
	t.Helper()
	g := newGuest(t, Config{Dir: dir, Quota: q})
	g.must(ifPreopens, "get-directories")
	if n := g.u32(retArea + 4); n != 1 {
		t.Fatalf("%d preopens, want 1", n)
	}
	return g, uint64(g.u32(g.u32(retArea)))
}

func newQuota(t *testing.T, dir string, maxBytes, maxEntries int64) *Quota {
	t.Helper()
	q, err := NewQuota(dir, maxBytes, maxEntries)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func wantUsage(t *testing.T, q *Quota, bytes, entries int64) {
	t.Helper()
	if b, e := q.Usage(); b != bytes || e != entries {
		t.Errorf("usage %d bytes %d entries, want %d and %d", b, e, bytes, entries)
	}
}

// writeFile is descriptor.write; it returns the error-code or -1.
func writeFile(g *guest, f uint32, b []byte, off uint64) int {
	p, n := g.put(b)
	g.must(ifFS, "[method]descriptor.write", uint64(f), p, n, off)
	if g.u8(retArea) == 0 {
		return -1
	}
	return int(g.u8(retArea + 8))
}

// pathCall is a descriptor method taking one path; it returns the
// error-code or -1.
func pathCall(g *guest, fn string, d uint64, path string) int {
	p, n := g.put([]byte(path))
	g.must(ifFS, fn, d, p, n)
	if g.u8(retArea) == 0 {
		return -1
	}
	return int(g.u8(retArea + 1))
}

func TestNewQuotaScans(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "a", "b"), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]int{"x": 10, "a/y": 20, "a/b/z": 5} {
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// 2 folders and 3 files, 35 bytes.
	wantUsage(t, newQuota(t, dir, 0, 0), 35, 5)
	if _, err := NewQuota(filepath.Join(dir, "missing"), 0, 0); err == nil {
		t.Error("a missing folder scanned")
	}
}

func TestQuotaWrite(t *testing.T) {
	dir := t.TempDir()
	q := newQuota(t, dir, 100, 10)
	g, root := quotaGuest(t, dir, q)
	c, f := openAt(g, root, "a", 0, uint64(ofCreate), uint64(dfRead|dfWrite))
	if c != 0 {
		t.Fatalf("create: error-code %d", f)
	}
	wantUsage(t, q, 0, 1)
	if code := writeFile(g, f, make([]byte, 60), 0); code != -1 {
		t.Fatalf("write 60: error-code %d", code)
	}
	wantUsage(t, q, 60, 1)
	// Overwriting costs nothing; growing past 100 fails whole.
	if code := writeFile(g, f, make([]byte, 60), 0); code != -1 {
		t.Fatalf("overwrite: error-code %d", code)
	}
	if code := writeFile(g, f, bytes.Repeat([]byte{1}, 50), 55); errorCode(code) != ecInsufficientSpace {
		t.Fatalf("write past the quota: error-code %d, want insufficient-space", code)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "a")); fi.Size() != 60 {
		t.Errorf("file is %d bytes after a refused write", fi.Size())
	}
	wantUsage(t, q, 60, 1)
	// A far offset counts the whole length (a sparse file is not cheaper).
	if code := writeFile(g, f, []byte{1}, 1<<30); errorCode(code) != ecInsufficientSpace {
		t.Errorf("write at 1 GiB: error-code %d", code)
	}
	// Exactly to the quota is fine.
	if code := writeFile(g, f, make([]byte, 40), 60); code != -1 {
		t.Fatalf("write to the quota: error-code %d", code)
	}
	wantUsage(t, q, 100, 1)
	// set-size: shrinking releases, growing past fails.
	g.must(ifFS, "[method]descriptor.set-size", uint64(f), 10)
	if g.u8(retArea) != 0 {
		t.Fatalf("set-size 10: error-code %d", g.u8(retArea+1))
	}
	wantUsage(t, q, 10, 1)
	g.must(ifFS, "[method]descriptor.set-size", uint64(f), 101)
	if g.u8(retArea) != 1 || errorCode(g.u8(retArea+1)) != ecInsufficientSpace {
		t.Fatalf("set-size 101: case %d code %d", g.u8(retArea), g.u8(retArea+1))
	}
	g.must(ifFS, "[method]descriptor.set-size", uint64(f), 100)
	if g.u8(retArea) != 0 {
		t.Fatalf("set-size 100: error-code %d", g.u8(retArea+1))
	}
	wantUsage(t, q, 100, 1)
	// Opening with truncate releases the bytes.
	if c, v := openAt(g, root, "a", 0, uint64(ofTruncate), uint64(dfWrite)); c != 0 {
		t.Fatalf("truncate: error-code %d", v)
	}
	wantUsage(t, q, 0, 1)
}

func TestQuotaStreams(t *testing.T) {
	dir := t.TempDir()
	q := newQuota(t, dir, 10, 10)
	g, root := quotaGuest(t, dir, q)
	_, f := openAt(g, root, "log", 0, uint64(ofCreate), uint64(dfRead|dfWrite))
	g.must(ifFS, "[method]descriptor.append-via-stream", uint64(f))
	out := uint64(g.u32(retArea + 4))
	for i, tt := range []struct {
		b  string
		ok bool
	}{{"12345", true}, {"6789", true}, {"ab", false}} {
		p, n := g.put([]byte(tt.b))
		g.must(ifStreams, "[method]output-stream.blocking-write-and-flush", out, p, n)
		if ok := g.u8(retArea) == 0; ok != tt.ok {
			t.Fatalf("append %d %q: ok %v", i, tt.b, ok)
		}
	}
	// The failed write's error says insufficient-space.
	e := uint64(g.u32(retArea + 8))
	g.must(ifFS, "filesystem-error-code", e)
	if g.u8(retArea) != 1 || errorCode(g.u8(retArea+1)) != ecInsufficientSpace {
		t.Errorf("filesystem-error-code: case %d code %d", g.u8(retArea), g.u8(retArea+1))
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "log")); string(b) != "123456789" {
		t.Errorf("file holds %q", b)
	}
	wantUsage(t, q, 9, 1)
	// write-via-stream at an offset inside the file costs what it grows.
	g.must(ifFS, "[method]descriptor.write-via-stream", uint64(f), 8)
	out = uint64(g.u32(retArea + 4))
	p, n := g.put([]byte("XY"))
	g.must(ifStreams, "[method]output-stream.write", out, p, n)
	if g.u8(retArea) != 0 {
		t.Fatal("write-via-stream within the quota failed")
	}
	wantUsage(t, q, 10, 1)
	g.must(ifStreams, "[method]output-stream.write-zeroes", out, 1)
	if g.u8(retArea) != 1 {
		t.Error("write-zeroes past the quota succeeded")
	}
	wantUsage(t, q, 10, 1)
}

func TestQuotaEntriesAndRemovals(t *testing.T) {
	dir := t.TempDir()
	q := newQuota(t, dir, 1000, 3)
	g, root := quotaGuest(t, dir, q)
	if code := pathCall(g, "[method]descriptor.create-directory-at", root, "d"); code != -1 {
		t.Fatalf("mkdir: error-code %d", code)
	}
	_, f1 := openAt(g, root, "d/one", 0, uint64(ofCreate), uint64(dfWrite))
	_, f2 := openAt(g, root, "two", 0, uint64(ofCreate), uint64(dfWrite))
	wantUsage(t, q, 0, 3)
	if c, v := openAt(g, root, "three", 0, uint64(ofCreate), uint64(dfWrite)); c != 1 || errorCode(v) != ecInsufficientSpace {
		t.Errorf("a 4th entry: case %d code %d", c, v)
	}
	if code := pathCall(g, "[method]descriptor.create-directory-at", root, "e"); errorCode(code) != ecInsufficientSpace {
		t.Errorf("a 4th entry (folder): error-code %d", code)
	}
	if _, err := os.Lstat(filepath.Join(dir, "three")); err == nil {
		t.Error("the refused file exists")
	}
	// Opening an existing file costs nothing.
	if c, v := openAt(g, root, "two", 0, uint64(ofCreate), uint64(dfRead)); c != 0 {
		t.Errorf("open an existing file with create: error-code %d", v)
	} else {
		_ = g.drop(ifFS, "descriptor", v)
	}
	writeFile(g, f1, make([]byte, 100), 0)
	writeFile(g, f2, make([]byte, 200), 0)
	wantUsage(t, q, 300, 3)
	if err := g.drop(ifFS, "descriptor", f1); err != nil {
		t.Fatal(err)
	}
	// Removing a closed file gives back its bytes and its entry.
	if code := pathCall(g, "[method]descriptor.unlink-file-at", root, "d/one"); code != -1 {
		t.Fatalf("unlink: error-code %d", code)
	}
	wantUsage(t, q, 200, 2)
	if code := pathCall(g, "[method]descriptor.remove-directory-at", root, "d"); code != -1 {
		t.Fatalf("rmdir: error-code %d", code)
	}
	wantUsage(t, q, 200, 1)
	// A removed file still open keeps its bytes until it is closed (it
	// still takes them on disk), and may not grow past the quota meanwhile.
	if code := pathCall(g, "[method]descriptor.unlink-file-at", root, "two"); code != -1 {
		t.Fatalf("unlink an open file: error-code %d", code)
	}
	wantUsage(t, q, 200, 0)
	if code := writeFile(g, f2, make([]byte, 1100), 0); errorCode(code) != ecInsufficientSpace {
		t.Errorf("grow a removed open file past the quota: error-code %d", code)
	}
	if code := writeFile(g, f2, make([]byte, 300), 0); code != -1 {
		t.Errorf("grow a removed open file: error-code %d", code)
	}
	wantUsage(t, q, 300, 0)
	if err := g.drop(ifFS, "descriptor", f2); err != nil {
		t.Fatal(err)
	}
	wantUsage(t, q, 0, 0)
	// A rename over a file gives back the replaced file.
	_, a := openAt(g, root, "a", 0, uint64(ofCreate), uint64(dfWrite))
	_, b := openAt(g, root, "b", 0, uint64(ofCreate), uint64(dfWrite))
	writeFile(g, a, make([]byte, 10), 0)
	writeFile(g, b, make([]byte, 20), 0)
	_ = g.drop(ifFS, "descriptor", b)
	p1, n1 := g.put([]byte("a"))
	p2, n2 := g.put([]byte("b"))
	g.must(ifFS, "[method]descriptor.rename-at", root, p1, n1, root, p2, n2)
	if g.u8(retArea) != 0 {
		t.Fatalf("rename: error-code %d", g.u8(retArea+1))
	}
	wantUsage(t, q, 10, 1)
	// Closing the state closes the descriptors: nothing stays open.
	g.s.Close()
	if len(q.open) != 0 {
		t.Errorf("%d files still noted open after Close", len(q.open))
	}
}

func TestQuotaRefusesLinks(t *testing.T) {
	dir := t.TempDir()
	q := newQuota(t, dir, 1000, 10)
	g, root := quotaGuest(t, dir, q)
	_, f := openAt(g, root, "f", 0, uint64(ofCreate), uint64(dfWrite))
	_ = g.drop(ifFS, "descriptor", f)
	for _, target := range []string{"/etc/passwd", "../../x", "f"} {
		p1, n1 := g.put([]byte(target))
		p2, n2 := g.put([]byte("link"))
		g.must(ifFS, "[method]descriptor.symlink-at", root, p1, n1, p2, n2)
		if g.u8(retArea) != 1 || errorCode(g.u8(retArea+1)) != ecUnsupported {
			t.Errorf("symlink-at %q: case %d code %d", target, g.u8(retArea), g.u8(retArea+1))
		}
		g.must(ifFS, "[method]descriptor.link-at", root, uint64(pfSymlinkFollow), p1, n1, root, p2, n2)
		if g.u8(retArea) != 1 || errorCode(g.u8(retArea+1)) != ecUnsupported {
			t.Errorf("link-at %q: case %d code %d", target, g.u8(retArea), g.u8(retArea+1))
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "link")); err == nil {
		t.Error("a link was made")
	}
	// Escapes are refused, and cost nothing.
	for _, path := range []string{"../x", "/tmp/x", "a/../../x"} {
		if c, v := openAt(g, root, path, 0, uint64(ofCreate), uint64(dfWrite)); c != 1 || (errorCode(v) != ecNotPermitted && errorCode(v) != ecNoEntry) {
			t.Errorf("create %q: case %d code %d", path, c, v)
		}
		if code := pathCall(g, "[method]descriptor.create-directory-at", root, path); code == -1 {
			t.Errorf("mkdir %q succeeded", path)
		}
	}
	wantUsage(t, q, 0, 1)
}

func TestQuotaClosed(t *testing.T) {
	dir := t.TempDir()
	q := newQuota(t, dir, 1000, 10)
	g, root := quotaGuest(t, dir, q)
	_, f := openAt(g, root, "f", 0, uint64(ofCreate), uint64(dfWrite))
	q.Close()
	if code := writeFile(g, f, []byte("x"), 0); errorCode(code) != ecNoEntry {
		t.Errorf("write after the folder's removal: error-code %d", code)
	}
	if c, v := openAt(g, root, "g", 0, uint64(ofCreate), uint64(dfWrite)); c != 1 || errorCode(v) != ecNoEntry {
		t.Errorf("create after the folder's removal: case %d code %d", c, v)
	}
}

// Executions sharing a Quota write at once: together they stay within it.
func TestQuotaConcurrent(t *testing.T) {
	dir := t.TempDir()
	const limit = 64 << 10
	q := newQuota(t, dir, limit, 100)
	var wg sync.WaitGroup
	for i := range 8 {
		g, root := quotaGuest(t, dir, q)
		c, f := openAt(g, root, "f"+string(rune('a'+i)), 0, uint64(ofCreate), uint64(dfWrite))
		if c != 0 {
			t.Fatalf("create: error-code %d", f)
		}
		// Each guest has its own memory; put the data before starting.
		p, n := g.put(make([]byte, 1000))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for off := uint64(0); ; off += n {
				g.mem.b[retArea] = 0
				res, err := g.call(ifFS, "[method]descriptor.write", uint64(f), p, n, off)
				if err != nil || res == nil || g.u8(retArea) != 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	var total int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, _ := e.Info()
		total += fi.Size()
	}
	b, _ := q.Usage()
	if total > limit || b != total || total < limit-8*1000 {
		t.Errorf("files hold %d bytes, counted %d, quota %d", total, b, limit)
	}
}

// Two executions of a service, one after the other, preopen its folder
// with its Quota: what the first wrote, the second reads, and the usage
// carries over.
func TestFolderPersistsAcrossExecutions(t *testing.T) {
	dir := t.TempDir()
	q := newQuota(t, dir, 1000, 10)
	g1, root := quotaGuest(t, dir, q)
	_, f := openAt(g1, root, "state.txt", 0, uint64(ofCreate), uint64(dfWrite))
	if code := writeFile(g1, f, []byte("count=1"), 0); code != -1 {
		t.Fatalf("write: error-code %d", code)
	}
	g1.s.Close()
	wantUsage(t, q, 7, 1)

	g2, root := quotaGuest(t, dir, q)
	c, f := openAt(g2, root, "state.txt", 0, 0, uint64(dfRead))
	if c != 0 {
		t.Fatalf("open in the next execution: error-code %d", f)
	}
	g2.must(ifFS, "[method]descriptor.read", uint64(f), 100, 0)
	if g2.u8(retArea) != 0 || string(g2.bytesAt(retArea+4)) != "count=1" {
		t.Fatalf("read: case %d %q", g2.u8(retArea), g2.bytesAt(retArea+4))
	}
	// A restarted node scans the folder again and finds the same usage.
	wantUsage(t, newQuota(t, dir, 1000, 10), 7, 1)
}
