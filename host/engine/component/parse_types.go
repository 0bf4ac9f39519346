package component

import (
	"errors"
	"fmt"
)

// readValType reads a valtype: a primitive or the index of a defined value
// type.
func readValType(sc *scope, r *reader) (*Type, error) {
	v := r.s33()
	if r.err != nil {
		return nil, r.err
	}
	if v < 0 {
		code := byte(v & 0x7f)
		if k, ok := primByCode[code]; ok {
			return primTypes[k], nil
		}
		if code == 0x64 {
			return nil, unsupported("error-context type (async)")
		}
		return nil, fmt.Errorf("value type code 0x%02x", code)
	}
	if v > 0xffffffff {
		return nil, fmt.Errorf("type index %d out of range", v)
	}
	t, err := sc.typeAt(uint32(v))
	if err != nil {
		return nil, err
	}
	if !t.Kind.IsValue() {
		return nil, fmt.Errorf("type index %d is a %s, not a value type", v, t.Kind)
	}
	return t, nil
}

func readOptValType(sc *scope, r *reader) (*Type, error) {
	switch b := r.byte(); b {
	case 0x00:
		return nil, r.err
	case 0x01:
		return readValType(sc, r)
	default:
		if r.err != nil {
			return nil, r.err
		}
		return nil, fmt.Errorf("optional value type flag 0x%02x", b)
	}
}

// readLabel reads a label and checks it is a non-empty name.
func readLabel(r *reader, what string) (string, error) {
	s := r.name()
	if r.err != nil {
		return "", r.err
	}
	if s == "" {
		return "", fmt.Errorf("empty %s name", what)
	}
	return s, nil
}

// deepen sets t's depth from its children and checks the bound.
func deepen(t *Type, children ...*Type) error {
	d := 0
	for _, c := range children {
		if c != nil && c.depth > d {
			d = c.depth
		}
	}
	t.depth = d + 1
	if t.depth > maxTypeDepth {
		return fmt.Errorf("types nested more than %d deep", maxTypeDepth)
	}
	return nil
}

