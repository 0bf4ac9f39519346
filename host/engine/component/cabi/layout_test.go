package cabi

import (
	"errors"
	"testing"
)

// Layouts derived by hand from the spec's alignment / elem_size / flatten_type.
func TestLayout(t *testing.T) {
	tests := []struct {
		name        string
		typ         *Type
		align, size uint32
		flat        string
	}{
		{"bool", Bool(), 1, 1, "i32"},
		{"s8", S8(), 1, 1, "i32"},
		{"u16", U16(), 2, 2, "i32"},
		{"s32", S32(), 4, 4, "i32"},
		{"u64", U64(), 8, 8, "i64"},
		{"f32", F32(), 4, 4, "f32"},
		{"f64", F64(), 8, 8, "f64"},
		{"char", Char(), 4, 4, "i32"},
		{"string", String(), 4, 8, "i32 i32"},
		{"list<u64>", ListOf(U64()), 4, 8, "i32 i32"},
		{"own", Own("pollable"), 4, 4, "i32"},
		{"borrow", Borrow("pollable"), 4, 4, "i32"},
		// a@0 b@4 c@8, padded to 12
		{"record{u8,u32,u16}", RecordOf(field("a", U8()), field("b", U32()), field("c", U16())), 4, 12, "i32 i32 i32"},
		// record { u8, u64 }: u64 at 8, size 16
		{"record{u8,u64}", RecordOf(field("a", U8()), field("b", U64())), 8, 16, "i32 i64"},
		{"tuple<u32,u8> pads to 8", TupleOf(U32(), U8()), 4, 8, "i32 i32"},
		{"tuple<u64,u64> (u128)", TupleOf(U64(), U64()), 8, 16, "i64 i64"},
		// disc u8, payloads at 8 (u64), size 16; slots: join(i32,f32,i64) = i64
		{"variant{a,b(u32),c(f32),d(u64)}", VariantOf(cas("a", nil), cas("b", U32()), cas("c", F32()), cas("d", U64())), 8, 16, "i32 i64"},
		{"variant{f32,u32} joins to i32", VariantOf(cas("x", F32()), cas("y", U32())), 4, 8, "i32 i32"},
		{"variant{f64,f32} joins to i64", VariantOf(cas("p", F64()), cas("q", F32())), 8, 16, "i32 i64"},
		{"variant{string,f32,u64}", VariantOf(cas("s", String()), cas("f", F32()), cas("u", U64())), 8, 16, "i32 i64 i32"},
		{"enum 3", EnumOf("a", "b", "c"), 1, 1, "i32"},
		{"enum 256 → u8 disc", EnumOf(labels("e", 256)...), 1, 1, "i32"},
		{"enum 257 → u16 disc", EnumOf(labels("e", 257)...), 2, 2, "i32"},
		{"enum 65537 → u32 disc", EnumOf(labels("e", 65537)...), 4, 4, "i32"},
		{"option<u8>", OptionOf(U8()), 1, 2, "i32 i32"},
		{"option<u64>", OptionOf(U64()), 8, 16, "i32 i64"},
		{"option<string>", OptionOf(String()), 4, 12, "i32 i32 i32"},
		{"option<list<u8>>", OptionOf(ListOf(U8())), 4, 12, "i32 i32 i32"},
		{"result<u32,string>", ResultOf(U32(), String()), 4, 12, "i32 i32 i32"},
		{"result<_,u8>", ResultOf(nil, U8()), 1, 2, "i32 i32"},
		{"result<u16>", ResultOf(U16(), nil), 2, 4, "i32 i32"},
		{"result", ResultOf(nil, nil), 1, 1, "i32"},
		{"result<f32,f64>", ResultOf(F32(), F64()), 8, 16, "i32 i64"},
		{"flags 1", FlagsOf("a"), 1, 1, "i32"},
		{"flags 8", FlagsOf(labels("f", 8)...), 1, 1, "i32"},
		{"flags 9", FlagsOf(labels("f", 9)...), 2, 2, "i32"},
		{"flags 16", FlagsOf(labels("f", 16)...), 2, 2, "i32"},
		{"flags 17", FlagsOf(labels("f", 17)...), 4, 4, "i32"},
		{"flags 32", FlagsOf(labels("f", 32)...), 4, 4, "i32"},
		{"flags 33", FlagsOf(labels("f", 33)...), 4, 8, "i32 i32"},
		{"flags 64", FlagsOf(labels("f", 64)...), 4, 8, "i32 i32"},
		{"list of records", ListOf(RecordOf(field("a", U16()), field("b", U8()))), 4, 8, "i32 i32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.typ.Err(); err != nil {
				t.Fatal(err)
			}
			if got := tc.typ.Align(); got != tc.align {
				t.Errorf("align = %d, want %d", got, tc.align)
			}
			if got := tc.typ.Size(); got != tc.size {
				t.Errorf("size = %d, want %d", got, tc.size)
			}
			if got := coreTypes(tc.typ.Flat()); got != tc.flat {
				t.Errorf("flat = %q, want %q", got, tc.flat)
			}
		})
	}
}

