package component

import (
	"errors"
	"fmt"
)

// canonNames names the canon built-ins this host does not run: the async,
// stream, future, error-context and thread ones.
var canonNames = map[byte]string{
	0x05: "task.cancel", 0x06: "subtask.cancel", 0x07: "resource.drop async",
	0x08: "backpressure.set", 0x09: "task.return", 0x0a: "context.get",
	0x0b: "context.set", 0x0c: "thread.yield", 0x0d: "subtask.drop",
	0x0e: "stream.new", 0x0f: "stream.read", 0x10: "stream.write",
	0x11: "stream.cancel-read", 0x12: "stream.cancel-write",
	0x13: "stream.drop-readable", 0x14: "stream.drop-writable",
	0x15: "future.new", 0x16: "future.read", 0x17: "future.write",
	0x18: "future.cancel-read", 0x19: "future.cancel-write",
	0x1a: "future.drop-readable", 0x1b: "future.drop-writable",
	0x1c: "error-context.new", 0x1d: "error-context.debug-message",
	0x1e: "error-context.drop", 0x1f: "waitable-set.new",
	0x20: "waitable-set.wait", 0x21: "waitable-set.poll",
	0x22: "waitable-set.drop", 0x23: "waitable.join",
	0x40: "thread.spawn-ref", 0x41: "thread.spawn-indirect",
	0x42: "thread.available-parallelism",
}

func (c *Component) readCanon(sc *scope, r *reader) error {
	op := r.byte()
	if r.err != nil {
		return r.err
	}
	switch op {
	case 0x00, 0x01:
		if s := r.byte(); s != 0x00 && r.err == nil {
			return fmt.Errorf("canon %s of sort 0x%02x, want func", map[byte]string{0: "lift", 1: "lower"}[op], s)
		}
		f := r.u32()
		if r.err != nil {
			return r.err
		}
		opts, err := c.readCanonOptions(r)
		if err != nil {
			return err
		}
		if op == 0x01 {
			if err := c.checkIndex(Sort{Extern: ExternFunc}, f); err != nil {
				return fmt.Errorf("canon lower: %w", err)
			}
			c.CoreFuncs = append(c.CoreFuncs, &CoreFuncDef{Kind: CoreFuncLower, Func: f, Options: opts})
			return nil
		}
		if err := c.checkIndex(coreSort(CoreFunc), f); err != nil {
			return fmt.Errorf("canon lift: %w", err)
		}
		ti := r.u32()
		if r.err != nil {
			return r.err
		}
		ft, err := sc.typeAt(ti)
		if err != nil {
			return fmt.Errorf("canon lift: %w", err)
		}
		if ft.Kind != KindFunc {
			return fmt.Errorf("canon lift with type %d, a %s, not a func type", ti, ft.Kind)
		}
		c.Funcs = append(c.Funcs, &Func{Kind: FuncLift, CoreFunc: f, Options: opts, Type: ft})
		return nil
	case 0x02, 0x03, 0x04:
		kind := map[byte]CoreFuncKind{0x02: CoreFuncResourceNew, 0x03: CoreFuncResourceDrop, 0x04: CoreFuncResourceRep}[op]
		ti := r.u32()
		if r.err != nil {
			return r.err
		}
		rt, err := sc.typeAt(ti)
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		if rt.Kind != KindResource {
			return fmt.Errorf("%s of type %d, a %s, not a resource", kind, ti, rt.Kind)
		}
		c.CoreFuncs = append(c.CoreFuncs, &CoreFuncDef{Kind: kind, Resource: rt})
		return nil
	}
	if name, ok := canonNames[op]; ok {
		return unsupported("canon %s (async/threads)", name)
	}
	return fmt.Errorf("canon opcode 0x%02x", op)
}

