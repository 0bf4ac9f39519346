package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The parts of the WebAssembly binary format (core module, version 1)
// that the snapshot needs: sections split and joined again, and the
// declarations it reads or rewrites. Modules reaching this code were
// validated by wazero first, so the readers only need to be exact, not
// to diagnose.

// Section ids of the WebAssembly binary format besides those of
// modcheck.go.
const (
	sectionCustom    = 0
	sectionType      = 1
	sectionFunction  = 3
	sectionMemory    = 5
	sectionExport    = 7
	sectionStart     = 8
	sectionElement   = 9
	sectionCode      = 10
	sectionData      = 11
	sectionDataCount = 12
)

// Export and import kinds.
const (
	externFunc   = 0x00
	externTable  = 0x01
	externMemory = 0x02
	externGlobal = 0x03
)

// Value types of globals the snapshot can capture.
const (
	valI32 = 0x7f
	valI64 = 0x7e
	valF32 = 0x7d
	valF64 = 0x7c
)

// wasmHeader is the magic number and version 1 of a core module.
var wasmHeader = []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}

// wasmSection is one section of a module: its id and its body.
type wasmSection struct {
	id   byte
	body []byte
}

// splitModule splits a core module into its sections, in order.
func splitModule(wasm []byte) ([]wasmSection, error) {
	if len(wasm) < len(wasmHeader) || string(wasm[:len(wasmHeader)]) != string(wasmHeader) {
		return nil, errors.New("not a WebAssembly core module of version 1")
	}
	r := &reader{b: wasm, pos: len(wasmHeader)}
	var secs []wasmSection
	for r.pos < len(r.b) {
		id := r.byte()
		size := r.u32()
		if r.err != nil {
			return nil, r.err
		}
		end := r.pos + int(size)
		if end > len(r.b) || end < r.pos {
			return nil, fmt.Errorf("section %d runs past the end of the module", id)
		}
		secs = append(secs, wasmSection{id: id, body: r.b[r.pos:end]})
		r.pos = end
	}
	return secs, nil
}

// joinModule is the module made of secs.
func joinModule(secs []wasmSection) []byte {
	n := len(wasmHeader)
	for _, s := range secs {
		n += 6 + len(s.body)
	}
	out := make([]byte, 0, n)
	out = append(out, wasmHeader...)
	for _, s := range secs {
		out = append(out, s.id)
		out = appendLEB(out, uint32(len(s.body)))
		out = append(out, s.body...)
	}
	return out
}

// wasmImports counts a module's imports by kind.
type wasmImports struct {
	funcs, tables, memories, globals uint32
}

func readImports(body []byte) (wasmImports, error) {
	r := &reader{b: body}
	var im wasmImports
	n := r.u32()
	for i := uint32(0); i < n && r.err == nil; i++ {
		r.skipName()
		r.skipName()
		switch kind := r.byte(); kind {
		case externFunc:
			r.u32()
			im.funcs++
		case externTable:
			r.byte()
			r.limits()
			im.tables++
		case externMemory:
			r.limits()
			im.memories++
		case externGlobal:
			r.byte()
			r.byte()
			im.globals++
		default:
			return im, fmt.Errorf("import kind 0x%02x", kind)
		}
	}
	return im, r.err
}

// wasmGlobal is a global a module defines.
type wasmGlobal struct {
	typ     byte
	mutable bool
	init    []byte // its initializer expression, with its end
}

func readGlobals(body []byte) ([]wasmGlobal, error) {
	r := &reader{b: body}
	n := r.u32()
	if n > maxGlobals {
		return nil, fmt.Errorf("%d globals", n)
	}
	globals := make([]wasmGlobal, 0, n)
	for i := uint32(0); i < n && r.err == nil; i++ {
		g := wasmGlobal{typ: r.byte()}
		switch mut := r.byte(); mut {
		case 0:
		case 1:
			g.mutable = true
		default:
			return nil, fmt.Errorf("global %d: mutability 0x%02x", i, mut)
		}
		start := r.pos
		if err := r.skipExpr(); err != nil {
			return nil, fmt.Errorf("global %d: %w", i, err)
		}
		g.init = r.b[start:r.pos]
		globals = append(globals, g)
	}
	return globals, r.err
}

