package component

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// HostCall is what a host function gets besides its core arguments: the
// execution, the function, and the memory and realloc of its canon
// options (nil when the options have none).
type HostCall struct {
	Execution *Execution
	Func      *HostFunc
	Memory    api.Memory
	Realloc   api.Function
}

// HostImpl runs a host function on the core values in stack (params in,
// results out, as api.GoModuleFunction).
type HostImpl func(ctx context.Context, call *HostCall, stack []uint64)

// HostResolver gives the implementation of a host function, whose core
// signature is sig (as the importing core module declares it).
type HostResolver func(h *HostFunc, sig CoreFuncType) (HostImpl, error)

// Compiled is a component compiled on a wazero runtime: its core modules
// (with imports renamed to what each really resolves to) and its host
// functions. Instantiate it once per execution; it is safe for concurrent
// use and reused until Close.
type Compiled struct {
	Model *Model
	rt    wazero.Runtime

	mods     []wazero.CompiledModule // by core instance index; nil for bags
	host     api.Module
	hostName string
	hostSigs []CoreFuncType
}

var hostSeq atomic.Uint64

// importModulePrefix names, in a rewritten core module, the module
// instance an import comes from: "\x00cm" followed by its core instance
// index. The NUL keeps it apart from any name a runtime registers.
const importModulePrefix = "\x00cm"

// Compile compiles the core modules of m in rt and instantiates its host
// functions (from resolve) as one host module shared by all executions.
func Compile(ctx context.Context, rt wazero.Runtime, m *Model, resolve HostResolver) (*Compiled, error) {
	cc := &Compiled{Model: m, rt: rt, mods: make([]wazero.CompiledModule, len(m.Plan))}
	cc.hostName = hostModuleName(rt, m)
	hostIdx := map[*HostFunc]int{}
	var hostFuncs []*HostFunc
	ok := false
	defer func() {
		if !ok {
			_ = cc.Close(context.WithoutCancel(ctx))
		}
	}()
	for i, pi := range m.Plan {
		if pi.Module == nil {
			continue
		}
		imports, secStart, secEnd, err := readModuleImports(pi.Module.Bytes)
		if err != nil {
			return nil, fmt.Errorf("component: core module %d (core instance %d): %w", pi.Module.Index, i, err)
		}
		names := make([][2]string, len(imports))
		for j, im := range imports {
			o, err := m.importOrigin(pi, im)
			if err != nil {
				return nil, fmt.Errorf("component: core instance %d import %q %q: %w", i, im.Module, im.Name, err)
			}
			if o.ref != nil {
				names[j] = [2]string{importModulePrefix + strconv.Itoa(o.ref.Instance), o.ref.Name}
				continue
			}
			if im.Sort != CoreFunc || im.Sig == nil {
				return nil, fmt.Errorf("component: core instance %d import %q %q: a %s cannot come from the host", i, im.Module, im.Name, im.Sort)
			}
			k, seen := hostIdx[o.host]
			if !seen {
				k = len(hostFuncs)
				hostIdx[o.host] = k
				hostFuncs = append(hostFuncs, o.host)
				cc.hostSigs = append(cc.hostSigs, *im.Sig)
			} else if s := cc.hostSigs[k]; !slices.Equal(s.Params, im.Sig.Params) || !slices.Equal(s.Results, im.Sig.Results) {
				return nil, fmt.Errorf("component: host function %s imported with two signatures", o.host)
			}
			names[j] = [2]string{cc.hostName, "h" + strconv.Itoa(k)}
		}
		wasm := pi.Module.Bytes
		if len(imports) > 0 {
			wasm = rewriteImports(wasm, imports, secStart, secEnd, names)
		}
		cm, err := rt.CompileModule(ctx, wasm)
		if err != nil {
			return nil, fmt.Errorf("component: compile core module %d (core instance %d): %w", pi.Module.Index, i, err)
		}
		cc.mods[i] = cm
	}
	b := rt.NewHostModuleBuilder(cc.hostName)
	for k, h := range hostFuncs {
		impl, err := resolve(h, cc.hostSigs[k])
		if err != nil {
			return nil, fmt.Errorf("component: host function %s: %w", h, err)
		}
		if impl == nil {
			return nil, fmt.Errorf("component: host function %s: resolver gave no implementation", h)
		}
		sig := cc.hostSigs[k]
		b.NewFunctionBuilder().
			WithGoModuleFunction(hostFunction(h, impl), sig.Params, sig.Results).
			WithName(h.String()).
			Export("h" + strconv.Itoa(k))
	}
	host, err := b.Instantiate(ctx)
	if err != nil {
		return nil, fmt.Errorf("component: instantiate host functions: %w", err)
	}
	cc.host = host
	ok = true
	return cc, nil
}

