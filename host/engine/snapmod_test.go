package engine

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// readSLEB decodes a signed LEB128 (for the tests).
func readSLEB(b []byte) (int64, int) {
	var v int64
	var shift uint
	for i, c := range b {
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1
		}
	}
	return 0, -1
}

func TestAppendSLEB(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 63, 64, -64, -65, 127, 128, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64} {
		b := appendSLEB(nil, v)
		got, n := readSLEB(b)
		if got != v || n != len(b) {
			t.Errorf("appendSLEB(%d) = %x, reads back as %d (%d bytes)", v, b, got, n)
		}
	}
}

func TestConstExpr(t *testing.T) {
	tests := []struct {
		typ  byte
		v    uint64
		want []byte
	}{
		{valI32, 0xffffffff, []byte{opI32Const, 0x7f, opEnd}},          // -1
		{valI32, 0x12345678_00000001, []byte{opI32Const, 0x01, opEnd}}, // the low 32 bits
		{valI64, 1 << 63, append(append([]byte{opI64Const}, appendSLEB(nil, math.MinInt64)...), opEnd)},
		{valF32, 0x3f800000, []byte{opF32Const, 0x00, 0x00, 0x80, 0x3f, opEnd}},
		{valF64, 0x3ff0000000000000, []byte{opF64Const, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, opEnd}},
	}
	for _, tt := range tests {
		got, ok := constExpr(tt.typ, tt.v)
		if !ok || !bytes.Equal(got, tt.want) {
			t.Errorf("constExpr(0x%x, %#x) = %x, %v; want %x", tt.typ, tt.v, got, ok, tt.want)
		}
		r := &reader{b: got}
		if err := r.skipExpr(); err != nil || r.pos != len(got) {
			t.Errorf("constExpr(0x%x, %#x) does not read back: %v", tt.typ, tt.v, err)
		}
	}
	if _, ok := constExpr(0x70, 0); ok {
		t.Error("constExpr accepted a funcref")
	}
}

func TestNonZeroRuns(t *testing.T) {
	mem := make([]byte, 4*dataGapMerge)
	mem[1], mem[2], mem[4] = 1, 2, 3 // one run: the gap is short
	mem[2*dataGapMerge] = 4          // far: a run of its own
	mem[len(mem)-1] = 5
	want := []memRun{{1, 5}, {2 * dataGapMerge, 2*dataGapMerge + 1}, {len(mem) - 1, len(mem)}}
	if got := nonZeroRuns(mem); !reflect.DeepEqual(got, want) {
		t.Fatalf("runs %v, want %v", got, want)
	}
	if got := nonZeroRuns(make([]byte, 100)); len(got) != 0 {
		t.Fatalf("runs of zeros: %v", got)
	}
	// The data section rebuilds the memory.
	r := &reader{b: encodeData(mem, want)}
	rebuilt := make([]byte, len(mem))
	for n := r.u32(); n > 0; n-- {
		r.u32() // flags
		op := r.byte()
		off, k := readSLEB(r.b[r.pos:])
		r.pos += k
		if op != opI32Const || r.byte() != opEnd {
			t.Fatal("bad offset expression")
		}
		size := int(r.u32())
		copy(rebuilt[off:], r.b[r.pos:r.pos+size])
		r.pos += size
	}
	if r.err != nil || !bytes.Equal(rebuilt, mem) {
		t.Fatalf("the data section does not rebuild the memory: %v", r.err)
	}
}

func TestInsertSection(t *testing.T) {
	ids := func(secs []wasmSection) (out []byte) {
		for _, s := range secs {
			out = append(out, s.id)
		}
		return out
	}
	tests := []struct {
		have []byte
		add  byte
		want []byte
	}{
		{[]byte{sectionType, sectionCode, sectionCustom}, sectionData, []byte{sectionType, sectionCode, sectionData, sectionCustom}},
		{[]byte{sectionType, sectionMemory, sectionCode}, sectionExport, []byte{sectionType, sectionMemory, sectionExport, sectionCode}},
		{[]byte{sectionCustom, sectionType, sectionCustom, sectionDataCount, sectionCode}, sectionExport, []byte{sectionCustom, sectionType, sectionCustom, sectionExport, sectionDataCount, sectionCode}},
		{nil, sectionData, []byte{sectionData}},
	}
	for _, tt := range tests {
		var secs []wasmSection
		for _, id := range tt.have {
			secs = append(secs, wasmSection{id: id})
		}
		if got := ids(insertSection(secs, wasmSection{id: tt.add})); !bytes.Equal(got, tt.want) {
			t.Errorf("insert %d into %v: %v, want %v", tt.add, tt.have, got, tt.want)
		}
	}
}

// funcBody is a code section of one function with body (without end).
func codeSection(body ...byte) []byte {
	fn := append([]byte{0x00}, body...)
	fn = append(fn, opEnd)
	return append(appendLEB(appendLEB(nil, 1), uint32(len(fn))), fn...)
}