func encodeGlobals(globals []wasmGlobal) []byte {
	b := appendLEB(nil, uint32(len(globals)))
	for _, g := range globals {
		mut := byte(0)
		if g.mutable {
			mut = 1
		}
		b = append(b, g.typ, mut)
		b = append(b, g.init...)
	}
	return b
}

// constExpr is the initializer expression of a global of type typ holding
// the raw value v (as wazero's api.Global reads it), or false for a type
// the snapshot does not capture.
func constExpr(typ byte, v uint64) ([]byte, bool) {
	switch typ {
	case valI32:
		return append(appendSLEB([]byte{opI32Const}, int64(int32(uint32(v)))), opEnd), true
	case valI64:
		return append(appendSLEB([]byte{opI64Const}, int64(v)), opEnd), true
	case valF32:
		return append(binary.LittleEndian.AppendUint32([]byte{opF32Const}, uint32(v)), opEnd), true
	case valF64:
		return append(binary.LittleEndian.AppendUint64([]byte{opF64Const}, v), opEnd), true
	}
	return nil, false
}

// wasmExport is one export of a module.
type wasmExport struct {
	name string
	kind byte
	idx  uint32
}

func readExports(body []byte) ([]wasmExport, error) {
	r := &reader{b: body}
	n := r.u32()
	var exports []wasmExport
	for i := uint32(0); i < n && r.err == nil; i++ {
		e := wasmExport{name: r.name(), kind: r.byte()}
		e.idx = r.u32()
		exports = append(exports, e)
	}
	return exports, r.err
}

func encodeExports(exports []wasmExport) []byte {
	b := appendLEB(nil, uint32(len(exports)))
	for _, e := range exports {
		b = appendLEB(b, uint32(len(e.name)))
		b = append(b, e.name...)
		b = append(b, e.kind)
		b = appendLEB(b, e.idx)
	}
	return b
}

// exportsOf is the export section of wasm, or nil without one. It is
// cheap: the sections before it are skipped, not read.
func exportsOf(wasm []byte) ([]wasmExport, error) {
	secs, err := splitModule(wasm)
	if err != nil {
		return nil, err
	}
	for _, s := range secs {
		if s.id == sectionExport {
			return readExports(s.body)
		}
	}
	return nil, nil
}

// wasmLimits are a memory's limits.
type wasmLimits struct {
	min, max uint32
	hasMax   bool
}

// readMemory reads a memory section of exactly one plain 32-bit memory.
func readMemory(body []byte) (wasmLimits, error) {
	r := &reader{b: body}
	if n := r.u32(); n != 1 {
		return wasmLimits{}, fmt.Errorf("%d memories", n)
	}
	var l wasmLimits
	switch flags := r.byte(); flags {
	case 0x00:
		l.min = r.u32()
	case 0x01:
		l.min, l.max, l.hasMax = r.u32(), r.u32(), true
	default:
		return l, fmt.Errorf("memory limits flags 0x%02x (shared or 64-bit memory)", flags)
	}
	if r.err == nil && r.pos != len(r.b) {
		return l, errors.New("memory section has trailing bytes")
	}
	return l, r.err
}

func encodeMemory(l wasmLimits) []byte {
	b := []byte{1}
	if l.hasMax {
		b = append(b, 0x01)
		b = appendLEB(b, l.min)
		return appendLEB(b, l.max)
	}
	b = append(b, 0x00)
	return appendLEB(b, l.min)
}

// checkActiveData checks that every data segment is active, on memory 0,
// at an i32.const offset: those are the segments a snapshot replaces.
func checkActiveData(body []byte) error {
	r := &reader{b: body}
	n := r.u32()
	for i := uint32(0); i < n && r.err == nil; i++ {
		switch flags := r.u32(); flags {
		case 0:
		case 2:
			if mem := r.u32(); mem != 0 {
				return fmt.Errorf("data segment %d is for memory %d", i, mem)
			}
		default:
			return fmt.Errorf("data segment %d is passive", i)
		}
		if err := r.skipExpr(); err != nil {
			return fmt.Errorf("data segment %d: %w", i, err)
		}
		size := r.u32()
		if r.err == nil && r.pos+int(size) > len(r.b) {
			return errShort
		}
		r.pos += int(size)
	}
	return r.err
}

