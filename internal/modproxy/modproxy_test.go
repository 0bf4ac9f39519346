package modproxy

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriteServesTheModuleZip(t *testing.T) {
	src := t.TempDir()
	gomod := "module example.com/Lib\n\ngo 1.22\n"
	writeTree(t, src, map[string]string{
		"go.mod":             gomod,
		"lib.go":             "package lib\n",
		"VERSION":            "v1.2.3\n",
		"sub/sub.go":         "package sub\n",
		"testdata/x.txt":     "kept\n",
		"nested/go.mod":      "module example.com/Lib/nested\n",
		"nested/nested.go":   "package nested\n",
		"vendor/a/b/b.go":    "package b\n",
		".git/config":        "[core]\n",
		"sub/.hidden/ok.txt": "kept\n",
	})
	root := t.TempDir()
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	v, err := ReadVersion(filepath.Join(src, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Write(root, src, v, when)
	if err != nil {
		t.Fatal(err)
	}
	if m.Path != "example.com/Lib" || m.Version != "v1.2.3" {
		t.Fatalf("module = %v", m)
	}
	// Upper case letters are escaped in proxy paths.
	vdir := filepath.Join(root, "example.com", "!lib", "@v")

	if b, err := os.ReadFile(filepath.Join(vdir, "v1.2.3.mod")); err != nil || string(b) != gomod {
		t.Errorf(".mod = %q, %v", b, err)
	}
	var info struct {
		Version string
		Time    time.Time
	}
	b, err := os.ReadFile(filepath.Join(vdir, "v1.2.3.info"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &info); err != nil || info.Version != "v1.2.3" || !info.Time.Equal(when) {
		t.Errorf(".info = %s (%v)", b, err)
	}

	zr, err := zip.OpenReader(filepath.Join(vdir, "v1.2.3.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	prefix := "example.com/Lib@v1.2.3/" // zip entries name the path unescaped
	want := []string{prefix + "VERSION", prefix + "go.mod", prefix + "lib.go", prefix + "sub/.hidden/ok.txt", prefix + "sub/sub.go", prefix + "testdata/x.txt"}
	if !slices.Equal(names, want) {
		t.Errorf("zip holds\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}

	// A second version joins the list, in semver order.
	if _, err := Write(root, src, "v1.10.0", when); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(root, src, "v1.2.3", when); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(vdir, "list")); err != nil || string(b) != "v1.2.3\nv1.10.0\n" {
		t.Errorf("list = %q, %v", b, err)
	}
}

func TestWriteRejectsBadVersions(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, map[string]string{"go.mod": "module example.com/lib\n", "lib.go": "package lib\n"})
	for _, v := range []string{"1.0.0", "v1.0", "v2.0.0", "latest"} {
		if _, err := Write(t.TempDir(), src, v, time.Now()); err == nil {
			t.Errorf("Write accepted version %q", v)
		}
	}
}

func TestReadVersion(t *testing.T) {
	for _, tc := range []struct {
		text, want string
	}{
		{"v0.1.0\n", "v0.1.0"},
		{"# the SDK's version\n  v0.2.1  \n\n", "v0.2.1"},
		{"", ""},
		{"v0.1\n", ""},
		{"v0.1.0\nv0.2.0\n", ""},
	} {
		f := filepath.Join(t.TempDir(), "VERSION")
		if err := os.WriteFile(f, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadVersion(f)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ReadVersion(%q) = %q, want an error", tc.text, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ReadVersion(%q) = %q, %v; want %q", tc.text, got, err, tc.want)
		}
	}
}

func TestEnvironPutsTheTreeFirst(t *testing.T) {
	root, cache := t.TempDir(), t.TempDir()
	env, err := Environ(root, cache, []string{"example.com/a", "example.com/b"}, "-mod=mod")
	if err != nil {
		t.Fatal(err)
	}
	// The last value of a name is the one a command gets.
	got := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		got[k] = v
	}
	if !strings.HasPrefix(got["GOPROXY"], "file://"+filepath.ToSlash(root)+",") {
		t.Errorf("GOPROXY = %q, want the tree first", got["GOPROXY"])
	}
	for k, want := range map[string]string{"GOWORK": "off", "GONOSUMDB": "example.com/a,example.com/b", "GOMODCACHE": cache, "GOTOOLCHAIN": "local", "GOPRIVATE": "", "GONOPROXY": ""} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	flags := strings.Fields(got["GOFLAGS"])
	for _, f := range []string{"-modcacherw", "-trimpath", "-mod=mod"} {
		if !slices.Contains(flags, f) {
			t.Errorf("GOFLAGS = %q, want %s", got["GOFLAGS"], f)
		}
	}
}
