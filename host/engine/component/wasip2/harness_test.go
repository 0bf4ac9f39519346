package wasip2

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/tetratelabs/wazero/api"
	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// fakeMem is a guest memory for unit tests: the three methods cabi uses
// (the embedded api.Memory is nil; nothing else is called).
type fakeMem struct {
	api.Memory
	b []byte
}

func (m *fakeMem) Size() uint32 { return uint32(len(m.b)) }
func (m *fakeMem) Read(off, n uint32) ([]byte, bool) {
	if uint64(off)+uint64(n) > uint64(len(m.b)) {
		return nil, false
	}
	return m.b[off : off+n], true
}
func (m *fakeMem) Write(off uint32, b []byte) bool {
	if uint64(off)+uint64(len(b)) > uint64(len(m.b)) {
		return false
	}
	copy(m.b[off:], b)
	return true
}

// bump is the guest's realloc for unit tests: a bump allocator from
// offset 4096 up.
type bump struct {
	api.Function
	next uint32
	m    *fakeMem
}

func (a *bump) Call(_ context.Context, p ...uint64) ([]uint64, error) {
	align, size := uint32(p[2]), uint32(p[3])
	at := (a.next + align - 1) &^ (align - 1)
	if uint64(at)+uint64(size) > uint64(len(a.m.b)) {
		return nil, errors.New("out of memory")
	}
	a.next = at + size
	return []uint64{uint64(at)}, nil
}

// guest is one unit test's guest: memory, allocator and a WASI state.
type guest struct {
	t   *testing.T
	mem *fakeMem
	rel *bump
	s   *State
	ctx context.Context
}

const retArea = 64 // where tests put return areas (below the allocator)

func newGuest(t *testing.T, cfg Config) *guest {
	t.Helper()
	m := &fakeMem{b: make([]byte, 1<<20)}
	s := NewState(cfg)
	t.Cleanup(s.Close)
	return &guest{t: t, mem: m, rel: &bump{next: 4096, m: m}, s: s, ctx: WithState(context.Background(), s)}
}

// call runs iface#fn with the core args (the return pointer, when the
// results spill, is appended: retArea) and returns the core results, or
// the trap.
func (g *guest) call(ifc, fn string, args ...uint64) (res []uint64, trapErr error) {
	g.t.Helper()
	i := served[ifc]
	if i == nil {
		g.t.Fatalf("no interface %s", ifc)
	}
	d := i.funcs[fn]
	if d == nil {
		g.t.Fatalf("no function %s#%s", ifc, fn)
	}
	params, results := d.fn.CoreSignature(cabi.Lower)
	if len(params) == len(args)+1 {
		args = append(args, retArea)
	}
	if len(params) != len(args) {
		g.t.Fatalf("%s#%s: %d args, want %d", ifc, fn, len(args), len(params))
	}
	stack := make([]uint64, max(len(params), len(results)))
	copy(stack, args)
	impl := callImpl(ifc+"#"+fn, d, len(params), cabi.UTF8)
	defer func() {
		if r := recover(); r != nil {
			err, ok := r.(error)
			if !ok {
				err = fmt.Errorf("%v", r)
			}
			res, trapErr = nil, err
		}
	}()
	impl(g.ctx, &component.HostCall{Memory: g.mem, Realloc: g.rel}, stack)
	return stack[:len(results)], nil
}

// must is call that fails the test on a trap.
func (g *guest) must(ifc, fn string, args ...uint64) []uint64 {
	g.t.Helper()
	res, err := g.call(ifc, fn, args...)
	if err != nil {
		g.t.Fatalf("%s#%s: trap: %v", ifc, fn, err)
	}
	return res
}

// drop is [resource-drop]res of ifc.
func (g *guest) drop(ifc, res string, h uint32) (trapErr error) {
	defer func() {
		if r := recover(); r != nil {
			trapErr, _ = r.(error)
		}
	}()
	dropImpl(ifc+"#[resource-drop]"+res, res)(g.ctx, &component.HostCall{}, []uint64{uint64(h)})
	return nil
}

func (g *guest) u8(off uint32) uint8   { return g.mem.b[off] }
func (g *guest) u32(off uint32) uint32 { return binary.LittleEndian.Uint32(g.mem.b[off:]) }
func (g *guest) u64(off uint32) uint64 { return binary.LittleEndian.Uint64(g.mem.b[off:]) }

// bytesAt reads a (ptr, len) pair at off and the bytes it points at.
func (g *guest) bytesAt(off uint32) []byte {
	p, n := g.u32(off), g.u32(off+4)
	return append([]byte(nil), g.mem.b[p:p+n]...)
}

// put writes b into guest memory (from the allocator) and returns ptr, len.
func (g *guest) put(b []byte) (uint64, uint64) {
	r, _ := g.rel.Call(g.ctx, 0, 0, 1, uint64(len(b)))
	copy(g.mem.b[r[0]:], b)
	return r[0], uint64(len(b))
}
