package component

import (
	"bytes"
	"fmt"
)

// coreImport is one import of a core module.
type coreImport struct {
	Module, Name string
	Sort         CoreSort
	Sig          *CoreFuncType // functions only
	descStart    int           // offset of the import description in the module
	descEnd      int
}

// readModuleImports reads a core module's function types and imports.
func readModuleImports(mod []byte) (imports []coreImport, secStart, secEnd int, err error) {
	if len(mod) < 8 || !bytes.Equal(mod[:4], wasmMagic) || !bytes.Equal(mod[4:8], moduleVersion) {
		return nil, 0, 0, fmt.Errorf("not a core module")
	}
	r := newReader(mod, 0)
	r.pos = 8
	var types []*CoreFuncType
	for !r.done() {
		start := r.pos
		id := r.byte()
		size := r.u32()
		body := r.bytes(int(size))
		if r.err != nil {
			return nil, 0, 0, fmt.Errorf("core module section at offset %d: %w", start, r.err)
		}
		sr := newReader(body, r.pos-len(body))
		switch id {
		case 1:
			n := sr.count("core types", 3)
			for i := 0; i < n && sr.err == nil; i++ {
				if b := sr.byte(); b != 0x60 {
					if sr.err == nil {
						return nil, 0, 0, unsupported("core module type 0x%02x (only function types)", b)
					}
					break
				}
				ft := &CoreFuncType{}
				for _, list := range []*[]byte{&ft.Params, &ft.Results} {
					m := sr.count("value types", 1)
					for j := 0; j < m && sr.err == nil; j++ {
						v, err := readCoreValType(sr)
						if err != nil {
							return nil, 0, 0, err
						}
						*list = append(*list, v)
					}
				}
				types = append(types, ft)
			}
		case 2:
			secStart, secEnd = start, r.pos
			n := sr.count("core imports", 4)
			for i := 0; i < n && sr.err == nil; i++ {
				im := coreImport{Module: sr.name(), Name: sr.name()}
				im.descStart = sr.offset()
				kind := sr.peek()
				if kind == 0x00 {
					sr.byte()
					ti := sr.u32()
					if sr.err == nil && uint64(ti) >= uint64(len(types)) {
						return nil, 0, 0, fmt.Errorf("import %s.%s: type %d out of range", im.Module, im.Name, ti)
					}
					if sr.err == nil {
						im.Sig = types[ti]
					}
					im.Sort = CoreFunc
				} else {
					s, err := readCoreImportDesc(&scope{}, sr)
					if err != nil {
						return nil, 0, 0, fmt.Errorf("import %s.%s: %w", im.Module, im.Name, err)
					}
					im.Sort = s
				}
				im.descEnd = sr.offset()
				imports = append(imports, im)
			}
		}
		if sr.err != nil {
			return nil, 0, 0, fmt.Errorf("core module section %d: %w", id, sr.err)
		}
		if id == 2 {
			break
		}
	}
	return imports, secStart, secEnd, nil
}

// rewriteImports returns mod with its import section's module and field
// names replaced by names[i] for import i (descriptions unchanged).
func rewriteImports(mod []byte, imports []coreImport, secStart, secEnd int, names [][2]string) []byte {
	var body []byte
	body = appendU32(body, uint32(len(imports)))
	for i, im := range imports {
		body = appendName(body, names[i][0])
		body = appendName(body, names[i][1])
		body = append(body, mod[im.descStart:im.descEnd]...)
	}
	out := make([]byte, 0, len(mod)+len(body))
	out = append(out, mod[:secStart]...)
	out = append(out, 2)
	out = appendU32(out, uint32(len(body)))
	out = append(out, body...)
	return append(out, mod[secEnd:]...)
}

func appendU32(b []byte, n uint32) []byte {
	for {
		c := byte(n & 0x7f)
		n >>= 7
		if n == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func appendName(b []byte, s string) []byte {
	return append(appendU32(b, uint32(len(s))), s...)
}
