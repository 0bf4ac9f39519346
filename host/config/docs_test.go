package config

// This file checks that docs/configuration.md, the wavs.toml reference,
// documents exactly the keys Config has.
//
// The convention the reference follows, and this test reads:
//
//   - A wavs.toml table is a heading (any level) whose whole text is the
//     table in backticks and brackets: ## `[wavs.engine]`. A map's key is
//     written as its placeholder, e.g. `[default.chains.evm.<chain_id>]`
//     and `[plugins.<name>]` (see mapPlaceholders); a concrete name is
//     accepted too, e.g. `[plugins.submit-evm.config]`.
//   - Under such a heading, each markdown table whose first header cell is
//     "key" lists that table's keys: the first cell of each row is one key
//     in backticks, relative to the heading, e.g. `max_concurrent`. Keys of
//     an inline table are written dotted, e.g. `local.listen_port` under
//     `[wavs.p2p]`: only keys holding values are rows, never tables.
//   - Headings and key tables inside a table that belongs to a plugin
//     (`[plugins.<name>.config]` and below) document that plugin's own
//     keys; they are not checked here (the plugin validates them).
//   - Anything else (other headings, tables whose first header cell is not
//     "key", code blocks) is prose and ignored.
//
// Every environment variable (WAVS_*) and flag (--*) named in this
// package's source must appear in the reference too.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// docsPath is the wavs.toml reference, relative to this package.
const docsPath = "../../docs/configuration.md"

// mapPlaceholders names the key segment each map of Config stands for in
// the reference. A new map field must be added here.
var mapPlaceholders = map[string]string{
	"default.chains.evm": "<chain_id>",
	"plugins":            "<name>",
}

// schema is the set of wavs.toml keys, read from a struct type by its toml
// tags.
type schema struct {
	leaves map[string]string // dotted key -> Go field path, e.g. "Config.Wavs.Port"
	tables map[string]bool   // dotted tables, e.g. "wavs.p2p", "plugins.<name>"
	opaque map[string]bool   // leaves whose contents belong to a plugin
}

// schemaOf walks the struct type t. A struct field is a table; a map of
// structs adds a placeholder segment; anything else (including a
// map[string]any, whose contents are the plugin's) is a key.
func schemaOf(t reflect.Type, placeholders map[string]string) (*schema, error) {
	s := &schema{leaves: map[string]string{}, tables: map[string]bool{}, opaque: map[string]bool{}}
	var walk func(t reflect.Type, prefix []string, goPath string) error
	walk = func(t reflect.Type, prefix []string, goPath string) error {
		for i := range t.NumField() {
			f := t.Field(i)
			name := tomlName(f)
			if name == "" {
				continue
			}
			path := append(slices.Clone(prefix), name)
			fieldPath := goPath + "." + f.Name
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch {
			case ft.Kind() == reflect.Struct:
				s.tables[strings.Join(path, ".")] = true
				if err := walk(ft, path, fieldPath); err != nil {
					return err
				}
			case ft.Kind() == reflect.Map && deref(ft.Elem()).Kind() == reflect.Struct:
				ph, ok := placeholders[strings.Join(path, ".")]
				if !ok {
					return fmt.Errorf("%s (%s) is a map: add the placeholder its keys are written as to mapPlaceholders", strings.Join(path, "."), fieldPath)
				}
				s.tables[strings.Join(path, ".")] = true
				path = append(path, ph)
				s.tables[strings.Join(path, ".")] = true
				if err := walk(deref(ft.Elem()), path, fieldPath+"[]"); err != nil {
					return err
				}
			default:
				key := strings.Join(path, ".")
				s.leaves[key] = fieldPath
				if ft.Kind() == reflect.Map || ft.Kind() == reflect.Interface {
					s.opaque[key] = true
				}
			}
		}
		return nil
	}
	if err := walk(t, nil, t.Name()); err != nil {
		return nil, err
	}
	return s, nil
}

