package engine

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

func TestIfaceOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		want iface
	}{
		{"host", ifaceHost},
		{"wavs:operator/host@2.7.0", ifaceHost},
		{"wavs:operator/host@3.0.0", ifaceUnknown},
		{"wavs:types/events@2.6.0", ifaceTypes},
		{"wavs:operator/input@2.7.0", ifaceTypes},
		{"wasi:keyvalue/store@0.2.0-draft2", ifaceKVStore},
		{"wasi:keyvalue/atomics@0.2.0-draft2", ifaceKVAtomics},
		{"wasi:keyvalue/batch@0.2.0-draft", ifaceKVBatch},
		{"wasi:keyvalue/store@0.2.0", ifaceWASI},
		{"wasi:sockets/tcp@0.2.0", ifaceRefused},
		{"wasi:tls/types@0.2.0-draft", ifaceRefused},
		{"wasi:cli/stdout@0.2.3", ifaceWASI},
		{"acme:evil/thing@1.0.0", ifaceUnknown},
		{"host-log", ifaceUnknown},
	} {
		if got := ifaceOf(tc.name); got != tc.want {
			t.Errorf("ifaceOf(%q) = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestCheckImportsRefusesByName(t *testing.T) {
	e := &Engine{opts: Options{WASI: noWASI{}}}
	fn := []component.Extern{{Name: "f", Kind: component.ExternFunc}}
	for _, tc := range []struct {
		imports []component.ImportInfo
		want    string // "" accepted
	}{
		{[]component.ImportInfo{{Name: "wasi:sockets/tcp@0.2.0", Kind: component.ExternInstance, Funcs: fn}}, "wasi:sockets/tcp@0.2.0"},
		{[]component.ImportInfo{{Name: "wasi:tls/types@0.2.0-draft", Kind: component.ExternInstance}}, "wasi:tls/types@0.2.0-draft"},
		{[]component.ImportInfo{{Name: "acme:x/y@1.0.0", Kind: component.ExternInstance}}, "acme:x/y@1.0.0"},
		{[]component.ImportInfo{{Name: "host", Kind: component.ExternInstance, Funcs: []component.Extern{{Name: "call-service"}}}}, "host#call-service"},
		{[]component.ImportInfo{{Name: "wasi:cli/stdout@0.2.0", Kind: component.ExternInstance, Funcs: fn}}, "wasi:cli/stdout@0.2.0"},
		{[]component.ImportInfo{{Name: "host", Kind: component.ExternInstance, Funcs: []component.Extern{{Name: "config-var"}, {Name: "get-event-id"}}}}, ""},
		{[]component.ImportInfo{{Name: "wavs:types/core@2.7.0", Kind: component.ExternInstance}}, ""},
	} {
		err := e.checkImports(tc.imports)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.imports[0].Name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want one naming %s", tc.imports[0].Name, err, tc.want)
		}
	}
}

// The committed watprobe imports a plain function "host-log" that no
// WAVS world has: refused when added, naming the import.
func TestAddComponentRefusesUnknownImport(t *testing.T) {
	wasm, err := os.ReadFile("component/testdata/watprobe.wasm")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, err := New(ctx, Options{WASI: &fakeWASI{}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	_, err = e.AddComponent(ctx, wasm)
	if CauseOf(err) != CauseInvalid || !strings.Contains(err.Error(), "host-log") {
		t.Fatalf("AddComponent(watprobe) = %v, want invalid naming host-log", err)
	}
}

// A WASI host's refusal (wasip2 refuses sockets itself) reaches the caller
// with the import's name.
func TestAddComponentWASIRefusal(t *testing.T) {
	wasm := wavsComponent(t, "square-go")
	ctx := context.Background()
	e, err := New(ctx, Options{WASI: &fakeWASI{refuse: "wasi:random/"}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	_, err = e.AddComponent(ctx, wasm)
	if CauseOf(err) != CauseInvalid || !strings.Contains(err.Error(), "wasi:random/random@0.2.12") {
		t.Fatalf("AddComponent = %v, want invalid naming wasi:random/random@0.2.12", err)
	}
	e2, _ := New(ctx, Options{WASI: noWASI{}})
	defer e2.Close(ctx)
	if _, err := e2.AddComponent(ctx, wasm); err == nil || !strings.Contains(err.Error(), "not yet supported") {
		t.Fatalf("without a WASI host: %v, want a not-yet-supported refusal", err)
	}
	// The default host (package wasip2) serves every WASI import it has.
	e3, _ := New(ctx, Options{})
	defer e3.Close(ctx)
	if _, err := e3.AddComponent(ctx, wasm); err != nil {
		t.Fatalf("with the default WASI host: %v", err)
	}
}

func TestShape(t *testing.T) {
	level := cabi.VariantOf(cabi.Case{Name: "error"}, cabi.Case{Name: "info"})
	r := cabi.RecordOf(
		cabi.Field{Name: "a", Type: cabi.U32()},
		cabi.Field{Name: "opt", Type: cabi.OptionOf(cabi.String())},
		cabi.Field{Name: "l", Type: level},
	)
	for _, tc := range []struct {
		name string
		t    *cabi.Type
		v    any
		want string // error substring, "" ok
	}{
		{"record", r, rec{"a": uint64(7), "l": "info", "extra": 1}, ""},
		{"missing required", r, rec{"opt": "x", "l": "info"}, "root.a"},
		{"range", r, rec{"a": uint64(1 << 40), "l": "info"}, "out of the range"},
		{"unknown case", r, rec{"a": 1, "l": "warn"}, `no case "warn"`},
		{"wrong kind", cabi.String(), 5, "does not fit"},
		{"bytes", cabi.ListOf(cabi.U8()), []byte{1}, ""},
		{"strings", cabi.ListOf(cabi.String()), []string{"a"}, ""},
		{"s64 negative", cabi.S64(), int64(-3), ""},
		{"u64 negative", cabi.U64(), int64(-3), "out of the range"},
		{"result err", cabi.ResultOf(nil, cabi.String()), errv{"x"}, ""},
	} {
		_, err := shape(tc.t, tc.v, "root")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	v, err := shape(cabi.S32(), int64(-5), "x")
	if err != nil || v.(int32) != -5 {
		t.Errorf("shape s32 -5 = %v, %v", v, err)
	}
	v, err = shape(cabi.S64(), uint64(9), "x")
	if err != nil || v.(int64) != 9 {
		t.Errorf("shape s64 9 = %v, %v", v, err)
	}
}
