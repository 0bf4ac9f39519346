//go:build wasip1

package component

import (
	"runtime"
	"unsafe"
)

// The host functions of Component ABI v1, module "wavs". Pointers are
// offsets into the module's memory; Go's wasm GC does not move objects, and
// runtime.KeepAlive keeps each buffer alive across its call.

//go:wasmimport wavs log
func wavsLog(level int32, msgPtr, msgLen uint32)

//go:wasmimport wavs kv_get
func wavsKVGet(keyPtr, keyLen uint32) int32

//go:wasmimport wavs kv_set
func wavsKVSet(keyPtr, keyLen, valPtr, valLen uint32) int32

//go:wasmimport wavs kv_delete
func wavsKVDelete(keyPtr, keyLen uint32) int32

//go:wasmimport wavs http_fetch
func wavsHTTPFetch(reqPtr, reqLen uint32) int32

//go:wasmimport wavs result_read
func wavsResultRead(bufPtr, bufLen uint32) int32

func ptr(b []byte) uint32 { return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b)))) }

func hostLog(level int32, msg []byte) {
	wavsLog(level, ptr(msg), uint32(len(msg)))
	runtime.KeepAlive(msg)
}

func hostKVGet(key []byte) (int32, error) {
	rc := wavsKVGet(ptr(key), uint32(len(key)))
	runtime.KeepAlive(key)
	return rc, nil
}

func hostKVSet(key, val []byte) (int32, error) {
	rc := wavsKVSet(ptr(key), uint32(len(key)), ptr(val), uint32(len(val)))
	runtime.KeepAlive(key)
	runtime.KeepAlive(val)
	return rc, nil
}

func hostKVDelete(key []byte) (int32, error) {
	rc := wavsKVDelete(ptr(key), uint32(len(key)))
	runtime.KeepAlive(key)
	return rc, nil
}

func hostHTTPFetch(req []byte) (int32, error) {
	rc := wavsHTTPFetch(ptr(req), uint32(len(req)))
	runtime.KeepAlive(req)
	return rc, nil
}

func hostResultRead(buf []byte) (int32, error) {
	n := wavsResultRead(ptr(buf), uint32(len(buf)))
	runtime.KeepAlive(buf)
	if n < 0 {
		return 0, &HostError{Call: "result_read", Msg: "result_read: the host refused the buffer"}
	}
	return n, nil
}
