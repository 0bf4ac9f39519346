package cabi

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// testMem is a guest memory with a bump allocator standing in for cabi_realloc.
type testMem struct {
	b     []byte
	next  uint32
	calls []string // realloc calls, "old,oldSize,align,newSize->ptr"
	// bad, when set, replaces what realloc returns (to test the host's checks).
	bad func(ptr uint32) uint32
}

func newTestMem(size int, heap uint32) *testMem {
	return &testMem{b: make([]byte, size), next: heap}
}

func (m *testMem) Size() uint32 { return uint32(len(m.b)) }

func (m *testMem) Read(off, n uint32) ([]byte, bool) {
	if uint64(off)+uint64(n) > uint64(len(m.b)) {
		return nil, false
	}
	return m.b[off : off+n], true
}

func (m *testMem) Write(off uint32, p []byte) bool {
	if uint64(off)+uint64(len(p)) > uint64(len(m.b)) {
		return false
	}
	copy(m.b[off:], p)
	return true
}

func (m *testMem) realloc(_ context.Context, old, oldSize, align, newSize uint32) (uint32, error) {
	p := uint32(alignTo(uint64(m.next), uint64(align)))
	if uint64(p)+uint64(newSize) > uint64(len(m.b)) {
		return 0, fmt.Errorf("test heap exhausted: %d bytes at %#x", newSize, p)
	}
	m.next = p + newSize
	if m.bad != nil {
		p = m.bad(p)
	}
	m.calls = append(m.calls, fmt.Sprintf("%d,%d,%d,%d->%#x", old, oldSize, align, newSize, p))
	return p, nil
}

func (m *testMem) guest() *Guest {
	return &Guest{Memory: m, Realloc: m.realloc}
}

// unhex reads hex with spaces and "|" separators for readability.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.NewReplacer(" ", "", "|", "", "\n", "", "\t", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func coreTypes(cs []CoreType) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, " ")
}

func labels(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

func field(name string, t *Type) Field { return Field{Name: name, Type: t} }
func cas(name string, t *Type) Case    { return Case{Name: name, Type: t} }
