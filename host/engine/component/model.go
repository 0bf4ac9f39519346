package component

import (
	"fmt"
	"strings"
)

// Model is what the engine needs of a component: its imports and exports
// with their types, and the plan for instantiating its core modules.
type Model struct {
	Component *Component
	Imports   []ImportInfo
	Exports   []ExportInfo
	// Plan lists the component's core instances in index order, which is
	// an order where each one's arguments come before it.
	Plan []PlanInstance
	// Host lists the host functions the plan uses (lowered imports and
	// resource built-ins), each once.
	Host []*HostFunc
}

// ImportInfo is a component import: its full name, the name split into
// package, interface and version (for "wasi:cli/environment@0.2.3":
// "wasi:cli", "environment", 0.2.3; a plain name such as "host-log" has
// only Interface), and for an instance, the functions it declares.
type ImportInfo struct {
	Name      string
	Package   string
	Interface string
	Version   *Version
	Kind      ExternKind
	Type      *Type
	Funcs     []Extern
}

// ExportInfo is a component export. Func is set for a function export, or
// for each function of an exported instance in Funcs.
type ExportInfo struct {
	Name  string
	Kind  ExternKind
	Type  *Type
	Func  *LiftedFunc
	Funcs map[string]*LiftedFunc
}

// LiftedFunc is an exported function: the core function it lifts and the
// canon options to lift it with.
type LiftedFunc struct {
	Name    string
	Type    *Type
	Core    CoreRef
	Options ResolvedOptions
}

// CoreRef names an export of a module instance in the plan.
type CoreRef struct {
	Instance int // core instance index (a module instantiation)
	Name     string
}

func (r CoreRef) String() string {
	return fmt.Sprintf("core instance %d export %q", r.Instance, r.Name)
}

// ResolvedOptions are canon options with memory and functions resolved to
// the module instance exports they are.
type ResolvedOptions struct {
	StringEncoding StringEncoding
	Memory         *CoreRef
	Realloc        *CoreRef
	PostReturn     *CoreRef
}

// PlanInstance is one core instance: module Module instantiated with Args
// (each a core instance index), or, with Module nil, a bag of Exports.
type PlanInstance struct {
	Index   int
	Module  *Module
	Args    []CoreArg
	Exports []PlanExport
}

// PlanExport is an item of a bag: an export of a module instance or a
// host function.
type PlanExport struct {
	Name string
	Sort CoreSort
	From *CoreRef
	Host *HostFunc
}

// HostFunc is a core function the host provides: a lowered import, or a
// resource built-in. Import and Func name it the way WIT does:
// ("wasi:cli/environment@0.2.3", "get-environment") for an instance's
// function, ("host-log", "") for a function imported alone, and for
// resource built-ins ("wasi:io/streams@0.2.3", "[resource-drop]output-stream").
type HostFunc struct {
	CoreFunc int // index in the component's core func space
	Kind     CoreFuncKind
	Import   string
	Func     string
	Type     *Type // the func type, for lowered imports
	Resource *Type // the resource, for resource built-ins
	Options  ResolvedOptions
}

func (h *HostFunc) String() string {
	if h.Func == "" {
		return h.Import
	}
	return h.Import + "#" + h.Func
}

// Resolve builds the Model of a top-level component.
func Resolve(c *Component) (*Model, error) {
	rs := &resolver{c: c, host: map[int]*HostFunc{}, memo: map[itemKey]origin{}}
	m := &Model{Component: c}
	for _, im := range c.Imports {
		info := ImportInfo{Name: im.Name, Kind: im.Kind, Type: im.Type}
		info.Package, info.Interface, info.Version = splitName(im.Name)
		if im.Version != "" && info.Version == nil {
			info.Version, _ = ParseVersion(im.Version)
		}
		if im.Kind == ExternInstance && im.Type != nil {
			for _, e := range im.Type.Exports {
				if e.Kind == ExternFunc {
					info.Funcs = append(info.Funcs, e)
				}
			}
		}
		m.Imports = append(m.Imports, info)
	}
	for i, d := range c.CoreInstances {
		pi := PlanInstance{Index: i, Module: d.Module, Args: d.Args}
		if d.Module != nil && d.Module.Import != nil {
			return nil, fmt.Errorf("component: core instance %d instantiates imported module %q: %w", i, d.Module.Import.Name, ErrUnsupported)
		}
		for _, e := range d.Exports {
			pe := PlanExport{Name: e.Name, Sort: e.Sort}
			o, err := rs.coreItem(e.Sort, e.Index, 0)
			if err != nil {
				return nil, fmt.Errorf("component: core instance %d export %q: %w", i, e.Name, err)
			}
			pe.From, pe.Host = o.ref, o.host
			pi.Exports = append(pi.Exports, pe)
		}
		m.Plan = append(m.Plan, pi)
	}
	for _, ex := range c.Exports {
		info := ExportInfo{Name: ex.Name, Kind: ex.Sort.Extern}
		if ex.Sort.Core {
			info.Kind = ExternCoreModule
		}
		switch {
		case !ex.Sort.Core && ex.Sort.Extern == ExternFunc:
			lf, err := rs.lifted(c, c.Funcs[ex.Index], ex.Name, 0)
			if err != nil {
				return nil, fmt.Errorf("component: export %q: %w", ex.Name, err)
			}
			info.Func, info.Type = lf, lf.Type
		case !ex.Sort.Core && ex.Sort.Extern == ExternInstance:
			inst := c.Instances[ex.Index]
			info.Type = inst.Type
			info.Funcs = map[string]*LiftedFunc{}
			if inst.Type != nil {
				for _, e := range inst.Type.Exports {
					if e.Kind != ExternFunc {
						continue
					}
					f, err := rs.instanceFunc(c, inst, e.Name, 0)
					if err != nil {
						return nil, fmt.Errorf("component: export %q function %q: %w", ex.Name, e.Name, err)
					}
					lf, err := rs.lifted(c, f, e.Name, 0)
					if err != nil {
						return nil, fmt.Errorf("component: export %q function %q: %w", ex.Name, e.Name, err)
					}
					info.Funcs[e.Name] = lf
				}
			}
		case !ex.Sort.Core && ex.Sort.Extern == ExternType:
			info.Type = c.Types[ex.Index]
		}
		m.Exports = append(m.Exports, info)
	}
	for i := range c.CoreFuncs {
		if h, ok := rs.host[i]; ok {
			m.Host = append(m.Host, h)
		}
	}
	return m, nil
}