// Opcodes the snapshot reads or writes, and those it scans for.
const (
	opBlock        = 0x02
	opLoop         = 0x03
	opIf           = 0x04
	opEnd          = 0x0b
	opBr           = 0x0c
	opBrIf         = 0x0d
	opBrTable      = 0x0e
	opCall         = 0x10
	opCallIndirect = 0x11
	opSelectT      = 0x1c
	opLocalGet     = 0x20
	opGlobalSet    = 0x24
	opTableGet     = 0x25
	opTableSet     = 0x26
	opI32Const     = 0x41
	opI64Const     = 0x42
	opF32Const     = 0x43
	opF64Const     = 0x44
	opRefNull      = 0xd0
	opRefIsNull    = 0xd1
	opRefFunc      = 0xd2
	opPrefixMisc   = 0xfc
	opPrefixSIMD   = 0xfd
)

// Instructions after the 0xfc prefix that change a table or a segment
// after instantiation: what a snapshot could not carry over.
const (
	miscMemoryInit = 8
	miscDataDrop   = 9
	miscMemoryCopy = 10
	miscMemoryFill = 11
	miscTableInit  = 12
	miscElemDrop   = 13
	miscTableCopy  = 14
	miscTableGrow  = 15
	miscTableSize  = 16
	miscTableFill  = 17
)

// instr is an instruction's opcode: the byte, or for a prefixed
// instruction the prefix << 16 | the sub-opcode.
type instr uint32

func (op instr) String() string {
	if op > 0xff {
		return fmt.Sprintf("0x%02x %d", uint32(op>>16), uint32(op&0xffff))
	}
	return fmt.Sprintf("0x%02x", uint32(op))
}

// mutatesTables reports whether op changes a table, an element segment or
// a data segment: state outside memory and globals.
func mutatesTables(op instr) bool {
	switch op {
	case opTableSet,
		opPrefixMisc<<16 | miscMemoryInit, opPrefixMisc<<16 | miscDataDrop,
		opPrefixMisc<<16 | miscTableInit, opPrefixMisc<<16 | miscElemDrop,
		opPrefixMisc<<16 | miscTableCopy, opPrefixMisc<<16 | miscTableGrow,
		opPrefixMisc<<16 | miscTableFill:
		return true
	}
	return false
}

// scanCode calls visit with every instruction of every function body of
// a code section, stopping at its first error.
func scanCode(body []byte, visit func(instr) error) error {
	r := &reader{b: body}
	n := r.u32()
	for i := uint32(0); i < n && r.err == nil; i++ {
		size := r.u32()
		end := r.pos + int(size)
		if r.err != nil || end > len(r.b) || end < r.pos {
			return fmt.Errorf("function body %d runs past the code section", i)
		}
		f := &reader{b: r.b[:end], pos: r.pos}
		locals := f.u32()
		for j := uint32(0); j < locals && f.err == nil; j++ {
			f.u32()
			f.byte()
		}
		for f.pos < end && f.err == nil {
			op, err := f.instr()
			if err != nil {
				return fmt.Errorf("function body %d: %w", i, err)
			}
			if err := visit(op); err != nil {
				return err
			}
		}
		if f.err != nil {
			return fmt.Errorf("function body %d: %w", i, f.err)
		}
		r.pos = end
	}
	return r.err
}

// skipExpr skips a constant expression up to and including its end.
func (r *reader) skipExpr() error {
	for r.err == nil {
		op, err := r.instr()
		if err != nil {
			return err
		}
		if op == opEnd {
			return nil
		}
	}
	return r.err
}

