package cabi

import "math"

// Flat core values are uint64s as wazero passes them: an i32 or f32 is its
// 32-bit pattern zero-extended, an i64 or f64 its 64-bit pattern. In this
// representation a variant's joined slot needs no conversion when lowering
// (f32 bits are already the i32 and the zero-extended i64), and lifting a
// 32-bit value from an i64 slot is the spec's wrap: take the low 32 bits.

// flatReader hands out a function's core values in order.
type flatReader struct {
	vals []uint64
	i    int
}

func (r *flatReader) next() uint64 {
	v := r.vals[r.i] // callers check the count against the flat types first
	r.i++
	return v
}

func (r *flatReader) next32() uint32 { return uint32(r.next()) }

// liftFlat reads a value of type t from core values (the spec's lift_flat).
// The caller has checked that r holds len(t.flat) more values.
func (l *lifter) liftFlat(t *Type, r *flatReader) (Value, error) {
	switch t.kind {
	case KindBool:
		return r.next32() != 0, nil
	case KindS8:
		return int8(r.next32()), nil
	case KindU8:
		return uint8(r.next32()), nil
	case KindS16:
		return int16(r.next32()), nil
	case KindU16:
		return uint16(r.next32()), nil
	case KindS32:
		return int32(r.next32()), nil
	case KindU32:
		return r.next32(), nil
	case KindS64:
		return int64(r.next()), nil
	case KindU64:
		return r.next(), nil
	case KindF32:
		return canonF32(math.Float32frombits(r.next32())), nil
	case KindF64:
		return canonF64(math.Float64frombits(r.next())), nil
	case KindChar:
		return toChar(r.next32())
	case KindOwn, KindBorrow:
		return Handle(r.next32()), nil
	case KindString:
		ptr, n := r.next32(), r.next32()
		return l.loadString(ptr, n)
	case KindList:
		ptr, n := r.next32(), r.next32()
		return l.loadList(t.elem, ptr, n)
	case KindRecord, KindTuple:
		fields := make([]Value, len(t.fields))
		for i, f := range t.fields {
			v, err := l.liftFlat(f.Type, r)
			if err != nil {
				return nil, atField(err, f.Name)
			}
			fields[i] = v
		}
		return Record{Fields: fields}, nil
	case KindVariant, KindEnum, KindOption, KindResult:
		disc := r.next32()
		if disc >= uint32(len(t.cases)) {
			return nil, fail(ErrDiscriminant, "%s discriminant %d, only %d cases", t.kind, disc, len(t.cases))
		}
		slots := len(t.flat) - 1
		sub := flatReader{vals: r.vals[r.i : r.i+slots]}
		r.i += slots
		var payload Value
		if ct := t.cases[disc].Type; ct != nil {
			v, err := l.liftFlat(ct, &sub)
			if err != nil {
				return nil, atField(err, t.cases[disc].Name)
			}
			payload = v
		}
		return variantValue(t, disc, payload), nil
	case KindFlags:
		var bits uint64
		for i := range t.flat {
			bits |= uint64(r.next32()) << (32 * i)
		}
		return Flags(bits & flagsMask(len(t.labels))), nil
	}
	return nil, fail(ErrType, "cannot lift kind %s", t.kind)
}

// lowerFlat appends the core values of v (of type t) to out (the spec's lower_flat).
func (w *lowerer) lowerFlat(t *Type, v Value, out []uint64) ([]uint64, error) {
	switch t.kind {
	case KindBool:
		x, ok := v.(bool)
		if !ok {
			return nil, mismatch(t, v)
		}
		if x {
			return append(out, 1), nil
		}
		return append(out, 0), nil
	case KindS8, KindU8, KindS16, KindU16, KindS32, KindU32, KindS64, KindU64, KindChar,
		KindOwn, KindBorrow, KindF32, KindF64:
		x, err := scalarBits(t, v)
		if err != nil {
			return nil, err
		}
		return append(out, x), nil
	case KindString:
		s, ok := v.(string)
		if !ok {
			return nil, mismatch(t, v)
		}
		ptr, units, err := w.storeString(s)
		if err != nil {
			return nil, err
		}
		return append(out, uint64(ptr), uint64(units)), nil
	case KindList:
		ptr, n, err := w.storeList(t.elem, v)
		if err != nil {
			return nil, err
		}
		return append(out, uint64(ptr), uint64(n)), nil
	case KindRecord, KindTuple:
		r, ok := v.(Record)
		if !ok {
			return nil, mismatch(t, v)
		}
		if len(r.Fields) != len(t.fields) {
			return nil, fail(ErrValue, "record has %d fields, type has %d", len(r.Fields), len(t.fields))
		}
		for i, f := range t.fields {
			var err error
			if out, err = w.lowerFlat(f.Type, r.Fields[i], out); err != nil {
				return nil, atField(err, f.Name)
			}
		}
		return out, nil
	case KindVariant, KindEnum, KindOption, KindResult:
		disc, payload, err := caseOf(t, v)
		if err != nil {
			return nil, err
		}
		out = append(out, uint64(disc))
		start := len(out)
		if ct := t.cases[disc].Type; ct != nil {
			if out, err = w.lowerFlat(ct, payload, out); err != nil {
				return nil, atField(err, t.cases[disc].Name)
			}
		}
		for len(out)-start < len(t.flat)-1 {
			out = append(out, 0) // slots the case does not use
		}
		return out, nil
	case KindFlags:
		f, err := flagsBits(t, v)
		if err != nil {
			return nil, err
		}
		for i := range t.flat {
			out = append(out, uint64(uint32(f>>(32*i))))
		}
		return out, nil
	}
	return nil, fail(ErrType, "cannot lower kind %s", t.kind)
}
