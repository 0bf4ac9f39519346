package cabi

import (
	"bytes"
	"encoding/hex"
	"math"
	"reflect"
	"testing"
)

// goldenHeap is where the test allocator starts handing out memory; values
// are stored at address 0, so their own bytes come first and what realloc
// gave out follows from goldenHeap.
const goldenHeap = 0x40

// Each case is written down from the spec's store / lower_flat rules. mem is
// the memory image from 0 up to the allocator's end after storing the value at
// 0 (the value itself, zero up to goldenHeap, then its strings and lists); flat
// is lower_flat's core values (with the same allocations).
var goldenTests = []struct {
	name string
	typ  *Type
	val  Value
	mem  string
	flat []uint64
	lift Value // what lifting gives back, when not val itself
}{
	{name: "bool true", typ: Bool(), val: true, mem: "01", flat: []uint64{1}},
	{name: "bool false", typ: Bool(), val: false, mem: "00", flat: []uint64{0}},
	{name: "s8 -1", typ: S8(), val: int8(-1), mem: "ff", flat: []uint64{0xffffffff}},
	{name: "u8", typ: U8(), val: uint8(0xab), mem: "ab", flat: []uint64{0xab}},
	{name: "s16 -2", typ: S16(), val: int16(-2), mem: "feff", flat: []uint64{0xfffffffe}},
	{name: "u16", typ: U16(), val: uint16(0x1234), mem: "3412", flat: []uint64{0x1234}},
	{name: "s32 min", typ: S32(), val: int32(math.MinInt32), mem: "00000080", flat: []uint64{0x80000000}},
	{name: "u32", typ: U32(), val: uint32(0xdeadbeef), mem: "efbeadde", flat: []uint64{0xdeadbeef}},
	{name: "s64 -1", typ: S64(), val: int64(-1), mem: "ffffffffffffffff", flat: []uint64{math.MaxUint64}},
	{name: "u64", typ: U64(), val: uint64(0x0102030405060708), mem: "0807060504030201", flat: []uint64{0x0102030405060708}},
	{name: "f32 1.5", typ: F32(), val: float32(1.5), mem: "0000c03f", flat: []uint64{0x3fc00000}},
	{name: "f64 -0", typ: F64(), val: math.Copysign(0, -1), mem: "0000000000000080", flat: []uint64{0x8000000000000000}},
	{name: "f32 NaN canonicalized", typ: F32(), val: math.Float32frombits(0x7fa00001), mem: "0000c07f", flat: []uint64{0x7fc00000}},
	{name: "f64 NaN canonicalized", typ: F64(), val: math.Float64frombits(0xfff0000000000001), mem: "000000000000f87f", flat: []uint64{0x7ff8000000000000}},
	{name: "char euro", typ: Char(), val: '€', mem: "ac200000", flat: []uint64{0x20ac}},
	{name: "char emoji", typ: Char(), val: rune(0x1F600), mem: "00f60100", flat: []uint64{0x1f600}},
	{name: "own", typ: Own("r"), val: Handle(7), mem: "07000000", flat: []uint64{7}},
	{name: "borrow", typ: Borrow("r"), val: Handle(0x10002), mem: "02000100", flat: []uint64{0x10002}},

	{name: "string empty", typ: String(), val: "", mem: "40000000 00000000", flat: []uint64{0x40, 0}},
	{
		name: "string multibyte", typ: String(), val: "héllo€",
		mem: "40000000 09000000 | 68 c3a9 6c 6c 6f e282ac", flat: []uint64{0x40, 9},
	},
	{name: "list<u8>", typ: ListOf(U8()), val: []byte{1, 2, 3}, mem: "40000000 03000000 | 010203", flat: []uint64{0x40, 3}},
	{name: "list<u8> empty", typ: ListOf(U8()), val: []byte{}, mem: "40000000 00000000", flat: []uint64{0x40, 0}},
	{
		// elements of 4 bytes (u16 @0, u8 @2, pad), at 0x40
		name: "list<record{u16,u8}>", typ: ListOf(RecordOf(field("a", U16()), field("b", U8()))),
		val: []Value{Fields(uint16(1), uint8(2)), Fields(uint16(3), uint8(4))},
		mem: "40000000 02000000 | 0100 02 00 | 0300 04 00", flat: []uint64{0x40, 2},
	},
	{
		// the outer list's 16 bytes at 0x40, then the inner lists at 0x50, 0x51
		name: "list<list<u8>>", typ: ListOf(ListOf(U8())),
		val: []Value{[]byte{1}, []byte{2, 3}},
		mem: "40000000 02000000 | 50000000 01000000 51000000 02000000 | 01 | 0203", flat: []uint64{0x40, 2},
	},
	{
		name: "list<u64> aligned to 8", typ: ListOf(U64()), val: []Value{uint64(1)},
		mem: "40000000 01000000 | 0100000000000000", flat: []uint64{0x40, 1},
	},
	{
		name: "record{u8,u32,u16}", typ: RecordOf(field("a", U8()), field("b", U32()), field("c", U16())),
		val: Fields(uint8(0x11), uint32(0x22334455), uint16(0x6677)),
		mem: "11 000000 | 55443322 | 7766 0000", flat: []uint64{0x11, 0x22334455, 0x6677},
	},
	{
		name: "tuple<u64,u64> u128", typ: TupleOf(U64(), U64()), val: Fields(uint64(1), uint64(2)),
		mem: "0100000000000000 0200000000000000", flat: []uint64{1, 2},
	},
	{
		name: "tuple<string,f64>", typ: TupleOf(String(), F64()), val: Fields("a", float64(2)),
		mem: "40000000 01000000 | 0000000000000040 | 61", flat: []uint64{0x40, 1, 0x4000000000000000},
	},
	{
		name: "variant case without payload", typ: mixedVariant, val: Variant{Case: 0},
		mem: "00 00000000000000 0000000000000000", flat: []uint64{0, 0},
	},
	{
		name: "variant u32 case", typ: mixedVariant, val: Variant{Case: 1, Value: uint32(9)},
		mem: "01 00000000000000 09000000 00000000", flat: []uint64{1, 9},
	},
	{
		name: "variant f32 case in i64 slot", typ: mixedVariant, val: Variant{Case: 2, Value: float32(1.5)},
		mem: "02 00000000000000 0000c03f 00000000", flat: []uint64{2, 0x3fc00000},
	},
	{
		name: "variant u64 case", typ: mixedVariant, val: Variant{Case: 3, Value: uint64(1 << 40)},
		mem: "03 00000000000000 0000000000010000", flat: []uint64{3, 1 << 40},
	},
	{
		name: "variant f32 in i32 slot", typ: VariantOf(cas("x", F32()), cas("y", U32())), val: Variant{Case: 0, Value: float32(1)},
		mem: "00 000000 0000803f", flat: []uint64{0, 0x3f800000},
	},
	{
		name: "variant string case pads the i32 slot", typ: VariantOf(cas("s", String()), cas("f", F32()), cas("u", U64())),
		val: Variant{Case: 1, Value: float32(-1)},
		mem: "01 00000000000000 000080bf 00000000", flat: []uint64{1, 0xbf800000, 0},
	},
	{name: "enum", typ: EnumOf("a", "b", "c"), val: Enum(2), mem: "02", flat: []uint64{2}},
	{name: "enum u16 disc", typ: EnumOf(labels("e", 300)...), val: Enum(299), mem: "2b01", flat: []uint64{299}},
	{name: "option<u8> some", typ: OptionOf(U8()), val: Some(uint8(7)), mem: "01 07", flat: []uint64{1, 7}},
	{name: "option<u8> none", typ: OptionOf(U8()), val: None(), mem: "00 00", flat: []uint64{0, 0}},
	{name: "option<u64> some", typ: OptionOf(U64()), val: Some(uint64(5)), mem: "01 00000000000000 0500000000000000", flat: []uint64{1, 5}},
	{
		name: "option<list<u8>> some", typ: OptionOf(ListOf(U8())), val: Some([]byte{9}),
		mem: "01 000000 40000000 01000000 | 09", flat: []uint64{1, 0x40, 1},
	},
	{name: "result<u32,string> ok", typ: ResultOf(U32(), String()), val: Ok(uint32(9)), mem: "00 000000 09000000 00000000", flat: []uint64{0, 9, 0}},
	{
		name: "result<u32,string> err", typ: ResultOf(U32(), String()), val: Err("hi"),
		mem: "01 000000 40000000 02000000 | 6869", flat: []uint64{1, 0x40, 2},
	},
	{name: "result<_,u8> err", typ: ResultOf(nil, U8()), val: Err(uint8(3)), mem: "01 03", flat: []uint64{1, 3}},
	{name: "result<_,u8> ok", typ: ResultOf(nil, U8()), val: Ok(nil), mem: "00 00", flat: []uint64{0, 0}},
	{name: "result<u16> ok", typ: ResultOf(U16(), nil), val: Ok(uint16(0x1234)), mem: "00 00 3412", flat: []uint64{0, 0x1234}},
	{name: "result<u16> err", typ: ResultOf(U16(), nil), val: Err(nil), mem: "01 00 0000", flat: []uint64{1, 0}},
	{name: "result bare err", typ: ResultOf(nil, nil), val: Err(nil), mem: "01", flat: []uint64{1}},
	{name: "flags 8", typ: FlagsOf(labels("f", 8)...), val: Flags(0x81), mem: "81", flat: []uint64{0x81}},
	{name: "flags 16", typ: FlagsOf(labels("f", 16)...), val: Flags(0x8001), mem: "0180", flat: []uint64{0x8001}},
	{name: "flags 17", typ: FlagsOf(labels("f", 17)...), val: Flags(0x10000), mem: "00000100", flat: []uint64{0x10000}},
	{name: "flags 33", typ: FlagsOf(labels("f", 33)...), val: Flags(1<<32 | 1), mem: "01000000 01000000", flat: []uint64{1, 1}},
}

