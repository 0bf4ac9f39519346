//go:build wasip1

// The canonical ABI by hand, for the layouts of wavs:operator@2.7.0 on
// wasm32 (offsets are listed in ../README.md, "square-go's ABI").
// Addresses in linear memory are uint32; Go's garbage collector does not
// move objects, and every buffer handed to the host stays referenced in
// `pinned` until cabi_post_run, so the addresses stay valid.

package main

import (
	"encoding/hex"
	"fmt"
	"unsafe"
)

// Imports, lowered. A result wider than one core value comes back
// through a return area whose address is the last parameter.

//go:wasmimport host config-var
func hostConfigVar(keyPtr, keyLen, ret uint32)

//go:wasmimport host log
func hostLog(level, msgPtr, msgLen uint32)

//go:wasmimport host get-service
func hostGetService(ret uint32)

//go:wasmimport host get-event-id
func hostGetEventID(isSome, saltPtr, saltLen, ret uint32)

//go:wasmimport wasi:keyvalue/store@0.2.0-draft2 open
func kvOpen(idPtr, idLen, ret uint32)

//go:wasmimport wasi:keyvalue/store@0.2.0-draft2 [method]bucket.get
func kvGet(bucket, keyPtr, keyLen, ret uint32)

//go:wasmimport wasi:keyvalue/store@0.2.0-draft2 [method]bucket.set
func kvSet(bucket, keyPtr, keyLen, valPtr, valLen, ret uint32)

//go:wasmimport wasi:keyvalue/store@0.2.0-draft2 [resource-drop]bucket
func kvDrop(bucket uint32)

// log-level cases.
const levelInfo = 2

// pinned keeps every buffer whose address the host holds.
var pinned [][]byte

// alloc returns zeroed memory at an address aligned to align.
func alloc(size, align uint32) uint32 {
	if size == 0 {
		return align // any non-zero aligned address will do
	}
	b := make([]byte, size+align)
	pinned = append(pinned, b)
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	return (p + align - 1) &^ (align - 1)
}

// The realloc is exported under the split names only, never as
// cabi_realloc: the preview1 adapter allocates its state through the main
// module's cabi_realloc on its first WASI call, which Go's _initialize
// makes, and a Go export called before _initialize has returned traps.
// Without cabi_realloc, wit-component gives the adapter a memory.grow
// allocator instead, and the canonical ABI uses these two.
//
//go:wasmexport cabi_import_realloc
func cabiRealloc(old, oldSize, align, newSize uint32) uint32 {
	p := alloc(newSize, align)
	if old != 0 && oldSize != 0 {
		copy(mem(p, min(oldSize, newSize)), mem(old, min(oldSize, newSize)))
	}
	return p
}

func mem(p, n uint32) []byte {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(p))), n)
}

func u8(p uint32) uint8   { return *(*uint8)(unsafe.Pointer(uintptr(p))) }
func u32(p uint32) uint32 { return *(*uint32)(unsafe.Pointer(uintptr(p))) }
func u64(p uint32) uint64 { return *(*uint64)(unsafe.Pointer(uintptr(p))) }

func put8(p uint32, v uint8)   { *(*uint8)(unsafe.Pointer(uintptr(p))) = v }
func put32(p uint32, v uint32) { *(*uint32)(unsafe.Pointer(uintptr(p))) = v }
func put64(p uint32, v uint64) { *(*uint64)(unsafe.Pointer(uintptr(p))) = v }

// list reads a (ptr, len) pair at p as bytes (a copy).
func list(p uint32) []byte { return append([]byte(nil), mem(u32(p), u32(p+4))...) }

// lower copies b into pinned memory and returns its address and length.
func lower(b []byte) (uint32, uint32) {
	p := alloc(uint32(len(b)), 1)
	copy(mem(p, uint32(len(b))), b)
	return p, uint32(len(b))
}

func configVar(key string) (string, bool) {
	ret := alloc(12, 4)
	kp, kl := lower([]byte(key))
	hostConfigVar(kp, kl, ret)
	if u8(ret) == 0 {
		return "", false
	}
	return string(list(ret + 4)), true
}

func logInfo(msg string) {
	p, n := lower([]byte(msg))
	hostLog(levelInfo, p, n)
}

// service returns the service's name and the running workflow's id from
// service-and-workflow-id (name at 0, workflow-id at 44).
func service() (name, workflow string) {
	ret := alloc(52, 4)
	hostGetService(ret)
	return string(list(ret)), string(list(ret + 44))
}

