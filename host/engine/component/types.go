package component

import (
	"fmt"
	"strings"
)

// Kind is what a component-level Type is.
type Kind uint8

// Kinds of defined value types (primitives first, in the binary format's
// order), then handle, resource and the non-value types.
const (
	KindInvalid Kind = iota
	KindBool
	KindS8
	KindU8
	KindS16
	KindU16
	KindS32
	KindU32
	KindS64
	KindU64
	KindF32
	KindF64
	KindChar
	KindString
	KindRecord
	KindVariant
	KindList
	KindTuple
	KindFlags
	KindEnum
	KindOption
	KindResult
	KindOwn
	KindBorrow
	KindResource  // a resource type (defined here, imported or exported)
	KindFunc      // a component function type
	KindInstance  // an instance type
	KindComponent // a component type
)

var kindNames = [...]string{
	"invalid", "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64",
	"f32", "f64", "char", "string", "record", "variant", "list", "tuple",
	"flags", "enum", "option", "result", "own", "borrow", "resource", "func",
	"instance", "component",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// IsPrimitive reports whether k is bool, a number, char or string.
func (k Kind) IsPrimitive() bool { return k >= KindBool && k <= KindString }

// IsValue reports whether k is a value type (what params, results and
// fields hold).
func (k Kind) IsValue() bool { return k >= KindBool && k <= KindBorrow }

// primitive value types by binary opcode (0x7f bool .. 0x73 string).
var primByCode = map[byte]Kind{
	0x7f: KindBool, 0x7e: KindS8, 0x7d: KindU8, 0x7c: KindS16, 0x7b: KindU16,
	0x7a: KindS32, 0x79: KindU32, 0x78: KindS64, 0x77: KindU64, 0x76: KindF32,
	0x75: KindF64, 0x74: KindChar, 0x73: KindString,
}

var primTypes = func() map[Kind]*Type {
	m := map[Kind]*Type{}
	for _, k := range primByCode {
		m[k] = &Type{Kind: k}
	}
	return m
}()

// Type is a component-level type. Types form a DAG (a type refers only to
// types defined before it), shared by pointer: walk them with a depth
// bound, not by copying. Which fields are set depends on Kind.
type Type struct {
	Kind Kind

	Fields []Field  // record fields; func params
	Cases  []Case   // variant cases
	Elem   *Type    // list and option element; own and borrow: the resource
	Tuple  []*Type  // tuple elements
	Labels []string // flags and enum labels
	OK     *Type    // result: ok payload, nil for none
	Err    *Type    // result: error payload, nil for none
	// Results of a func: one unnamed result has Name "".
	Results []Field

	// Resource: where it comes from, for naming it to the host.
	Resource *ResourceInfo

	// Instance and component types: what they import (component types
	// only) and export, in declaration order.
	Imports []Extern
	Exports []Extern

	depth int // longest chain of nested types below and including this one
}

// Field is a named value type: a record field or a function parameter or
// result.
type Field struct {
	Name string
	Type *Type
}

// Case is a variant case; Type is nil when the case carries nothing.
type Case struct {
	Name string
	Type *Type
}

// ResourceInfo says where a resource type comes from. Name is the
// resource's export or import name (e.g. "output-stream"); Instance is the
// import name of the instance that declares it, when known (e.g.
// "wasi:io/streams@0.2.3").
type ResourceInfo struct {
	Name     string
	Instance string
	Dtor     *uint32 // core func index of the destructor, for defined resources
	Defined  bool    // defined by this component (resource type definition)
}

// ExternKind is the sort of an import or export.
type ExternKind uint8

// Sorts an import or export can have.
const (
	ExternCoreModule ExternKind = iota
	ExternFunc
	ExternValue
	ExternType
	ExternInstance
	ExternComponent
)

var externNames = [...]string{"core module", "func", "value", "type", "instance", "component"}

func (k ExternKind) String() string {
	if int(k) < len(externNames) {
		return externNames[k]
	}
	return fmt.Sprintf("extern(%d)", k)
}

// Extern is an import or export declared in an instance or component type.
// Type is the func, instance or component type, the type a type export
// equals, or a fresh resource type for (sub resource).
type Extern struct {
	Name string
	Kind ExternKind
	Type *Type
}

// Export finds the export name of an instance or component type.
func (t *Type) Export(name string) (Extern, bool) {
	if t == nil {
		return Extern{}, false
	}
	for _, e := range t.Exports {
		if e.Name == name {
			return e, true
		}
	}
	return Extern{}, false
}

// maxTypeDepth bounds how deeply types nest, so that code walking a type
// recursively (here and in the canonical ABI) cannot exhaust the stack.
const maxTypeDepth = 100

// maxTypeString bounds String's output: types share parts, so a small
// binary can describe a type whose full text is exponentially long.
const maxTypeString = 1024

// String writes t in a WIT-like form, cut at a bounded depth and length.
func (t *Type) String() string {
	var b strings.Builder
	t.write(&b, 8)
	return b.String()
}

func (t *Type) write(b *strings.Builder, depth int) {
	if t == nil {
		b.WriteString("_")
		return
	}
	if depth == 0 || b.Len() > maxTypeString {
		b.WriteString("…")
		return
	}
	d := depth - 1
	switch t.Kind {
	case KindRecord:
		b.WriteString("record{")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Name + ": ")
			f.Type.write(b, d)
		}
		b.WriteString("}")
	case KindVariant:
		b.WriteString("variant{")
		for i, c := range t.Cases {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(c.Name)
			if c.Type != nil {
				b.WriteString("(")
				c.Type.write(b, d)
				b.WriteString(")")
			}
		}
		b.WriteString("}")
	case KindList, KindOption, KindOwn, KindBorrow:
		b.WriteString(t.Kind.String() + "<")
		t.Elem.write(b, d)
		b.WriteString(">")
	case KindTuple:
		b.WriteString("tuple<")
		for i, e := range t.Tuple {
			if i > 0 {
				b.WriteString(", ")
			}
			e.write(b, d)
		}
		b.WriteString(">")
	case KindFlags, KindEnum:
		b.WriteString(t.Kind.String() + "{" + strings.Join(t.Labels, ", ") + "}")
	case KindResult:
		b.WriteString("result<")
		t.OK.write(b, d)
		b.WriteString(", ")
		t.Err.write(b, d)
		b.WriteString(">")
	case KindResource:
		b.WriteString("resource")
		if t.Resource != nil && t.Resource.Name != "" {
			b.WriteString(" " + t.Resource.Name)
		}
	case KindFunc:
		b.WriteString("func(")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Name + ": ")
			f.Type.write(b, d)
		}
		b.WriteString(")")
		if len(t.Results) > 0 {
			b.WriteString(" -> ")
			for i, f := range t.Results {
				if i > 0 {
					b.WriteString(", ")
				}
				if f.Name != "" {
					b.WriteString(f.Name + ": ")
				}
				f.Type.write(b, d)
			}
		}
	case KindInstance, KindComponent:
		b.WriteString(t.Kind.String() + "{")
		for i, e := range append(append([]Extern(nil), t.Imports...), t.Exports...) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(e.Kind.String() + " " + e.Name)
		}
		b.WriteString("}")
	default:
		b.WriteString(t.Kind.String())
	}
}

// CoreType is a core function type or core module type.
type CoreType struct {
	Func   *CoreFuncType
	Module *CoreModuleType
}

// CoreFuncType is a core function signature; value types use wazero's
// api.ValueType bytes (0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64, 0x70
// funcref, 0x6f externref).
type CoreFuncType struct {
	Params, Results []byte
}

// CoreModuleType lists a core module type's imports and exports by name.
type CoreModuleType struct {
	Imports []CoreImportDecl
	Exports []CoreExportDecl
}

// CoreImportDecl is an import of a core module type.
type CoreImportDecl struct {
	Module, Name string
	Sort         CoreSort
}

// CoreExportDecl is an export of a core module type.
type CoreExportDecl struct {
	Name string
	Sort CoreSort
}
