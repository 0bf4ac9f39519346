// Command goprobe is the Go side of the probe test world (../probe.wit)
// written against the canonical ABI by hand: a GOOS=wasip1 c-shared module
// that wit-component wraps, with the preview1 reactor adapter, into a
// component of the same shape as a cargo-component build.
package main

import (
	"strconv"
	"unsafe"
)

//go:wasmimport $root host-log
func hostLog(ptr, n uint32)

// keep holds every buffer handed out by cabi_realloc: the host writes into
// them and the guest reads them later.
var keep [][]byte

//go:wasmexport cabi_realloc
func cabiRealloc(old, oldSize, align, newSize uint32) uint32 {
	if newSize == 0 {
		return align
	}
	buf := make([]byte, newSize+align)
	keep = append(keep, buf)
	p := uint32(uintptr(unsafe.Pointer(&buf[0])))
	p = (p + align - 1) &^ (align - 1)
	if old != 0 && oldSize != 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(uintptr(p))), newSize), unsafe.Slice((*byte)(unsafe.Pointer(uintptr(old))), min(oldSize, newSize)))
	}
	return p
}

// ret is the return area of run: result<list<u8>, string> is a
// discriminant byte then a (pointer, length) pair at offset 4.
var ret [3]uint32

func addr(b []byte) uint32 {
	if len(b) == 0 {
		return 1
	}
	keep = append(keep, b)
	return uint32(uintptr(unsafe.Pointer(&b[0])))
}

//go:wasmexport run
func run(id, dataPtr, dataLen, tagsPtr, tagsLen uint32) uint32 {
	msg := []byte("job " + strconv.Itoa(int(id)) + " with " + strconv.Itoa(int(tagsLen)) + " tags")
	hostLog(addr(msg), uint32(len(msg)))
	if dataLen == 0 {
		e := []byte("empty job")
		ret = [3]uint32{1, addr(e), uint32(len(e))}
	} else {
		out := make([]byte, dataLen+1)
		copy(out, unsafe.Slice((*byte)(unsafe.Pointer(uintptr(dataPtr))), dataLen))
		out[dataLen] = byte(id)
		ret = [3]uint32{0, addr(out), uint32(len(out))}
	}
	return uint32(uintptr(unsafe.Pointer(&ret)))
}

func main() {}