// readDefType reads a type definition (defvaltype, func, component,
// instance or resource type).
func readDefType(sc *scope, r *reader) (*Type, error) {
	code := r.peek()
	if r.err != nil {
		return nil, r.err
	}
	if k, ok := primByCode[code]; ok {
		r.byte()
		return primTypes[k], nil
	}
	r.byte()
	if r.remaining() == 0 && code != 0x40 {
		// Every constructor below has an operand.
		return nil, errShort
	}
	t := &Type{}
	switch code {
	case 0x72:
		t.Kind = KindRecord
		n := r.count("record fields", 2)
		if r.err == nil && n == 0 {
			return nil, errors.New("record with no fields")
		}
		var kids []*Type
		seen := map[string]bool{}
		for i := 0; i < n && r.err == nil; i++ {
			name, err := readLabel(r, "field")
			if err != nil {
				return nil, err
			}
			if seen[name] {
				return nil, fmt.Errorf("record field %q repeated", name)
			}
			seen[name] = true
			ft, err := readValType(sc, r)
			if err != nil {
				return nil, fmt.Errorf("record field %q: %w", name, err)
			}
			t.Fields = append(t.Fields, Field{Name: name, Type: ft})
			kids = append(kids, ft)
		}
		return t, firstErr(r.err, deepen(t, kids...))
	case 0x71:
		t.Kind = KindVariant
		n := r.count("variant cases", 3)
		if r.err == nil && n == 0 {
			return nil, errors.New("variant with no cases")
		}
		var kids []*Type
		for i := 0; i < n && r.err == nil; i++ {
			name, err := readLabel(r, "case")
			if err != nil {
				return nil, err
			}
			ct, err := readOptValType(sc, r)
			if err != nil {
				return nil, fmt.Errorf("variant case %q: %w", name, err)
			}
			switch refines := r.byte(); refines {
			case 0x00:
			case 0x01:
				return nil, unsupported("variant case refinement")
			default:
				if r.err == nil {
					return nil, fmt.Errorf("variant case %q: trailing byte 0x%02x", name, refines)
				}
			}
			t.Cases = append(t.Cases, Case{Name: name, Type: ct})
			kids = append(kids, ct)
		}
		return t, firstErr(r.err, deepen(t, kids...))
	case 0x70, 0x6b:
		t.Kind = KindList
		if code == 0x6b {
			t.Kind = KindOption
		}
		e, err := readValType(sc, r)
		if err != nil {
			return nil, fmt.Errorf("%s element: %w", t.Kind, err)
		}
		t.Elem = e
		return t, deepen(t, e)
	case 0x67:
		return nil, unsupported("fixed-size list type")
	case 0x6f:
		t.Kind = KindTuple
		n := r.count("tuple elements", 1)
		if r.err == nil && n == 0 {
			return nil, errors.New("tuple with no elements")
		}
		for i := 0; i < n && r.err == nil; i++ {
			e, err := readValType(sc, r)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			t.Tuple = append(t.Tuple, e)
		}
		return t, firstErr(r.err, deepen(t, t.Tuple...))
	case 0x6e, 0x6d:
		t.Kind = KindFlags
		if code == 0x6d {
			t.Kind = KindEnum
		}
		n := r.count(t.Kind.String()+" labels", 2)
		if r.err == nil && n == 0 {
			return nil, fmt.Errorf("%s with no labels", t.Kind)
		}
		if t.Kind == KindFlags && n > 32 {
			return nil, fmt.Errorf("flags with %d labels, at most 32 allowed", n)
		}
		for i := 0; i < n && r.err == nil; i++ {
			l, err := readLabel(r, t.Kind.String())
			if err != nil {
				return nil, err
			}
			t.Labels = append(t.Labels, l)
		}
		return t, firstErr(r.err, deepen(t))
	case 0x6c:
		return nil, unsupported("union type (removed from the component model)")
	case 0x6a:
		t.Kind = KindResult
		ok, err := readOptValType(sc, r)
		if err != nil {
			return nil, fmt.Errorf("result ok type: %w", err)
		}
		e, err := readOptValType(sc, r)
		if err != nil {
			return nil, fmt.Errorf("result error type: %w", err)
		}
		t.OK, t.Err = ok, e
		return t, deepen(t, ok, e)
	case 0x69, 0x68:
		t.Kind = KindOwn
		if code == 0x68 {
			t.Kind = KindBorrow
		}
		i := r.u32()
		if r.err != nil {
			return nil, r.err
		}
		rt, err := sc.typeAt(i)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Kind, err)
		}
		if rt.Kind != KindResource {
			return nil, fmt.Errorf("%s of type %d, a %s, not a resource", t.Kind, i, rt.Kind)
		}
		t.Elem = rt
		return t, deepen(t)
	case 0x66:
		return nil, unsupported("stream type (async)")
	case 0x65:
		return nil, unsupported("future type (async)")
	case 0x64:
		return nil, unsupported("error-context type (async)")
	case 0x40:
		return readFuncType(sc, r)
	case 0x43:
		return nil, unsupported("async func type")
	case 0x41:
		return readDeclType(sc, r, KindComponent)
	case 0x42:
		return readDeclType(sc, r, KindInstance)
	case 0x3f:
		if rep := r.byte(); rep != 0x7f {
			if r.err != nil {
				return nil, r.err
			}
			return nil, fmt.Errorf("resource representation 0x%02x, want i32 (0x7f)", rep)
		}
		t.Kind = KindResource
		t.Resource = &ResourceInfo{Defined: true}
		switch has := r.byte(); has {
		case 0x00:
		case 0x01:
			d := r.u32()
			t.Resource.Dtor = &d
		default:
			if r.err == nil {
				return nil, fmt.Errorf("resource destructor flag 0x%02x", has)
			}
		}
		if sc.comp == nil {
			return nil, errors.New("resource type defined inside a type declaration")
		}
		return t, firstErr(r.err, deepen(t))
	case 0x3e:
		return nil, unsupported("async resource type")
	}
	if r.err != nil {
		return nil, r.err
	}
	return nil, fmt.Errorf("type constructor 0x%02x", code)
}