// Export finds an export by name.
func (m *Model) Export(name string) (ExportInfo, bool) {
	for _, e := range m.Exports {
		if e.Name == name {
			return e, true
		}
	}
	return ExportInfo{}, false
}

// Import finds an import by name.
func (m *Model) Import(name string) (ImportInfo, bool) {
	for _, e := range m.Imports {
		if e.Name == name {
			return e, true
		}
	}
	return ImportInfo{}, false
}

// maxChase bounds how many aliases and bags resolving one item follows.
const maxChase = 1000

type resolver struct {
	c    *Component
	host map[int]*HostFunc
	memo map[itemKey]origin // resolved core items, so chains are walked once
}

type itemKey struct {
	sort CoreSort
	idx  uint32
}

type origin struct {
	ref  *CoreRef
	host *HostFunc
}

// coreItem resolves core item idx of sort s to a module instance export
// or a host function.
func (rs *resolver) coreItem(s CoreSort, idx uint32, depth int) (origin, error) {
	if depth > maxChase {
		return origin{}, fmt.Errorf("aliases nested more than %d deep", maxChase)
	}
	c := rs.c
	if err := c.checkIndex(coreSort(s), idx); err != nil {
		return origin{}, err
	}
	key := itemKey{s, idx}
	if o, ok := rs.memo[key]; ok {
		return o, nil
	}
	o, err := rs.coreItemOnce(s, idx, depth)
	if err == nil {
		rs.memo[key] = o
	}
	return o, err
}

func (rs *resolver) coreItemOnce(s CoreSort, idx uint32, depth int) (origin, error) {
	c := rs.c
	var item *CoreItemRef
	switch s {
	case CoreFunc:
		return rs.coreFunc(idx, depth)
	case CoreTable:
		item = c.CoreTables[idx]
	case CoreMemory:
		item = c.CoreMemories[idx]
	case CoreGlobal:
		item = c.CoreGlobals[idx]
	default:
		return origin{}, fmt.Errorf("%s is not a core item", s)
	}
	return rs.coreExport(item.Instance, item.Name, s, depth+1)
}

func (rs *resolver) coreExport(inst uint32, name string, s CoreSort, depth int) (origin, error) {
	d := rs.c.CoreInstances[inst]
	if d.Module != nil {
		return origin{ref: &CoreRef{Instance: int(inst), Name: name}}, nil
	}
	for _, e := range d.Exports {
		if e.Name == name {
			if e.Sort != s {
				return origin{}, fmt.Errorf("core instance %d export %q is a %s, not a %s", inst, name, e.Sort, s)
			}
			return rs.coreItem(s, e.Index, depth+1)
		}
	}
	return origin{}, fmt.Errorf("core instance %d has no export %q", inst, name)
}

