package cabi

import (
	"encoding/binary"
	"math"
)

// lifter carries one lift's state: the guest and what is left of MaxBytes.
type lifter struct {
	g      *Guest
	budget uint64
}

func (g *Guest) newLifter() *lifter {
	return &lifter{g: g, budget: g.maxBytes()}
}

func (l *lifter) charge(n uint64) error {
	if n > l.budget {
		return fail(ErrTooLarge, "lifting %d more bytes exceeds the %d-byte limit", n, l.g.maxBytes())
	}
	l.budget -= n
	return nil
}

// read returns n bytes of guest memory at ptr, checking alignment and bounds.
func (l *lifter) read(ptr uint32, n uint64, align uint32, what string) ([]byte, error) {
	if ptr%align != 0 {
		return nil, fail(ErrMisaligned, "%s pointer %#x not aligned to %d", what, ptr, align)
	}
	size := uint64(l.g.Memory.Size())
	if uint64(ptr)+n > size {
		return nil, fail(ErrOutOfBounds, "%s at %#x + %d bytes past memory size %#x", what, ptr, n, size)
	}
	b, ok := l.g.Memory.Read(ptr, uint32(n))
	if !ok {
		return nil, fail(ErrOutOfBounds, "%s at %#x + %d bytes not readable", what, ptr, n)
	}
	return b, nil
}

// load reads a value of type t stored at ptr (the spec's load).
func (l *lifter) load(t *Type, ptr uint32) (Value, error) {
	b, err := l.read(ptr, uint64(t.size), t.align, t.kind.String())
	if err != nil {
		return nil, err
	}
	return l.decode(t, b)
}

// decode reads a value of type t from b, which holds exactly t.size bytes
// copied or viewed from a correctly aligned place in guest memory.
func (l *lifter) decode(t *Type, b []byte) (Value, error) {
	le := binary.LittleEndian
	switch t.kind {
	case KindBool:
		return b[0] != 0, nil
	case KindS8:
		return int8(b[0]), nil
	case KindU8:
		return b[0], nil
	case KindS16:
		return int16(le.Uint16(b)), nil
	case KindU16:
		return le.Uint16(b), nil
	case KindS32:
		return int32(le.Uint32(b)), nil
	case KindU32:
		return le.Uint32(b), nil
	case KindS64:
		return int64(le.Uint64(b)), nil
	case KindU64:
		return le.Uint64(b), nil
	case KindF32:
		return canonF32(math.Float32frombits(le.Uint32(b))), nil
	case KindF64:
		return canonF64(math.Float64frombits(le.Uint64(b))), nil
	case KindChar:
		return toChar(le.Uint32(b))
	case KindOwn, KindBorrow:
		return Handle(le.Uint32(b)), nil
	case KindString:
		return l.loadString(le.Uint32(b), le.Uint32(b[4:]))
	case KindList:
		return l.loadList(t.elem, le.Uint32(b), le.Uint32(b[4:]))
	case KindRecord, KindTuple:
		fields := make([]Value, len(t.fields))
		for i, f := range t.fields {
			off := t.offsets[i]
			v, err := l.decode(f.Type, b[off:off+f.Type.size])
			if err != nil {
				return nil, atField(err, f.Name)
			}
			fields[i] = v
		}
		return Record{Fields: fields}, nil
	case KindVariant, KindEnum, KindOption, KindResult:
		var disc uint32
		switch t.discSize {
		case 1:
			disc = uint32(b[0])
		case 2:
			disc = uint32(le.Uint16(b))
		default:
			disc = le.Uint32(b)
		}
		if disc >= uint32(len(t.cases)) {
			return nil, fail(ErrDiscriminant, "%s discriminant %d, only %d cases", t.kind, disc, len(t.cases))
		}
		var payload Value
		if ct := t.cases[disc].Type; ct != nil {
			v, err := l.decode(ct, b[t.payloadOff:t.payloadOff+ct.size])
			if err != nil {
				return nil, atField(err, t.cases[disc].Name)
			}
			payload = v
		}
		return variantValue(t, disc, payload), nil
	case KindFlags:
		var bits uint64
		for i := len(b) - 1; i >= 0; i-- {
			bits = bits<<8 | uint64(b[i])
		}
		return Flags(bits & flagsMask(len(t.labels))), nil
	}
	return nil, fail(ErrType, "cannot lift kind %s", t.kind)
}

// loadList reads n elements of type elem starting at ptr.
func (l *lifter) loadList(elem *Type, ptr, n uint32) (Value, error) {
	byteLen := uint64(n) * uint64(elem.size)
	if byteLen > math.MaxUint32 {
		return nil, fail(ErrOutOfBounds, "list of %d elements of %d bytes overflows 32-bit memory", n, elem.size)
	}
	b, err := l.read(ptr, byteLen, elem.align, "list")
	if err != nil {
		return nil, err
	}
	if elem.kind == KindU8 {
		if err := l.charge(byteLen); err != nil {
			return nil, err
		}
		out := make([]byte, len(b))
		copy(out, b)
		return out, nil
	}
	if err := l.charge(byteLen + uint64(n)*listOverhead); err != nil {
		return nil, err
	}
	out := make([]Value, n)
	sz := elem.size
	for i := range out {
		off := uint32(i) * sz
		v, err := l.decode(elem, b[off:off+sz])
		if err != nil {
			return nil, atIndex(err, i)
		}
		out[i] = v
	}
	return out, nil
}

func variantValue(t *Type, disc uint32, payload Value) Value {
	switch t.kind {
	case KindEnum:
		return Enum(disc)
	case KindOption:
		return Option{Some: disc == 1, Value: payload}
	case KindResult:
		return Result{IsErr: disc == 1, Value: payload}
	}
	return Variant{Case: disc, Value: payload}
}

func flagsMask(n int) uint64 {
	if n >= 64 {
		return math.MaxUint64
	}
	return 1<<n - 1
}

func toChar(i uint32) (Value, error) {
	if i >= 0x110000 || (i >= 0xD800 && i <= 0xDFFF) {
		return nil, fail(ErrChar, "%#x is not a Unicode scalar value", i)
	}
	return rune(i), nil
}

// Canonical NaNs (the spec's CANONICAL_FLOAT32_NAN / CANONICAL_FLOAT64_NAN).
const (
	canonicalNaN32 = 0x7fc00000
	canonicalNaN64 = 0x7ff8000000000000
)

func canonF32(f float32) float32 {
	if f != f {
		return math.Float32frombits(canonicalNaN32)
	}
	return f
}

func canonF64(f float64) float64 {
	if f != f {
		return math.Float64frombits(canonicalNaN64)
	}
	return f
}
