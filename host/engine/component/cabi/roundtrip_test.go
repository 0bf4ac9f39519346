package cabi

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// randType builds a random type of at most the given depth.
func randType(r *rand.Rand, depth int) *Type {
	prims := []*Type{Bool(), S8(), U8(), S16(), U16(), S32(), U32(), S64(), U64(), F32(), F64(), Char(), String(), Own("r"), Borrow("r")}
	if depth <= 0 || r.IntN(3) == 0 {
		return prims[r.IntN(len(prims))]
	}
	switch r.IntN(9) {
	case 0:
		return ListOf(randType(r, depth-1))
	case 1:
		fs := make([]Field, 1+r.IntN(4))
		for i := range fs {
			fs[i] = Field{Name: fmt.Sprintf("f%d", i), Type: randType(r, depth-1)}
		}
		return RecordOf(fs...)
	case 2:
		ts := make([]*Type, 1+r.IntN(3))
		for i := range ts {
			ts[i] = randType(r, depth-1)
		}
		return TupleOf(ts...)
	case 3:
		cs := make([]Case, 1+r.IntN(5))
		for i := range cs {
			cs[i].Name = fmt.Sprintf("c%d", i)
			if r.IntN(3) > 0 {
				cs[i].Type = randType(r, depth-1)
			}
		}
		return VariantOf(cs...)
	case 4:
		if r.IntN(4) == 0 {
			return EnumOf(labels("e", 300)...)
		}
		return EnumOf(labels("e", 1+r.IntN(5))...)
	case 5:
		return OptionOf(randType(r, depth-1))
	case 6:
		var ok, er *Type
		if r.IntN(3) > 0 {
			ok = randType(r, depth-1)
		}
		if r.IntN(3) > 0 {
			er = randType(r, depth-1)
		}
		return ResultOf(ok, er)
	case 7:
		return FlagsOf(labels("f", 1+r.IntN(MaxFlags))...)
	}
	return ListOf(U8())
}

var sampleRunes = []rune{'a', 'Z', '0', ' ', 'é', 'ÿ', 'Ā', '€', '中', 0xFFFD, 0x1F600, 0x10FFFF, 0}

func randValue(r *rand.Rand, t *Type) Value {
	switch t.Kind() {
	case KindBool:
		return r.IntN(2) == 1
	case KindS8:
		return int8(r.Uint32())
	case KindU8:
		return uint8(r.Uint32())
	case KindS16:
		return int16(r.Uint32())
	case KindU16:
		return uint16(r.Uint32())
	case KindS32:
		return int32(r.Uint32())
	case KindU32:
		return r.Uint32()
	case KindS64:
		return int64(r.Uint64())
	case KindU64:
		return r.Uint64()
	case KindF32:
		return float32(r.NormFloat64())
	case KindF64:
		return r.NormFloat64() * 1e300
	case KindChar:
		return sampleRunes[r.IntN(len(sampleRunes))]
	case KindString:
		n := r.IntN(6)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = sampleRunes[r.IntN(len(sampleRunes))]
		}
		if r.IntN(3) == 0 { // sometimes all Latin-1, to exercise that path
			for i := range rs {
				rs[i] %= 256
			}
		}
		return string(rs)
	case KindOwn, KindBorrow:
		return Handle(r.Uint32())
	case KindList:
		n := r.IntN(4)
		if t.Elem().Kind() == KindU8 {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			return b
		}
		vs := make([]Value, n)
		for i := range vs {
			vs[i] = randValue(r, t.Elem())
		}
		return vs
	case KindRecord, KindTuple:
		vs := make([]Value, len(t.Fields()))
		for i, f := range t.Fields() {
			vs[i] = randValue(r, f.Type)
		}
		return Record{Fields: vs}
	case KindVariant, KindEnum, KindOption, KindResult:
		c := uint32(r.IntN(len(t.Cases())))
		var p Value
		if ct := t.Cases()[c].Type; ct != nil {
			p = randValue(r, ct)
		}
		return variantValue(t, c, p)
	case KindFlags:
		return Flags(r.Uint64() & flagsMask(len(t.Labels())))
	}
	panic("unreachable")
}

// Lower then lift is the identity, through memory, through flat values, and
// through whole calls (with spilling), in every string encoding.
func TestRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		typ := randType(r, 4)
		val := randValue(r, typ)
		enc := StringEncoding(i % 3)
		name := fmt.Sprintf("%d-%s-%s", i, typ, enc)
		m := newTestMem(1<<20, 0x1000)
		g := m.guest()
		g.Encoding = enc

		if err := g.Store(t.Context(), typ, 0x100-0x100%typ.Align(), val, "v"); err != nil {
			t.Fatalf("%s: store: %v", name, err)
		}
		got, err := g.Load(typ, 0x100-0x100%typ.Align(), "v")
		if err != nil {
			t.Fatalf("%s: load: %v", name, err)
		}
		if !reflect.DeepEqual(got, val) {
			t.Fatalf("%s: memory round trip\n got %#v\nwant %#v", name, got, val)
		}

		flat, err := g.LowerFlat(t.Context(), typ, val, "v")
		if err != nil {
			t.Fatalf("%s: lower flat: %v", name, err)
		}
		if len(flat) != len(typ.Flat()) {
			t.Fatalf("%s: %d flat values for %d flat types", name, len(flat), len(typ.Flat()))
		}
		for j, c := range typ.Flat() {
			if (c == I32 || c == F32Core) && flat[j]>>32 != 0 {
				t.Fatalf("%s: flat[%d] = %#x is not a zero-extended i32", name, j, flat[j])
			}
		}
		got, err = g.LiftFlat(typ, flat, "v")
		if err != nil {
			t.Fatalf("%s: lift flat: %v", name, err)
		}
		if !reflect.DeepEqual(got, val) {
			t.Fatalf("%s: flat round trip\n got %#v\nwant %#v", name, got, val)
		}
	}
}

func TestCallRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		params := make([]Param, 1+r.IntN(6))
		vals := make([]Value, len(params))
		for j := range params {
			params[j] = Param{Name: fmt.Sprintf("p%d", j), Type: randType(r, 3)}
			vals[j] = randValue(r, params[j].Type)
		}
		var results []*Type
		var rvals []Value
		if r.IntN(4) > 0 {
			results = []*Type{randType(r, 3)}
			rvals = []Value{randValue(r, results[0])}
		}
		f, err := NewFunc(params, results)
		if err != nil {
			t.Fatal(err)
		}
		m := newTestMem(1<<20, 0x1000)
		g := m.guest()
		g.Encoding = StringEncoding(i % 3)

		// host → guest export: lower params; the guest's view of them, lifted
		// as an import would, is the same.
		args, err := g.LowerParams(t.Context(), f, vals)
		if err != nil {
			t.Fatalf("%d: lower params: %v", i, err)
		}
		if f.paramsSpilled() != (len(args) == 1 && len(f.flatParams) > MaxFlatParams) {
			t.Fatalf("%d: %d args for %d flat params", i, len(args), len(f.flatParams))
		}
		const retArea = 0x800
		if f.resultsSpilled() {
			args = append(args, retArea)
		}
		got, err := g.LiftParams(f, args)
		if err != nil {
			t.Fatalf("%d: lift params: %v", i, err)
		}
		if !reflect.DeepEqual(got, vals) {
			t.Fatalf("%d: params round trip\n got %#v\nwant %#v", i, got, vals)
		}

		// host import results → guest, then lifted as an export's results.
		flat, err := g.LowerResults(t.Context(), f, args, rvals)
		if err != nil {
			t.Fatalf("%d: lower results: %v", i, err)
		}
		if f.resultsSpilled() {
			flat = []uint64{retArea}
		}
		back, err := g.LiftResults(f, flat)
		if err != nil {
			t.Fatalf("%d: lift results: %v", i, err)
		}
		if len(rvals) == 0 && len(back) == 0 {
			continue
		}
		if !reflect.DeepEqual(back, rvals) {
			t.Fatalf("%d: results round trip\n got %#v\nwant %#v", i, back, rvals)
		}
	}
}

func TestStringEncodings(t *testing.T) {
	tests := []struct {
		s        string
		enc      StringEncoding
		units    uint64
		bytes    string
		reallocs string
	}{
		{"hé", UTF8, 3, "68c3a9", "0,0,1,3->0x40"},
		{"hé", UTF16, 2, "6800e900", "0,0,2,4->0x40"},
		{"😀", UTF16, 2, "3dd800de", "0,0,2,4->0x40"},
		{"hé", Latin1UTF16, 2, "68e9", "0,0,2,2->0x40"},
		{"h€", Latin1UTF16, 2 | utf16Tag, "6800ac20", "0,0,2,4->0x40"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%s", tc.enc, tc.s), func(t *testing.T) {
			m := newTestMem(256, 0x40)
			g := m.guest()
			g.Encoding = tc.enc
			flat, err := g.LowerFlat(t.Context(), String(), tc.s, "v")
			if err != nil {
				t.Fatal(err)
			}
			if flat[0] != 0x40 || flat[1] != tc.units {
				t.Errorf("flat = %#x, want [0x40 %#x]", flat, tc.units)
			}
			if got := fmt.Sprintf("%x", m.b[0x40:m.next]); got != tc.bytes {
				t.Errorf("bytes = %s, want %s", got, tc.bytes)
			}
			if len(m.calls) != 1 || m.calls[0] != tc.reallocs {
				t.Errorf("realloc calls = %v, want %s", m.calls, tc.reallocs)
			}
			back, err := g.LiftFlat(String(), flat, "v")
			if err != nil || back != tc.s {
				t.Errorf("lifted %q, %v", back, err)
			}
		})
	}
}

func TestNaNCanonical(t *testing.T) {
	g := newTestMem(64, 32).guest()
	v, err := g.LiftFlat(F32(), []uint64{0xffc00001}, "v")
	if err != nil || math.Float32bits(v.(float32)) != canonicalNaN32 {
		t.Errorf("f32 NaN lifted as %#x, %v", math.Float32bits(v.(float32)), err)
	}
	v, err = g.LiftFlat(F64(), []uint64{0x7ff0000000000001}, "v")
	if err != nil || math.Float64bits(v.(float64)) != canonicalNaN64 {
		t.Errorf("f64 NaN lifted as %#x, %v", math.Float64bits(v.(float64)), err)
	}
}
