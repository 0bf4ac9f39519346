package cabi

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"testing"
)

var fuzzTypes = []*Type{
	triggerAction,
	runResult,
	wasmResponse,
	mixedVariant,
	ListOf(String()),
	ListOf(ListOf(Char())),
	FlagsOf(labels("f", 33)...),
	OptionOf(F64()),
	ListOf(TupleOf(U64(), U64())),
	EnumOf(labels("e", 300)...),
	ResultOf(nil, ListOf(OptionOf(F32()))),
	VariantOf(cas("s", String()), cas("f", F32()), cas("u", U64()), cas("n", nil)),
}

// FuzzLift lifts fuzzer-chosen types from fuzzer-written memory and core
// values. Nothing may panic; every failure must be an *Error; and whatever
// lifts must lower and lift again to the same value.
func FuzzLift(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0})
	f.Add([]byte{1, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 2, 0, 0, 0})
	f.Add([]byte{4, 1, 0, 0, 0, 0, 0x20, 0, 0, 0, 3, 0, 0, 0, 'a', 'b', 'c'})
	f.Add([]byte{5, 2, 8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 6 {
			return
		}
		typ := fuzzTypes[int(data[0])%len(fuzzTypes)]
		enc := StringEncoding(data[1] % 3)
		ptr := binary.LittleEndian.Uint32(data[2:])
		mem := data[6:]
		if len(mem) > 1<<16 {
			mem = mem[:1<<16]
		}
		m := &testMem{b: append([]byte(nil), mem...)}
		g := &Guest{Memory: m, Encoding: enc, MaxBytes: 1 << 20}

		if ptr > uint32(len(mem))+8 && ptr < math.MaxUint32-8 {
			ptr %= uint32(len(mem)) + 8 // mostly in range, sometimes past the end
		}
		v, err := g.Load(typ, ptr, "v")
		checkFuzzErr(t, err)
		if err == nil {
			relift(t, typ, enc, v)
		}

		flat := make([]uint64, len(typ.Flat()))
		for i := range flat {
			if 6+8*i+8 <= len(data) {
				flat[i] = binary.LittleEndian.Uint64(data[6+8*i:])
			}
			if typ.Flat()[i] == I32 || typ.Flat()[i] == F32Core {
				flat[i] = uint64(uint32(flat[i]) % (uint32(len(mem)) + 16))
			}
		}
		v, err = g.LiftFlat(typ, flat, "v")
		checkFuzzErr(t, err)
		if err == nil {
			relift(t, typ, enc, v)
		}

		_, err = g.LiftParams(runFunc, []uint64{uint64(ptr), 0})
		checkFuzzErr(t, err)
		_, err = g.LiftResults(runFunc, []uint64{uint64(ptr)})
		checkFuzzErr(t, err)
	})
}

func checkFuzzErr(t *testing.T, err error) {
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if errors.Is(err, ErrValue) || errors.Is(err, ErrType) {
		t.Fatalf("guest bytes reported as a host fault: %v", err)
	}
}

// relift lowers v into fresh memory and lifts it again.
func relift(t *testing.T, typ *Type, enc StringEncoding, v Value) {
	m := newTestMem(1<<21, 0x100)
	g := m.guest()
	g.Encoding = enc
	if err := g.Store(t.Context(), typ, 0, v, "v"); err != nil {
		t.Fatalf("lifted value does not lower: %v", err)
	}
	back, err := g.Load(typ, 0, "v")
	if err != nil {
		t.Fatalf("relift: %v", err)
	}
	if !sameValue(back, v) {
		t.Fatalf("relift differs:\n got %#v\nwant %#v", back, v)
	}
}

// sameValue is reflect.DeepEqual with floats compared by bits (lifted NaNs
// are canonical, so equal bits are the right notion).
func sameValue(a, b Value) bool {
	switch x := a.(type) {
	case float32:
		y, ok := b.(float32)
		return ok && math.Float32bits(x) == math.Float32bits(y)
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case []Value:
		y, ok := b.([]Value)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case Record:
		y, ok := b.(Record)
		return ok && sameValue(x.Fields, y.Fields)
	case Variant:
		y, ok := b.(Variant)
		return ok && x.Case == y.Case && sameValue(x.Value, y.Value)
	case Option:
		y, ok := b.(Option)
		return ok && x.Some == y.Some && sameValue(x.Value, y.Value)
	case Result:
		y, ok := b.(Result)
		return ok && x.IsErr == y.IsErr && sameValue(x.Value, y.Value)
	}
	return reflect.DeepEqual(a, b)
}