// instr reads one instruction and its immediates and returns its opcode.
// It knows the instructions of WebAssembly 2.0 (with SIMD) that wazero
// compiles; any other is an error.
func (r *reader) instr() (instr, error) {
	op := r.byte()
	switch {
	case op == opBlock || op == opLoop || op == opIf:
		r.blockType()
	case op == opBr || op == opBrIf || op == opCall || (op >= opLocalGet && op <= opTableSet) || op == opRefFunc:
		r.u32()
	case op == opBrTable:
		n := r.u32()
		for i := uint32(0); i <= n && r.err == nil; i++ {
			r.u32()
		}
	case op == opCallIndirect:
		r.u32()
		r.u32()
	case op == opSelectT:
		n := r.u32()
		r.skip(int(n))
	case op >= 0x28 && op <= 0x3e: // loads and stores
		r.memarg()
	case op == 0x3f || op == 0x40: // memory.size, memory.grow
		r.u32()
	case op == opI32Const || op == opI64Const:
		r.sleb()
	case op == opF32Const:
		r.skip(4)
	case op == opF64Const:
		r.skip(8)
	case op == opRefNull:
		r.byte()
	case op <= 0x01, op == 0x05, op == opEnd, op == 0x0f, op == 0x1a, op == 0x1b,
		op >= 0x45 && op <= 0xc4, op == opRefIsNull:
		// no immediates
	case op == opPrefixMisc:
		sub := r.u32()
		switch {
		case sub <= 7: // saturating truncations
		case sub == miscMemoryInit:
			r.u32()
			r.byte()
		case sub == miscDataDrop, sub == miscElemDrop, sub == miscTableGrow, sub == miscTableSize, sub == miscTableFill:
			r.u32()
		case sub == miscMemoryCopy:
			r.byte()
			r.byte()
		case sub == miscMemoryFill:
			r.byte()
		case sub == miscTableInit, sub == miscTableCopy:
			r.u32()
			r.u32()
		default:
			return 0, fmt.Errorf("unknown instruction 0xfc %d", sub)
		}
		return instr(opPrefixMisc)<<16 | instr(sub), r.err
	case op == opPrefixSIMD:
		sub := r.u32()
		switch {
		case sub <= 11 || sub == 92 || sub == 93: // loads and stores
			r.memarg()
		case sub == 12 || sub == 13: // v128.const, i8x16.shuffle
			r.skip(16)
		case sub >= 21 && sub <= 34: // lane accesses
			r.byte()
		case sub >= 84 && sub <= 91: // lane loads and stores
			r.memarg()
			r.byte()
		case sub <= 255:
			// no immediates
		default:
			return 0, fmt.Errorf("unknown instruction 0xfd %d", sub)
		}
		return instr(opPrefixSIMD)<<16 | instr(sub), r.err
	default:
		if r.err == nil {
			return 0, fmt.Errorf("unknown instruction 0x%02x", op)
		}
	}
	return instr(op), r.err
}

// blockType skips a block type: empty, a value type or a type index.
func (r *reader) blockType() {
	switch c := r.peek(); {
	case c == 0x40, c >= 0x6f && c <= 0x7f:
		r.byte()
	default:
		r.sleb()
	}
}

// memarg skips a memory argument: alignment (with bit 6, a memory index)
// and offset.
func (r *reader) memarg() {
	if align := r.u32(); align&0x40 != 0 {
		r.u32()
	}
	r.u32()
}

// sleb skips a signed LEB128 of at most 10 bytes.
func (r *reader) sleb() {
	for i := 0; i < 10; i++ {
		if c := r.byte(); r.err != nil || c&0x80 == 0 {
			return
		}
	}
	r.err = errors.New("LEB128 number longer than 10 bytes")
}

// limits skips table or memory limits.
func (r *reader) limits() {
	flags := r.byte()
	r.u32()
	if flags&0x01 != 0 {
		r.u32()
	}
}

func (r *reader) skip(n int) {
	if r.err != nil {
		return
	}
	if n < 0 || r.pos+n > len(r.b) {
		r.err = errShort
		return
	}
	r.pos += n
}

// appendSLEB appends v as a signed LEB128.
func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