func eventID(salt []byte) []byte {
	ret := alloc(8, 4)
	p, n := lower(salt)
	hostGetEventID(1, p, n, ret)
	return list(ret)
}

// kvRemember stores value under key in bucket "square", first logging
// the value it replaces (so a test can see the store outlive a restart);
// errors are logged, never fatal: the payload does not depend on the store.
func kvRemember(key string, value []byte) {
	ret := alloc(16, 4)
	ip, il := lower([]byte("square"))
	kvOpen(ip, il, ret)
	if u8(ret) != 0 {
		logInfo(fmt.Sprintf("square-go: keyvalue open failed (error case %d)", u8(ret+4)))
		return
	}
	bucket := u32(ret + 4)
	defer kvDrop(bucket)
	kp, kl := lower([]byte(key))
	logInfo("square-go: kv square " + key + " was " + kvPrevious(bucket, kp, kl))
	vp, vl := lower(value)
	ret = alloc(16, 4)
	kvSet(bucket, kp, kl, vp, vl, ret)
	if u8(ret) != 0 {
		logInfo(fmt.Sprintf("square-go: keyvalue set failed (error case %d)", u8(ret+4)))
	}
}

// kvPrevious is the key's value in hex, "unset" or the error case:
// get returns result<option<list<u8>>, error> (case at 0, option's case
// at 4, list at 8).
func kvPrevious(bucket, kp, kl uint32) string {
	ret := alloc(16, 4)
	kvGet(bucket, kp, kl, ret)
	switch {
	case u8(ret) != 0:
		return fmt.Sprintf("unreadable (error case %d)", u8(ret+4))
	case u8(ret+4) == 0:
		return "unset"
	}
	return hex.EncodeToString(list(ret + 8))
}

// readTrigger reads trigger-action.data (the variant at offset 72; its
// payload at 80).
func readTrigger(action uint32) trigger {
	data := action + 72
	body := data + 8
	switch u8(data) {
	case 0: // evm-contract-event: log at +8, log.data.data at log+16
		return trigger{kind: "evm-contract-event", logData: list(body + 24)}
	case 2: // block-interval: block-height at +8
		return trigger{kind: "block-interval", height: u64(body + 8)}
	case 3: // cron: trigger-time.nanos at +0
		return trigger{kind: "cron", nanos: u64(body)}
	case 6: // raw
		return trigger{kind: "raw", raw: list(body)}
	default:
		names := []string{1: "cosmos-contract-event", 4: "atproto-event", 5: "hypercore-append"}
		if int(u8(data)) < len(names) {
			return trigger{kind: names[u8(data)]}
		}
		return trigger{kind: fmt.Sprintf("case %d", u8(data))}
	}
}

// run is `run: func(trigger-action) -> result<list<wasm-response>, string>`:
// the parameters do not fit in 16 core values, so the host passes the
// address of a trigger-action it wrote with cabi_realloc; the result does
// not fit in one, so run returns the address of a 12-byte return area
// (case byte at 0, list or string at 4).
//
//go:wasmexport run
func run(action uint32) uint32 {
	ret := alloc(12, 4)
	format, _ := configVar("payload")
	r, err := compute(format, readTrigger(action))
	if err != nil {
		put8(ret, 1)
		p, n := lower([]byte(err.Error()))
		put32(ret+4, p)
		put32(ret+8, n)
		return ret
	}
	id := eventID(r.salt)
	name, workflow := service()
	logInfo(fmt.Sprintf("square-go: service %s workflow %s trigger %d: %s^2 = %s, event %s",
		name, workflow, r.id, r.n, r.sq, hex.EncodeToString(id)))
	kvRemember("last/"+workflow, r.sq.FillBytes(make([]byte, 32)))

	// One wasm-response (40 bytes, align 8): payload at 0, ordering
	// (none) at 8, event-id-salt (some) at 24.
	resp := alloc(40, 8)
	pp, pn := lower(r.payload)
	put32(resp, pp)
	put32(resp+4, pn)
	put8(resp+8, 0)
	put64(resp+16, 0)
	sp, sn := lower(r.salt)
	put8(resp+24, 1)
	put32(resp+28, sp)
	put32(resp+32, sn)

	put8(ret, 0)
	put32(ret+4, resp)
	put32(ret+8, 1)
	return ret
}

// cabi_post_run lets go of everything run handed out.
//
//go:wasmexport cabi_post_run
func cabiPostRun(uint32) { pinned = nil }

//go:wasmexport cabi_export_realloc
func cabiExportRealloc(old, oldSize, align, newSize uint32) uint32 {
	return cabiRealloc(old, oldSize, align, newSize)
}
