package wasip2

import (
	"context"
	"fmt"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// Test helpers: the component's own types as cabi types, zero values of
// them and setting a value at a path, so the fakes and the trigger-action
// follow whatever WIT the test component was built with.

type converter map[*component.Type]*cabi.Type

func (cv converter) typ(t *component.Type) *cabi.Type {
	if t == nil {
		return nil
	}
	if c, ok := cv[t]; ok {
		return c
	}
	var c *cabi.Type
	switch t.Kind {
	case component.KindBool:
		c = cabi.Bool()
	case component.KindS8:
		c = cabi.S8()
	case component.KindU8:
		c = cabi.U8()
	case component.KindS16:
		c = cabi.S16()
	case component.KindU16:
		c = cabi.U16()
	case component.KindS32:
		c = cabi.S32()
	case component.KindU32:
		c = cabi.U32()
	case component.KindS64:
		c = cabi.S64()
	case component.KindU64:
		c = cabi.U64()
	case component.KindF32:
		c = cabi.F32()
	case component.KindF64:
		c = cabi.F64()
	case component.KindChar:
		c = cabi.Char()
	case component.KindString:
		c = cabi.String()
	case component.KindList:
		c = cabi.ListOf(cv.typ(t.Elem))
	case component.KindOption:
		c = cabi.OptionOf(cv.typ(t.Elem))
	case component.KindRecord:
		fs := make([]cabi.Field, len(t.Fields))
		for i, f := range t.Fields {
			fs[i] = cabi.Field{Name: f.Name, Type: cv.typ(f.Type)}
		}
		c = cabi.RecordOf(fs...)
	case component.KindTuple:
		ts := make([]*cabi.Type, len(t.Tuple))
		for i, e := range t.Tuple {
			ts[i] = cv.typ(e)
		}
		c = cabi.TupleOf(ts...)
	case component.KindVariant:
		cs := make([]cabi.Case, len(t.Cases))
		for i, k := range t.Cases {
			cs[i] = cabi.Case{Name: k.Name, Type: cv.typ(k.Type)}
		}
		c = cabi.VariantOf(cs...)
	case component.KindEnum:
		c = cabi.EnumOf(t.Labels...)
	case component.KindFlags:
		c = cabi.FlagsOf(t.Labels...)
	case component.KindResult:
		c = cabi.ResultOf(cv.typ(t.OK), cv.typ(t.Err))
	case component.KindOwn, component.KindBorrow:
		name := ""
		if t.Elem != nil && t.Elem.Resource != nil {
			name = t.Elem.Resource.Name
		}
		if t.Kind == component.KindOwn {
			c = cabi.Own(name)
		} else {
			c = cabi.Borrow(name)
		}
	default:
		panic(fmt.Sprintf("test converter: %s", t.Kind))
	}
	cv[t] = c
	return c
}

func (cv converter) fn(t *component.Type) *cabi.Func {
	ps := make([]cabi.Param, len(t.Fields))
	for i, f := range t.Fields {
		ps[i] = cabi.Param{Name: f.Name, Type: cv.typ(f.Type)}
	}
	rs := make([]*cabi.Type, len(t.Results))
	for i, r := range t.Results {
		rs[i] = cv.typ(r.Type)
	}
	f, err := cabi.NewFunc(ps, rs)
	if err != nil {
		panic(err)
	}
	return f
}

func zero(t *cabi.Type) cabi.Value {
	switch t.Kind() {
	case cabi.KindBool:
		return false
	case cabi.KindS8:
		return int8(0)
	case cabi.KindU8:
		return uint8(0)
	case cabi.KindS16:
		return int16(0)
	case cabi.KindU16:
		return uint16(0)
	case cabi.KindS32:
		return int32(0)
	case cabi.KindU32:
		return uint32(0)
	case cabi.KindS64:
		return int64(0)
	case cabi.KindU64:
		return uint64(0)
	case cabi.KindF32:
		return float32(0)
	case cabi.KindF64:
		return float64(0)
	case cabi.KindChar:
		return rune('a')
	case cabi.KindString:
		return ""
	case cabi.KindList:
		if t.Elem().Kind() == cabi.KindU8 {
			return []byte{}
		}
		return []cabi.Value{}
	case cabi.KindRecord, cabi.KindTuple:
		fs := make([]cabi.Value, len(t.Fields()))
		for i, f := range t.Fields() {
			fs[i] = zero(f.Type)
		}
		return cabi.Record{Fields: fs}
	case cabi.KindVariant:
		return cabi.Variant{Case: 0, Value: zeroOrNil(t.Cases()[0].Type)}
	case cabi.KindEnum:
		return cabi.Enum(0)
	case cabi.KindOption:
		return cabi.None()
	case cabi.KindResult:
		return cabi.Ok(zeroOrNil(t.Cases()[0].Type))
	case cabi.KindFlags:
		return cabi.Flags(0)
	}
	return cabi.Handle(0)
}

func zeroOrNil(t *cabi.Type) cabi.Value {
	if t == nil {
		return nil
	}
	return zero(t)
}

// set returns v (of type t) with the part at path replaced by x: a path
// step names a record field, or a variant case (switching to it).
func set(t *cabi.Type, v cabi.Value, path []string, x cabi.Value) cabi.Value {
	if len(path) == 0 {
		return x
	}
	switch t.Kind() {
	case cabi.KindRecord:
		r := v.(cabi.Record)
		fs := append([]cabi.Value(nil), r.Fields...)
		for i, f := range t.Fields() {
			if f.Name == path[0] {
				fs[i] = set(f.Type, fs[i], path[1:], x)
				return cabi.Record{Fields: fs}
			}
		}
	case cabi.KindVariant:
		cur := v.(cabi.Variant)
		for i, c := range t.Cases() {
			if c.Name == path[0] {
				pv := cur.Value
				if cur.Case != uint32(i) {
					pv = zeroOrNil(c.Type)
				}
				return cabi.Variant{Case: uint32(i), Value: set(c.Type, pv, path[1:], x)}
			}
		}
	}
	panic(fmt.Sprintf("set: no %q in %s", path[0], t))
}

// fakeImpl serves a non-WASI import with fn over the component's own type.
func fakeImpl(ft *cabi.Func, fn func(args []cabi.Value) []cabi.Value) component.HostImpl {
	return func(ctx context.Context, call *component.HostCall, stack []uint64) {
		g := &cabi.Guest{Memory: call.Memory}
		if call.Realloc != nil {
			g.Realloc = cabi.WazeroRealloc(call.Realloc)
		}
		params, _ := ft.CoreSignature(cabi.Lower)
		args := stack[:len(params)]
		vals, err := g.LiftParams(ft, args)
		if err != nil {
			panic(err)
		}
		out, err := g.LowerResults(ctx, ft, args, fn(vals))
		if err != nil {
			panic(err)
		}
		copy(stack, out)
	}
}
