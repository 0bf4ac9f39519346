package component

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// reader decodes one section's bytes. The first error sticks: later reads
// return zero values, so decoders check r.err once per item.
type reader struct {
	b    []byte
	pos  int
	base int // offset of b[0] in the outermost binary
	err  error
	at   int // offset of the item being read, for errors
}

func newReader(b []byte, base int) *reader { return &reader{b: b, base: base} }

func (r *reader) offset() int { return r.base + r.pos }

func (r *reader) remaining() int { return len(r.b) - r.pos }

func (r *reader) done() bool { return r.err != nil || r.pos >= len(r.b) }

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *reader) failf(format string, args ...any) { r.fail(fmt.Errorf(format, args...)) }

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= len(r.b) {
		r.fail(errShort)
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *reader) peek() byte {
	if r.err != nil || r.pos >= len(r.b) {
		return 0
	}
	return r.b[r.pos]
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > r.remaining() {
		r.fail(errShort)
		return nil
	}
	b := r.b[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return b
}

// u32 reads an unsigned LEB128 of at most 5 bytes.
func (r *reader) u32() uint32 {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			if v > 0xffffffff {
				r.fail(errors.New("u32 LEB128 out of range"))
				return 0
			}
			return uint32(v)
		}
	}
	r.fail(errors.New("LEB128 number longer than 5 bytes"))
	return 0
}

// u64 reads an unsigned LEB128 of at most 10 bytes.
func (r *reader) u64() uint64 {
	var v uint64
	for shift := 0; shift < 70; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		if shift == 63 && c > 1 {
			r.fail(errors.New("u64 LEB128 out of range"))
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.fail(errors.New("LEB128 number longer than 10 bytes"))
	return 0
}

// s33 reads a signed LEB128 of at most 5 bytes (a core heap type or a
// type index).
func (r *reader) s33() int64 {
	var v int64
	shift := 0
	for ; shift < 35; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			shift += 7
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
	r.fail(errors.New("s33 LEB128 longer than 5 bytes"))
	return 0
}

// count reads a vector length and checks it against the bytes left, given
// that every element takes at least minSize bytes: a tiny input cannot ask
// for a huge allocation.
func (r *reader) count(what string, minSize int) int {
	n := r.u32()
	if r.err != nil {
		return 0
	}
	if minSize < 1 {
		minSize = 1
	}
	if uint64(n)*uint64(minSize) > uint64(r.remaining()) {
		r.failf("%d %s need at least %d bytes, only %d left", n, what, uint64(n)*uint64(minSize), r.remaining())
		return 0
	}
	return int(n)
}

// name reads a length-prefixed UTF-8 string.
func (r *reader) name() string {
	n := r.u32()
	b := r.bytes(int(n))
	if r.err != nil {
		return ""
	}
	if !utf8.Valid(b) {
		r.fail(errors.New("name is not valid UTF-8"))
		return ""
	}
	return string(b)
}
