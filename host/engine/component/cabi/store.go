package cabi

import (
	"context"
	"encoding/binary"
	"math"
)

// lowerer carries one lower's state: the guest and the context that guest
// realloc calls run under.
type lowerer struct {
	ctx context.Context
	g   *Guest
}

// alloc asks the guest for size bytes aligned to align and checks what it gets.
func (w *lowerer) alloc(align uint32, size uint64, what string) (uint32, error) {
	if size > math.MaxUint32 {
		return 0, fail(ErrTooLarge, "%s of %d bytes does not fit 32-bit memory", what, size)
	}
	if w.g.Realloc == nil {
		return 0, fail(ErrRealloc, "%s needs the guest's realloc and none was given", what)
	}
	ptr, err := w.g.Realloc(w.ctx, 0, 0, align, uint32(size))
	if err != nil {
		return 0, fail(ErrRealloc, "allocating %d bytes for %s: %v", size, what, err)
	}
	if ptr%align != 0 {
		return 0, fail(ErrMisaligned, "realloc returned %#x for %s, not aligned to %d", ptr, what, align)
	}
	if mem := uint64(w.g.Memory.Size()); uint64(ptr)+size > mem {
		return 0, fail(ErrOutOfBounds, "realloc returned %#x + %d bytes for %s, past memory size %#x", ptr, size, what, mem)
	}
	return ptr, nil
}

// store writes v as a value of type t at ptr (the spec's store). The value is
// built in a host buffer and written once; padding bytes are written as zero.
func (w *lowerer) store(t *Type, v Value, ptr uint32) error {
	if ptr%t.align != 0 {
		return fail(ErrMisaligned, "%s pointer %#x not aligned to %d", t.kind, ptr, t.align)
	}
	if mem := uint64(w.g.Memory.Size()); uint64(ptr)+uint64(t.size) > mem {
		return fail(ErrOutOfBounds, "%s at %#x + %d bytes past memory size %#x", t.kind, ptr, t.size, mem)
	}
	buf := make([]byte, t.size)
	if err := w.encode(t, v, buf); err != nil {
		return err
	}
	if !w.g.Memory.Write(ptr, buf) {
		return fail(ErrOutOfBounds, "writing %s at %#x", t.kind, ptr)
	}
	return nil
}

func mismatch(t *Type, v Value) error {
	return fail(ErrValue, "%T for %s", v, t)
}

// encode writes v (of type t) into b, which holds t.size zeroed bytes. Lists
// and strings inside v are allocated in the guest as they are met.
func (w *lowerer) encode(t *Type, v Value, b []byte) error {
	le := binary.LittleEndian
	switch t.kind {
	case KindBool:
		x, ok := v.(bool)
		if !ok {
			return mismatch(t, v)
		}
		if x {
			b[0] = 1
		}
	case KindS8, KindU8, KindS16, KindU16, KindS32, KindU32, KindS64, KindU64, KindChar,
		KindOwn, KindBorrow, KindF32, KindF64:
		x, err := scalarBits(t, v)
		if err != nil {
			return err
		}
		switch t.size {
		case 1:
			b[0] = byte(x)
		case 2:
			le.PutUint16(b, uint16(x))
		case 4:
			le.PutUint32(b, uint32(x))
		default:
			le.PutUint64(b, x)
		}
	case KindString:
		s, ok := v.(string)
		if !ok {
			return mismatch(t, v)
		}
		ptr, units, err := w.storeString(s)
		if err != nil {
			return err
		}
		le.PutUint32(b, ptr)
		le.PutUint32(b[4:], units)
	case KindList:
		ptr, n, err := w.storeList(t.elem, v)
		if err != nil {
			return err
		}
		le.PutUint32(b, ptr)
		le.PutUint32(b[4:], n)
	case KindRecord, KindTuple:
		r, ok := v.(Record)
		if !ok {
			return mismatch(t, v)
		}
		if len(r.Fields) != len(t.fields) {
			return fail(ErrValue, "record has %d fields, type has %d", len(r.Fields), len(t.fields))
		}
		for i, f := range t.fields {
			off := t.offsets[i]
			if err := w.encode(f.Type, r.Fields[i], b[off:off+f.Type.size]); err != nil {
				return atField(err, f.Name)
			}
		}
	case KindVariant, KindEnum, KindOption, KindResult:
		disc, payload, err := caseOf(t, v)
		if err != nil {
			return err
		}
		switch t.discSize {
		case 1:
			b[0] = byte(disc)
		case 2:
			le.PutUint16(b, uint16(disc))
		default:
			le.PutUint32(b, disc)
		}
		if ct := t.cases[disc].Type; ct != nil {
			if err := w.encode(ct, payload, b[t.payloadOff:t.payloadOff+ct.size]); err != nil {
				return atField(err, t.cases[disc].Name)
			}
		}
	case KindFlags:
		f, err := flagsBits(t, v)
		if err != nil {
			return err
		}
		for i := range b {
			b[i] = byte(f >> (8 * i))
		}
	default:
		return fail(ErrType, "cannot lower kind %s", t.kind)
	}
	return nil
}

