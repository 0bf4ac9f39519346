package engine

import (
	"fmt"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// typeConv converts a component's parsed value types to canonical-ABI
// types. The layout of every value the engine exchanges with a WAVS
// component comes from the component's own types this way, so any
// wavs:operator 2.x version loads, never from a table written per version.
type typeConv struct {
	memo map[*component.Type]*cabi.Type
}

func newTypeConv() *typeConv { return &typeConv{memo: map[*component.Type]*cabi.Type{}} }

// maxConvDepth bounds recursion; the parser already bounds type nesting.
const maxConvDepth = 200

func (c *typeConv) conv(t *component.Type) (*cabi.Type, error) { return c.convDepth(t, 0) }

func (c *typeConv) convDepth(t *component.Type, depth int) (*cabi.Type, error) {
	if t == nil {
		return nil, fmt.Errorf("missing type")
	}
	if depth > maxConvDepth {
		return nil, fmt.Errorf("type nested more than %d deep", maxConvDepth)
	}
	if ct, ok := c.memo[t]; ok {
		return ct, nil
	}
	sub := func(x *component.Type) (*cabi.Type, error) { return c.convDepth(x, depth+1) }
	var out *cabi.Type
	switch t.Kind {
	case component.KindBool:
		out = cabi.Bool()
	case component.KindS8:
		out = cabi.S8()
	case component.KindU8:
		out = cabi.U8()
	case component.KindS16:
		out = cabi.S16()
	case component.KindU16:
		out = cabi.U16()
	case component.KindS32:
		out = cabi.S32()
	case component.KindU32:
		out = cabi.U32()
	case component.KindS64:
		out = cabi.S64()
	case component.KindU64:
		out = cabi.U64()
	case component.KindF32:
		out = cabi.F32()
	case component.KindF64:
		out = cabi.F64()
	case component.KindChar:
		out = cabi.Char()
	case component.KindString:
		out = cabi.String()
	case component.KindList, component.KindOption:
		e, err := sub(t.Elem)
		if err != nil {
			return nil, fmt.Errorf("%s element: %w", t.Kind, err)
		}
		if t.Kind == component.KindList {
			out = cabi.ListOf(e)
		} else {
			out = cabi.OptionOf(e)
		}
	case component.KindRecord:
		fs := make([]cabi.Field, len(t.Fields))
		for i, f := range t.Fields {
			ft, err := sub(f.Type)
			if err != nil {
				return nil, fmt.Errorf("record field %q: %w", f.Name, err)
			}
			fs[i] = cabi.Field{Name: f.Name, Type: ft}
		}
		out = cabi.RecordOf(fs...)
	case component.KindTuple:
		ts := make([]*cabi.Type, len(t.Tuple))
		for i, e := range t.Tuple {
			et, err := sub(e)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			ts[i] = et
		}
		out = cabi.TupleOf(ts...)
	case component.KindVariant:
		cs := make([]cabi.Case, len(t.Cases))
		for i, k := range t.Cases {
			cs[i] = cabi.Case{Name: k.Name}
			if k.Type != nil {
				ct, err := sub(k.Type)
				if err != nil {
					return nil, fmt.Errorf("variant case %q: %w", k.Name, err)
				}
				cs[i].Type = ct
			}
		}
		out = cabi.VariantOf(cs...)
	case component.KindEnum:
		out = cabi.EnumOf(t.Labels...)
	case component.KindFlags:
		out = cabi.FlagsOf(t.Labels...)
	case component.KindResult:
		var ok, er *cabi.Type
		var err error
		if t.OK != nil {
			if ok, err = sub(t.OK); err != nil {
				return nil, fmt.Errorf("result ok: %w", err)
			}
		}
		if t.Err != nil {
			if er, err = sub(t.Err); err != nil {
				return nil, fmt.Errorf("result error: %w", err)
			}
		}
		out = cabi.ResultOf(ok, er)
	case component.KindOwn, component.KindBorrow:
		name := ""
		if t.Elem != nil && t.Elem.Resource != nil {
			name = t.Elem.Resource.Name
		}
		if t.Kind == component.KindOwn {
			out = cabi.Own(name)
		} else {
			out = cabi.Borrow(name)
		}
	default:
		return nil, fmt.Errorf("%s is not a value type", t.Kind)
	}
	if err := out.Err(); err != nil {
		return nil, err
	}
	c.memo[t] = out
	return out, nil
}

// funcOf converts a component function type to a canonical-ABI function.
func (c *typeConv) funcOf(t *component.Type) (*cabi.Func, error) {
	if t == nil || t.Kind != component.KindFunc {
		return nil, fmt.Errorf("not a function type")
	}
	params := make([]cabi.Param, len(t.Fields))
	for i, f := range t.Fields {
		pt, err := c.conv(f.Type)
		if err != nil {
			return nil, fmt.Errorf("param %q: %w", f.Name, err)
		}
		params[i] = cabi.Param{Name: f.Name, Type: pt}
	}
	results := make([]*cabi.Type, len(t.Results))
	for i, r := range t.Results {
		rt, err := c.conv(r.Type)
		if err != nil {
			return nil, fmt.Errorf("result %d: %w", i, err)
		}
		results[i] = rt
	}
	return cabi.NewFunc(params, results)
}
