package engine

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// memImage is a snapshot's initial memory in a sealed memfd (a sparse
// file in RAM holding its non-zero runs). Each execution maps it
// copy-on-write over the start of its memory's reservation: the guest
// reads the image's pages from the page cache and its writes go to pages
// of its own, so an execution pays for the pages it touches rather than
// for copying the whole image, and no execution can change the image or
// see another's writes.
type memImage struct {
	fd   int
	size uint64 // bytes, whole wasm pages
}

// newMemImage writes memory's runs (the rest is zero) into a new sealed
// memfd of len(memory) bytes.
func newMemImage(memory []byte, runs []memRun) (im *memImage, err error) {
	fd, err := unix.MemfdCreate("wavs-snapshot", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("memfd_create: %w", err)
	}
	defer func() {
		if err != nil {
			unix.Close(fd)
		}
	}()
	if err := unix.Ftruncate(fd, int64(len(memory))); err != nil {
		return nil, fmt.Errorf("ftruncate: %w", err)
	}
	for _, r := range runs {
		if n, err := unix.Pwrite(fd, memory[r.start:r.end], int64(r.start)); err != nil || n != r.end-r.start {
			return nil, fmt.Errorf("pwrite: %d of %d bytes: %v", n, r.end-r.start, err)
		}
	}
	seals := unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE | unix.F_SEAL_SEAL
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, seals); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &memImage{fd: fd, size: uint64(len(memory))}, nil
}

// mapInto maps the image copy-on-write over the start of mapping, a
// private anonymous reservation at least as large.
func (im *memImage) mapInto(mapping []byte) error {
	if uint64(len(mapping)) < im.size {
		return errors.New("the reservation is smaller than the image")
	}
	if im.size == 0 {
		return nil
	}
	addr := unsafe.Pointer(unsafe.SliceData(mapping))
	got, err := unix.MmapPtr(im.fd, 0, addr, uintptr(im.size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_FIXED)
	if err != nil {
		return fmt.Errorf("mmap: %w", err)
	}
	if got != addr {
		return errors.New("mmap: the image landed elsewhere")
	}
	return nil
}

// copyInto copies the image into buf, for a memory that is not a mapping.
func (im *memImage) copyInto(buf []byte) error {
	if uint64(len(buf)) < im.size {
		return errors.New("the buffer is smaller than the image")
	}
	for off := uint64(0); off < im.size; {
		n, err := unix.Pread(im.fd, buf[off:im.size], int64(off))
		if err != nil {
			return fmt.Errorf("pread: %w", err)
		}
		if n == 0 {
			return errors.New("pread: unexpected end of the image")
		}
		off += uint64(n)
	}
	return nil
}

// Close closes the memfd; mappings made from it stay valid.
func (im *memImage) Close() error { return unix.Close(im.fd) }