// match reports whether the key path doc, as the reference writes it,
// names the schema's key path code. A placeholder segment of code matches
// a concrete name, or the same placeholder.
func match(doc, code []string) bool {
	if len(doc) != len(code) {
		return false
	}
	for i := range doc {
		switch {
		case doc[i] == code[i]:
		case strings.HasPrefix(code[i], "<") && !strings.HasPrefix(doc[i], "<"):
		default:
			return false
		}
	}
	return true
}

// find returns the key of set that doc names, or "".
func find[V any](set map[string]V, doc []string) string {
	for k := range set {
		if match(doc, strings.Split(k, ".")) {
			return k
		}
	}
	return ""
}

// pluginOwned reports whether doc is at or below an opaque key.
func (s *schema) pluginOwned(doc []string) bool {
	for k := range s.opaque {
		code := strings.Split(k, ".")
		if len(doc) >= len(code) && match(doc[:len(code)], code) {
			return true
		}
	}
	return false
}

// docSection is one `[table]` heading of the reference and its key rows.
type docSection struct {
	table string
	line  int
	rows  []docRow
}

type docRow struct {
	key  string
	line int
}

var (
	headingRE  = regexp.MustCompile("^#+\\s+(.*?)\\s*$")
	tableRE    = regexp.MustCompile("^`\\[([^\\]`]+)\\]`$")
	rowKeyRE   = regexp.MustCompile("^`([A-Za-z0-9_<>.-]+)`$")
	separatorR = regexp.MustCompile(`^\|[\s:|-]+\|$`)
)

// cells splits a markdown table row into its trimmed cells.
func cells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	parts := strings.Split(line, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// parseReference reads the sections of the reference. problems are lines
// that break the convention.
func parseReference(text string) (sections []*docSection, problems []string) {
	var cur *docSection
	inFence, inKeyTable, header := false, false, false
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			inFence = !inFence
			inKeyTable = false
			continue
		}
		if inFence {
			continue
		}
		if m := headingRE.FindStringSubmatch(line); m != nil {
			inKeyTable = false
			cur = nil
			if t := tableRE.FindStringSubmatch(m[1]); t != nil {
				cur = &docSection{table: t[1], line: n}
				sections = append(sections, cur)
			}
			continue
		}
		if !strings.HasPrefix(trimmed, "|") {
			inKeyTable = false
			continue
		}
		c := cells(trimmed)
		switch {
		case inKeyTable && header:
			header = false
			if !separatorR.MatchString(trimmed) {
				problems = append(problems, fmt.Sprintf("line %d: want the |---|---| line under a key table's header", n))
			}
		case inKeyTable:
			k := rowKeyRE.FindStringSubmatch(c[0])
			if k == nil {
				problems = append(problems, fmt.Sprintf("line %d: the first cell of a key table's row is %q; want one key in backticks, e.g. `port` (inline tables: `local.listen_port`)", n, c[0]))
				continue
			}
			cur.rows = append(cur.rows, docRow{key: k[1], line: n})
		case strings.EqualFold(c[0], "key"):
			if cur == nil {
				problems = append(problems, fmt.Sprintf("line %d: a key table outside a ## `[table]` section", n))
				continue
			}
			inKeyTable, header = true, true
		}
	}
	return sections, problems
}

