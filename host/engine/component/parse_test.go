package component

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func readProbe(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/watprobe.wasm")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseProbe(t *testing.T) {
	c, err := Parse(readProbe(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Modules) != 4 {
		t.Errorf("core modules: got %d, want 4 (main, adapter, shim, fixup)", len(c.Modules))
	}
	m, err := Resolve(c)
	if err != nil {
		t.Fatal(err)
	}
	run, ok := m.Export("run")
	if !ok || run.Func == nil {
		t.Fatalf("no run export in %+v", m.Exports)
	}
	if got, want := run.Type.String(), "func(job: record{id: u32, data: list<u8>, tags: list<string>}) -> result<list<u8>, string>"; got != want {
		t.Errorf("run type:\n got %s\nwant %s", got, want)
	}
	if run.Func.Options.Memory == nil || run.Func.Options.Realloc == nil {
		t.Errorf("run options lack memory or realloc: %+v", run.Func.Options)
	}
	log, ok := m.Import("host-log")
	if !ok || log.Kind != ExternFunc || log.Type.String() != "func(msg: string)" {
		t.Errorf("host-log import: %+v", log)
	}
	var wasi *ImportInfo
	for i := range m.Imports {
		if m.Imports[i].Package == "wasi:random" {
			wasi = &m.Imports[i]
		}
	}
	if wasi == nil || wasi.Interface != "random" || wasi.Version == nil || wasi.Version.Major != 0 || wasi.Version.Minor != 2 {
		t.Fatalf("wasi:random import: %+v", wasi)
	}
	if len(wasi.Funcs) != 1 || wasi.Funcs[0].Name != "get-random-bytes" {
		t.Errorf("wasi:random funcs: %+v", wasi.Funcs)
	}
	hosts := map[string]bool{}
	for _, h := range m.Host {
		hosts[h.String()] = true
	}
	if !hosts["host-log"] || !hosts[wasi.Name+"#get-random-bytes"] {
		t.Errorf("host functions: %v", hosts)
	}
	mods := 0
	for _, pi := range m.Plan {
		if pi.Module != nil {
			mods++
		}
	}
	if mods != 4 {
		t.Errorf("plan instantiates %d modules, want 4", mods)
	}
}

// TestParseMalformed checks that bad input is an error naming where it
// is, never a panic.
func TestParseMalformed(t *testing.T) {
	pre := []byte{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}
	with := func(b ...byte) []byte { return append(append([]byte(nil), pre...), b...) }
	tests := []struct {
		name  string
		in    []byte
		where string // substring of the error
		unsup bool
	}{
		{"empty", nil, "preamble", false},
		{"core module", []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}, "core module, not a component", false},
		{"old version", []byte{0x00, 0x61, 0x73, 0x6d, 0x0a, 0x00, 0x01, 0x00}, "version", false},
		{"section past end", with(secType, 0x10, 0x01), "type section", false},
		{"huge count", with(secType, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f), "type section", false},
		{"bad type index", with(secType, 0x03, 0x01, 0x70, 0x05), "type index 5 out of range", false},
		{"record without fields", with(secType, 0x02, 0x01, 0x72), "type section", false},
		{"stream type", with(secType, 0x03, 0x01, 0x66, 0x00), "stream type", true},
		{"async canon", with(secCanon, 0x02, 0x01, 0x09), "task.return", true},
		{"stream.new", with(secCanon, 0x03, 0x01, 0x0e, 0x00), "stream.new", true},
		{"lower unknown func", with(secCanon, 0x05, 0x01, 0x01, 0x00, 0x00, 0x00), "func index 0 out of range", false},
		{"start", with(secStart, 0x01, 0x00), "start function", true},
		{"unknown section", with(0x20, 0x00), "unknown section id 32", false},
		{"bad module", with(secCoreModule, 0x02, 0x00, 0x61), "core module section", false},
		{"leftover bytes", with(secType, 0x03, 0x01, 0x7f, 0x00), "left over", false},
		{"bad import name tag", with(secImport, 0x03, 0x01, 0x07, 0x00), "extern name tag", false},
		{"import of missing type", with(secImport, 0x06, 0x01, 0x00, 0x01, 'a', 0x01, 0x00), "type index 0 out of range", false},
		{"core instance of missing module", with(secCoreInstance, 0x03, 0x01, 0x00, 0x00), "core module index 0 out of range", false},
		{"alias of missing instance", with(secAlias, 0x05, 0x01, 0x01, 0x00, 0x00, 0x00), "instance index 0 out of range", false},
		{"nested bad component", with(secComponent, 0x02, 0x00, 0x00), "preamble", false},
		{"invalid utf8 name", with(secCustom, 0x02, 0x01, 0xff), "UTF-8", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatal("no error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %v is not a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tc.where) {
				t.Errorf("error %q does not mention %q", err, tc.where)
			}
			if got := errors.Is(err, ErrUnsupported); got != tc.unsup {
				t.Errorf("errors.Is(ErrUnsupported) = %v, want %v (%v)", got, tc.unsup, err)
			}
		})
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"0.2.3", "0.2.3", true},
		{"2.0.0-rc.1+build.5", "2.0.0-rc.1+build.5", true},
		{"0.2", "", false},
		{"01.2.3", "", false},
		{"1.2.3-", "", false},
		{"1.2.3-01", "", false},
		{"x.y.z", "", false},
	}
	for _, tc := range tests {
		v, err := ParseVersion(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseVersion(%q) error %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && v.String() != tc.want {
			t.Errorf("ParseVersion(%q) = %s", tc.in, v)
		}
	}
	pkg, iface, v := splitName("wasi:cli/environment@0.2.3")
	if pkg != "wasi:cli" || iface != "environment" || v == nil || v.Patch != 3 {
		t.Errorf("splitName: %q %q %v", pkg, iface, v)
	}
	if pkg, iface, v := splitName("host-log"); pkg != "" || iface != "host-log" || v != nil {
		t.Errorf("splitName plain: %q %q %v", pkg, iface, v)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readProbe(f))
	f.Add([]byte{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, secType, 0x03, 0x01, 0x70, 0x7d})
	f.Add([]byte{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, secCanon, 0x02, 0x01, 0x09})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if strings.Contains(err.Error(), "internal decoder error") {
				t.Fatalf("decoder panicked: %v", err)
			}
			return
		}
		_, _ = Resolve(c)
		for _, ty := range c.Types {
			_ = ty.String()
		}
	})
}
