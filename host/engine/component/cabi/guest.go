package cabi

import "context"

// Memory is the guest's linear memory as this package needs it. wazero's
// api.Memory satisfies it as is. Read may return a view of the memory (not a
// copy): this package copies whatever it keeps.
type Memory interface {
	Size() uint32
	Read(offset, byteCount uint32) ([]byte, bool)
	Write(offset uint32, b []byte) bool
}

// ReallocFunc calls the guest's realloc (cabi_realloc): it returns a block of
// newSize bytes aligned to align, moving oldPtr's oldSize bytes there when
// oldPtr is not 0. It runs guest code, so it takes the call's context.
type ReallocFunc func(ctx context.Context, oldPtr, oldSize, align, newSize uint32) (uint32, error)

// StringEncoding is the string-encoding canonical option of a lifted or
// lowered function.
type StringEncoding uint8

// The string encodings of the canonical ABI. UTF8 is the default and what
// wit-bindgen-based toolchains (cargo-component, TinyGo) emit; all three are
// implemented, so a component whose canon options name another (not checked
// here for componentize-js) still works once the parser passes it in.
const (
	UTF8 StringEncoding = iota
	UTF16
	Latin1UTF16
)

func (e StringEncoding) String() string {
	switch e {
	case UTF8:
		return "utf8"
	case UTF16:
		return "utf16"
	case Latin1UTF16:
		return "latin1+utf16"
	}
	return "encoding?"
}

// DefaultMaxBytes caps the host memory one lift may fill when Guest.MaxBytes is 0.
const DefaultMaxBytes = 64 << 20

// listOverhead is what a lifted list element costs the host beyond its bytes
// in guest memory (an interface value); it keeps a list of many small
// elements inside MaxBytes too.
const listOverhead = 16

// Guest is one side of the canonical ABI: a component instance's memory, its
// realloc and the canonical options of the function being called. It holds no
// per-call state and may serve concurrent calls if its Memory and Realloc can.
type Guest struct {
	Memory  Memory
	Realloc ReallocFunc // needed to lower strings, lists, and spilled params
	// Encoding is the string-encoding option of the function (UTF8 unless set).
	Encoding StringEncoding
	// MaxBytes caps the bytes one lift copies out of guest memory (strings and
	// list contents, plus listOverhead per element of a non-byte list), so a
	// guest cannot make the host allocate without bound: lists of strings that
	// all point at the same large block count every time. 0 = DefaultMaxBytes.
	MaxBytes uint64
}

func (g *Guest) maxBytes() uint64 {
	if g.MaxBytes == 0 {
		return DefaultMaxBytes
	}
	return g.MaxBytes
}