func TestMalformedTypes(t *testing.T) {
	tests := []struct {
		name string
		typ  *Type
	}{
		{"empty record", RecordOf()},
		{"empty tuple", TupleOf()},
		{"no cases", VariantOf()},
		{"empty enum", EnumOf()},
		{"no flags", FlagsOf()},
		{"65 flags", FlagsOf(labels("f", 65)...)},
		{"nil list elem", ListOf(nil)},
		{"nil option", OptionOf(nil)},
		{"nil field", RecordOf(field("x", nil))},
		{"bad child propagates", ListOf(RecordOf(field("x", OptionOf(RecordOf()))))},
		{"bad case", VariantOf(cas("a", TupleOf()))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.typ.Err()
			if !errors.Is(err, ErrType) {
				t.Fatalf("Err() = %v, want ErrType", err)
			}
			g := newTestMem(64, 32).guest()
			if _, err := g.Load(tc.typ, 0, "x"); !errors.Is(err, ErrType) {
				t.Errorf("Load: %v, want ErrType", err)
			}
			if _, err := g.LowerFlat(t.Context(), tc.typ, nil, "x"); !errors.Is(err, ErrType) {
				t.Errorf("LowerFlat: %v, want ErrType", err)
			}
			if _, err := NewFunc([]Param{{Name: "x", Type: tc.typ}}, nil); !errors.Is(err, ErrType) {
				t.Errorf("NewFunc: %v, want ErrType", err)
			}
		})
	}
}

func TestCoreSignature(t *testing.T) {
	str := String()
	tests := []struct {
		name              string
		params            []*Type
		results           []*Type
		dir               Direction
		wantP, wantResult string
	}{
		{"flat", []*Type{str, U32()}, []*Type{U64()}, Lift, "i32 i32 i32", "i64"},
		{"16 flat params stay flat", repeat(U32(), 16), nil, Lift, "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32", ""},
		{"17 flat params spill", repeat(U32(), 17), nil, Lift, "i32", ""},
		{"spilled result, lifted: returns a pointer", []*Type{str}, []*Type{str}, Lift, "i32 i32", "i32"},
		{"spilled result, lowered: return pointer param", []*Type{str}, []*Type{str}, Lower, "i32 i32 i32", ""},
		{"both spill, lowered", repeat(U64(), 17), []*Type{TupleOf(U64(), U64())}, Lower, "i32 i32", ""},
		{"no result", []*Type{EnumOf("a", "b"), str}, nil, Lower, "i32 i32 i32", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := make([]Param, len(tc.params))
			for i, p := range tc.params {
				ps[i] = Param{Name: "p", Type: p}
			}
			f := MustFunc(ps, tc.results)
			p, r := f.CoreSignature(tc.dir)
			if got := coreTypes(p); got != tc.wantP {
				t.Errorf("params = %q, want %q", got, tc.wantP)
			}
			if got := coreTypes(r); got != tc.wantResult {
				t.Errorf("results = %q, want %q", got, tc.wantResult)
			}
		})
	}
}

func repeat(t *Type, n int) []*Type {
	out := make([]*Type, n)
	for i := range out {
		out[i] = t
	}
	return out
}