// checkReference compares the reference's text with the schema of root and
// returns every disagreement, each naming the key and where to fix it.
func checkReference(text, docName string, root reflect.Type) []string {
	s, err := schemaOf(root, mapPlaceholders)
	if err != nil {
		return []string{err.Error()}
	}
	sections, problems := parseReference(text)
	for i, p := range problems {
		problems[i] = docName + ": " + p
	}
	documented := map[string]int{} // schema key -> line
	seenTable := map[string]bool{}
	for _, sec := range sections {
		table := strings.Split(sec.table, ".")
		if s.pluginOwned(table) {
			continue
		}
		codeTable := find(s.tables, table)
		if codeTable == "" {
			problems = append(problems, fmt.Sprintf("%s:%d: section [%s] is not a table of wavs.toml (placeholders: %v); fix or remove the heading", docName, sec.line, sec.table, placeholderList()))
			continue
		}
		seenTable[codeTable] = true
		for _, r := range sec.rows {
			full := append(slices.Clone(table), strings.Split(r.key, ".")...)
			key := strings.Join(full, ".")
			codeKey := find(s.leaves, full)
			switch {
			case codeKey != "":
				if prev, dup := documented[codeKey]; dup {
					problems = append(problems, fmt.Sprintf("%s:%d: key %s is documented twice (also line %d)", docName, r.line, codeKey, prev))
				}
				documented[codeKey] = r.line
			case find(s.tables, full) != "":
				problems = append(problems, fmt.Sprintf("%s:%d: row `%s` under [%s] is the table %s, not a key; list its keys as rows instead (e.g. `%s.<key>`)", docName, r.line, r.key, sec.table, key, r.key))
			case s.pluginOwned(full):
				// e.g. a `config.x` row under [plugins.<name>]: the plugin's.
			default:
				problems = append(problems, fmt.Sprintf("%s:%d: key %s (row `%s` under [%s]) is documented but Config has no such key; remove the row or add the field", docName, r.line, key, r.key, sec.table))
			}
		}
	}
	for _, k := range sortedKeys(s.leaves) {
		if _, ok := documented[k]; ok {
			continue
		}
		parent := k[:strings.LastIndex(k, ".")]
		where := fmt.Sprintf("add a row `%s` to the key table under ## `[%s]`", k[len(parent)+1:], parent)
		if !seenTable[parent] {
			// An inline table, e.g. wavs.p2p.local: document it in the
			// nearest documented table above it, dotted.
			for p := parent; strings.Contains(p, "."); {
				p = p[:strings.LastIndex(p, ".")]
				if seenTable[p] {
					where = fmt.Sprintf("add a row `%s` to the key table under ## `[%s]`, or a ## `[%s]` section", k[len(p)+1:], p, parent)
					break
				}
			}
		}
		problems = append(problems, fmt.Sprintf("%s: key %s (%s) is in the code but not in the reference; %s", docName, k, s.leaves[k], where))
	}
	return problems
}

func placeholderList() []string {
	var out []string
	for _, k := range sortedKeys(mapPlaceholders) {
		out = append(out, k+"."+mapPlaceholders[k])
	}
	return out
}

func TestConfigurationReferenceMatchesCode(t *testing.T) {
	text, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range checkReference(string(text), "docs/configuration.md", reflect.TypeFor[Config]()) {
		t.Error(p)
	}
}

// sourceNames returns the string constants of this package's non-test
// source that are environment variable names (WAVS_*) or flags (--*), with
// the file each is in.
func sourceNames(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	nameRE := regexp.MustCompile(`^(WAVS_[A-Z][A-Z0-9_]*|--[a-z][a-z0-9-]*)$`)
	out := map[string]string{}
	for _, pkg := range pkgs {
		for file, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if v, err := strconv.Unquote(lit.Value); err == nil && nameRE.MatchString(v) {
					out[v] = fmt.Sprintf("%s:%d", file, fset.Position(lit.Pos()).Line)
				}
				return true
			})
		}
	}
	return out
}

func TestConfigurationReferenceNamesEnvAndFlags(t *testing.T) {
	text, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	names := sourceNames(t)
	for _, want := range []string{"WAVS_HOST", "--host"} {
		if _, ok := names[want]; !ok {
			t.Fatalf("found no %s in this package's source: the scan is broken", want)
		}
	}
	for _, name := range sortedKeys(names) {
		// Whole names only: WAVS_PORT must not be satisfied by WAVS_PORTS.
		re := regexp.MustCompile(`(^|[^A-Za-z0-9_-])` + regexp.QuoteMeta(name) + `($|[^A-Za-z0-9_-])`)
		if !re.Match(text) {
			t.Errorf("docs/configuration.md does not mention %s, which the config loader reads (%s)", name, names[name])
		}
	}
}

// The checker itself: it must catch a key missing on either side.

type fakeRoot struct {
	Wavs    fakeWavs                  `toml:"wavs"`
	Plugins map[string]fakePluginConf `toml:"plugins"`
}

type fakeWavs struct {
	Port  int      `toml:"port"`
	P2P   *fakeP2P `toml:"p2p"`
	Extra string   `toml:"extra"`
	note  string   // unexported: not a key
}

