package cabi

import (
	"fmt"
	"math"
)

// CoreType is a core WebAssembly value type of a flattened value.
type CoreType uint8

// The core value types a component value flattens to.
const (
	I32 CoreType = iota + 1
	I64
	F32Core
	F64Core
)

func (c CoreType) String() string {
	switch c {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32Core:
		return "f32"
	case F64Core:
		return "f64"
	}
	return "core?"
}

// join is the core type a variant's flat slot takes when two cases put
// different core types there: equal stays, i32/f32 share an i32, all else i64.
func join(a, b CoreType) CoreType {
	switch {
	case a == b:
		return a
	case (a == I32 && b == F32Core) || (a == F32Core && b == I32):
		return I32
	}
	return I64
}

// layout is what the canonical ABI derives from a type, computed once.
type layout struct {
	align uint32
	size  uint32     // elem_size
	flat  []CoreType // flatten_type

	offsets    []uint32 // record/tuple: each field's offset from the start
	discSize   uint32   // variants: 1, 2 or 4 bytes of discriminant
	payloadOff uint32   // variants: where every case's payload starts
}

// discriminantSize is the byte size of a variant's discriminant for n cases:
// the smallest of u8/u16/u32 that holds n-1 (ceil(log2(n)/8) bytes, at least 1).
func discriminantSize(n int) uint32 {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}

func alignTo(p, a uint64) uint64 { return (p + a - 1) / a * a }

func (t *Type) computeLayout() {
	if t.err != nil {
		return // children may be nil: leave the zero layout
	}
	switch t.kind {
	case KindBool, KindS8, KindU8:
		t.align, t.size, t.flat = 1, 1, flatI32
	case KindS16, KindU16:
		t.align, t.size, t.flat = 2, 2, flatI32
	case KindS32, KindU32, KindChar, KindOwn, KindBorrow:
		t.align, t.size, t.flat = 4, 4, flatI32
	case KindS64, KindU64:
		t.align, t.size, t.flat = 8, 8, flatI64
	case KindF32:
		t.align, t.size, t.flat = 4, 4, flatF32
	case KindF64:
		t.align, t.size, t.flat = 8, 8, flatF64
	case KindString, KindList:
		t.align, t.size, t.flat = 4, 8, flatPtrLen
	case KindRecord, KindTuple:
		t.recordLayout()
	case KindVariant, KindEnum, KindOption, KindResult:
		t.variantLayout()
	case KindFlags:
		t.flagsLayout()
	default:
		t.err = fmt.Errorf("%w: unknown kind %d", ErrType, t.kind)
	}
}

var (
	flatI32    = []CoreType{I32}
	flatI64    = []CoreType{I64}
	flatF32    = []CoreType{F32Core}
	flatF64    = []CoreType{F64Core}
	flatPtrLen = []CoreType{I32, I32}
)

func (t *Type) recordLayout() {
	var off uint64
	align := uint32(1)
	t.offsets = make([]uint32, len(t.fields))
	n := 0
	for _, f := range t.fields {
		n += len(f.Type.flat)
	}
	t.flat = make([]CoreType, 0, n)
	for i, f := range t.fields {
		off = alignTo(off, uint64(f.Type.align))
		if off > math.MaxUint32 {
			t.err = fmt.Errorf("%w: record larger than 4 GiB", ErrType)
			return
		}
		t.offsets[i] = uint32(off)
		off += uint64(f.Type.size)
		align = max(align, f.Type.align)
		t.flat = append(t.flat, f.Type.flat...)
	}
	off = alignTo(off, uint64(align))
	if off > math.MaxUint32 {
		t.err = fmt.Errorf("%w: record larger than 4 GiB", ErrType)
		return
	}
	t.align, t.size = align, uint32(off)
}

func (t *Type) variantLayout() {
	t.discSize = discriminantSize(len(t.cases))
	caseAlign := uint32(1)
	var caseSize uint32
	var payload []CoreType
	for _, c := range t.cases {
		if c.Type == nil {
			continue
		}
		caseAlign = max(caseAlign, c.Type.align)
		caseSize = max(caseSize, c.Type.size)
		for i, ft := range c.Type.flat {
			if i < len(payload) {
				payload[i] = join(payload[i], ft)
			} else {
				payload = append(payload, ft)
			}
		}
	}
	off := alignTo(uint64(t.discSize), uint64(caseAlign))
	t.payloadOff = uint32(off)
	t.align = max(t.discSize, caseAlign)
	size := alignTo(off+uint64(caseSize), uint64(t.align))
	if size > math.MaxUint32 {
		t.err = fmt.Errorf("%w: variant larger than 4 GiB", ErrType)
		return
	}
	t.size = uint32(size)
	t.flat = append([]CoreType{I32}, payload...)
}

func (t *Type) flagsLayout() {
	n := len(t.labels)
	switch {
	case n <= 8:
		t.align, t.size = 1, 1
	case n <= 16:
		t.align, t.size = 2, 2
	default:
		words := (n + 31) / 32
		t.align, t.size = 4, uint32(4*words)
	}
	words := (n + 31) / 32
	t.flat = make([]CoreType, words)
	for i := range t.flat {
		t.flat[i] = I32
	}
}

// FlattenTypes is the concatenated flat core types of ts (the spec's flatten_types).
func FlattenTypes(ts ...*Type) []CoreType {
	var out []CoreType
	for _, t := range ts {
		out = append(out, t.flat...)
	}
	return out
}