func readFuncType(sc *scope, r *reader) (*Type, error) {
	t := &Type{Kind: KindFunc}
	var kids []*Type
	n := r.count("params", 2)
	seen := map[string]bool{}
	for i := 0; i < n && r.err == nil; i++ {
		name, err := readLabel(r, "param")
		if err != nil {
			return nil, err
		}
		if seen[name] {
			return nil, fmt.Errorf("param %q repeated", name)
		}
		seen[name] = true
		pt, err := readValType(sc, r)
		if err != nil {
			return nil, fmt.Errorf("param %q: %w", name, err)
		}
		t.Fields = append(t.Fields, Field{Name: name, Type: pt})
		kids = append(kids, pt)
	}
	switch form := r.byte(); form {
	case 0x00:
		rt, err := readValType(sc, r)
		if err != nil {
			return nil, fmt.Errorf("result: %w", err)
		}
		t.Results = []Field{{Type: rt}}
		kids = append(kids, rt)
	case 0x01:
		// Named results (older encodings); 0x01 0x00 is no result.
		m := r.count("results", 2)
		for i := 0; i < m && r.err == nil; i++ {
			name, err := readLabel(r, "result")
			if err != nil {
				return nil, err
			}
			rt, err := readValType(sc, r)
			if err != nil {
				return nil, fmt.Errorf("result %q: %w", name, err)
			}
			t.Results = append(t.Results, Field{Name: name, Type: rt})
			kids = append(kids, rt)
		}
	default:
		if r.err == nil {
			return nil, fmt.Errorf("result list form 0x%02x", form)
		}
	}
	return t, firstErr(r.err, deepen(t, kids...))
}

// readDeclType reads the declarations of a component or instance type in
// a fresh scope.
func readDeclType(parent *scope, r *reader, kind Kind) (*Type, error) {
	t := &Type{Kind: kind}
	sc := &scope{parent: parent}
	n := r.count("declarations", 2)
	for i := 0; i < n && r.err == nil; i++ {
		tag := r.byte()
		if r.err != nil {
			break
		}
		var err error
		switch {
		case tag == 0x03 && kind == KindComponent:
			var e Extern
			if e, err = readExternDecl(sc, r, true); err == nil {
				t.Imports = append(t.Imports, e)
			}
		case tag == 0x00:
			var ct *CoreType
			if ct, err = readCoreType(sc, r); err == nil {
				sc.addCoreType(ct)
			}
		case tag == 0x01:
			var dt *Type
			if dt, err = readDefType(sc, r); err == nil {
				sc.addType(dt)
			}
		case tag == 0x02:
			err = readDeclAlias(sc, r)
		case tag == 0x04:
			var e Extern
			if e, err = readExternDecl(sc, r, false); err == nil {
				t.Exports = append(t.Exports, e)
			}
		default:
			err = fmt.Errorf("declaration tag 0x%02x", tag)
		}
		if err != nil {
			return nil, fmt.Errorf("%s type declaration %d: %w", kind, i, err)
		}
	}
	depth := 0
	for _, e := range append(append([]Extern(nil), t.Imports...), t.Exports...) {
		if e.Type != nil && e.Type.depth > depth {
			depth = e.Type.depth
		}
	}
	t.depth = depth + 1
	if t.depth > maxTypeDepth {
		return nil, fmt.Errorf("types nested more than %d deep", maxTypeDepth)
	}
	return t, r.err
}

// readExternDecl reads an import or export declaration of a type and adds
// what it introduces to the scope.
func readExternDecl(sc *scope, r *reader, isImport bool) (Extern, error) {
	name, _, err := readExternName(r)
	if err != nil {
		return Extern{}, err
	}
	kind, t, err := readExternDesc(sc, r, name)
	if err != nil {
		return Extern{}, fmt.Errorf("%q: %w", name, err)
	}
	switch kind {
	case ExternType:
		sc.addType(t)
	case ExternInstance:
		sc.instances = append(sc.instances, t)
	}
	return Extern{Name: name, Kind: kind, Type: t}, nil
}

