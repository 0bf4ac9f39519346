package engine_test

// A tiny WebAssembly assembler for test modules that Go cannot produce:
// traps, modules that are not commands, foreign imports, and a component
// written without any SDK (proof that the ABI is language-neutral).

// leb encodes n as unsigned LEB128.
func leb(n uint32) []byte {
	var out []byte
	for {
		b := byte(n & 0x7f)
		n >>= 7
		if n != 0 {
			out = append(out, b|0x80)
			continue
		}
		return append(out, b)
	}
}

func vec(items ...[]byte) []byte {
	out := leb(uint32(len(items)))
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

func name(s string) []byte { return append(leb(uint32(len(s))), s...) }

func section(id byte, content []byte) []byte {
	return append(append([]byte{id}, leb(uint32(len(content)))...), content...)
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

const (
	opUnreachable = 0x00
	opEnd         = 0x0b
	opCall        = 0x10
	opDrop        = 0x1a
	opI32Const    = 0x41
	tI32          = 0x7f
)

// wasmModule is a module description for assemble.
type wasmModule struct {
	noStart   bool     // export no _start
	noMemory  bool     // export no memory
	fdWrite   bool     // import wasi_snapshot_preview1.fd_write as function 0
	envImport bool     // import env.foo (() -> ()) as function 0
	body      []byte   // code of _start, without locals and end
	data      []byte   // written at offset 64
	memPages  uint32   // minimum memory pages (default 1)
	extraExps [][]byte // more export entries
	tables    []byte   // content of the table section, nil for none
	globals   []byte   // content of the global section, nil for none
}

// assemble builds m's binary.
func (m wasmModule) assemble() []byte {
	voidType := []byte{0x60, 0x00, 0x00}
	fdWriteType := []byte{0x60, 0x04, tI32, tI32, tI32, tI32, 0x01, tI32}
	types := vec(voidType, fdWriteType)
	var imports [][]byte
	if m.fdWrite {
		imports = append(imports, cat(name("wasi_snapshot_preview1"), name("fd_write"), []byte{0x00, 0x01}))
	}
	if m.envImport {
		imports = append(imports, cat(name("env"), name("foo"), []byte{0x00, 0x00}))
	}
	startIdx := uint32(len(imports))
	pages := m.memPages
	if pages == 0 {
		pages = 1
	}
	var exports [][]byte
	if !m.noStart {
		exports = append(exports, cat(name("_start"), []byte{0x00}, leb(startIdx)))
	}
	if !m.noMemory {
		exports = append(exports, cat(name("memory"), []byte{0x02, 0x00}))
	}
	exports = append(exports, m.extraExps...)
	body := cat([]byte{0x00}, m.body, []byte{opEnd})
	out := cat(
		[]byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00},
		section(1, types),
	)
	if len(imports) > 0 {
		out = append(out, section(2, vec(imports...))...)
	}
	out = append(out, section(3, vec([]byte{0x00}))...)
	if m.tables != nil {
		out = append(out, section(4, m.tables)...)
	}
	out = append(out, section(5, vec(cat([]byte{0x00}, leb(pages))))...)
	if m.globals != nil {
		out = append(out, section(6, m.globals)...)
	}
	out = append(out, section(7, vec(exports...))...)
	out = append(out, section(10, vec(cat(leb(uint32(len(body))), body)))...)
	if m.data != nil {
		seg := cat([]byte{0x00}, i32(64), []byte{opEnd}, leb(uint32(len(m.data))), m.data)
		out = append(out, section(11, vec(seg))...)
	}
	return out
}

// i32 is i32.const n for small non-negative n (signed LEB128).
func i32(n uint32) []byte {
	var out []byte
	for {
		b := byte(n & 0x7f)
		n >>= 7
		if n == 0 && b&0x40 == 0 {
			return append([]byte{opI32Const}, append(out, b)...)
		}
		out = append(out, b|0x80)
	}
}

// writerModule is a component without any SDK: it writes text to stdout
// with fd_write and returns.
func writerModule(text string) []byte {
	// Memory at 64: iovec {ptr=80, len}, then 8 bytes for nwritten at 72,
	// then the text at 80.
	iov := make([]byte, 16)
	iov[0] = 80
	n := uint32(len(text))
	iov[4], iov[5], iov[6], iov[7] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
	body := cat(i32(1), i32(64), i32(1), i32(72), []byte{opCall, 0x00, opDrop})
	return wasmModule{fdWrite: true, body: body, data: cat(iov, []byte(text))}.assemble()
}
