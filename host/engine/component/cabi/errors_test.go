package cabi

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// Guest-controlled bytes that break the ABI: each must fail with the right
// kind of error and path, never panic.
func TestLiftErrors(t *testing.T) {
	le := binary.LittleEndian
	tests := []struct {
		name     string
		typ      *Type
		enc      StringEncoding
		maxBytes uint64
		setup    func(b []byte) // memory is 256 bytes; the value sits at 0
		ptr      uint32
		want     error
		path     string
	}{
		{name: "value pointer misaligned", typ: U32(), ptr: 2, want: ErrMisaligned, path: "v"},
		{name: "value past the end", typ: U64(), ptr: 0xf8 + 8, want: ErrOutOfBounds, path: "v"},
		{name: "value pointer near 4 GiB", typ: U64(), ptr: 0xfffffff8, want: ErrOutOfBounds, path: "v"},
		{
			name: "list pointer misaligned", typ: ListOf(U32()), want: ErrMisaligned, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0x42); le.PutUint32(b[4:], 1) },
		},
		{
			name: "empty list still needs alignment", typ: ListOf(U64()), want: ErrMisaligned, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0x44); le.PutUint32(b[4:], 0) },
		},
		{
			name: "list past the end", typ: ListOf(U8()), want: ErrOutOfBounds, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0xf0); le.PutUint32(b[4:], 0x11) },
		},
		{
			name: "list length overflows 32 bits", typ: ListOf(U64()), want: ErrOutOfBounds, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0x40); le.PutUint32(b[4:], 0x2000_0000) },
		},
		{
			name: "list pointer plus length wraps", typ: ListOf(U8()), want: ErrOutOfBounds, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0xffffff00); le.PutUint32(b[4:], 0x200) },
		},
		{
			name: "string past the end", typ: String(), want: ErrOutOfBounds, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0x40); le.PutUint32(b[4:], 0xffffffff) },
		},
		{
			name: "invalid utf8", typ: String(), want: ErrString, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0x40); le.PutUint32(b[4:], 2); b[0x40], b[0x41] = 0xc3, 0x28 },
		},
		{
			name: "utf8-encoded surrogate", typ: String(), want: ErrString, path: "v",
			setup: func(b []byte) {
				le.PutUint32(b, 0x40)
				le.PutUint32(b[4:], 3)
				copy(b[0x40:], []byte{0xed, 0xa0, 0x80})
			},
		},
		{
			name: "utf16 unpaired surrogate", typ: String(), enc: UTF16, want: ErrString, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0x40); le.PutUint32(b[4:], 1); le.PutUint16(b[0x40:], 0xd800) },
		},
		{
			name: "utf16 low surrogate first", typ: String(), enc: UTF16, want: ErrString, path: "v",
			setup: func(b []byte) {
				le.PutUint32(b, 0x40)
				le.PutUint32(b[4:], 2)
				le.PutUint16(b[0x40:], 0xdc00)
				le.PutUint16(b[0x42:], 0xd800)
			},
		},
		{
			name: "utf16 string misaligned", typ: String(), enc: UTF16, want: ErrMisaligned, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0x41); le.PutUint32(b[4:], 1) },
		},
		{
			name: "utf16 length doubles past 4 GiB", typ: String(), enc: UTF16, want: ErrOutOfBounds, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0x40); le.PutUint32(b[4:], 0x8000_0001) },
		},
		{name: "char surrogate", typ: Char(), want: ErrChar, path: "v", setup: func(b []byte) { le.PutUint32(b, 0xdfff) }},
		{name: "char too big", typ: Char(), want: ErrChar, path: "v", setup: func(b []byte) { le.PutUint32(b, 0x110000) }},
		{name: "option discriminant 2", typ: OptionOf(U8()), want: ErrDiscriminant, path: "v", setup: func(b []byte) { b[0] = 2 }},
		{name: "enum discriminant", typ: EnumOf("a", "b", "c"), want: ErrDiscriminant, path: "v", setup: func(b []byte) { b[0] = 3 }},
		{name: "u16 discriminant", typ: EnumOf(labels("e", 300)...), want: ErrDiscriminant, path: "v", setup: func(b []byte) { le.PutUint16(b, 300) }},
		{
			name: "bad char inside record in list", typ: ListOf(RecordOf(field("a", U8()), field("c", Char()))),
			want: ErrChar, path: "v[1].c",
			setup: func(b []byte) {
				le.PutUint32(b, 0x40)
				le.PutUint32(b[4:], 2)
				le.PutUint32(b[0x4c:], 0xd800) // element 1 at 0x48, c at +4
			},
		},
		{
			name: "bad payload names the case", typ: ResultOf(String(), Char()), want: ErrChar, path: "v.error",
			setup: func(b []byte) { b[0] = 1; le.PutUint32(b[4:], 0x110000) },
		},
		{
			name: "list bigger than MaxBytes", typ: ListOf(U8()), maxBytes: 16, want: ErrTooLarge, path: "v",
			setup: func(b []byte) { le.PutUint32(b, 0x40); le.PutUint32(b[4:], 17) },
		},
		{
			// 8 strings all pointing at the same 32 bytes: the list costs
			// 8*8 + 8*16 = 192, each string 32, so the sixth passes 380
			name: "aliased strings add up against MaxBytes", typ: ListOf(String()), maxBytes: 380, want: ErrTooLarge, path: "v[5]",
			setup: func(b []byte) {
				le.PutUint32(b, 0x40)
				le.PutUint32(b[4:], 8)
				for i := range 8 {
					le.PutUint32(b[0x40+8*i:], 0xc0)
					le.PutUint32(b[0x44+8*i:], 32)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestMem(256, 0x80)
			if tc.setup != nil {
				tc.setup(m.b)
			}
			g := &Guest{Memory: m, Encoding: tc.enc, MaxBytes: tc.maxBytes}
			_, err := g.Load(tc.typ, tc.ptr, "v")
			checkErr(t, err, tc.want, tc.path)
			if tc.ptr != 0 || len(tc.typ.Flat()) > 1 && tc.typ.Kind() != KindString && tc.typ.Kind() != KindList {
				return
			}
			// the same bytes as flat values (for scalars, strings and lists)
			flat := make([]uint64, len(tc.typ.Flat()))
			for i := range flat {
				flat[i] = uint64(le.Uint32(m.b[4*i:]))
			}
			if tc.typ.Size() == 1 {
				flat[0] = uint64(m.b[0])
			}
			if tc.typ.Size() == 2 {
				flat[0] = uint64(le.Uint16(m.b))
			}
			_, err = g.LiftFlat(tc.typ, flat, "v")
			checkErr(t, err, tc.want, tc.path)
		})
	}
}

