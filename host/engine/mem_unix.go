//go:build unix

package engine

import "syscall"

// mappedMemory is a linear memory in an anonymous mapping of its whole
// limit, reserved but not committed (MAP_NORESERVE): the kernel gives it
// pages as the guest touches them. Growing never copies and leaves no
// garbage for the Go collector, so a guest at its limit costs the host
// that much memory, not the 2.5 times (old and new buffer, then garbage
// until the next collection) of a Go slice grown by copying. The mapping
// is returned to the kernel at once when the execution ends.
type mappedMemory struct {
	mapping []byte // the whole reservation
	size    uint64
	refused func(size uint64)
	// kept is, for a memory reset and kept by a memImage, the bytes of
	// the pages of its own it holds.
	kept int64
}

// newMappedMemory reserves limit bytes, or returns nil when the kernel
// refuses (the caller then falls back to boundedMemory).
func newMappedMemory(limit uint64, refused func(uint64)) *mappedMemory {
	if limit == 0 || limit > 1<<32 {
		return nil
	}
	b, err := syscall.Mmap(-1, 0, int(limit), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|mapNoReserve)
	if err != nil {
		return nil
	}
	return &mappedMemory{mapping: b, refused: refused}
}

// Reallocate grows the memory to size bytes, or returns nil past the
// reservation. Fresh pages of an anonymous mapping read as zero, as a
// grown wasm memory must.
func (m *mappedMemory) Reallocate(size uint64) []byte {
	if m.mapping == nil {
		return nil
	}
	if size > uint64(len(m.mapping)) {
		m.refused(size)
		return nil
	}
	m.size = max(m.size, size)
	return m.mapping[:size:size]
}

// Free does nothing: wazero calls it when the instance closes, which
// Engine.Close may do from another goroutine while the guest still runs
// on the mapping. The execution unmaps it once its guest has returned
// (unmap).
func (m *mappedMemory) Free() {}

// unmap returns the mapping to the kernel; the guest must not run anymore.
func (m *mappedMemory) unmap() {
	if m.mapping != nil {
		_ = syscall.Munmap(m.mapping)
		m.mapping = nil
	}
}
