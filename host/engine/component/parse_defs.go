package component

import (
	"errors"
	"fmt"
)

// readSort reads a sort (core sorts are prefixed with 0x00).
func readSort(r *reader) (Sort, error) {
	b := r.byte()
	if r.err != nil {
		return Sort{}, r.err
	}
	switch b {
	case 0x00:
		cs := CoreSort(r.byte())
		switch cs {
		case CoreFunc, CoreTable, CoreMemory, CoreGlobal, CoreTypeSort, CoreModule, CoreInstance:
			return Sort{Core: true, CoreOf: cs}, r.err
		}
		if r.err != nil {
			return Sort{}, r.err
		}
		return Sort{}, fmt.Errorf("core sort 0x%02x", uint8(cs))
	case 0x01:
		return Sort{Extern: ExternFunc}, nil
	case 0x02:
		return Sort{}, unsupported("value sort")
	case 0x03:
		return Sort{Extern: ExternType}, nil
	case 0x04:
		return Sort{Extern: ExternComponent}, nil
	case 0x05:
		return Sort{Extern: ExternInstance}, nil
	}
	return Sort{}, fmt.Errorf("sort 0x%02x", b)
}

// count is the length of the index space of sort s.
func (c *Component) count(s Sort) int {
	if s.Core {
		switch s.CoreOf {
		case CoreFunc:
			return len(c.CoreFuncs)
		case CoreTable:
			return len(c.CoreTables)
		case CoreMemory:
			return len(c.CoreMemories)
		case CoreGlobal:
			return len(c.CoreGlobals)
		case CoreTypeSort:
			return len(c.CoreTypes)
		case CoreModule:
			return len(c.Modules)
		case CoreInstance:
			return len(c.CoreInstances)
		}
		return 0
	}
	switch s.Extern {
	case ExternFunc:
		return len(c.Funcs)
	case ExternType:
		return len(c.Types)
	case ExternInstance:
		return len(c.Instances)
	case ExternComponent:
		return len(c.Components)
	}
	return 0
}

func (c *Component) checkIndex(s Sort, i uint32) error {
	if n := c.count(s); uint64(i) >= uint64(n) {
		return fmt.Errorf("%s index %d out of range (%d defined)", s, i, n)
	}
	return nil
}

func coreSort(s CoreSort) Sort { return Sort{Core: true, CoreOf: s} }

// readExternName reads an importname' or exportname' and returns the name
// and the version suffix of an annotated name, if any.
func readExternName(r *reader) (string, string, error) {
	tag := r.byte()
	if r.err != nil {
		return "", "", r.err
	}
	if tag > 0x02 {
		return "", "", fmt.Errorf("extern name tag 0x%02x", tag)
	}
	name := r.name()
	if r.err != nil {
		return "", "", r.err
	}
	if name == "" {
		return "", "", errors.New("empty import or export name")
	}
	var version string
	if tag == 0x02 {
		n := r.count("name options", 2)
		for i := 0; i < n && r.err == nil; i++ {
			switch opt := r.byte(); opt {
			case 0x00:
				r.name() // (implements "iface"): not needed to link
			case 0x01:
				version = r.name()
			default:
				if r.err == nil {
					return "", "", fmt.Errorf("extern name option 0x%02x", opt)
				}
			}
		}
	}
	return name, version, r.err
}