var mixedVariant = VariantOf(cas("a", nil), cas("b", U32()), cas("c", F32()), cas("d", U64()))

func TestGoldenStore(t *testing.T) {
	for _, tc := range goldenTests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestMem(0x100, goldenHeap)
			g := m.guest()
			if err := g.Store(t.Context(), tc.typ, 0, tc.val, "v"); err != nil {
				t.Fatal(err)
			}
			want := unhex(t, tc.mem)
			// the value's bytes, then what the allocator handed out
			got := append(append([]byte(nil), m.b[:tc.typ.Size()]...), m.b[goldenHeap:m.next]...)
			if !bytes.Equal(got, want) {
				t.Errorf("memory:\n got %s\nwant %s", hex.EncodeToString(got), hex.EncodeToString(want))
			}
			v, err := g.Load(tc.typ, 0, "v")
			if err != nil {
				t.Fatal(err)
			}
			checkLifted(t, v, tc.val, tc.lift)
		})
	}
}

func TestGoldenFlat(t *testing.T) {
	for _, tc := range goldenTests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestMem(0x100, goldenHeap)
			g := m.guest()
			flat, err := g.LowerFlat(t.Context(), tc.typ, tc.val, "v")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(flat, tc.flat) {
				t.Errorf("flat = %#x, want %#x", flat, tc.flat)
			}
			if want := unhex(t, tc.mem); m.next > goldenHeap && !bytes.Equal(m.b[goldenHeap:m.next], want[tc.typ.Size():]) {
				t.Errorf("heap = %x, want %x", m.b[goldenHeap:m.next], want[tc.typ.Size():])
			}
			v, err := g.LiftFlat(tc.typ, flat, "v")
			if err != nil {
				t.Fatal(err)
			}
			checkLifted(t, v, tc.val, tc.lift)
		})
	}
}

func checkLifted(t *testing.T, got, val, lift Value) {
	t.Helper()
	want := val
	if lift != nil {
		want = lift
	}
	switch w := want.(type) {
	case float32:
		if math.Float32bits(got.(float32)) != math.Float32bits(canonF32(w)) {
			t.Errorf("lifted %v (%#x), want %v", got, math.Float32bits(got.(float32)), w)
		}
		return
	case float64:
		if math.Float64bits(got.(float64)) != math.Float64bits(canonF64(w)) {
			t.Errorf("lifted %v, want %v", got, w)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lifted %#v, want %#v", got, want)
	}
}