// importOrigin is where import im of module instance pi comes from.
func (m *Model) importOrigin(pi PlanInstance, im coreImport) (origin, error) {
	for _, a := range pi.Args {
		if a.Name != im.Module {
			continue
		}
		src := m.Plan[a.Instance]
		if src.Module != nil {
			return origin{ref: &CoreRef{Instance: int(a.Instance), Name: im.Name}}, nil
		}
		for _, e := range src.Exports {
			if e.Name == im.Name {
				if e.Sort != im.Sort {
					return origin{}, fmt.Errorf("argument %q gives a %s, the module imports a %s", a.Name, e.Sort, im.Sort)
				}
				return origin{ref: e.From, host: e.Host}, nil
			}
		}
		return origin{}, fmt.Errorf("argument %q (core instance %d) has no export %q", a.Name, a.Instance, im.Name)
	}
	return origin{}, fmt.Errorf("no instantiation argument named %q", im.Module)
}

func hostFunction(h *HostFunc, impl HostImpl) api.GoModuleFunction {
	return api.GoModuleFunc(func(ctx context.Context, caller api.Module, stack []uint64) {
		in, _ := ctx.Value(instanceKey{}).(*Execution)
		call := &HostCall{Execution: in, Func: h}
		if in != nil {
			if r := h.Options.Memory; r != nil {
				call.Memory = in.memory(*r)
			}
			if r := h.Options.Realloc; r != nil {
				call.Realloc = in.function(*r)
			}
		}
		if call.Memory == nil && caller != nil {
			call.Memory = presentMemory(caller.Memory())
		}
		impl(ctx, call, stack)
	})
}

// hostModuleName names the host module of a component in rt. The name is
// written into the core modules' imports, so it is derived from the
// component's core modules alone: the same component compiles to the same
// bytes in any process, and wazero's compilation cache finds them again
// (a name from a counter made every compile a miss, and the cache folder
// grow). A second compile of one component in the same runtime while the
// first is open gets a numbered name.
func hostModuleName(rt wazero.Runtime, m *Model) string {
	h := sha256.New()
	for _, pi := range m.Plan {
		if pi.Module != nil {
			h.Write(pi.Module.Bytes)
		}
	}
	name := "wavs:component-host/" + hex.EncodeToString(h.Sum(nil)[:12])
	if rt.Module(name) == nil {
		return name
	}
	return fmt.Sprintf("%s/%d", name, hostSeq.Add(1))
}

// presentMemory is m, or nil when m is a nil pointer in an interface (what
// wazero gives for a module without a memory): host functions test for
// nil, and a typed nil would reach them as a memory and crash the node.
func presentMemory(m api.Memory) api.Memory {
	if m == nil {
		return nil
	}
	if v := reflect.ValueOf(m); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil
	}
	return m
}

// Close closes the compiled modules and the host module.
func (cc *Compiled) Close(ctx context.Context) error {
	var errs []error
	for i, m := range cc.mods {
		if m != nil {
			errs = append(errs, m.Close(ctx))
			cc.mods[i] = nil
		}
	}
	if cc.host != nil {
		errs = append(errs, cc.host.Close(ctx))
		cc.host = nil
	}
	return errors.Join(errs...)
}

// coreModuleConfig instantiates every core module of a component:
// anonymous, start functions only as the module declares them. Its rand
// source is set because without one wazero seeds a fresh math/rand source
// (a deterministic fake) for every instance, about 10 µs each; a core
// module of a component reaches no WASI of wazero's (its imports are
// rewritten to other core instances), so nothing reads it.
var coreModuleConfig = wazero.NewModuleConfig().WithName("").WithStartFunctions().WithRandSource(rand.Reader)

type instanceKey struct{}

