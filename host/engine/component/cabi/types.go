package cabi

import (
	"fmt"
	"strconv"
)

// Kind names the shape of a component-model value type.
type Kind uint8

// The value type kinds of the component model (MVP, no async types).
const (
	KindBool Kind = iota + 1
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
	KindList
	KindRecord
	KindTuple
	KindVariant
	KindEnum
	KindOption
	KindResult
	KindFlags
	KindOwn
	KindBorrow
)

var kindNames = [...]string{
	KindBool: "bool", KindS8: "s8", KindU8: "u8", KindS16: "s16", KindU16: "u16",
	KindS32: "s32", KindU32: "u32", KindS64: "s64", KindU64: "u64", KindF32: "f32",
	KindF64: "f64", KindChar: "char", KindString: "string", KindList: "list",
	KindRecord: "record", KindTuple: "tuple", KindVariant: "variant", KindEnum: "enum",
	KindOption: "option", KindResult: "result", KindFlags: "flags", KindOwn: "own",
	KindBorrow: "borrow",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MaxFlags is the largest flags type accepted. The current spec caps flags at 32
// labels (component-model PR #379); the older rule it replaced (one i32 per 32
// labels) is kept for 33..64 so that such types still have a defined layout, and
// Flags values stay a single uint64.
const MaxFlags = 64

// Type is an immutable component-model value type. Build it with the
// constructors (Bool, U8, ..., ListOf, RecordOf, VariantOf, ...), bottom-up; each
// constructor computes the type's canonical layout once, so a *Type may be
// shared freely between goroutines. The slices its accessors return are the
// type's own: read them, never modify them.
//
// Constructors never panic: a malformed type (an empty record, a variant with no
// cases, a nil child, too many flags) is recorded and reported by Err and by
// every operation that uses it, because the types may come from a parsed,
// guest-supplied component binary.
type Type struct {
	kind     Kind
	elem     *Type    // list<elem>
	fields   []Field  // record, tuple (fields named "0", "1", ...)
	cases    []Case   // variant, enum, option (none, some), result (ok, error)
	labels   []string // enum, flags
	resource string   // own, borrow: the resource name (informational)

	layout
	err error
}

// Field is a named member of a record (or a positional member of a tuple).
type Field struct {
	Name string
	Type *Type
}

// Case is a case of a variant; Type is nil for a case without payload.
type Case struct {
	Name string
	Type *Type
}

// Kind reports the type's kind.
func (t *Type) Kind() Kind { return t.kind }

// Err reports why the type is malformed, or nil.
func (t *Type) Err() error {
	if t == nil {
		return fmt.Errorf("%w: nil type", ErrType)
	}
	return t.err
}

// Elem is the element type of a list, or the payload of an option.
func (t *Type) Elem() *Type { return t.elem }

// Fields are a record's fields, or a tuple's elements named "0", "1", ...
func (t *Type) Fields() []Field { return t.fields }

// Cases are the cases of a variant, enum, option (none, some) or result (ok, error).
func (t *Type) Cases() []Case { return t.cases }

// Labels are the labels of an enum or flags type.
func (t *Type) Labels() []string { return t.labels }

// Resource is the resource name of an own or borrow handle type.
func (t *Type) Resource() string { return t.resource }

// Align is the type's alignment in linear memory (the spec's alignment).
func (t *Type) Align() uint32 { return t.align }

// Size is the type's size as a list element (the spec's elem_size).
func (t *Type) Size() uint32 { return t.size }

// FieldOffset is the byte offset of a record's or tuple's field i from the
// value's start, or 0 for another kind or i out of range.
func (t *Type) FieldOffset(i int) uint32 {
	if i < 0 || i >= len(t.offsets) {
		return 0
	}
	return t.offsets[i]
}

// DiscriminantSize is the byte size (1, 2 or 4) of a variant's, enum's,
// option's or result's case index, or 0 for another kind.
func (t *Type) DiscriminantSize() uint32 { return t.discSize }

// PayloadOffset is where every case's payload starts in a variant, option
// or result (after the discriminant, aligned to the largest payload), or 0
// for another kind.
func (t *Type) PayloadOffset() uint32 { return t.payloadOff }

// Flat is the type's flattened core value types (the spec's flatten_type).
// The caller must not modify it.
func (t *Type) Flat() []CoreType { return t.flat }

// String renders the type in WIT-like syntax.
func (t *Type) String() string {
	if t == nil {
		return "<nil>"
	}
	switch t.kind {
	case KindList:
		return "list<" + t.elem.String() + ">"
	case KindOption:
		return "option<" + t.elem.String() + ">"
	case KindResult:
		ok, er := "_", "_"
		if t.cases[0].Type != nil {
			ok = t.cases[0].Type.String()
		}
		if t.cases[1].Type != nil {
			er = t.cases[1].Type.String()
		}
		return "result<" + ok + ", " + er + ">"
	case KindTuple:
		s := "tuple<"
		for i, f := range t.fields {
			if i > 0 {
				s += ", "
			}
			s += f.Type.String()
		}
		return s + ">"
	case KindRecord:
		return fmt.Sprintf("record(%d fields)", len(t.fields))
	case KindVariant:
		return fmt.Sprintf("variant(%d cases)", len(t.cases))
	case KindEnum:
		return fmt.Sprintf("enum(%d)", len(t.labels))
	case KindFlags:
		return fmt.Sprintf("flags(%d)", len(t.labels))
	case KindOwn, KindBorrow:
		return t.kind.String() + "<" + t.resource + ">"
	}
	return t.kind.String()
}

var (
	typeBool   = prim(KindBool)
	typeS8     = prim(KindS8)
	typeU8     = prim(KindU8)
	typeS16    = prim(KindS16)
	typeU16    = prim(KindU16)
	typeS32    = prim(KindS32)
	typeU32    = prim(KindU32)
	typeS64    = prim(KindS64)
	typeU64    = prim(KindU64)
	typeF32    = prim(KindF32)
	typeF64    = prim(KindF64)
	typeChar   = prim(KindChar)
	typeString = prim(KindString)
)

func prim(k Kind) *Type {
	t := &Type{kind: k}
	t.computeLayout()
	return t
}

// Bool is the bool type.
func Bool() *Type { return typeBool }

// S8 is the s8 type.
func S8() *Type { return typeS8 }

// U8 is the u8 type.
func U8() *Type { return typeU8 }

// S16 is the s16 type.
func S16() *Type { return typeS16 }

// U16 is the u16 type.
func U16() *Type { return typeU16 }

// S32 is the s32 type.
func S32() *Type { return typeS32 }

// U32 is the u32 type.
func U32() *Type { return typeU32 }

// S64 is the s64 type.
func S64() *Type { return typeS64 }

// U64 is the u64 type.
func U64() *Type { return typeU64 }

// F32 is the f32 type.
func F32() *Type { return typeF32 }

// F64 is the f64 type.
func F64() *Type { return typeF64 }

// Char is the char type (a Unicode scalar value).
func Char() *Type { return typeChar }

// String is the string type.
func String() *Type { return typeString }

// ListOf is list<elem>.
func ListOf(elem *Type) *Type {
	t := &Type{kind: KindList, elem: elem}
	t.err = childErr("list element", elem)
	t.computeLayout()
	return t
}

// RecordOf is a record with the given fields, in order.
func RecordOf(fields ...Field) *Type {
	t := &Type{kind: KindRecord, fields: fields}
	if len(fields) == 0 {
		t.err = fmt.Errorf("%w: record with no fields", ErrType)
	}
	for _, f := range fields {
		if err := childErr("record field "+strconv.Quote(f.Name), f.Type); err != nil && t.err == nil {
			t.err = err
		}
	}
	t.computeLayout()
	return t
}

// TupleOf is tuple<ts...>; it has the layout of a record with fields "0", "1", ...
func TupleOf(ts ...*Type) *Type {
	fields := make([]Field, len(ts))
	for i, e := range ts {
		fields[i] = Field{Name: strconv.Itoa(i), Type: e}
	}
	t := RecordOf(fields...)
	t.kind = KindTuple
	if len(ts) == 0 {
		t.err = fmt.Errorf("%w: tuple with no elements", ErrType)
	}
	return t
}

// VariantOf is a variant with the given cases, in order.
func VariantOf(cases ...Case) *Type {
	t := &Type{kind: KindVariant, cases: cases}
	t.err = casesErr("variant", cases)
	t.computeLayout()
	return t
}

// EnumOf is an enum: a variant whose cases carry no payload.
func EnumOf(labels ...string) *Type {
	cases := make([]Case, len(labels))
	for i, l := range labels {
		cases[i] = Case{Name: l}
	}
	t := &Type{kind: KindEnum, cases: cases, labels: labels}
	t.err = casesErr("enum", cases)
	t.computeLayout()
	return t
}

// OptionOf is option<elem>: a variant { none, some(elem) }.
func OptionOf(elem *Type) *Type {
	t := &Type{kind: KindOption, elem: elem, cases: []Case{{Name: "none"}, {Name: "some", Type: elem}}}
	t.err = childErr("option payload", elem)
	t.computeLayout()
	return t
}

// ResultOf is result<ok, err>: a variant { ok(ok), error(err) }; either may be nil
// (result<_, E>, result<T>, or the bare result).
func ResultOf(ok, err *Type) *Type {
	t := &Type{kind: KindResult, cases: []Case{{Name: "ok", Type: ok}, {Name: "error", Type: err}}}
	t.err = casesErr("result", t.cases)
	t.computeLayout()
	return t
}

// FlagsOf is a flags type with the given labels (1..MaxFlags of them).
func FlagsOf(labels ...string) *Type {
	t := &Type{kind: KindFlags, labels: labels}
	switch {
	case len(labels) == 0:
		t.err = fmt.Errorf("%w: flags with no labels", ErrType)
	case len(labels) > MaxFlags:
		t.err = fmt.Errorf("%w: flags with %d labels (at most %d supported)", ErrType, len(labels), MaxFlags)
	}
	t.computeLayout()
	return t
}

// Own is own<resource>: an owned handle, an i32 index into a handle table.
func Own(resource string) *Type {
	t := &Type{kind: KindOwn, resource: resource}
	t.computeLayout()
	return t
}

// Borrow is borrow<resource>: a borrowed handle, an i32 index into a handle table.
func Borrow(resource string) *Type {
	t := &Type{kind: KindBorrow, resource: resource}
	t.computeLayout()
	return t
}

func childErr(what string, c *Type) error {
	if c == nil {
		return fmt.Errorf("%w: %s is nil", ErrType, what)
	}
	if c.err != nil {
		return fmt.Errorf("%s: %w", what, c.err)
	}
	return nil
}

func casesErr(what string, cases []Case) error {
	if len(cases) == 0 {
		return fmt.Errorf("%w: %s with no cases", ErrType, what)
	}
	if uint64(len(cases)) >= 1<<32 {
		return fmt.Errorf("%w: %s with %d cases", ErrType, what, len(cases))
	}
	for _, c := range cases {
		if c.Type != nil && c.Type.err != nil {
			return fmt.Errorf("%s case %q: %w", what, c.Name, c.Type.err)
		}
	}
	return nil
}
