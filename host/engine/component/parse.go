package component

import (
	"bytes"
	"errors"
	"fmt"
)

// Section ids of the component binary format.
const (
	secCustom       = 0
	secCoreModule   = 1
	secCoreInstance = 2
	secCoreType     = 3
	secComponent    = 4
	secInstance     = 5
	secAlias        = 6
	secType         = 7
	secCanon        = 8
	secStart        = 9
	secImport       = 10
	secExport       = 11
	secValue        = 12
)

var sectionNames = [...]string{
	"custom section", "core module section", "core instance section",
	"core type section", "component section", "instance section",
	"alias section", "type section", "canon section", "start section",
	"import section", "export section", "value section",
}

// maxNesting bounds nested components (wit-component emits one level).
const maxNesting = 8

var (
	wasmMagic        = []byte{0x00, 0x61, 0x73, 0x6d}
	componentVersion = []byte{0x0d, 0x00, 0x01, 0x00}
	moduleVersion    = []byte{0x01, 0x00, 0x00, 0x00}
)

// IsComponent reports whether b starts with a component preamble (as
// opposed to a core module's).
func IsComponent(b []byte) bool {
	return len(b) >= 8 && bytes.Equal(b[:4], wasmMagic) && bytes.Equal(b[6:8], componentVersion[2:])
}

// Parse decodes a component binary. It keeps slices of b (the embedded
// core modules): b must not change afterwards.
func Parse(b []byte) (c *Component, err error) {
	defer func() {
		// The decoder checks every bound; this is a last line so that a
		// bug in it is an error for this input, not a crashed node.
		if p := recover(); p != nil {
			c, err = nil, &ParseError{Where: "component", Offset: 0, Err: fmt.Errorf("internal decoder error: %v", p)}
		}
	}()
	p := &parser{}
	return p.component(b, 0, nil, 0)
}

type parser struct{}

func (p *parser) component(b []byte, base int, parent *scope, depth int) (*Component, error) {
	if len(b) < 8 || !bytes.Equal(b[:4], wasmMagic) {
		return nil, &ParseError{Where: "preamble", Offset: base, Err: errors.New("not a WebAssembly binary (bad magic)")}
	}
	if bytes.Equal(b[4:8], moduleVersion) {
		return nil, &ParseError{Where: "preamble", Offset: base, Err: errors.New("this is a core module, not a component")}
	}
	if !bytes.Equal(b[4:8], componentVersion) {
		return nil, &ParseError{Where: "preamble", Offset: base, Err: fmt.Errorf("version/layer % x: want component version 0x0d layer 1", b[4:8])}
	}
	c := &Component{Offset: base, typeImports: map[*Type]string{}}
	sc := &scope{comp: c, parent: parent}
	r := newReader(b, base)
	r.pos = 8
	for !r.done() {
		start := r.offset()
		id := r.byte()
		size := r.u32()
		body := r.bytes(int(size))
		where := fmt.Sprintf("section id %d", id)
		if int(id) < len(sectionNames) {
			where = sectionNames[id]
		}
		if r.err != nil {
			return nil, &ParseError{Where: where, Offset: start, Err: fmt.Errorf("section header or size: %w", r.err)}
		}
		bodyBase := r.offset() - len(body)
		sr := newReader(body, bodyBase)
		if err := p.section(c, sc, id, sr, depth); err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				return nil, err
			}
			return nil, &ParseError{Where: where, Offset: sr.at, Err: err}
		}
		if sr.remaining() != 0 {
			return nil, &ParseError{Where: where, Offset: sr.offset(), Err: fmt.Errorf("%d bytes left over at the end of the section", sr.remaining())}
		}
	}
	return c, nil
}

// section decodes one section's body into c. Errors without a ParseError
// are located at r.at, the start of the item being read.
func (p *parser) section(c *Component, sc *scope, id byte, r *reader, depth int) error {
	r.at = r.offset()
	switch id {
	case secCustom:
		name := r.name()
		if r.err != nil {
			return fmt.Errorf("custom section name: %w", r.err)
		}
		c.Customs = append(c.Customs, Custom{Name: name, Data: r.bytes(r.remaining())})
		return nil
	case secCoreModule:
		body := r.bytes(r.remaining())
		if len(body) < 8 || !bytes.Equal(body[:4], wasmMagic) || !bytes.Equal(body[4:8], moduleVersion) {
			return errors.New("embedded core module does not start with a core module header")
		}
		c.Modules = append(c.Modules, &Module{Index: len(c.Modules), Bytes: body, Offset: r.base})
		return nil
	case secComponent:
		if depth+1 > maxNesting {
			return fmt.Errorf("components nested more than %d deep", maxNesting)
		}
		body := r.bytes(r.remaining())
		nested, err := p.component(body, r.base, sc, depth+1)
		if err != nil {
			return err
		}
		c.Components = append(c.Components, nested)
		return nil
	case secStart:
		return unsupported("component start function (value definitions)")
	case secValue:
		return unsupported("value definitions")
	}
	decode, ok := vecSections[id]
	if !ok {
		return fmt.Errorf("unknown section id %d", id)
	}
	n := r.count("items", 1)
	if r.err != nil {
		return r.err
	}
	for i := 0; i < n; i++ {
		r.at = r.offset()
		if err := decode(c, sc, r); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
		if r.err != nil {
			return fmt.Errorf("item %d: %w", i, r.err)
		}
	}
	return nil
}

var vecSections = map[byte]func(*Component, *scope, *reader) error{
	secCoreInstance: (*Component).readCoreInstance,
	secCoreType: func(c *Component, sc *scope, r *reader) error {
		t, err := readCoreType(sc, r)
		if err != nil {
			return err
		}
		c.CoreTypes = append(c.CoreTypes, t)
		return nil
	},
	secInstance: (*Component).readInstance,
	secAlias:    (*Component).readAlias,
	secType: func(c *Component, sc *scope, r *reader) error {
		t, err := readDefType(sc, r)
		if err != nil {
			return err
		}
		c.Types = append(c.Types, t)
		return nil
	},
	secCanon:  (*Component).readCanon,
	secImport: (*Component).readImport,
	secExport: (*Component).readExport,
}
