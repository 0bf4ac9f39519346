package engine

import (
	"context"
	"fmt"
	"math"

	"github.com/hashicorp/go-hclog"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/wavs-go/wavs/host/service"
)

// execState is one execution as its host functions see it. Host functions
// find it in the context wazero passes them (stateFrom), never through
// package state, so executions on other goroutines cannot mix. A wasm
// instance runs on one goroutine, so its fields need no lock; the engine
// reads them after the instance has returned.
type execState struct {
	serviceID  string
	workflowID string
	policy     service.HostPolicy
	kv         KVStore
	eng        *Engine
	log        hclog.Logger

	// comp is set for the execution of a WAVS component.
	comp *compState

	stdout *outputBuffer
	stderr *stderrSink

	// staged is the result of the last kv_*/http_fetch call, for
	// result_read.
	staged []byte
	// logBudget bounds the bytes of log() messages passed to the logger.
	logBudget int
	// deniedHost is the last host http_fetch refused, "" if none.
	deniedHost string
	// memRefused is set when the guest tried to grow its memory past the
	// limit, to memWanted bytes.
	memRefused bool
	memWanted  uint64
	// mapped is the instance's linear memory when it is a mapping, unmapped
	// by freeMemory after the guest returned.
	mapped *mappedMemory
	// image is the memory a snapshot's instance starts with, nil when
	// its module's data segments give it; imageErr is set when it could
	// not be set up (the instance must not run).
	image    *memImage
	imageErr error
}

type stateKey struct{}

func withState(ctx context.Context, st *execState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

// stateFrom returns the execution running in ctx, nil outside one.
func stateFrom(ctx context.Context) *execState {
	st, _ := ctx.Value(stateKey{}).(*execState)
	return st
}

// Allocate makes the execution's linear memory, bounded by the engine's
// MaxMemoryPages (experimental.MemoryAllocator).
func (st *execState) Allocate(capacity, maxBytes uint64) experimental.LinearMemory {
	limit := uint64(st.eng.opts.MaxMemoryPages) * wasmPageSize
	refused := func(size uint64) {
		st.memRefused = true
		st.memWanted = max(st.memWanted, size)
	}
	if st.mapped == nil { // a component has one memory
		reserve := limit
		if maxBytes > 0 && maxBytes < limit {
			reserve = maxBytes // the module's own maximum is lower
		}
		// wazero refuses growth past the module's own maximum before
		// asking; an ask past the reservation is past the limit.
		if st.image != nil {
			if m := st.image.take(reserve, refused); m != nil {
				st.mapped = m
				return m
			}
		}
		if m := newMappedMemory(reserve, refused); m != nil {
			if st.image == nil {
				st.mapped = m
				return m
			}
			err := st.image.mapInto(m.mapping)
			if err == nil {
				st.mapped = m
				return m
			}
			m.unmap()
			st.log.Warn("snapshot memory not mapped, copied", "error", err)
		}
	}
	mem := &boundedMemory{
		buf:     make([]byte, 0, min(capacity, limit)),
		limit:   limit,
		refused: refused,
	}
	if st.image != nil {
		mem.buf = make([]byte, st.image.size, max(st.image.size, uint64(cap(mem.buf))))
		st.imageErr = st.image.copyInto(mem.buf)
	}
	return mem
}

// freeMemory unmaps the instance's memory, or gives a snapshot's back to
// its image for the next execution; the guest must have returned.
func (st *execState) freeMemory() {
	switch {
	case st.mapped == nil:
	case st.image != nil:
		st.image.give(st.mapped)
	default:
		st.mapped.unmap()
	}
	st.mapped = nil
}

// maxErrorMessage bounds an error message staged for the guest.
const maxErrorMessage = 4 << 10

// fail stages an error message and returns its return code: -2 - length.
func (st *execState) fail(format string, args ...any) int32 {
	msg := fmt.Sprintf(format, args...)
	if len(msg) > maxErrorMessage {
		msg = msg[:maxErrorMessage]
	}
	st.staged = []byte(msg)
	return -2 - int32(len(msg))
}

// stage stages a successful result and returns its length.
func (st *execState) stage(b []byte) int32 {
	if len(b) > math.MaxInt32-2 {
		return st.fail("result of %d bytes is too large to stage", len(b))
	}
	st.staged = b
	return int32(len(b))
}
