//go:build wasip1

package component

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"unsafe"
)

// wavsRun is the entry of a reactor build (Component ABI v1, reactor
// shape): the host calls it once per instance, after _initialize, with the
// input on stdin, and reads the output from stdout, exactly as for a
// command's _start. Returning is success; failures exit with code 1, as
// Run does.
//
//go:wasmexport wavs_run
func wavsRun() {
	// A reactor's Go runtime crashes on a panic (a trap) where a
	// command's exits with code 2: exit as a command does, with the panic
	// on stderr, so the host sees the same failure in either shape.
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(os.Stderr, "panic: %v\n\n%s", p, panicStack(debug.Stack()))
			os.Exit(2)
		}
	}()
	// The host may have initialised this instance's memory from a
	// snapshot taken under another environment (the engine runs
	// _initialize once when the component is added): the Go runtime read
	// its environment then. Take this execution's.
	if err := loadEnviron(); err != nil {
		fail(err)
	}
	if registered == nil {
		fail(errors.New(errNoHandler))
	}
	Run(registered)
}

// panicStack is the stack of a recovered panic without the frames of its
// recovery, as Go prints an unrecovered one: the goroutine's header, then
// the frames from the one that panicked.
func panicStack(st []byte) []byte {
	header := bytes.IndexByte(st, '\n')
	at := bytes.Index(st, []byte("\npanic("))
	if header < 0 || at < header {
		return st
	}
	rest := st[at+1:]
	for range 2 { // the call of panic and its file:line
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[i+1:]
		}
	}
	return append(st[:header+1:header+1], rest...)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Stdout.Write(EncodeOutput(nil, err))
	os.Exit(1)
}

//go:wasmimport wasi_snapshot_preview1 environ_sizes_get
//go:noescape
func environSizesGet(count, bufLen *uint32) uint32

//go:wasmimport wasi_snapshot_preview1 environ_get
//go:noescape
func environGet(environ *uint32, buf *byte) uint32

// loadEnviron replaces the process environment (os.Getenv, os.Environ)
// with the instance's WASI environment.
func loadEnviron() error {
	var count, size uint32
	if errno := environSizesGet(&count, &size); errno != 0 {
		return fmt.Errorf("component: environ_sizes_get: errno %d", errno)
	}
	if count == 0 {
		if len(os.Environ()) > 0 {
			os.Clearenv()
		}
		return nil
	}
	os.Clearenv()
	ptrs := make([]uint32, count)
	buf := make([]byte, size)
	if errno := environGet(&ptrs[0], &buf[0]); errno != 0 {
		return fmt.Errorf("component: environ_get: errno %d", errno)
	}
	base := uint32(uintptr(unsafe.Pointer(&buf[0])))
	for _, p := range ptrs {
		if p < base || p >= base+size {
			return fmt.Errorf("component: environ_get: pointer %d outside its buffer", p)
		}
		kv := buf[p-base:]
		if i := bytes.IndexByte(kv, 0); i >= 0 {
			kv = kv[:i]
		}
		k, v, _ := bytes.Cut(kv, []byte("="))
		if err := os.Setenv(string(k), string(v)); err != nil {
			return fmt.Errorf("component: environment variable %q: %w", k, err)
		}
	}
	return nil
}
