package sdk_test

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// module is the SDK's module path: the root of what its packages may
// import of their own.
const module = "github.com/wavs-go/wavs/sdk"

// allowedImports are the only modules outside the standard library that
// a package of the SDK's module (code and tests) may import: a third
// party that requires the SDK inherits its requirements, and its module
// graph stays these.
var allowedImports = []string{
	"github.com/hashicorp/go-plugin",
	"github.com/hashicorp/go-hclog",
	"google.golang.org/grpc",
	"google.golang.org/protobuf",
}

// allowedExtra names packages allowed more than allowedImports, by
// package, and what: envelope verifies signatures itself.
var allowedExtra = map[string][]string{
	module + "/envelope": {
		"golang.org/x/crypto",
		"github.com/decred/dcrd/dcrec/secp256k1/v4",
	},
}

// under reports whether pkg is path or a package below it.
func under(pkg, path string) bool {
	return pkg == path || strings.HasPrefix(pkg, path+"/")
}

// isStd reports whether pkg belongs to the standard library: its first
// element has no dot (vendor/golang.org/x/... is std too).
func isStd(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".")
}

// allowedImport reports whether a package of the module, from, may import
// pkg.
func allowedImport(from, pkg string) bool {
	if pkg == "C" || isStd(pkg) || under(pkg, module) {
		return true
	}
	for _, a := range allowedImports {
		if under(pkg, a) {
			return true
		}
	}
	for _, a := range allowedExtra[from] {
		if under(pkg, a) {
			return true
		}
	}
	return false
}

type listedPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
	Error        *struct{ Err string }
}

// listPackages runs go list on the whole module with extra environment.
func listPackages(t *testing.T, env ...string) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,TestImports,XTestImports,Error", "./...")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	return pkgs
}

// TestSDKImportBoundary keeps the module small for third-party plugins: each
// of its packages (sdk, plugintest, component, client, ...) imports only
// the standard library, its own module, go-plugin, gRPC, protobuf and
// hclog; envelope may also import the signature libraries it names.
// Build-tagged files count on the platforms plugins and components use.
func TestSDKImportBoundary(t *testing.T) {
	for _, env := range [][]string{nil, {"GOOS=wasip1", "GOARCH=wasm"}} {
		for _, p := range listPackages(t, env...) {
			if p.Error != nil {
				// wasip1 has no unix sockets: a package that does not
				// build there is not used there.
				if env != nil {
					continue
				}
				t.Errorf("%s: %s", p.ImportPath, p.Error.Err)
				continue
			}
			for _, imps := range [][]string{p.Imports, p.TestImports, p.XTestImports} {
				for _, imp := range imps {
					if !allowedImport(p.ImportPath, imp) {
						t.Errorf("%s imports %s (%v), outside the SDK's allowed dependencies", p.ImportPath, imp, env)
					}
				}
			}
		}
	}
}

// TestSDKStaysLight keeps the SDK importable by third-party plugins
// without the host's heavy dependencies: a plugin author who imports sdk
// must not inherit go-ethereum, libp2p, wazero or the host's packages.
func TestSDKStaysLight(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/ethereum/go-ethereum",
		"github.com/libp2p/",
		"github.com/tetratelabs/wazero",
		"github.com/wavs-go/wavs/host",
		"github.com/wavs-go/wavs/plugins",
		"github.com/wavs-go/wavs/internal",
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(pkg, f) {
				t.Errorf("sdk depends on %s", pkg)
			}
		}
	}
}

// hiddenFromAuthors are the packages whose types never appear in package
// sdk's exported API: the transport is the SDK's business (the host side
// is in sdk/client).
var hiddenFromAuthors = []string{"github.com/hashicorp/go-plugin", "google.golang.org/grpc"}

// TestAuthorAPIHidesTransport: nothing exported by package sdk (functions,
// methods, types, exported fields, variables and constants) mentions a
// go-plugin or gRPC type, so `go doc` shows authors only what they use.
func TestAuthorAPIHidesTransport(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		hidden := map[string]string{} // local import name -> path
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, h := range hiddenFromAuthors {
				if under(path, h) {
					// The package's name: its last element without a
					// "go-" prefix (go-plugin is package plugin).
					local := strings.TrimPrefix(path[strings.LastIndex(path, "/")+1:], "go-")
					if imp.Name != nil {
						local = imp.Name.Name
					}
					hidden[local] = path
				}
			}
		}
		if len(hidden) == 0 {
			continue
		}
		report := func(what string, n ast.Node) {
			if n == nil {
				return
			}
			ast.Inspect(n, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && hidden[x.Name] != "" {
					t.Errorf("%s: exported %s uses %s.%s (%s): keep it out of package sdk's API", fset.Position(sel.Pos()), what, x.Name, sel.Sel.Name, hidden[x.Name])
				}
				return true
			})
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() || (d.Recv != nil && !exportedRecv(d.Recv)) {
					continue
				}
				report(d.Name.Name, d.Type)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						if s.TypeParams != nil {
							report(s.Name.Name, s.TypeParams)
						}
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, f := range st.Fields.List {
								if len(f.Names) == 0 || f.Names[0].IsExported() {
									report(s.Name.Name+" field", f.Type)
								}
							}
							continue
						}
						report(s.Name.Name, s.Type)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								report(n.Name, s.Type)
								for _, v := range s.Values {
									report(n.Name, v)
								}
								break
							}
						}
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files checked")
	}
}

// exportedRecv reports whether a method's receiver type is exported.
func exportedRecv(recv *ast.FieldList) bool {
	if recv == nil || len(recv.List) == 0 {
		return false
	}
	typ := recv.List[0].Type
	for {
		switch x := typ.(type) {
		case *ast.StarExpr:
			typ = x.X
		case *ast.IndexExpr:
			typ = x.X
		case *ast.IndexListExpr:
			typ = x.X
		case *ast.Ident:
			return x.IsExported()
		default:
			return false
		}
	}
}
