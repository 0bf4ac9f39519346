package cabi

import (
	"encoding/binary"
	"math"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Tag marks a latin1+utf16 string whose code units are UTF-16.
const utf16Tag = 1 << 31

// maxStringBytes is the largest string the ABI lowers (the spec's
// MAX_STRING_BYTE_LENGTH).
const maxStringBytes = 1<<31 - 1

// loadString reads a string of taggedUnits code units at ptr in the guest's
// encoding and returns it as Go (UTF-8) text.
func (l *lifter) loadString(ptr, taggedUnits uint32) (Value, error) {
	enc := l.g.Encoding
	align, byteLen, utf16Units := uint32(1), uint64(taggedUnits), false
	switch enc {
	case UTF8:
	case UTF16:
		align, byteLen, utf16Units = 2, 2*uint64(taggedUnits), true
	case Latin1UTF16:
		align = 2
		if taggedUnits&utf16Tag != 0 {
			byteLen, utf16Units = 2*uint64(taggedUnits^utf16Tag), true
		}
	default:
		return nil, fail(ErrString, "unknown string encoding %d", enc)
	}
	b, err := l.read(ptr, byteLen, align, "string")
	if err != nil {
		return nil, err
	}
	if err := l.charge(byteLen); err != nil {
		return nil, err
	}
	switch {
	case utf16Units:
		return decodeUTF16(b)
	case enc == Latin1UTF16:
		return decodeLatin1(b), nil
	}
	if !utf8.Valid(b) {
		return nil, fail(ErrString, "%d bytes at %#x are not valid UTF-8", len(b), ptr)
	}
	return string(b), nil
}

// decodeUTF16 decodes little-endian UTF-16, refusing unpaired surrogates (the
// spec decodes strictly; Go's utf16.Decode would substitute U+FFFD).
func decodeUTF16(b []byte) (Value, error) {
	out := make([]byte, 0, len(b)/2)
	for i := 0; i < len(b); i += 2 {
		u := rune(binary.LittleEndian.Uint16(b[i:]))
		switch {
		case utf16.IsSurrogate(u):
			if u >= 0xDC00 || i+4 > len(b) {
				return nil, fail(ErrString, "unpaired UTF-16 surrogate %#x at unit %d", u, i/2)
			}
			u2 := rune(binary.LittleEndian.Uint16(b[i+2:]))
			r := utf16.DecodeRune(u, u2)
			if r == utf8.RuneError {
				return nil, fail(ErrString, "unpaired UTF-16 surrogate %#x at unit %d", u, i/2)
			}
			out = utf8.AppendRune(out, r)
			i += 2
		default:
			out = utf8.AppendRune(out, u)
		}
	}
	return string(out), nil
}

func decodeLatin1(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// storeString copies s into a fresh guest block and returns its pointer and
// tagged code-unit count in the guest's encoding.
func (w *lowerer) storeString(s string) (ptr, units uint32, err error) {
	if !utf8.ValidString(s) {
		return 0, 0, fail(ErrValue, "string is not valid UTF-8")
	}
	var b []byte
	align := uint32(2)
	switch w.g.Encoding {
	case UTF8:
		b, align, units = []byte(s), 1, uint32(min(len(s), math.MaxUint32))
	case UTF16:
		b = encodeUTF16(s)
		units = uint32(min(len(b)/2, math.MaxUint32))
	case Latin1UTF16:
		if lb, ok := encodeLatin1(s); ok {
			b, units = lb, uint32(min(len(lb), math.MaxUint32))
		} else {
			b = encodeUTF16(s)
			units = uint32(min(len(b)/2, math.MaxUint32)) | utf16Tag
		}
	default:
		return 0, 0, fail(ErrValue, "unknown string encoding %d", w.g.Encoding)
	}
	if len(b) > maxStringBytes {
		return 0, 0, fail(ErrTooLarge, "string of %d bytes exceeds %d", len(b), maxStringBytes)
	}
	ptr, err = w.alloc(align, uint64(len(b)), "string")
	if err != nil {
		return 0, 0, err
	}
	if !w.g.Memory.Write(ptr, b) {
		return 0, 0, fail(ErrOutOfBounds, "writing string at %#x", ptr)
	}
	return ptr, units, nil
}

func encodeUTF16(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			out = binary.LittleEndian.AppendUint16(out, uint16(r1))
			out = binary.LittleEndian.AppendUint16(out, uint16(r2))
			continue
		}
		out = binary.LittleEndian.AppendUint16(out, uint16(r))
	}
	return out
}

// encodeLatin1 encodes s as Latin-1 if every code point is below 256.
func encodeLatin1(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= 256 {
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}
