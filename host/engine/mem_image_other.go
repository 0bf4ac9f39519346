//go:build !linux

package engine

import "errors"

// memImage needs Linux's memfd: elsewhere a snapshot's memory comes from
// its data segments.
type memImage struct{ size uint64 }

func newMemImage([]byte, []memRun) (*memImage, error) {
	return nil, errors.New("memory images need Linux")
}

func (im *memImage) mapInto([]byte) error  { return errors.New("memory images need Linux") }
func (im *memImage) copyInto([]byte) error { return errors.New("memory images need Linux") }
func (im *memImage) Close() error          { return nil }

func (im *memImage) take(uint64, func(uint64)) *mappedMemory { return nil }
func (im *memImage) give(m *mappedMemory)                    { m.unmap() }
