package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
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
//
// A memory an execution is done with is reset to the image and kept for
// the next (give, take), rather than unmapped: the pages its guest wrote
// are copied back from the image, and stay the execution's own, so the
// next guest writes them without the kernel's copy-on-write fault. The
// kernel tells which pages were written (/proc/self/pagemap: a page of
// the mapping that is no longer the file's). The pages past the image,
// which the guest grew, are returned to the kernel and read as zero
// again. So each execution still starts from exactly the image, as a
// fresh mapping would.
type memImage struct {
	fd   int
	size uint64 // bytes, whole wasm pages
	// view is the image mapped read-only and shared: what a reused
	// memory's written pages are reset from. Nil when it could not be
	// mapped: memories are then not reused.
	view []byte

	mu     sync.Mutex
	idle   []*mappedMemory // reset memories, for take
	closed bool
}

// maxIdleMemories bounds the reset memories an image keeps; more run at
// once only when executions of one component overlap.
const maxIdleMemories = 4

// maxKeptBytes bounds the pages of its own a reset memory keeps (those
// its guests wrote): one whose guest wrote more is unmapped instead, so
// that a component that writes its whole memory once does not keep that
// much of the host's memory for good.
const maxKeptBytes = 4 << 20

// maxKeptTotal bounds the pages of their own that the reset memories of
// all images in the process keep together, however many components are
// added.
const maxKeptTotal = 256 << 20

// keptTotal is the bytes of pages the reset memories keep now.
var keptTotal atomic.Int64

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
	im = &memImage{fd: fd, size: uint64(len(memory))}
	if im.size > 0 && pagemap() != nil {
		if view, err := unix.Mmap(fd, 0, int(im.size), unix.PROT_READ, unix.MAP_SHARED); err == nil {
			im.view = view
		}
	}
	return im, nil
}

// take returns a reset memory of reservation reserve bytes that holds
// the image, or nil when none is kept.
func (im *memImage) take(reserve uint64, refused func(uint64)) *mappedMemory {
	im.mu.Lock()
	defer im.mu.Unlock()
	for i := len(im.idle) - 1; i >= 0; i-- {
		if m := im.idle[i]; uint64(len(m.mapping)) == reserve {
			im.idle = append(im.idle[:i], im.idle[i+1:]...)
			keptTotal.Add(-m.kept)
			m.refused = refused
			return m
		}
	}
	return nil
}

// give takes back m, which holds the image at its start, once its guest
// has returned: m is reset and kept for take, or unmapped.
func (im *memImage) give(m *mappedMemory) {
	im.mu.Lock()
	defer im.mu.Unlock()
	// Under the lock: Close unmaps the view.
	if im.closed || len(im.idle) >= maxIdleMemories || !im.reset(m) {
		m.unmap()
		return
	}
	if keptTotal.Add(m.kept) > maxKeptTotal {
		keptTotal.Add(-m.kept)
		m.unmap()
		return
	}
	m.refused = nil
	im.idle = append(im.idle, m)
}

// Page flags of /proc/self/pagemap (Documentation/admin-guide/mm/pagemap.rst).
const (
	pagePresent = 1 << 63
	pageSwapped = 1 << 62
	pageFile    = 1 << 61 // a page of a file (or shared anonymous memory)
)

// reset makes m's memory the image again, as a fresh mapping would read:
// the pages of the image's span that are m's own (written, copy-on-write)
// are copied back from the view, and the pages past it are discarded
// (they read as zero). It reports false, leaving m as it is, when it
// cannot tell which pages were written or they are too many to keep.
func (im *memImage) reset(m *mappedMemory) bool {
	if im.view == nil || m.mapping == nil || m.size < im.size || m.size > uint64(len(m.mapping)) {
		return false
	}
	ps := uint64(os.Getpagesize())
	flags, err := pageFlags(m.mapping[:im.size], ps)
	if err != nil {
		return false
	}
	own := 0
	for _, f := range flags {
		if f&pageSwapped != 0 || (f&pagePresent != 0 && f&pageFile == 0) {
			own++
		}
	}
	if uint64(own)*ps > maxKeptBytes {
		return false
	}
	if m.size > im.size {
		if err := unix.Madvise(m.mapping[im.size:m.size], unix.MADV_DONTNEED); err != nil {
			return false
		}
	}
	for i, f := range flags {
		if f&pageSwapped != 0 || (f&pagePresent != 0 && f&pageFile == 0) {
			off := uint64(i) * ps
			copy(m.mapping[off:off+ps], im.view[off:off+ps])
		}
	}
	m.size = 0
	m.kept = int64(own) * int64(ps)
	return true
}