func (rs *resolver) coreFunc(idx uint32, depth int) (origin, error) {
	c := rs.c
	def := c.CoreFuncs[idx]
	if def.Kind == CoreFuncAlias {
		return rs.coreExport(def.Alias.Instance, def.Alias.Name, CoreFunc, depth+1)
	}
	if h, ok := rs.host[int(idx)]; ok {
		return origin{host: h}, nil
	}
	h := &HostFunc{CoreFunc: int(idx), Kind: def.Kind}
	switch def.Kind {
	case CoreFuncLower:
		f := c.Funcs[def.Func]
		h.Type = f.Type
		switch f.Kind {
		case FuncImport:
			h.Import = f.Import.Name
		case FuncAlias:
			inst := c.Instances[f.Instance]
			if inst.Kind != InstanceImport {
				return origin{}, unsupported("lowering function %q of a component-defined instance", f.Name)
			}
			h.Import, h.Func = inst.Import.Name, f.Name
		default:
			return origin{}, unsupported("lowering a lifted function (component-internal adapter)")
		}
		opts, err := rs.options(def.Options, depth)
		if err != nil {
			return origin{}, fmt.Errorf("canon lower of %s: %w", h, err)
		}
		h.Options = opts
	default:
		h.Resource = def.Resource
		prefix := map[CoreFuncKind]string{CoreFuncResourceNew: "[resource-new]", CoreFuncResourceDrop: "[resource-drop]", CoreFuncResourceRep: "[resource-rep]"}[def.Kind]
		if ri := def.Resource.Resource; ri != nil {
			h.Import, h.Func = ri.Instance, prefix+ri.Name
		}
	}
	rs.host[int(idx)] = h
	return origin{host: h}, nil
}

func (rs *resolver) options(o CanonOptions, depth int) (ResolvedOptions, error) {
	ro := ResolvedOptions{StringEncoding: o.StringEncoding}
	ref := func(s CoreSort, i *uint32, what string) (*CoreRef, error) {
		if i == nil {
			return nil, nil
		}
		or, err := rs.coreItem(s, *i, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%s option: %w", what, err)
		}
		if or.ref == nil {
			return nil, fmt.Errorf("%s option is a host function", what)
		}
		return or.ref, nil
	}
	var err error
	if ro.Memory, err = ref(CoreMemory, o.Memory, "memory"); err != nil {
		return ro, err
	}
	if ro.Realloc, err = ref(CoreFunc, o.Realloc, "realloc"); err != nil {
		return ro, err
	}
	if ro.PostReturn, err = ref(CoreFunc, o.PostReturn, "post-return"); err != nil {
		return ro, err
	}
	return ro, nil
}

// lifted resolves component function f of component c (the top level, or
// a nested one reached through instantiation) to the core function it
// lifts.
func (rs *resolver) lifted(c *Component, f *Func, name string, depth int) (*LiftedFunc, error) {
	if depth > maxChase {
		return nil, fmt.Errorf("aliases nested more than %d deep", maxChase)
	}
	if c != rs.c {
		return nil, unsupported("exporting a function of a nested component")
	}
	switch f.Kind {
	case FuncLift:
		o, err := rs.coreItem(CoreFunc, f.CoreFunc, depth)
		if err != nil {
			return nil, err
		}
		if o.ref == nil {
			return nil, unsupported("lifting a lowered host function")
		}
		opts, err := rs.options(f.Options, depth)
		if err != nil {
			return nil, err
		}
		return &LiftedFunc{Name: name, Type: f.Type, Core: *o.ref, Options: opts}, nil
	case FuncAlias:
		g, err := rs.instanceFunc(c, c.Instances[f.Instance], f.Name, depth+1)
		if err != nil {
			return nil, err
		}
		return rs.lifted(c, g, name, depth+1)
	}
	return nil, unsupported("exporting an imported function")
}

// instanceFunc finds the function an instance of c exports as name, in
// c's own func space (following nested instantiations back to their
// arguments).
func (rs *resolver) instanceFunc(c *Component, inst *Instance, name string, depth int) (*Func, error) {
	if depth > maxChase {
		return nil, fmt.Errorf("aliases nested more than %d deep", maxChase)
	}
	switch inst.Kind {
	case InstanceExports:
		for _, a := range inst.Exports {
			if a.Name == name && !a.Sort.Core && a.Sort.Extern == ExternFunc {
				return c.Funcs[a.Index], nil
			}
		}
	case InstanceInstantiate:
		nc := inst.Component
		for _, ex := range nc.Exports {
			if ex.Name != name || ex.Sort.Core || ex.Sort.Extern != ExternFunc {
				continue
			}
			nf := nc.Funcs[ex.Index]
			if nf.Kind != FuncImport {
				return nil, unsupported("a nested component's own function %q", name)
			}
			for _, a := range inst.Args {
				if a.Name == nf.Import.Name && !a.Sort.Core && a.Sort.Extern == ExternFunc {
					return c.Funcs[a.Index], nil
				}
			}
			return nil, fmt.Errorf("nested component import %q has no argument", nf.Import.Name)
		}
	case InstanceAlias:
		return nil, unsupported("functions of an aliased instance")
	case InstanceImport:
		return nil, unsupported("re-exporting imported function %q", name)
	}
	return nil, fmt.Errorf("instance has no function export %q", name)
}

// splitName splits "ns:pkg/iface@1.2.3" into "ns:pkg", "iface" and the
// version; a plain name is all interface.
func splitName(name string) (pkg, iface string, v *Version) {
	base, ver, hasVer := strings.Cut(name, "@")
	if hasVer {
		v, _ = ParseVersion(ver)
	}
	if p, i, ok := strings.Cut(base, "/"); ok && strings.Contains(p, ":") {
		return p, i, v
	}
	return "", base, v
}
