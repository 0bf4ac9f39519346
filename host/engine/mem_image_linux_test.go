package engine

import (
	"bytes"
	"os"
	"testing"
)

// imageOf makes a memImage of pages wasm pages holding a pattern, and
// returns it with its content.
func imageOf(t *testing.T, pages int) (*memImage, []byte) {
	t.Helper()
	mem := make([]byte, pages*wasmPageSize)
	for i := range mem {
		mem[i] = byte(i*7 + 1)
	}
	im, err := newMemImage(mem, []memRun{{start: 0, end: len(mem)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { im.Close() })
	if im.view == nil {
		t.Skip("no pagemap here: memories are not reused")
	}
	return im, mem
}

// mapped is a fresh memory holding im, as an execution gets it.
func mapped(t *testing.T, im *memImage, reserve uint64) *mappedMemory {
	t.Helper()
	m := newMappedMemory(reserve, func(uint64) {})
	if m == nil {
		t.Fatal("no mapping")
	}
	if err := im.mapInto(m.mapping); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMemImageReuse: a memory given back is reset to the image, the
// pages its guest wrote and those it grew alike, and taken again.
func TestMemImageReuse(t *testing.T) {
	im, want := imageOf(t, 2)
	before := keptTotal.Load()
	reserve := uint64(16 * wasmPageSize)
	m := mapped(t, im, reserve)
	mem := m.Reallocate(im.size + wasmPageSize) // the guest grew a page
	ps := os.Getpagesize()
	for _, off := range []int{0, ps + 3, len(want) - 1, len(want), len(mem) - 1} {
		mem[off] ^= 0xff
	}
	im.give(m)
	if len(im.idle) != 1 {
		t.Fatalf("%d memories kept, want 1", len(im.idle))
	}
	if got := im.take(reserve+wasmPageSize, nil); got != nil {
		t.Fatal("a memory of another reservation was taken")
	}
	again := im.take(reserve, func(uint64) {})
	if again != m || len(im.idle) != 0 {
		t.Fatalf("took %p (kept %d), want the memory given back", again, len(im.idle))
	}
	mem = again.Reallocate(im.size + wasmPageSize)
	if !bytes.Equal(mem[:im.size], want) {
		t.Error("the image's span differs from the image")
	}
	if !bytes.Equal(mem[im.size:], make([]byte, wasmPageSize)) {
		t.Error("the grown page does not read as zero")
	}
	if got := keptTotal.Load() - before; got != 0 {
		t.Errorf("%d bytes counted as kept after the memory was taken", got)
	}
	again.unmap()
}

// TestMemImageNotKept: a memory whose guest wrote more than maxKeptBytes,
// one given back past maxIdleMemories, and one given back after Close
// are unmapped.
func TestMemImageNotKept(t *testing.T) {
	pages := maxKeptBytes/wasmPageSize + 2
	im, _ := imageOf(t, pages)
	before := keptTotal.Load()
	reserve := uint64(2 * pages * wasmPageSize)
	m := mapped(t, im, reserve)
	mem := m.Reallocate(im.size)
	for i := 0; i < len(mem); i += os.Getpagesize() {
		mem[i]++
	}
	im.give(m)
	if len(im.idle) != 0 || m.mapping != nil {
		t.Errorf("a memory with %d bytes written was kept", len(mem))
	}

	var ms []*mappedMemory
	for range maxIdleMemories + 1 {
		m := mapped(t, im, reserve)
		m.Reallocate(im.size)[0]++
		ms = append(ms, m)
	}
	for _, m := range ms {
		im.give(m)
	}
	if len(im.idle) != maxIdleMemories || ms[maxIdleMemories].mapping != nil {
		t.Errorf("kept %d memories, want %d and the last unmapped", len(im.idle), maxIdleMemories)
	}
	if keptTotal.Load() <= before {
		t.Error("the kept memories are not counted")
	}

	late := mapped(t, im, reserve)
	late.Reallocate(im.size)
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:maxIdleMemories] {
		if m.mapping != nil {
			t.Error("Close left a kept memory mapped")
		}
	}
	im.give(late)
	if late.mapping != nil || len(im.idle) != 0 {
		t.Error("a memory given back after Close was kept")
	}
	if got := keptTotal.Load() - before; got != 0 {
		t.Errorf("%d bytes counted as kept after Close", got)
	}
}

// TestMemImageTotalBound: past maxKeptTotal, a memory given back is
// unmapped.
func TestMemImageTotalBound(t *testing.T) {
	im, _ := imageOf(t, 1)
	keptTotal.Add(maxKeptTotal)
	defer keptTotal.Add(-maxKeptTotal)
	m := mapped(t, im, 4*wasmPageSize)
	m.Reallocate(im.size)[0]++
	im.give(m)
	if m.mapping != nil || len(im.idle) != 0 {
		t.Error("a memory was kept past the bound")
	}
}

// TestPagemapProbe: this system's pagemap tells a written page from a
// read one (else memories are not reused, and the tests above skip).
func TestPagemapProbe(t *testing.T) {
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if err := probePagemap(f); err != nil {
		t.Skipf("pagemap not usable here: %v", err)
	}
	if pagemap() == nil {
		t.Error("the probe passes but pagemap is off")
	}
}