func (c *Component) readCoreInstance(sc *scope, r *reader) error {
	d := &CoreInstanceDef{Index: len(c.CoreInstances)}
	switch tag := r.byte(); tag {
	case 0x00:
		m := r.u32()
		if r.err != nil {
			return r.err
		}
		if err := c.checkIndex(coreSort(CoreModule), m); err != nil {
			return err
		}
		d.Module = c.Modules[m]
		n := r.count("instantiate arguments", 3)
		for i := 0; i < n && r.err == nil; i++ {
			name := r.name()
			if s := r.byte(); s != byte(CoreInstance) && r.err == nil {
				return fmt.Errorf("instantiate argument %q of sort 0x%02x, only core instance", name, s)
			}
			idx := r.u32()
			if r.err != nil {
				break
			}
			if err := c.checkIndex(coreSort(CoreInstance), idx); err != nil {
				return fmt.Errorf("instantiate argument %q: %w", name, err)
			}
			d.Args = append(d.Args, CoreArg{Name: name, Instance: idx})
		}
	case 0x01:
		n := r.count("core exports", 3)
		for i := 0; i < n && r.err == nil; i++ {
			name := r.name()
			s := CoreSort(r.byte())
			idx := r.u32()
			if r.err != nil {
				break
			}
			switch s {
			case CoreFunc, CoreTable, CoreMemory, CoreGlobal:
			default:
				return fmt.Errorf("core export %q of sort %s", name, s)
			}
			if err := c.checkIndex(coreSort(s), idx); err != nil {
				return fmt.Errorf("core export %q: %w", name, err)
			}
			d.Exports = append(d.Exports, CoreExport{Name: name, Sort: s, Index: idx})
		}
	default:
		if r.err != nil {
			return r.err
		}
		return fmt.Errorf("core instance tag 0x%02x", tag)
	}
	if r.err != nil {
		return r.err
	}
	c.CoreInstances = append(c.CoreInstances, d)
	return nil
}

func (c *Component) readArgs(r *reader, what string) ([]Arg, error) {
	n := r.count(what, 3)
	var args []Arg
	for i := 0; i < n && r.err == nil; i++ {
		name := r.name()
		s, err := readSort(r)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", what, name, err)
		}
		idx := r.u32()
		if r.err != nil {
			break
		}
		if err := c.checkIndex(s, idx); err != nil {
			return nil, fmt.Errorf("%s %q: %w", what, name, err)
		}
		args = append(args, Arg{Name: name, Sort: s, Index: idx})
	}
	return args, r.err
}

func (c *Component) readInstance(sc *scope, r *reader) error {
	in := &Instance{}
	switch tag := r.byte(); tag {
	case 0x00:
		ci := r.u32()
		if r.err != nil {
			return r.err
		}
		if err := c.checkIndex(Sort{Extern: ExternComponent}, ci); err != nil {
			return err
		}
		args, err := c.readArgs(r, "instantiate arguments")
		if err != nil {
			return err
		}
		in.Kind, in.Component, in.Args = InstanceInstantiate, c.Components[ci], args
		in.Type = c.instantiatedType(in.Component, args)
	case 0x01:
		args, err := c.readArgs(r, "inline exports")
		if err != nil {
			return err
		}
		in.Kind, in.Exports = InstanceExports, args
		in.Type = &Type{Kind: KindInstance}
		for _, a := range args {
			in.Type.Exports = append(in.Type.Exports, c.externOf(a.Name, a.Sort, a.Index))
		}
	default:
		if r.err != nil {
			return r.err
		}
		return fmt.Errorf("instance tag 0x%02x", tag)
	}
	c.Instances = append(c.Instances, in)
	return nil
}

// externOf describes item idx of sort s of c as an export named name.
func (c *Component) externOf(name string, s Sort, idx uint32) Extern {
	e := Extern{Name: name, Kind: s.Extern}
	if s.Core {
		e.Kind = ExternCoreModule
		return e
	}
	switch s.Extern {
	case ExternFunc:
		e.Type = c.Funcs[idx].Type
	case ExternType:
		e.Type = c.Types[idx]
	case ExternInstance:
		e.Type = c.Instances[idx].Type
	}
	return e
}

// instantiatedType is the instance type of nested instantiated with args:
// its exports, with its type imports replaced by the types given.
func (c *Component) instantiatedType(nested *Component, args []Arg) *Type {
	subst := map[*Type]*Type{}
	for t, name := range nested.typeImports {
		for _, a := range args {
			if a.Name == name && !a.Sort.Core && a.Sort.Extern == ExternType {
				subst[t] = c.Types[a.Index]
			}
		}
	}
	t := &Type{Kind: KindInstance}
	for _, ex := range nested.Exports {
		e := nested.externOf(ex.Name, ex.Sort, ex.Index)
		if s, ok := subst[e.Type]; ok {
			e.Type = s
		}
		t.Exports = append(t.Exports, e)
	}
	return t
}

