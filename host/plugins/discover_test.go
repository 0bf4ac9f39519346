package plugins

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// script writes an executable shell script into dir.
func script(t *testing.T, dir, name, body string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), mode); err != nil {
		t.Fatal(err)
	}
}

func describes(json string) string {
	return `[ "$1" = describe ] || exit 3` + "\ncat <<'EOF'\n" + json + "\nEOF"
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "wavs-plugin-good", describes(`{"name":"good","version":"1.0","kind":"transport","protocol_version":2,"capabilities":["x"]}`), 0o755)
	script(t, dir, "wavs-plugin-also-good", describes(`{"name":"also-good","version":"2","kind":"trigger","protocol_version":2}`), 0o755)
	script(t, dir, "README", "not a plugin", 0o644)
	script(t, dir, "other-tool", describes(`{}`), 0o755)
	if err := os.Mkdir(filepath.Join(dir, "wavs-plugin-dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := map[string]struct {
		body string
		mode os.FileMode
		want string
	}{
		"misnamed":     {describes(`{"name":"other","version":"1","kind":"submit","protocol_version":2}`), 0o755, `describes itself as "other"`},
		"old-protocol": {describes(`{"name":"old-protocol","version":"1","kind":"submit","protocol_version":0}`), 0o755, "protocol_version 0"},
		"bad-kind":     {describes(`{"name":"bad-kind","version":"1","kind":"storage","protocol_version":2}`), 0o755, `kind "storage"`},
		"not-json":     {describes(`hello`), 0o755, "JSON"},
		"fails":        {"echo broken >&2; exit 1", 0o755, "broken"},
		"not-exec":     {describes(`{}`), 0o644, "not an executable"},
		"hangs":        {"sleep 30", 0o755, "did not finish in time"},
	}
	for name, b := range bad {
		script(t, dir, "wavs-plugin-"+name, b.body, b.mode)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	found, problems, err := Discover(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 2 || found[0].Name != "also-good" || found[1].Name != "good" {
		t.Fatalf("found %+v, want also-good and good", found)
	}
	if g := found[1]; g.Info.Kind != "transport" || g.Info.Version != "1.0" || !g.Info.HasCapability("x") || len(g.SHA256Hex()) != 64 || !filepath.IsAbs(g.Path) {
		t.Errorf("good = %+v", g)
	}
	if len(problems) != len(bad)+1 { // + the wavs-plugin-dir folder
		t.Errorf("%d problems, want %d: %v", len(problems), len(bad)+1, problems)
	}
	for name, b := range bad {
		hit := false
		for _, p := range problems {
			if strings.Contains(p.Error(), "wavs-plugin-"+name) && strings.Contains(p.Error(), b.want) {
				hit = true
			}
		}
		if !hit {
			t.Errorf("no problem for %s mentioning %q in %v", name, b.want, problems)
		}
	}
}

func TestDiscoverMissingFolder(t *testing.T) {
	_, _, err := Discover(context.Background(), filepath.Join(t.TempDir(), "nope"))
	if err == nil || !strings.Contains(err.Error(), "plugins folder") {
		t.Fatalf("err = %v, want a plugins folder error", err)
	}
}

func TestCheckPin(t *testing.T) {
	f := Found{Name: "p", Path: "/x/wavs-plugin-p"}
	f.SHA256[0] = 0xab
	good := f.SHA256Hex()
	cases := []struct {
		pin, want string
	}{
		{"", ""},
		{good, ""},
		{strings.Repeat("00", 32), "refusing"},
		{"xyz", "64 hex"},
	}
	for _, c := range cases {
		err := CheckPin(f, c.pin)
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckPin(%q) = %v, want %q", c.pin, err, c.want)
		}
	}
}
