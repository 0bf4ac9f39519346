package wasip2

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero/sys"
	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// impl serves one function: args are the lifted parameters, the results
// are lowered back. WASI-level failures are result values (cabi.Err);
// a returned error traps the guest.
type impl func(ctx context.Context, s *State, args []cabi.Value) ([]cabi.Value, error)

type funcDef struct {
	fn  *cabi.Func
	run impl
}

// iface is one WASI interface this package serves: its functions by WIT
// name and the resources it declares (each with a [resource-drop]).
type iface struct {
	funcs     map[string]*funcDef
	resources []string
}

// served maps "wasi:pkg/iface" (no version) to its implementation.
var served = map[string]*iface{}

// servedPackages are the WASI packages this package implements (at 0.2.x);
// refusedPackages are WASI packages it knows and refuses.
var (
	servedPackages = map[string]bool{
		"wasi:cli": true, "wasi:io": true, "wasi:clocks": true, "wasi:random": true, "wasi:filesystem": true,
		"wasi:http": true,
	}
	refusedPackages = map[string]string{
		"wasi:sockets": "network sockets are not available to components",
		"wasi:tls":     "TLS sockets are not available to components",
	}
)

// def builds a funcDef; the types are written here, once, from the WIT.
func def(params []cabi.Param, results []*cabi.Type, run impl) *funcDef {
	return &funcDef{fn: cabi.MustFunc(params, results), run: run}
}

func p(name string, t *cabi.Type) cabi.Param { return cabi.Param{Name: name, Type: t} }

// register adds an interface's functions; called from init in the file of
// each interface.
func register(name string, resources []string, funcs map[string]*funcDef) {
	served[name] = &iface{funcs: funcs, resources: resources}
}

// parseImport splits "wasi:cli/environment@0.2.3".
func parseImport(name string) (pkg, ifc string, v *component.Version, err error) {
	base, ver, hasVer := strings.Cut(name, "@")
	pkg, ifc, _ = strings.Cut(base, "/")
	if hasVer {
		v, err = component.ParseVersion(ver)
	}
	return pkg, ifc, v, err
}

// lookup finds the interface of import name: ok=false when it is not a
// WASI interface this package answers for (the caller resolves it); an
// error says why a WASI import is refused (the caller names it).
func lookup(name string) (ifc *iface, ok bool, err error) {
	pkg, iname, v, err := parseImport(name)
	if !strings.HasPrefix(pkg, "wasi:") {
		return nil, false, nil
	}
	if why, refused := refusedPackages[pkg]; refused {
		return nil, true, fmt.Errorf("refused: %s", why)
	}
	if !servedPackages[pkg] {
		return nil, false, nil
	}
	switch {
	case err != nil:
		return nil, true, err
	case v == nil:
		return nil, true, fmt.Errorf("an unversioned WASI import is not supported (want 0.2.x)")
	case v.Major != 0 || v.Minor != 2 || v.Pre != "":
		return nil, true, fmt.Errorf("version %s is not supported (want 0.2.x)", v)
	}
	ifc = served[pkg+"/"+iname]
	if ifc == nil {
		return nil, true, fmt.Errorf("interface not implemented")
	}
	return ifc, true, nil
}

// Resolve returns the implementation of h when it is a WASI import it serves
// (ok=false: not a wasi import, the caller resolves it); an unsupported WASI
// import (sockets, tls, or a function not implemented) is an error naming it.
func Resolve(h *component.HostFunc, sig component.CoreFuncType) (component.HostImpl, bool, error) {
	where := h.String()
	ifc, ok, err := lookup(h.Import)
	if err != nil {
		return nil, true, fmt.Errorf("wasip2: %s: %w", where, err)
	}
	if !ok {
		return nil, false, nil
	}
	switch h.Kind {
	case component.CoreFuncResourceDrop:
		res, _ := strings.CutPrefix(h.Func, "[resource-drop]")
		if !hasResource(ifc, res) {
			return nil, true, fmt.Errorf("wasip2: %s: no resource %q in this interface", where, res)
		}
		if !sameSig(sig, []byte{i32}, nil) {
			return nil, true, fmt.Errorf("wasip2: %s: core signature %v -> %v, want [i32] -> []", where, sig.Params, sig.Results)
		}
		return dropImpl(where, res), true, nil
	case component.CoreFuncLower:
	default:
		return nil, true, fmt.Errorf("wasip2: %s: %s of a host resource is not supported", where, h.Kind)
	}
	d := ifc.funcs[h.Func]
	if d == nil {
		return nil, true, fmt.Errorf("wasip2: %s: function not implemented", where)
	}
	if err := matchFunc(h.Type, d.fn); err != nil {
		return nil, true, fmt.Errorf("wasip2: %s: %w", where, err)
	}
	params, results := d.fn.CoreSignature(cabi.Lower)
	if !sameSig(sig, coreBytes(params), coreBytes(results)) {
		return nil, true, fmt.Errorf("wasip2: %s: core signature %v -> %v, want %v -> %v", where, sig.Params, sig.Results, coreBytes(params), coreBytes(results))
	}
	if needsMemory(d.fn) && h.Options.Memory == nil {
		return nil, true, fmt.Errorf("wasip2: %s: canon lower has no memory option", where)
	}
	if needsRealloc(d.fn) && h.Options.Realloc == nil {
		return nil, true, fmt.Errorf("wasip2: %s: canon lower has no realloc option", where)
	}
	return callImpl(where, d, len(params), cabi.StringEncoding(h.Options.StringEncoding)), true, nil
}