func (c *Component) readAlias(sc *scope, r *reader) error {
	s, err := readSort(r)
	if err != nil {
		return err
	}
	switch target := r.byte(); target {
	case 0x00:
		i := r.u32()
		name := r.name()
		if r.err != nil {
			return r.err
		}
		if err := c.checkIndex(Sort{Extern: ExternInstance}, i); err != nil {
			return err
		}
		return c.aliasExport(s, i, name)
	case 0x01:
		i := r.u32()
		name := r.name()
		if r.err != nil {
			return r.err
		}
		if err := c.checkIndex(coreSort(CoreInstance), i); err != nil {
			return err
		}
		if !s.Core {
			return fmt.Errorf("core export alias of sort %s", s)
		}
		switch s.CoreOf {
		case CoreFunc:
			c.CoreFuncs = append(c.CoreFuncs, &CoreFuncDef{Kind: CoreFuncAlias, Alias: CoreAlias{Instance: i, Name: name}})
		case CoreTable:
			c.CoreTables = append(c.CoreTables, &CoreItemRef{Instance: i, Name: name})
		case CoreMemory:
			c.CoreMemories = append(c.CoreMemories, &CoreItemRef{Instance: i, Name: name})
		case CoreGlobal:
			c.CoreGlobals = append(c.CoreGlobals, &CoreItemRef{Instance: i, Name: name})
		default:
			return unsupported("alias of a core instance's %s export", s)
		}
		return nil
	case 0x02:
		ct := r.u32()
		i := r.u32()
		if r.err != nil {
			return r.err
		}
		o, err := sc.outer(ct)
		if err != nil {
			return err
		}
		oc := o.nearestComponent()
		switch {
		case !s.Core && s.Extern == ExternType:
			t, err := o.typeAt(i)
			if err != nil {
				return err
			}
			if t.Kind == KindResource && ct > 0 {
				return errors.New("outer alias of a resource type")
			}
			c.Types = append(c.Types, t)
		case s.Core && s.CoreOf == CoreTypeSort:
			t, err := o.coreTypeAt(i)
			if err != nil {
				return err
			}
			c.CoreTypes = append(c.CoreTypes, t)
		case s.Core && s.CoreOf == CoreModule:
			if err := oc.checkIndex(s, i); err != nil {
				return err
			}
			c.Modules = append(c.Modules, oc.Modules[i])
		case !s.Core && s.Extern == ExternComponent:
			if err := oc.checkIndex(s, i); err != nil {
				return err
			}
			c.Components = append(c.Components, oc.Components[i])
		default:
			return fmt.Errorf("outer alias of a %s", s)
		}
		return nil
	default:
		if r.err != nil {
			return r.err
		}
		return fmt.Errorf("alias target 0x%02x", target)
	}
}

// aliasExport adds export name of instance i to the index space of s.
func (c *Component) aliasExport(s Sort, i uint32, name string) error {
	inst := c.Instances[i]
	e, ok := inst.Type.Export(name)
	if !ok {
		return fmt.Errorf("instance %d has no export %q", i, name)
	}
	if s.Core || e.Kind != s.Extern {
		return fmt.Errorf("alias of instance %d's %s export %q as %s", i, e.Kind, name, s)
	}
	switch s.Extern {
	case ExternFunc:
		c.Funcs = append(c.Funcs, &Func{Kind: FuncAlias, Instance: i, Name: name, Type: e.Type})
	case ExternType:
		if e.Type == nil {
			return fmt.Errorf("instance %d's type export %q has no known type", i, name)
		}
		c.Types = append(c.Types, e.Type)
	case ExternInstance:
		c.Instances = append(c.Instances, &Instance{Kind: InstanceAlias, Of: i, Name: name, Type: e.Type})
	default:
		return unsupported("alias of a %s export", s)
	}
	return nil
}