func (c *Component) readCanonOptions(r *reader) (CanonOptions, error) {
	var o CanonOptions
	n := r.count("canon options", 1)
	seen := map[byte]bool{}
	for i := 0; i < n && r.err == nil; i++ {
		opt := r.byte()
		if r.err != nil {
			break
		}
		key := opt
		if opt <= 0x02 {
			key = 0x00 // one string encoding
		}
		if seen[key] {
			return o, fmt.Errorf("canon option 0x%02x repeated or conflicting", opt)
		}
		seen[key] = true
		switch opt {
		case 0x00, 0x01, 0x02:
			o.StringEncoding = StringEncoding(opt)
		case 0x03:
			m := r.u32()
			if err := c.checkIndex(coreSort(CoreMemory), m); err != nil && r.err == nil {
				return o, fmt.Errorf("memory option: %w", err)
			}
			o.Memory = &m
		case 0x04, 0x05:
			f := r.u32()
			if err := c.checkIndex(coreSort(CoreFunc), f); err != nil && r.err == nil {
				return o, fmt.Errorf("%s option: %w", map[byte]string{4: "realloc", 5: "post-return"}[opt], err)
			}
			if opt == 0x04 {
				o.Realloc = &f
			} else {
				o.PostReturn = &f
			}
		case 0x06:
			return o, unsupported("canon option async")
		case 0x07:
			return o, unsupported("canon option callback (async)")
		default:
			return o, fmt.Errorf("canon option 0x%02x", opt)
		}
	}
	return o, r.err
}

func (c *Component) readImport(sc *scope, r *reader) error {
	name, version, err := readExternName(r)
	if err != nil {
		return err
	}
	for _, im := range c.Imports {
		if im.Name == name {
			return fmt.Errorf("import %q repeated", name)
		}
	}
	kind, t, err := readExternDesc(sc, r, name)
	if err != nil {
		return fmt.Errorf("import %q: %w", name, err)
	}
	im := &Import{Name: name, Kind: kind, Type: t, Version: version}
	switch kind {
	case ExternFunc:
		im.Index = len(c.Funcs)
		c.Funcs = append(c.Funcs, &Func{Kind: FuncImport, Import: im, Type: t})
	case ExternInstance:
		im.Index = len(c.Instances)
		c.Instances = append(c.Instances, &Instance{Kind: InstanceImport, Import: im, Type: t})
		// Name the resources the instance declares after it, for the host.
		for _, e := range t.Exports {
			if e.Kind == ExternType && e.Type != nil && e.Type.Kind == KindResource && e.Type.Resource != nil && !e.Type.Resource.Defined && e.Type.Resource.Instance == "" {
				e.Type.Resource.Instance = name
			}
		}
	case ExternType:
		im.Index = len(c.Types)
		c.Types = append(c.Types, t)
		c.typeImports[t] = name
	case ExternComponent:
		return unsupported("import of a component (%q)", name)
	case ExternCoreModule:
		im.Index = len(c.Modules)
		c.Modules = append(c.Modules, &Module{Index: len(c.Modules), Import: im})
	}
	c.Imports = append(c.Imports, im)
	return nil
}

func (c *Component) readExport(sc *scope, r *reader) error {
	name, _, err := readExternName(r)
	if err != nil {
		return err
	}
	s, err := readSort(r)
	if err != nil {
		return fmt.Errorf("export %q: %w", name, err)
	}
	idx := r.u32()
	if r.err != nil {
		return r.err
	}
	if err := c.checkIndex(s, idx); err != nil {
		return fmt.Errorf("export %q: %w", name, err)
	}
	ex := &Export{Name: name, Sort: s, Index: idx}
	switch has := r.byte(); has {
	case 0x00:
	case 0x01:
		_, t, err := readExternDesc(sc, r, name)
		if err != nil {
			return fmt.Errorf("export %q type: %w", name, err)
		}
		ex.Type = t
	default:
		if r.err == nil {
			return fmt.Errorf("export %q: type ascription flag 0x%02x", name, has)
		}
	}
	if r.err != nil {
		return r.err
	}
	for _, e := range c.Exports {
		if e.Name == name {
			return fmt.Errorf("export %q repeated", name)
		}
	}
	// An export is a new index aliasing the item.
	switch {
	case s.Core && s.CoreOf == CoreModule:
		c.Modules = append(c.Modules, c.Modules[idx])
	case s.Core:
		return fmt.Errorf("export %q of a %s: only core modules may be exported", name, s)
	case s.Extern == ExternFunc:
		c.Funcs = append(c.Funcs, c.Funcs[idx])
	case s.Extern == ExternType:
		t := c.Types[idx]
		if ex.Type != nil && ex.Type.Kind == KindResource && t.Kind == KindResource && ex.Type != t {
			ex.Type = t // (sub resource) ascription: the exported resource itself
		}
		c.Types = append(c.Types, t)
	case s.Extern == ExternInstance:
		c.Instances = append(c.Instances, c.Instances[idx])
	case s.Extern == ExternComponent:
		c.Components = append(c.Components, c.Components[idx])
	default:
		return errors.New("export of an unknown sort")
	}
	c.Exports = append(c.Exports, ex)
	return nil
}
