package component

import "fmt"

// Core value type codes accepted in core function types.
var coreValTypes = map[byte]string{
	0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128",
	0x70: "funcref", 0x6f: "externref",
}

func readCoreValType(r *reader) (byte, error) {
	b := r.byte()
	if r.err != nil {
		return 0, r.err
	}
	if _, ok := coreValTypes[b]; !ok {
		return 0, fmt.Errorf("core value type 0x%02x", b)
	}
	return b, nil
}

// readCoreType reads a core:type: a function type or a module type.
func readCoreType(sc *scope, r *reader) (*CoreType, error) {
	code := r.byte()
	if code == 0x00 && r.peek() == 0x50 {
		code = r.byte() // newer encoding prefixes module types with 0x00
	}
	if r.err != nil {
		return nil, r.err
	}
	switch code {
	case 0x60:
		ft := &CoreFuncType{}
		for _, list := range []*[]byte{&ft.Params, &ft.Results} {
			n := r.count("core value types", 1)
			for i := 0; i < n && r.err == nil; i++ {
				v, err := readCoreValType(r)
				if err != nil {
					return nil, err
				}
				*list = append(*list, v)
			}
		}
		return &CoreType{Func: ft}, r.err
	case 0x50:
		return readCoreModuleType(sc, r)
	case 0x4e, 0x4f, 0x5e, 0x5f:
		return nil, unsupported("core GC type 0x%02x", code)
	}
	return nil, fmt.Errorf("core type constructor 0x%02x", code)
}

func readCoreModuleType(parent *scope, r *reader) (*CoreType, error) {
	mt := &CoreModuleType{}
	sc := &scope{parent: parent}
	n := r.count("module declarations", 2)
	for i := 0; i < n && r.err == nil; i++ {
		tag := r.byte()
		var err error
		switch tag {
		case 0x00:
			mod, name := r.name(), r.name()
			var s CoreSort
			if s, err = readCoreImportDesc(sc, r); err == nil {
				mt.Imports = append(mt.Imports, CoreImportDecl{Module: mod, Name: name, Sort: s})
			}
		case 0x01:
			var ct *CoreType
			if ct, err = readCoreType(sc, r); err == nil {
				if ct.Module != nil {
					err = fmt.Errorf("module type nested in a module type")
				} else {
					sc.addCoreType(ct)
				}
			}
		case 0x02:
			s := CoreSort(r.byte())
			if t := r.byte(); t != 0x01 && r.err == nil {
				err = fmt.Errorf("core alias target 0x%02x, only outer (0x01)", t)
				break
			}
			ct, idx := r.u32(), r.u32()
			if r.err != nil || err != nil {
				break
			}
			if s != CoreTypeSort {
				err = fmt.Errorf("outer alias of a %s in a module type", s)
				break
			}
			var o *scope
			if o, err = sc.outer(ct); err == nil {
				var t *CoreType
				if t, err = o.coreTypeAt(idx); err == nil {
					sc.addCoreType(t)
				}
			}
		case 0x03:
			name := r.name()
			var s CoreSort
			if s, err = readCoreImportDesc(sc, r); err == nil {
				mt.Exports = append(mt.Exports, CoreExportDecl{Name: name, Sort: s})
			}
		default:
			if r.err == nil {
				err = fmt.Errorf("module declaration tag 0x%02x", tag)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("module type declaration %d: %w", i, err)
		}
	}
	return &CoreType{Module: mt}, r.err
}

// readCoreImportDesc reads a core importdesc and returns its sort.
func readCoreImportDesc(sc *scope, r *reader) (CoreSort, error) {
	tag := r.byte()
	if r.err != nil {
		return 0, r.err
	}
	switch tag {
	case 0x00:
		i := r.u32()
		if r.err != nil {
			return 0, r.err
		}
		t, err := sc.coreTypeAt(i)
		if err != nil {
			return 0, err
		}
		if t.Func == nil {
			return 0, fmt.Errorf("core type %d is not a function type", i)
		}
		return CoreFunc, nil
	case 0x01:
		if _, err := readCoreValType(r); err != nil {
			return 0, err
		}
		return CoreTable, readLimits(r)
	case 0x02:
		return CoreMemory, readLimits(r)
	case 0x03:
		if _, err := readCoreValType(r); err != nil {
			return 0, err
		}
		if m := r.byte(); m > 1 && r.err == nil {
			return 0, fmt.Errorf("global mutability 0x%02x", m)
		}
		return CoreGlobal, r.err
	case 0x04:
		if a := r.byte(); a != 0 && r.err == nil {
			return 0, fmt.Errorf("tag attribute 0x%02x", a)
		}
		r.u32()
		return CoreTag, r.err
	}
	return 0, fmt.Errorf("core import kind 0x%02x", tag)
}

func readLimits(r *reader) error {
	flags := r.byte()
	if flags > 0x07 && r.err == nil {
		return fmt.Errorf("limits flags 0x%02x", flags)
	}
	read := r.u32
	if flags&0x04 != 0 {
		read = func() uint32 { r.u64(); return 0 }
	}
	read()
	if flags&0x01 != 0 {
		read()
	}
	return r.err
}