// readExternDesc reads an externdesc. For a type it returns the type the
// new index stands for: the bound type, or a fresh resource named name.
func readExternDesc(sc *scope, r *reader, name string) (ExternKind, *Type, error) {
	tag := r.byte()
	if r.err != nil {
		return 0, nil, r.err
	}
	want := func(k Kind) (*Type, error) {
		i := r.u32()
		if r.err != nil {
			return nil, r.err
		}
		t, err := sc.typeAt(i)
		if err != nil {
			return nil, err
		}
		if t.Kind != k {
			return nil, fmt.Errorf("type %d is a %s, want a %s type", i, t.Kind, k)
		}
		return t, nil
	}
	switch tag {
	case 0x00:
		if s := r.byte(); s != 0x11 {
			if r.err != nil {
				return 0, nil, r.err
			}
			return 0, nil, fmt.Errorf("core extern sort 0x%02x, only core module (0x11)", s)
		}
		i := r.u32()
		if r.err != nil {
			return 0, nil, r.err
		}
		ct, err := sc.coreTypeAt(i)
		if err != nil {
			return 0, nil, err
		}
		if ct.Module == nil {
			return 0, nil, fmt.Errorf("core type %d is not a module type", i)
		}
		return ExternCoreModule, nil, nil
	case 0x01:
		t, err := want(KindFunc)
		return ExternFunc, t, err
	case 0x02:
		return 0, nil, unsupported("value import or export")
	case 0x03:
		switch b := r.byte(); b {
		case 0x00:
			i := r.u32()
			if r.err != nil {
				return 0, nil, r.err
			}
			t, err := sc.typeAt(i)
			return ExternType, t, err
		case 0x01:
			return ExternType, &Type{Kind: KindResource, Resource: &ResourceInfo{Name: name}, depth: 1}, r.err
		default:
			if r.err != nil {
				return 0, nil, r.err
			}
			return 0, nil, fmt.Errorf("type bound 0x%02x", b)
		}
	case 0x04:
		t, err := want(KindComponent)
		return ExternComponent, t, err
	case 0x05:
		t, err := want(KindInstance)
		return ExternInstance, t, err
	}
	return 0, nil, fmt.Errorf("extern kind 0x%02x", tag)
}

// readDeclAlias reads an alias inside a type declaration: outer aliases of
// types, or type and instance exports of instances declared before.
func readDeclAlias(sc *scope, r *reader) error {
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
		if uint64(i) >= uint64(len(sc.instances)) {
			return fmt.Errorf("alias of instance %d, only %d declared", i, len(sc.instances))
		}
		e, ok := sc.instances[i].Export(name)
		if !ok {
			return fmt.Errorf("instance %d has no export %q", i, name)
		}
		switch {
		case !s.Core && s.Extern == ExternType && e.Kind == ExternType:
			sc.addType(e.Type)
		case !s.Core && s.Extern == ExternInstance && e.Kind == ExternInstance:
			sc.instances = append(sc.instances, e.Type)
		default:
			return fmt.Errorf("alias of %s export %q as %s", e.Kind, name, s)
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
		switch {
		case !s.Core && s.Extern == ExternType:
			t, err := o.typeAt(i)
			if err != nil {
				return err
			}
			sc.addType(t)
		case s.Core && s.CoreOf == CoreTypeSort:
			t, err := o.coreTypeAt(i)
			if err != nil {
				return err
			}
			sc.addCoreType(t)
		default:
			return fmt.Errorf("outer alias of a %s in a type declaration", s)
		}
		return nil
	default:
		if r.err != nil {
			return r.err
		}
		return fmt.Errorf("alias target 0x%02x in a type declaration", target)
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
