package engine

import (
	"fmt"
	"math"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// The engine describes the values it hands a component by name (record
// fields, variant cases) and shapes them to the component's own type with
// shape: a field the type does not have is left out, an option field the
// engine does not know is none, a required field it does not know is an
// error naming the path. So one description serves every wavs:types
// version whose names agree.
type (
	// rec is a record by field name.
	rec map[string]any
	// vcase is a variant (or enum) case by name, with its payload.
	vcase struct {
		name string
		val  any
	}
	// okv and errv are the two sides of a result.
	okv  struct{ val any }
	errv struct{ val any }
)

// none is an absent option; any other value of an option type is some.
var none any = nil

// shape builds the cabi value of type t from v (see rec, vcase).
func shape(t *cabi.Type, v any, path string) (cabi.Value, error) {
	switch t.Kind() {
	case cabi.KindBool:
		b, ok := v.(bool)
		if !ok {
			return nil, shapeErr(path, t, v)
		}
		return b, nil
	case cabi.KindS8, cabi.KindS16, cabi.KindS32, cabi.KindS64, cabi.KindU8, cabi.KindU16, cabi.KindU32, cabi.KindU64:
		return shapeInt(t, v, path)
	case cabi.KindF32:
		f, ok := v.(float32)
		if !ok {
			return nil, shapeErr(path, t, v)
		}
		return f, nil
	case cabi.KindF64:
		f, ok := v.(float64)
		if !ok {
			return nil, shapeErr(path, t, v)
		}
		return f, nil
	case cabi.KindString:
		s, ok := v.(string)
		if !ok {
			return nil, shapeErr(path, t, v)
		}
		return s, nil
	case cabi.KindList:
		if b, ok := v.([]byte); ok && t.Elem().Kind() == cabi.KindU8 {
			if b == nil {
				b = []byte{}
			}
			return b, nil
		}
		if ss, ok := v.([]string); ok {
			v = anys(ss)
		}
		if bs, ok := v.([][]byte); ok {
			v = anys(bs)
		}
		xs, ok := v.([]any)
		if !ok {
			return nil, shapeErr(path, t, v)
		}
		out := make([]cabi.Value, len(xs))
		for i, x := range xs {
			e, err := shape(t.Elem(), x, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case cabi.KindRecord:
		r, ok := v.(rec)
		if !ok {
			return nil, shapeErr(path, t, v)
		}
		out := cabi.Record{Fields: make([]cabi.Value, len(t.Fields()))}
		for i, f := range t.Fields() {
			fv, known := r[f.Name]
			if !known && f.Type.Kind() != cabi.KindOption {
				return nil, fmt.Errorf("%s.%s: the node has no value for this field (type %s)", path, f.Name, f.Type)
			}
			x, err := shape(f.Type, fv, path+"."+f.Name)
			if err != nil {
				return nil, err
			}
			out.Fields[i] = x
		}
		return out, nil
	case cabi.KindTuple:
		xs, ok := v.([]any)
		if !ok || len(xs) != len(t.Fields()) {
			return nil, shapeErr(path, t, v)
		}
		out := cabi.Record{Fields: make([]cabi.Value, len(xs))}
		for i, f := range t.Fields() {
			x, err := shape(f.Type, xs[i], fmt.Sprintf("%s.%d", path, i))
			if err != nil {
				return nil, err
			}
			out.Fields[i] = x
		}
		return out, nil
	case cabi.KindVariant, cabi.KindEnum:
		c, ok := v.(vcase)
		if s, isStr := v.(string); isStr {
			c, ok = vcase{name: s}, true
		}
		if !ok {
			return nil, shapeErr(path, t, v)
		}
		for i, k := range t.Cases() {
			if k.Name != c.name {
				continue
			}
			if t.Kind() == cabi.KindEnum {
				return cabi.Enum(i), nil
			}
			if k.Type == nil {
				return cabi.Variant{Case: uint32(i)}, nil
			}
			x, err := shape(k.Type, c.val, path+"."+c.name)
			if err != nil {
				return nil, err
			}
			return cabi.Variant{Case: uint32(i), Value: x}, nil
		}
		return nil, fmt.Errorf("%s: the component's type %s has no case %q", path, t, c.name)
	case cabi.KindOption:
		if v == nil {
			return cabi.None(), nil
		}
		x, err := shape(t.Elem(), v, path)
		if err != nil {
			return nil, err
		}
		return cabi.Some(x), nil
	case cabi.KindResult:
		var side *cabi.Type
		var payload any
		isErr := false
		switch r := v.(type) {
		case okv:
			side, payload = t.Cases()[0].Type, r.val
		case errv:
			side, payload, isErr = t.Cases()[1].Type, r.val, true
		default:
			return nil, shapeErr(path, t, v)
		}
		if side == nil {
			return cabi.Result{IsErr: isErr}, nil
		}
		x, err := shape(side, payload, path)
		if err != nil {
			return nil, err
		}
		return cabi.Result{IsErr: isErr, Value: x}, nil
	case cabi.KindOwn, cabi.KindBorrow:
		h, ok := v.(cabi.Handle)
		if !ok {
			return nil, shapeErr(path, t, v)
		}
		return h, nil
	}
	return nil, shapeErr(path, t, v)
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func shapeErr(path string, t *cabi.Type, v any) error {
	return fmt.Errorf("%s: the node's value (%T) does not fit the component's type %s", path, v, t)
}

// shapeInt converts any Go integer to the integer type t, checking range.
func shapeInt(t *cabi.Type, v any, path string) (cabi.Value, error) {
	var n int64
	var u uint64
	neg := false
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int32:
		n = int64(x)
	case int64:
		n = x
	case uint32:
		u = uint64(x)
	case uint64:
		u = x
	default:
		return nil, shapeErr(path, t, v)
	}
	switch v.(type) {
	case int, int32, int64:
		if n < 0 {
			neg = true
		} else {
			u = uint64(n)
		}
	}
	fits := func(lo int64, hi uint64) bool {
		if neg {
			return n >= lo
		}
		return u <= hi
	}
	sv := n // the value as a signed integer, once in range
	if !neg {
		sv = int64(u)
	}
	bad := fmt.Errorf("%s: %v is out of the range of %s", path, v, t)
	switch t.Kind() {
	case cabi.KindU8:
		if neg || !fits(0, math.MaxUint8) {
			return nil, bad
		}
		return uint8(u), nil
	case cabi.KindU16:
		if neg || !fits(0, math.MaxUint16) {
			return nil, bad
		}
		return uint16(u), nil
	case cabi.KindU32:
		if neg || !fits(0, math.MaxUint32) {
			return nil, bad
		}
		return uint32(u), nil
	case cabi.KindU64:
		if neg {
			return nil, bad
		}
		return u, nil
	case cabi.KindS8:
		if !fits(math.MinInt8, math.MaxInt8) {
			return nil, bad
		}
		return int8(sv), nil
	case cabi.KindS16:
		if !fits(math.MinInt16, math.MaxInt16) {
			return nil, bad
		}
		return int16(sv), nil
	case cabi.KindS32:
		if !fits(math.MinInt32, math.MaxInt32) {
			return nil, bad
		}
		return int32(sv), nil
	default: // s64
		if !fits(math.MinInt64, math.MaxInt64) {
			return nil, bad
		}
		return sv, nil
	}
}

// field is the value of record field name of v (of record type t).
func field(t *cabi.Type, v cabi.Value, name string) (*cabi.Type, cabi.Value, bool) {
	r, ok := v.(cabi.Record)
	if !ok || t.Kind() != cabi.KindRecord {
		return nil, nil, false
	}
	for i, f := range t.Fields() {
		if f.Name == name && i < len(r.Fields) {
			return f.Type, r.Fields[i], true
		}
	}
	return nil, nil, false
}