type fakeP2P struct {
	Local *struct {
		ListenPort int `toml:"listen_port"`
	} `toml:"local"`
}

type fakePluginConf struct {
	Config map[string]any `toml:"config"`
}

const fakeDoc = "# Reference\n\n## `[wavs]`\n\n| key | default |\n|---|---|\n| `port` | 8000 |\n| `extra` | none |\n\n" +
	"```toml\n## `[wavs.nothing]`\n| key |\n```\n\n" +
	"## `[wavs.p2p]`\n\n| key | allowed |\n|---|---|\n| `local.listen_port` | 0..65535 |\n\n" +
	"## `[plugins.<name>]`\n\n| key | allowed |\n|---|---|\n| `config` | a table |\n\n" +
	"### `[plugins.some-plugin.config]`\n\n| key | allowed |\n|---|---|\n| `anything` | the plugin's |\n\n" +
	"## Environment\n\n| variable | what |\n|---|---|\n| `WAVS_X` | not a key |\n"

func TestCheckReference(t *testing.T) {
	root := reflect.TypeFor[fakeRoot]()
	if got := checkReference(fakeDoc, "doc.md", root); len(got) != 0 {
		t.Fatalf("a complete reference: got problems:\n%s", strings.Join(got, "\n"))
	}
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"key missing from the doc", "| `extra` | none |\n", "",
			[]string{"doc.md: key wavs.extra (fakeRoot.Wavs.Extra) is in the code but not in the reference; add a row `extra` to the key table under ## `[wavs]`"}},
		{"inline-table key missing from the doc", "| `local.listen_port` | 0..65535 |\n", "",
			[]string{"key wavs.p2p.local.listen_port (fakeRoot.Wavs.P2P.Local.ListenPort) is in the code but not in the reference; add a row `local.listen_port` to the key table under ## `[wavs.p2p]`"}},
		{"key missing from the code", "| `extra` | none |\n", "| `extra` | none |\n| `fake_key` | 1 |\n",
			[]string{"doc.md:9: key wavs.fake_key (row `fake_key` under [wavs]) is documented but Config has no such key"}},
		{"table missing from the code", "## `[wavs.p2p]`", "## `[wavs.p3p]`",
			[]string{"section [wavs.p3p] is not a table of wavs.toml", "key wavs.p2p.local.listen_port"}},
		{"a table as a row", "| `local.listen_port` | 0..65535 |\n", "| `local` | 0..65535 |\n",
			[]string{"row `local` under [wavs.p2p] is the table wavs.p2p.local, not a key", "key wavs.p2p.local.listen_port"}},
		{"wrong placeholder", "`[plugins.<name>]`", "`[plugins.<plugin>]`",
			[]string{"section [plugins.<plugin>] is not a table", "key plugins.<name>.config"}},
		{"a row that is not a key", "| `port` | 8000 |", "| port | 8000 |",
			[]string{`doc.md: line 7: the first cell of a key table's row is "port"`, "key wavs.port"}},
		{"documented twice", "| `extra` | none |\n", "| `extra` | none |\n| `port` | 1 |\n",
			[]string{"doc.md:9: key wavs.port is documented twice (also line 7)"}},
	}
	for _, tt := range tests {
		doc := strings.Replace(fakeDoc, tt.old, tt.new, 1)
		if doc == fakeDoc {
			t.Fatalf("%s: %q is not in the fake reference", tt.name, tt.old)
		}
		got := checkReference(doc, "doc.md", root)
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %d problems, want %d:\n%s", tt.name, len(got), len(tt.want), strings.Join(got, "\n"))
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: problem %d is\n\t%s\nwant it to contain\n\t%s", tt.name, i, got[i], w)
			}
		}
	}

	// A map without a placeholder is a test to update, not a silent pass.
	type unnamedMap struct {
		Things map[string]fakePluginConf `toml:"things"`
	}
	got := checkReference(fakeDoc, "doc.md", reflect.TypeFor[unnamedMap]())
	if len(got) != 1 || !strings.Contains(got[0], "things (unnamedMap.Things) is a map: add the placeholder") {
		t.Errorf("a map without a placeholder: got %q", got)
	}
}