// Execution is one execution's instantiation of a component: fresh core
// module instances, anonymous in the runtime so that any number can run
// at once. Close it when the execution ends.
type Execution struct {
	cc   *Compiled
	mods []api.Module // by core instance index; nil for bags
}

// Instantiate instantiates every core module of the plan in order. Core
// start functions run (wit-component's fixup module calls the main
// module's _initialize from its start), so host functions may be called
// already; ctx reaches them.
func (cc *Compiled) Instantiate(ctx context.Context) (*Execution, error) {
	in := &Execution{cc: cc, mods: make([]api.Module, len(cc.mods))}
	ctx = in.context(ctx)
	ctx = experimental.WithImportResolver(ctx, func(name string) api.Module {
		rest, ok := strings.CutPrefix(name, importModulePrefix)
		if !ok {
			return nil
		}
		i, err := strconv.Atoi(rest)
		if err != nil || i < 0 || i >= len(in.mods) || in.mods[i] == nil {
			return nil
		}
		return in.mods[i]
	})
	for i, cm := range cc.mods {
		if cm == nil {
			continue
		}
		mod, err := cc.rt.InstantiateModule(ctx, cm, coreModuleConfig)
		if err != nil {
			_ = in.Close(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("component: instantiate core instance %d: %w", i, err)
		}
		in.mods[i] = mod
	}
	return in, nil
}

func (in *Execution) context(ctx context.Context) context.Context {
	if cur, _ := ctx.Value(instanceKey{}).(*Execution); cur == in {
		return ctx
	}
	return context.WithValue(ctx, instanceKey{}, in)
}

// ExecutionFrom is the Execution whose host function ctx was passed to.
func ExecutionFrom(ctx context.Context) *Execution {
	in, _ := ctx.Value(instanceKey{}).(*Execution)
	return in
}

// Module is the module instance of core instance i (nil for a bag).
func (in *Execution) Module(i int) api.Module {
	if i < 0 || i >= len(in.mods) {
		return nil
	}
	return in.mods[i]
}

func (in *Execution) memory(r CoreRef) api.Memory {
	if m := in.Module(r.Instance); m != nil {
		return m.ExportedMemory(r.Name)
	}
	return nil
}

func (in *Execution) function(r CoreRef) api.Function {
	if m := in.Module(r.Instance); m != nil {
		return m.ExportedFunction(r.Name)
	}
	return nil
}

// Memory is the memory named by canon options, or nil.
func (in *Execution) Memory(o ResolvedOptions) api.Memory {
	if o.Memory == nil {
		return nil
	}
	return in.memory(*o.Memory)
}

// Func is the core function of an exported function (see Model.Export),
// ready to call with Call.
func (in *Execution) Func(f *LiftedFunc) (api.Function, error) {
	fn := in.function(f.Core)
	if fn == nil {
		return nil, fmt.Errorf("component: %s: no such core function", f.Core)
	}
	return fn, nil
}

// Call calls the core function lifted as f with raw core values, so that
// host functions it calls find this Execution in ctx. Calling the
// post-return function, if any, is the caller's job (CallPostReturn).
func (in *Execution) Call(ctx context.Context, f *LiftedFunc, params ...uint64) ([]uint64, error) {
	fn, err := in.Func(f)
	if err != nil {
		return nil, err
	}
	return fn.Call(in.context(ctx), params...)
}

// CallPostReturn calls f's post-return function with the results of Call,
// when f has one.
func (in *Execution) CallPostReturn(ctx context.Context, f *LiftedFunc, results []uint64) error {
	if f.Options.PostReturn == nil {
		return nil
	}
	fn := in.function(*f.Options.PostReturn)
	if fn == nil {
		return fmt.Errorf("component: post-return %s: no such core function", f.Options.PostReturn)
	}
	_, err := fn.Call(in.context(ctx), results...)
	return err
}

// Close closes the instance's core modules, last instantiated first.
func (in *Execution) Close(ctx context.Context) error {
	var errs []error
	for i := len(in.mods) - 1; i >= 0; i-- {
		if m := in.mods[i]; m != nil {
			errs = append(errs, m.Close(ctx))
			in.mods[i] = nil
		}
	}
	return errors.Join(errs...)
}