// Check reports, for a component's imports, the first one this package
// refuses (e.g. "wasi:sockets/tcp@0.2.0"), for registration-time validation.
func Check(imports []component.ImportInfo) error {
	for _, im := range imports {
		ifc, ok, err := lookup(im.Name)
		if err != nil {
			return fmt.Errorf("wasip2: %s: %w", im.Name, err)
		}
		if !ok {
			continue
		}
		for _, f := range im.Funcs {
			d := ifc.funcs[f.Name]
			if d == nil {
				return fmt.Errorf("wasip2: %s#%s: function not implemented", im.Name, f.Name)
			}
			if err := matchFunc(f.Type, d.fn); err != nil {
				return fmt.Errorf("wasip2: %s#%s: %w", im.Name, f.Name, err)
			}
		}
	}
	return nil
}

func hasResource(ifc *iface, name string) bool {
	for _, r := range ifc.resources {
		if r == name {
			return true
		}
	}
	return false
}

const (
	i32 = byte(0x7f)
	i64 = byte(0x7e)
	f32 = byte(0x7d)
	f64 = byte(0x7c)
)

func coreBytes(ts []cabi.CoreType) []byte {
	out := make([]byte, len(ts))
	for i, t := range ts {
		out[i] = byte(cabi.WazeroCoreType(t))
	}
	return out
}

func sameSig(sig component.CoreFuncType, params, results []byte) bool {
	return string(sig.Params) == string(params) && string(sig.Results) == string(results)
}

// trap ends the guest's call with err; wazero turns the panic into the
// error its caller gets.
func trap(where string, err error) {
	panic(fmt.Errorf("wasip2: %s: %w", where, err))
}

func dropImpl(where, res string) component.HostImpl {
	return func(ctx context.Context, _ *component.HostCall, stack []uint64) {
		s := stateFrom(ctx)
		if s == nil {
			trap(where, errNoState)
		}
		if err := s.drop(uint32(stack[0]), res); err != nil {
			trap(where, err)
		}
	}
}

var errNoState = fmt.Errorf("no WASI state in the context (wasip2.WithState)")

// callImpl lifts the parameters, runs d and lowers its results. The two
// packages number string encodings alike (the canonical ABI's order).
func callImpl(where string, d *funcDef, nparams int, enc cabi.StringEncoding) component.HostImpl {
	return func(ctx context.Context, call *component.HostCall, stack []uint64) {
		s := stateFrom(ctx)
		if s == nil {
			trap(where, errNoState)
		}
		g := &cabi.Guest{Memory: call.Memory, Encoding: enc}
		if call.Memory == nil {
			g.Memory = noMemory{}
		}
		if call.Realloc != nil {
			g.Realloc = cabi.WazeroRealloc(call.Realloc)
		}
		args := stack[:nparams]
		vals, err := g.LiftParams(d.fn, args)
		if err != nil {
			trap(where, err)
		}
		res, err := d.run(ctx, s, vals)
		if err != nil {
			var exit *sys.ExitError
			if errors.As(err, &exit) {
				panic(exit) // wazero returns an exit error as is
			}
			trap(where, err)
		}
		out, err := g.LowerResults(ctx, d.fn, args, res)
		if err != nil {
			trap(where, err)
		}
		copy(stack, out)
	}
}

// noMemory stands in when a function's options name no memory: every
// access fails (Resolve makes sure functions that need one have one).
type noMemory struct{}

func (noMemory) Size() uint32                       { return 0 }
func (noMemory) Read(uint32, uint32) ([]byte, bool) { return nil, false }
func (noMemory) Write(uint32, []byte) bool          { return false }
