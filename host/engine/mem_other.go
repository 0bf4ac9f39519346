//go:build !unix

package engine

// mappedMemory is not available here: linear memories are Go slices
// (boundedMemory).
type mappedMemory struct{}

func newMappedMemory(uint64, func(uint64)) *mappedMemory { return nil }

func (m *mappedMemory) Reallocate(uint64) []byte { return nil }
func (m *mappedMemory) Free()                    {}
func (m *mappedMemory) unmap()                   {}