// pagemap is /proc/self/pagemap, open for the process's life; nil when it
// cannot be read or does not tell a written page of a private file
// mapping from one only read (probePagemap): memories are then not reused,
// since a reset that missed a written page would hand it to the next
// execution.
var pagemap = sync.OnceValue(func() *os.File {
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		return nil
	}
	if err := probePagemap(f); err != nil {
		f.Close()
		return nil
	}
	return f
})

// probeSink keeps probePagemap's read from being optimised away.
var probeSink byte

// probePagemap maps two pages of a memfd privately, reads the first and
// writes the second, and checks that f shows the first as the file's and
// the second as the mapping's own.
func probePagemap(f *os.File) error {
	ps := os.Getpagesize()
	fd, err := unix.MemfdCreate("wavs-pagemap-probe", unix.MFD_CLOEXEC)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	content := bytes.Repeat([]byte{1}, 2*ps) // pages in the file, as an image's runs are
	if n, err := unix.Pwrite(fd, content, 0); err != nil || n != len(content) {
		return fmt.Errorf("pwrite: %d bytes: %v", n, err)
	}
	mem, err := unix.Mmap(fd, 0, 2*ps, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE)
	if err != nil {
		return err
	}
	defer unix.Munmap(mem)
	probeSink += mem[0] // read: the file's page
	mem[ps] = 2         // written: a page of its own
	flags, err := readFlags(f, mem, uint64(ps))
	if err != nil {
		return err
	}
	if flags[0]&(pagePresent|pageFile) != pagePresent|pageFile || flags[1]&(pagePresent|pageFile) != pagePresent {
		return fmt.Errorf("pagemap flags %#x, %#x do not tell a written page from a read one", flags[0], flags[1])
	}
	return nil
}

// pageFlags reads the pagemap entries of mem's pages (ps bytes each).
func pageFlags(mem []byte, ps uint64) ([]uint64, error) {
	f := pagemap()
	if f == nil {
		return nil, errors.New("no pagemap")
	}
	return readFlags(f, mem, ps)
}

// readFlags reads the entries of f, a pagemap, for mem's pages.
func readFlags(f *os.File, mem []byte, ps uint64) ([]uint64, error) {
	addr := uint64(uintptr(unsafe.Pointer(unsafe.SliceData(mem))))
	if addr%ps != 0 || uint64(len(mem))%ps != 0 {
		return nil, errors.New("memory not page-aligned")
	}
	n := uint64(len(mem)) / ps
	raw := make([]byte, n*8)
	if _, err := f.ReadAt(raw, int64(addr/ps*8)); err != nil {
		return nil, fmt.Errorf("pagemap: %w", err)
	}
	flags := make([]uint64, n)
	for i := range flags {
		flags[i] = binary.LittleEndian.Uint64(raw[i*8:])
	}
	return flags, nil
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

// Close closes the memfd and unmaps the kept memories; mappings in use
// stay valid, and are unmapped when given back.
func (im *memImage) Close() error {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.closed {
		return nil
	}
	im.closed = true
	for _, m := range im.idle {
		keptTotal.Add(-m.kept)
		m.unmap()
	}
	im.idle = nil
	if im.view != nil {
		_ = unix.Munmap(im.view)
		im.view = nil
	}
	return unix.Close(im.fd)
}
