//go:build wasip1

package main

import "unsafe"

// kept holds every block, so the garbage collector frees none.
var kept [][]byte

//go:wasmexport run
func run(action uint32) uint32 {
	for {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		kept = append(kept, b)
	}
}

// cabi_export_realloc lets the host write the trigger-action.
//
//go:wasmexport cabi_export_realloc
func cabiExportRealloc(old, oldSize, align, newSize uint32) uint32 {
	return alloc(newSize, align)
}

func alloc(size, align uint32) uint32 {
	b := make([]byte, size+align)
	kept = append(kept, b)
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	return (p + align - 1) &^ (align - 1)
}