func checkErr(t *testing.T, err, want error, path string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err %v is not an *Error", err)
	}
	if e.Path != path {
		t.Errorf("path = %q, want %q (%v)", e.Path, path, err)
	}
	if !strings.HasPrefix(err.Error(), "cabi: ") {
		t.Errorf("message %q lacks the package prefix", err)
	}
}

func TestFlatLiftQuirks(t *testing.T) {
	g := newTestMem(64, 32).guest()
	tests := []struct {
		name string
		typ  *Type
		flat []uint64
		want Value
	}{
		{"bool non-zero is true", Bool(), []uint64{0x100}, true},
		{"u8 wraps", U8(), []uint64{0x1ff}, uint8(0xff)},
		{"s8 sign-extends", S8(), []uint64{0x80}, int8(-128)},
		{"s16 wraps", S16(), []uint64{0x18000}, int16(-32768)},
		{"i32 high bits ignored", U32(), []uint64{0xffff_ffff_0000_0001}, uint32(1)},
		{"f32 payload from an i64 slot wraps", mixedVariant, []uint64{2, 0xdead_0000_3fc0_0000}, Variant{Case: 2, Value: float32(1.5)}},
		{"u32 payload from an i64 slot wraps", mixedVariant, []uint64{1, 0x1_0000_0007}, Variant{Case: 1, Value: uint32(7)}},
		{"flags bits beyond labels ignored", FlagsOf("a", "b"), []uint64{0xff}, Flags(3)},
		{"flags 33 from two words", FlagsOf(labels("f", 33)...), []uint64{0x8000_0000, 0xffff_ffff}, Flags(1<<32 | 1<<31)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := g.LiftFlat(tc.typ, tc.flat, "v")
			if err != nil {
				t.Fatal(err)
			}
			checkLifted(t, got, tc.want, nil)
		})
	}
	if _, err := g.LiftFlat(U32(), []uint64{1, 2}, "v"); !errors.Is(err, ErrFlatCount) {
		t.Errorf("extra flat value: %v", err)
	}
	f := MustFunc([]Param{{Name: "s", Type: String()}}, nil)
	if _, err := g.LiftParams(f, []uint64{1}); !errors.Is(err, ErrFlatCount) {
		t.Errorf("missing flat value: %v", err)
	}
	if _, err := g.LiftResults(f, []uint64{1}); !errors.Is(err, ErrFlatCount) {
		t.Errorf("unexpected result: %v", err)
	}
}

