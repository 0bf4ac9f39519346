package config

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestScanKeyLines(t *testing.T) {
	const doc = `# a comment [not.a.table]
[wavs]
host = "127.0.0.1" # trailing comment
p2p.local.listen_port = 1

[default.chains.evm."31337"]
ws_endpoints = [
  "ws://a", # comment with = sign
  "ws://b",
]
http_endpoint = "http://x"

[default . chains.'evm'.1]
ws_endpoints = ["ws://c"]

[plugins.p]
multi = """
[not.a.table]
fake = 1
"""
lit = '''
fake2 = 2 '''
after = { a = 1, b = { c = [1, 2] }, d = "}" }
"esc\u0041" = 3
date = 1979-05-27 07:32:00Z
last = 4
`
	if _, err := toml.Decode(doc, new(map[string]any)); err != nil {
		t.Fatalf("test document is not valid TOML: %v", err)
	}
	kl := scanKeyLines(doc)
	tests := []struct {
		path string // dotted; no element here contains a dot
		line int
	}{
		{"wavs", 2},
		{"wavs.host", 3},
		{"wavs.p2p", 4}, // implied by the dotted key
		{"wavs.p2p.local", 4},
		{"wavs.p2p.local.listen_port", 4},
		{"default", 6}, // implied by the header
		{"default.chains.evm.31337", 6},
		{"default.chains.evm.31337.ws_endpoints", 7},
		{"default.chains.evm.31337.http_endpoint", 11},
		{"default.chains.evm.1", 13},
		{"default.chains.evm.1.ws_endpoints", 14},
		{"plugins.p.multi", 17},
		{"plugins.p.lit", 21},
		{"plugins.p.after", 23},
		{"plugins.p.after.a", 23},
		{"plugins.p.after.b.c", 23},
		{"plugins.p.after.d", 23},
		{"plugins.p.escA", 24},
		{"plugins.p.date", 25},
		{"plugins.p.last", 26},
		// Never written, or only inside strings and comments.
		{"not", 0},
		{"not.a.table", 0},
		{"plugins.p.fake", 0},
		{"plugins.p.fake2", 0},
		{"wavs.port", 0},
	}
	for _, tt := range tests {
		if got := kl.line(strings.Split(tt.path, ".")); got != tt.line {
			t.Errorf("line(%s) = %d, want %d", tt.path, got, tt.line)
		}
	}
}

func TestScanKeyLinesInlineTables(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		path []string
		line int
	}{
		{
			name: "inline table under header",
			doc:  "[wavs.p2p]\n\nremote = { listen_port = 1, bootstrap_nodes = [] }\n",
			path: []string{"wavs", "p2p", "remote", "bootstrap_nodes"},
			line: 3,
		},
		{
			name: "dotted key to inline table",
			doc:  "[wavs]\nport = 1\np2p.remote = { listen_port = 1 }\n",
			path: []string{"wavs", "p2p", "remote", "listen_port"},
			line: 3,
		},
		{
			name: "multi-line inline table (TOML 1.1)",
			doc:  "[wavs.p2p]\nremote = {\n  listen_port = 1,\n  bootstrap_nodes = [],\n}\n",
			path: []string{"wavs", "p2p", "remote", "bootstrap_nodes"},
			line: 4,
		},
		{
			name: "top-level dotted keys",
			doc:  "\n\nwavs.port = 1\n",
			path: []string{"wavs", "port"},
			line: 3,
		},
		{
			name: "quoted key with a dot",
			doc:  "[default.chains.evm]\n\"1.5\" = {}\n",
			path: []string{"default", "chains", "evm", "1.5"},
			line: 2,
		},
		{
			name: "CRLF line endings",
			doc:  "[wavs]\r\nhost = \"x\"\r\nport = 1\r\n",
			path: []string{"wavs", "port"},
			line: 3,
		},
		{
			name: "first definition wins",
			doc:  "[a]\nx = 1\n[b]\nx = 1\n",
			path: []string{"b", "x"},
			line: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := toml.Decode(tt.doc, new(map[string]any)); err != nil {
				t.Fatalf("test document is not valid TOML: %v", err)
			}
			if got := scanKeyLines(tt.doc).line(tt.path); got != tt.line {
				t.Errorf("line(%q) = %d, want %d", tt.path, got, tt.line)
			}
		})
	}
}

// The scanner must stop on any input, valid or not.
func TestScanKeyLinesTerminates(t *testing.T) {
	for _, doc := range []string{
		"", "[", "[[", "a", "a =", `a = "`, `a = """`, "a = '''", "a = [", "a = {", "a = { b",
		"a = { = }", "a = [,,]", `"\`, `"\u12`, "= 1", "[a\nb = 1", "a = }", "a = ]",
	} {
		scanKeyLines(doc)
	}
}
