// Command badptr calls the host functions with arguments out of bounds of
// its memory or over the ABI's limits, and returns each return code as a
// decimal payload, in this order:
//
//	kv_get(bad ptr), kv_set(bad value ptr), kv_get(key > 1 KiB),
//	kv_set(value > 1 MiB), http_fetch(bad ptr), result_read(bad ptr),
//	kv_get(empty key), log(bad ptr) (always 0: log has no result)
//
// and finally the message staged by the last error call.
package main

import (
	"context"
	"strconv"
	"unsafe"

	"github.com/wavs-go/wavs/sdk/component"
)

//go:wasmimport wavs log
func wavsLog(level int32, msgPtr, msgLen uint32)

//go:wasmimport wavs kv_get
func kvGet(keyPtr, keyLen uint32) int32

//go:wasmimport wavs kv_set
func kvSet(keyPtr, keyLen, valPtr, valLen uint32) int32

//go:wasmimport wavs http_fetch
func httpFetch(reqPtr, reqLen uint32) int32

//go:wasmimport wavs result_read
func resultRead(bufPtr, bufLen uint32) int32

const bad = 0xFFFF_FF00

func init() { component.Handle(probe) }

func main() { component.Run(probe) }

func probe(context.Context, component.Input) ([]component.Response, error) {
	key := []byte("k")
	kp := uint32(uintptr(unsafe.Pointer(&key[0])))
	big := make([]byte, 2<<20)
	bp := uint32(uintptr(unsafe.Pointer(&big[0])))
	codes := []int32{
		kvGet(bad, 8),
		kvSet(kp, 1, bad, 64),
		kvGet(bp, 2<<10),
		kvSet(kp, 1, bp, 2<<20),
		httpFetch(bad, 100),
		resultRead(bad, 100),
		kvGet(kp, 0),
	}
	wavsLog(2, bad, 10)
	codes = append(codes, 0)
	var out []component.Response
	for _, c := range codes {
		out = append(out, component.Response{Payload: []byte(strconv.Itoa(int(c)))})
	}
	last := codes[len(codes)-2]
	msg := make([]byte, -last-2)
	n := resultRead(uint32(uintptr(unsafe.Pointer(&msg[0]))), uint32(len(msg)))
	out = append(out, component.Response{Payload: msg[:max(n, 0)]})
	return out, nil
}
