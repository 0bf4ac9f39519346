package plugins

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

// markerScript is a plugin that describes itself and leaves a line in
// marker each time it runs.
func markerScript(name, marker, tag string) string {
	return "#!/bin/sh\necho " + tag + " >> " + marker + "\n" +
		describes(`{"name":"`+name+`","version":"1","kind":"trigger","protocol_version":2}`) + "\n"
}

func sha(b string) string {
	s := sha256.Sum256([]byte(b))
	return hex.EncodeToString(s[:])
}

// A pinned plugin whose file does not match its pin never runs, not even
// `describe`; with only_pinned an unpinned one never runs either; an
// unpinned one runs otherwise.
func TestPinCheckedBeforeAnythingRuns(t *testing.T) {
	dir, marker := t.TempDir(), filepath.Join(t.TempDir(), "ran")
	for _, n := range []string{"tampered", "unpinned", "good"} {
		script := markerScript(n, marker, n)
		if err := os.WriteFile(filepath.Join(dir, FilePrefix+n), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	good, _ := os.ReadFile(filepath.Join(dir, FilePrefix+"good"))
	pins := map[string]string{"tampered": sha("what the operator pinned"), "good": sha(string(good))}

	for _, only := range []bool{false, true} {
		os.Remove(marker)
		found, problems, err := DiscoverWith(context.Background(), dir, DiscoverOptions{ExecDir: filepath.Join(t.TempDir(), "exec"), Pins: pins, OnlyPinned: only})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range found {
			names = append(names, f.Name)
		}
		want := []string{"good", "unpinned"}
		if only {
			want = []string{"good"}
		}
		if !slices.Equal(names, want) {
			t.Errorf("only_pinned=%v: found %v, want %v (problems %v)", only, names, want, problems)
		}
		var pe *PinError
		if len(problems) != len(pins)+1-len(want) || !errors.As(problems[0], &pe) {
			t.Errorf("only_pinned=%v: problems %v", only, problems)
		}
		ran, _ := os.ReadFile(marker)
		got := string(ran)
		if containsLine(got, "tampered") || !containsLine(got, "good") || containsLine(got, "unpinned") != !only {
			t.Errorf("only_pinned=%v: ran %q", only, got)
		}
	}
}

func containsLine(s, line string) bool {
	return slices.Contains(splitLines(s), line)
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// Swapping the plugin file while the node discovers it never runs the
// swapped file: what is hashed is a private copy, and that copy is what
// runs. (Hashing the file, then running it by path, ran the swapped one.)
func TestSwapDuringDiscoveryNeverRunsSwapped(t *testing.T) {
	dir, tmp, marker := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "ran")
	path := filepath.Join(dir, FilePrefix+"p")
	goodScript, evilScript := markerScript("p", marker, "good"), markerScript("p", marker, "evil")
	pins := map[string]string{"p": sha(goodScript)}
	write := func(name, body string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("x", goodScript)
	if err := os.Rename(filepath.Join(tmp, "x"), path); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; !stop.Load(); i++ {
			body := goodScript
			if i%2 == 1 {
				body = evilScript
			}
			os.Rename(write("next", body), path)
		}
	}()
	loaded := 0
	for i := range 200 {
		found, _, err := DiscoverWith(context.Background(), dir, DiscoverOptions{ExecDir: filepath.Join(tmp, "exec"), Pins: pins})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			loaded++
			b, err := os.ReadFile(f.Path)
			if err != nil || string(b) != goodScript {
				t.Fatalf("round %d: the copy to run is not the pinned file: %v", i, err)
			}
		}
	}
	stop.Store(true)
	<-done
	ran, _ := os.ReadFile(marker)
	if containsLine(string(ran), "evil") {
		t.Fatalf("the swapped plugin ran: %q", ran)
	}
	if loaded == 0 {
		t.Error("the pinned plugin never loaded")
	}
}

// The paying credential reaches submit plugins only; host-only secrets
// reach none.
func TestCredentialOnlyForSubmitPlugins(t *testing.T) {
	environ := []string{"PATH=/bin", "WAVS_SIGNING_KEY=k", "WAVS_BEARER_TOKEN=t", "WAVS_ENV_API=x", "WAVS_EVM_CREDENTIAL=c", "WAVS_COSMOS_CREDENTIAL=d"}
	gogc := fmt.Sprintf("GOGC=%d", GCPercent)
	tests := []struct {
		kind sdk.Kind
		want []string
	}{
		{sdk.KindSubmit, []string{"PATH=/bin", "WAVS_EVM_CREDENTIAL=c", "WAVS_COSMOS_CREDENTIAL=d", gogc}},
		{sdk.KindTrigger, []string{"PATH=/bin", gogc}},
		{sdk.KindTransport, []string{"PATH=/bin", gogc}},
	}
	for _, tt := range tests {
		if got := PluginEnvFor(tt.kind, environ); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.kind, got, tt.want)
		}
	}
}
