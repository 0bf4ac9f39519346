//go:build wasip1

package main

import "unsafe"

// spins counts the loop's iterations so it is not a bare `for {}`.
var spins uint64

//go:wasmexport run
func run(action uint32) uint32 {
	for {
		spins++
	}
}

// cabi_export_realloc lets the host write the trigger-action.
//
//go:wasmexport cabi_export_realloc
func cabiExportRealloc(old, oldSize, align, newSize uint32) uint32 {
	return alloc(newSize, align)
}

var pinned [][]byte

func alloc(size, align uint32) uint32 {
	b := make([]byte, size+align)
	pinned = append(pinned, b)
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	return (p + align - 1) &^ (align - 1)
}
