package engine

import (
	"errors"
	"fmt"
	"slices"
)

// What a module declares that wazero allocates on the host outside linear
// memory without bounding it: a table's elements (8 bytes each: the
// minimum at instantiation, then whatever table.grow asks, up to the
// table's maximum or, with none, 2^32) and globals (at instantiation).
// wazero's CompiledModule does not show tables or globals, so boundModule
// reads them from the binary.

// maxGlobals bounds the globals a component defines; compilers emit a
// handful (Go 1.2x: none, Rust and C: a stack pointer and a few more).
const maxGlobals = 1 << 16

// maxTables bounds the tables of a component (reference types allow many;
// toolchains emit one).
const maxTables = 16

// Section ids of the WebAssembly binary format.
const (
	sectionImport = 2
	sectionTable  = 4
	sectionGlobal = 6
)

type tableType struct {
	ref      byte
	min, max uint32
	hasMax   bool
}

// boundModule checks the tables and globals that wasm (well-formed: wazero
// compiled it) declares and returns the module to compile: wasm itself, or
// a copy whose tables have maxima summing to at most maxElements. A table
// without a maximum (Go declares none) gets one: its minimum plus an even
// share of the room the other tables leave. So table.grow can never make
// the host allocate more than maxElements elements, and asks past that
// fail in the guest (table.grow returns -1) rather than in the host.
func boundModule(wasm []byte, maxElements uint32) ([]byte, error) {
	return boundCore(wasm, maxElements, false)
}

// boundCore is boundModule for a core module of a component too: with
// tableImports, table imports are allowed (a component's fixup module
// fills the table of its shim module; the table is bounded where it is
// defined).
func boundCore(wasm []byte, maxElements uint32, tableImports bool) ([]byte, error) {
	secs, err := splitModule(wasm)
	if err != nil {
		return nil, err
	}
	changed := false
	for i, sec := range secs {
		body := &reader{b: sec.body}
		switch sec.id {
		case sectionImport:
			if err := checkImports(body, tableImports); err != nil {
				return nil, err
			}
		case sectionTable:
			tables, err := readTables(body)
			if err != nil {
				return nil, err
			}
			bounded, ch, err := boundTables(tables, maxElements)
			if err != nil {
				return nil, err
			}
			if ch {
				secs[i].body, changed = encodeTables(bounded), true
			}
		case sectionGlobal:
			if n := body.u32(); n > maxGlobals {
				return nil, fmt.Errorf("it defines %d globals, more than the limit of %d", n, maxGlobals)
			}
		}
		if body.err != nil {
			return nil, fmt.Errorf("section %d: %w", sec.id, body.err)
		}
	}
	if !changed {
		return wasm, nil
	}
	return joinModule(secs), nil
}

// checkImports refuses table imports unless tables (only functions may
// be imported into a wasip1 module; a table import would fail to link
// anyway, but say it plainly).
func checkImports(r *reader, tables bool) error {
	n := r.u32()
	for i := uint32(0); i < n && r.err == nil; i++ {
		r.skipName()
		r.skipName()
		switch kind := r.byte(); kind {
		case 0x00:
			r.u32()
		case 0x01:
			if !tables {
				return errors.New("it imports a table")
			}
			r.byte() // reference type
			if flags := r.byte(); flags&0x01 != 0 {
				r.u32()
			}
			r.u32()
		case 0x02:
			if flags := r.byte(); flags&0x01 != 0 {
				r.u32()
			}
			r.u32()
		case 0x03:
			r.byte()
			r.byte()
		default:
			r.err = fmt.Errorf("import kind 0x%02x", kind)
		}
	}
	return nil
}

func readTables(r *reader) ([]tableType, error) {
	n := r.u32()
	if n > maxTables {
		return nil, fmt.Errorf("it defines %d tables, more than the limit of %d", n, maxTables)
	}
	tables := make([]tableType, 0, n)
	for i := uint32(0); i < n && r.err == nil; i++ {
		if r.peek() == 0x40 {
			return nil, fmt.Errorf("its table %d has an initializer expression (function references), which ABI v1 does not allow", i)
		}
		t := tableType{ref: r.byte()}
		switch flags := r.byte(); flags {
		case 0x00:
			t.min = r.u32()
		case 0x01:
			t.min, t.max, t.hasMax = r.u32(), r.u32(), true
		default:
			return nil, fmt.Errorf("its table %d has limits flags 0x%02x, which ABI v1 does not allow", i, flags)
		}
		tables = append(tables, t)
	}
	return tables, r.err
}

// boundTables gives every table a maximum so that the maxima sum to at
// most maxElements, or says which table makes that impossible.
func boundTables(tables []tableType, maxElements uint32) ([]tableType, bool, error) {
	var fixed uint64 // elements the tables with a maximum, and every minimum, take
	unbounded := 0
	for _, t := range tables {
		if t.hasMax {
			fixed += uint64(t.max)
		} else {
			fixed += uint64(t.min)
			unbounded++
		}
	}
	if fixed > uint64(maxElements) {
		return nil, false, fmt.Errorf("its tables need %d elements (declared minima and maxima), more than the limit of %d table elements", fixed, maxElements)
	}
	if unbounded == 0 {
		return tables, false, nil
	}
	share := (uint64(maxElements) - fixed) / uint64(unbounded)
	out := slices.Clone(tables)
	for i := range out {
		if !out[i].hasMax {
			out[i].max, out[i].hasMax = out[i].min+uint32(share), true
		}
	}
	return out, true, nil
}

// encodeTables is the body of a table section holding tables.
func encodeTables(tables []tableType) []byte {
	body := appendLEB(nil, uint32(len(tables)))
	for _, t := range tables {
		body = append(body, t.ref, 0x01)
		body = appendLEB(body, t.min)
		body = appendLEB(body, t.max)
	}
	return body
}

func appendLEB(b []byte, n uint32) []byte {
	for {
		c := byte(n & 0x7f)
		n >>= 7
		if n == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// reader reads the parts of a module binary that checkDeclared needs.
type reader struct {
	b   []byte
	pos int
	err error
}

var errShort = errors.New("unexpected end of section")

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= len(r.b) {
		r.err = errShort
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *reader) peek() byte {
	if r.pos >= len(r.b) {
		return 0
	}
	return r.b[r.pos]
}

// u32 reads an unsigned LEB128 of at most 5 bytes.
func (r *reader) u32() uint32 {
	var v uint32
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errors.New("LEB128 number longer than 5 bytes")
	return 0
}

// name reads a name.
func (r *reader) name() string {
	n := r.u32()
	if r.err != nil || r.pos+int(n) > len(r.b) || int(n) < 0 {
		r.err = errShort
		return ""
	}
	s := string(r.b[r.pos : r.pos+int(n)])
	r.pos += int(n)
	return s
}

func (r *reader) skipName() {
	n := r.u32()
	if r.err == nil {
		if r.pos+int(n) > len(r.b) || int(n) < 0 {
			r.err = errShort
			return
		}
		r.pos += int(n)
	}
}