// storeList copies the list v into a fresh guest block.
func (w *lowerer) storeList(elem *Type, v Value) (ptr, n uint32, err error) {
	var bs []byte
	var vs []Value
	switch x := v.(type) {
	case []byte:
		if elem.kind != KindU8 {
			return 0, 0, fail(ErrValue, "[]byte for list<%s>", elem)
		}
		bs = x
	case []Value:
		vs = x
	default:
		return 0, 0, fail(ErrValue, "%T for list<%s>", v, elem)
	}
	count := uint64(len(bs) + len(vs))
	if count > math.MaxUint32 {
		return 0, 0, fail(ErrTooLarge, "list of %d elements", count)
	}
	byteLen := count * uint64(elem.size)
	ptr, err = w.alloc(elem.align, byteLen, "list")
	if err != nil {
		return 0, 0, err
	}
	if bs == nil {
		bs = make([]byte, byteLen)
		for i, e := range vs {
			off := uint64(i) * uint64(elem.size)
			if err := w.encode(elem, e, bs[off:off+uint64(elem.size)]); err != nil {
				return 0, 0, atIndex(err, i)
			}
		}
	}
	if !w.g.Memory.Write(ptr, bs) {
		return 0, 0, fail(ErrOutOfBounds, "writing list at %#x", ptr)
	}
	return ptr, uint32(count), nil
}

// scalarBits is the little-endian bit pattern of a scalar value: what store
// writes and what lower_flat puts in a core value (i32s zero-extended).
func scalarBits(t *Type, v Value) (uint64, error) {
	switch t.kind {
	case KindS8:
		if x, ok := v.(int8); ok {
			return uint64(uint32(int32(x))), nil
		}
	case KindU8:
		if x, ok := v.(uint8); ok {
			return uint64(x), nil
		}
	case KindS16:
		if x, ok := v.(int16); ok {
			return uint64(uint32(int32(x))), nil
		}
	case KindU16:
		if x, ok := v.(uint16); ok {
			return uint64(x), nil
		}
	case KindS32:
		if x, ok := v.(int32); ok {
			return uint64(uint32(x)), nil
		}
	case KindU32:
		if x, ok := v.(uint32); ok {
			return uint64(x), nil
		}
	case KindS64:
		if x, ok := v.(int64); ok {
			return uint64(x), nil
		}
	case KindU64:
		if x, ok := v.(uint64); ok {
			return x, nil
		}
	case KindF32:
		if x, ok := v.(float32); ok {
			return uint64(math.Float32bits(canonF32(x))), nil
		}
	case KindF64:
		if x, ok := v.(float64); ok {
			return math.Float64bits(canonF64(x)), nil
		}
	case KindChar:
		if x, ok := v.(rune); ok {
			if _, err := toChar(uint32(x)); err != nil || x < 0 {
				return 0, fail(ErrValue, "char %#x is not a Unicode scalar value", x)
			}
			return uint64(x), nil
		}
	case KindOwn, KindBorrow:
		if x, ok := v.(Handle); ok {
			return uint64(x), nil
		}
	}
	return 0, mismatch(t, v)
}

// caseOf finds the case index and payload of a variant-like value.
func caseOf(t *Type, v Value) (uint32, Value, error) {
	var disc uint32
	var payload Value
	switch t.kind {
	case KindVariant:
		x, ok := v.(Variant)
		if !ok {
			return 0, nil, mismatch(t, v)
		}
		disc, payload = x.Case, x.Value
	case KindEnum:
		x, ok := v.(Enum)
		if !ok {
			return 0, nil, mismatch(t, v)
		}
		disc = uint32(x)
	case KindOption:
		x, ok := v.(Option)
		if !ok {
			return 0, nil, mismatch(t, v)
		}
		if x.Some {
			disc, payload = 1, x.Value
		}
	case KindResult:
		x, ok := v.(Result)
		if !ok {
			return 0, nil, mismatch(t, v)
		}
		if x.IsErr {
			disc = 1
		}
		payload = x.Value
	}
	if disc >= uint32(len(t.cases)) {
		return 0, nil, fail(ErrValue, "case %d of a %s with %d cases", disc, t.kind, len(t.cases))
	}
	if t.cases[disc].Type == nil && payload != nil {
		return 0, nil, fail(ErrValue, "payload %T for case %q, which has none", payload, t.cases[disc].Name)
	}
	return disc, payload, nil
}

func flagsBits(t *Type, v Value) (uint64, error) {
	f, ok := v.(Flags)
	if !ok {
		return 0, mismatch(t, v)
	}
	if uint64(f)&^flagsMask(len(t.labels)) != 0 {
		return 0, fail(ErrValue, "flags %#x set bits beyond the %d labels", uint64(f), len(t.labels))
	}
	return uint64(f), nil
}