func TestScanCode(t *testing.T) {
	body := []byte{
		opBlock, 0x40, opLoop, 0x7f, opIf, 0x00, // block types: empty, a value type, a type index
		opBr, 0x01, opBrIf, 0x00, opBrTable, 0x02, 0x00, 0x01, 0x00,
		opCall, 0x85, 0x01, opCallIndirect, 0x01, 0x00,
		opSelectT, 0x01, valI32,
		opLocalGet, 0x00, opGlobalSet, 0x02,
		0x28, 0x02, 0x10, // i32.load align 2 offset 16
		0x3f, 0x00, 0x40, 0x00, // memory.size, memory.grow
		opI32Const, 0x7f, opI64Const, 0x80, 0x7f, opF32Const, 0, 0, 0, 0, opF64Const, 0, 0, 0, 0, 0, 0, 0, 0,
		0x6a, 0xc4, // i32.add, i64.extend32_s
		opRefNull, 0x70, opRefIsNull, opRefFunc, 0x03,
		opPrefixMisc, 0x00, opPrefixMisc, miscMemoryCopy, 0x00, 0x00, opPrefixMisc, miscMemoryFill, 0x00,
		opPrefixMisc, miscTableSize, 0x00,
		opPrefixSIMD, 0x00, 0x04, 0x00, // v128.load
		opPrefixSIMD, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, // v128.const
		opPrefixSIMD, 0x15, 0x03, // i8x16.extract_lane_s
		opPrefixSIMD, 0x54, 0x00, 0x00, 0x01, // v128.load8_lane
		opPrefixSIMD, 0xae, 0x01, // i32x4.add (a two-byte sub-opcode)
		opEnd, opEnd, opEnd,
	}
	var ops []instr
	if err := scanCode(codeSection(body...), func(op instr) error { ops = append(ops, op); return nil }); err != nil {
		t.Fatal(err)
	}
	if n := len(ops); n != 36 || ops[n-1] != opEnd || ops[31] != opPrefixSIMD<<16|174 {
		t.Fatalf("%d instructions: %v", n, ops)
	}

	for _, bad := range []struct {
		body []byte
		want string
	}{
		{[]byte{opTableSet, 0x00}, "changes a table"},
		{[]byte{opPrefixMisc, miscTableGrow, 0x00}, "changes a table"},
		{[]byte{opPrefixMisc, miscMemoryInit, 0x00, 0x00}, "changes a table"},
		{[]byte{opPrefixMisc, miscDataDrop, 0x00}, "changes a table"},
		{[]byte{opPrefixMisc, miscElemDrop, 0x00}, "changes a table"},
		{[]byte{0x12, 0x00}, "unknown instruction 0x12"}, // return_call
		{[]byte{opPrefixMisc, 0x20}, "unknown instruction 0xfc 32"},
		{[]byte{opPrefixSIMD, 0x80, 0x02}, "unknown instruction 0xfd 256"},
		{[]byte{0xfe, 0x00}, "unknown instruction 0xfe"}, // atomics
	} {
		err := scanCode(codeSection(bad.body...), func(op instr) error {
			if mutatesTables(op) {
				return errors.New("changes a table")
			}
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("scan of %x: %v, want %q", bad.body, err, bad.want)
		}
	}
}

// tinyModule is a module of the given sections (ids and bodies).
func tinyModule(secs ...wasmSection) []byte { return joinModule(secs) }

func TestPlanSnapshotRefuses(t *testing.T) {
	mem := wasmSection{sectionMemory, []byte{1, 0x00, 0x01}}
	imp := func(kind byte, desc ...byte) wasmSection {
		b := []byte{1, 1, 'm', 1, 'x', kind}
		return wasmSection{sectionImport, append(b, desc...)}
	}
	tests := []struct {
		name string
		wasm []byte
		want string
	}{
		{"no memory", tinyModule(), "defines no memory"},
		{"imported global", tinyModule(imp(externGlobal, valI32, 0x01), mem), "imports a global"},
		{"imported table", tinyModule(imp(externTable, 0x70, 0x00, 0x00), mem), "imports a table"},
		{"shared memory", tinyModule(wasmSection{sectionMemory, []byte{1, 0x03, 0x01, 0x02}}), "shared or 64-bit"},
		{"two memories", tinyModule(wasmSection{sectionMemory, []byte{2, 0x00, 0x01, 0x00, 0x01}}), "2 memories"},
		{"start", tinyModule(mem, wasmSection{sectionStart, []byte{0x00}}), "start function"},
		{"passive data", tinyModule(mem, wasmSection{sectionData, []byte{1, 0x01, 0x00}}), "passive"},
		{"funcref global", tinyModule(mem, wasmSection{sectionGlobal, []byte{1, 0x70, 0x01, opRefNull, 0x70, opEnd}}), "type 0x70"},
		{"name taken", tinyModule(mem, wasmSection{sectionGlobal, []byte{1, valI32, 0x01, opI32Const, 0x00, opEnd}},
			wasmSection{sectionExport, encodeExports([]wasmExport{{name: snapshotGlobalPrefix + "0", kind: externFunc}})}), "exports"},
	}
	for _, tt := range tests {
		_, err := planSnapshot(tt.wasm)
		if !errors.Is(err, errNoSnapshot) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestEmit: the snapshot module of a module with a mutable and an
// immutable global, a data section and a data count.
func TestEmit(t *testing.T) {
	globals := []wasmGlobal{
		{typ: valI64, mutable: true, init: []byte{opI64Const, 0x00, opEnd}},
		{typ: valI32, init: []byte{opI32Const, 0x05, opEnd}},
	}
	wasm := tinyModule(
		wasmSection{sectionMemory, encodeMemory(wasmLimits{min: 1, max: 4, hasMax: true})},
		wasmSection{sectionGlobal, encodeGlobals(globals)},
		wasmSection{sectionExport, encodeExports([]wasmExport{{name: reactorInit, kind: externFunc}, {name: "memory", kind: externMemory}})},
		wasmSection{sectionDataCount, []byte{1}},
		wasmSection{sectionData, encodeData([]byte{7}, []memRun{{0, 1}})},
		wasmSection{sectionCustom, []byte("\x04name")},
	)
	p, err := planSnapshot(wasm)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.names, []string{snapshotGlobalPrefix + "0"}) {
		t.Fatalf("captured %v", p.names)
	}
	exports, err := exportsOf(p.instrumented())
	if err != nil || len(exports) != 3 || exports[2].kind != externGlobal || exports[2].idx != 0 {
		t.Fatalf("instrumented exports %v, %v", exports, err)
	}
	memory := make([]byte, 2*wasmPageSize)
	memory[10], memory[wasmPageSize+1] = 1, 2
	bare, runs, st, err := p.emit(memory, []uint64{42})
	if err != nil {
		t.Fatal(err)
	}
	full, err := withDataSegments(bare, memory, runs)
	if err != nil {
		t.Fatal(err)
	}
	if st.pages != 2 || st.segments != 2 || st.data != 2 {
		t.Errorf("stats %+v", st)
	}
	for _, m := range [][]byte{full, bare} {
		secs, err := splitModule(m)
		if err != nil {
			t.Fatal(err)
		}
		var ids []byte
		for _, s := range secs {
			ids = append(ids, s.id)
			switch s.id {
			case sectionMemory:
				if l, _ := readMemory(s.body); l != (wasmLimits{min: 2, max: 4, hasMax: true}) {
					t.Errorf("memory %+v", l)
				}
			case sectionGlobal:
				gs, _ := readGlobals(s.body)
				if want := append(appendSLEB([]byte{opI64Const}, 42), opEnd); !bytes.Equal(gs[0].init, want) || !bytes.Equal(gs[1].init, globals[1].init) {
					t.Errorf("globals %+v", gs)
				}
			case sectionExport:
				if es, _ := readExports(s.body); len(es) != 1 || es[0].name != "memory" {
					t.Errorf("exports %+v", es)
				}
			case sectionDataCount:
				want := byte(2)
				if &m[0] == &bare[0] {
					want = 0
				}
				if s.body[0] != want {
					t.Errorf("data count %d, want %d", s.body[0], want)
				}
			}
		}
		if !bytes.Equal(ids, []byte{sectionMemory, sectionGlobal, sectionExport, sectionDataCount, sectionData, sectionCustom}) {
			t.Errorf("sections %v", ids)
		}
	}
	if _, _, _, err := p.emit(memory[:wasmPageSize+1], []uint64{42}); err == nil {
		t.Error("emit took a memory of a page and a byte")
	}
	if _, _, _, err := p.emit(make([]byte, 5*wasmPageSize), []uint64{42}); err == nil {
		t.Error("emit took a memory past the module's maximum")
	}
}

func TestSnapshotCacheEncoding(t *testing.T) {
	memory := make([]byte, 2*wasmPageSize)
	memory[3], memory[wasmPageSize+7] = 1, 2
	runs := nonZeroRuns(memory)
	snap := &snapshotResult{bare: []byte("module"), memory: memory, runs: runs, clock: -5, snapshotStats: snapshotStats{pages: 2, segments: 2, data: 2}}
	b := encodeSnapshot(snap)
	got, err := decodeSnapshot(b, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.bare, snap.bare) || !bytes.Equal(got.memory, memory) || !reflect.DeepEqual(got.runs, runs) || got.clock != -5 || got.snapshotStats != snap.snapshotStats {
		t.Fatalf("decoded %+v", got)
	}
	if _, err := decodeSnapshot(b, 1); err == nil || !strings.Contains(err.Error(), "past the limit of 1 pages") {
		t.Errorf("a snapshot past the limit: %v", err)
	}
	for i := range b {
		bad := bytes.Clone(b)
		bad[i] ^= 0x40
		if _, err := decodeSnapshot(bad, 2); err == nil {
			t.Fatalf("a snapshot damaged at byte %d decoded", i)
		}
	}
	if _, err := decodeSnapshot(b[:len(b)-1], 2); err == nil {
		t.Error("a truncated snapshot decoded")
	}
}