// What a broken or hostile realloc hands back is checked before it is written.
func TestReallocChecks(t *testing.T) {
	tests := []struct {
		name string
		bad  func(uint32) uint32
		want error
	}{
		{"misaligned", func(p uint32) uint32 { return p + 1 }, ErrMisaligned},
		{"past the end", func(uint32) uint32 { return 0xfffffff0 }, ErrOutOfBounds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestMem(256, 0x40)
			m.bad = tc.bad
			_, err := m.guest().LowerFlat(t.Context(), ListOf(U32()), []Value{uint32(1)}, "v")
			checkErr(t, err, tc.want, "v")
		})
	}
	m := newTestMem(64, 0x40)
	_, err := m.guest().LowerFlat(t.Context(), String(), strings.Repeat("x", 100), "v")
	checkErr(t, err, ErrRealloc, "v")
	_, err = (&Guest{Memory: m}).LowerFlat(t.Context(), String(), "x", "v")
	checkErr(t, err, ErrRealloc, "v")
}

// Host values that do not fit their type are the host's bug: ErrValue, with a path.
func TestLowerValueErrors(t *testing.T) {
	rec := RecordOf(field("a", U32()), field("b", ListOf(OptionOf(Char()))))
	tests := []struct {
		name string
		typ  *Type
		val  Value
		path string
	}{
		{"wrong scalar type", U32(), int32(1), "v"},
		{"nil for u8", U8(), nil, "v"},
		{"record arity", rec, Fields(uint32(1)), "v"},
		{"deep bad char", rec, Fields(uint32(1), []Value{None(), Some(rune(0xd800))}), "v.b[1].some"},
		{"negative char", Char(), rune(-1), "v"},
		{"variant case out of range", mixedVariant, Variant{Case: 4}, "v"},
		{"payload for a bare case", mixedVariant, Variant{Case: 0, Value: uint32(1)}, "v"},
		{"enum out of range", EnumOf("a"), Enum(1), "v"},
		{"flags beyond labels", FlagsOf("a", "b"), Flags(4), "v"},
		{"invalid utf8 string", String(), "\xff", "v"},
		{"[]byte for list<u16>", ListOf(U16()), []byte{1}, "v"},
		{"list of wrong elements", ListOf(U8()), []Value{uint16(1)}, "v[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := newTestMem(256, 0x40).guest()
			_, err := g.LowerFlat(t.Context(), tc.typ, tc.val, "v")
			checkErr(t, err, ErrValue, tc.path)
			err = g.Store(t.Context(), tc.typ, 0, tc.val, "v")
			checkErr(t, err, ErrValue, tc.path)
		})
	}
}
