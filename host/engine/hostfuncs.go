package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// hostModule is the WASM module name of the host functions.
const hostModule = "wavs"

// Limits of the kv_* host functions.
const (
	maxKeyBytes   = 1 << 10
	maxValueBytes = 1 << 20
	maxLogMessage = maxLogLine
)

// Return codes of kv_* and http_fetch besides lengths and errors.
const rcNotFound int32 = -1

var i32 = api.ValueTypeI32

// hostFunc is one function of the "wavs" module.
type hostFunc struct {
	name    string
	params  []string
	results int
	fn      func(ctx context.Context, st *execState, m api.Module, stack []uint64)
}

// hostFuncs is Component ABI v1's host function table.
func hostFuncs() []hostFunc {
	return []hostFunc{
		{"log", []string{"level", "msg_ptr", "msg_len"}, 0, hostLog},
		{"kv_get", []string{"key_ptr", "key_len"}, 1, hostKVGet},
		{"kv_set", []string{"key_ptr", "key_len", "val_ptr", "val_len"}, 1, hostKVSet},
		{"kv_delete", []string{"key_ptr", "key_len"}, 1, hostKVDelete},
		{"http_fetch", []string{"req_ptr", "req_len"}, 1, hostHTTPFetch},
		{"result_read", []string{"buf_ptr", "buf_len"}, 1, hostResultRead},
	}
}

// instantiateHostModule adds the "wavs" module to the runtime.
func instantiateHostModule(ctx context.Context, rt wazero.Runtime) (api.Module, error) {
	b := rt.NewHostModuleBuilder(hostModule)
	for _, h := range hostFuncs() {
		params := make([]api.ValueType, len(h.params))
		for i := range params {
			params[i] = i32
		}
		results := make([]api.ValueType, h.results)
		for i := range results {
			results[i] = i32
		}
		fn, name := h.fn, h.name
		b.NewFunctionBuilder().
			WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
				st := stateFrom(ctx)
				if st == nil {
					// Called outside Execute (by a snapshot's
					// initialisation, which records it): nothing to stage
					// an error in.
					if rec := initRecordFrom(ctx); rec != nil {
						rec.hostCall(name, m, stack)
					}
					if len(stack) > 0 {
						stack[0] = api.EncodeI32(-2)
					}
					return
				}
				fn(ctx, st, m, stack)
			}), params, results).
			WithParameterNames(h.params...).
			Export(h.name)
	}
	mod, err := b.Instantiate(ctx)
	if err != nil {
		return nil, fmt.Errorf("engine: instantiate host module %q: %w", hostModule, err)
	}
	return mod, nil
}

// readGuest copies n bytes at ptr out of the guest's memory.
func readGuest(m api.Module, ptr, n uint32) ([]byte, bool) {
	mem := m.Memory()
	if mem == nil {
		return nil, false
	}
	b, ok := mem.Read(ptr, n)
	if !ok {
		return nil, false
	}
	return append([]byte(nil), b...), true
}

func hostLog(_ context.Context, st *execState, m api.Module, stack []uint64) {
	level := api.DecodeI32(stack[0])
	ptr, n := api.DecodeU32(stack[1]), api.DecodeU32(stack[2])
	cut := n > maxLogMessage
	msg, ok := readGuest(m, ptr, min(n, maxLogMessage))
	if !ok {
		st.log.Warn("component log: message out of bounds of its memory", "ptr", ptr, "len", n)
		return
	}
	if len(msg) > st.logBudget {
		if st.logBudget >= 0 {
			st.log.Warn("component log: dropping further messages", "limit_bytes", maxLogBytes)
			st.logBudget = -1
		}
		return
	}
	st.logBudget -= len(msg)
	text := strings.ToValidUTF8(string(msg), "?")
	if cut {
		text += " [cut]"
	}
	st.log.Log(logLevel(level), text)
}

// logLevel maps the ABI's levels 0..4 to hclog's; others are info.
func logLevel(l int32) hclog.Level {
	switch l {
	case 0:
		return hclog.Trace
	case 1:
		return hclog.Debug
	case 3:
		return hclog.Warn
	case 4:
		return hclog.Error
	default:
		return hclog.Info
	}
}

// readKey reads and checks a kv key.
func readKey(st *execState, m api.Module, call string, ptr, n uint32) (string, int32, bool) {
	if n > maxKeyBytes {
		return "", st.fail("%s: key of %d bytes exceeds %d bytes", call, n, maxKeyBytes), false
	}
	if n == 0 {
		return "", st.fail("%s: key is empty", call), false
	}
	key, ok := readGuest(m, ptr, n)
	if !ok {
		return "", st.fail("%s: key (%d bytes at %d) is out of bounds of memory", call, n, ptr), false
	}
	if st.kv == nil {
		return "", st.fail("%s: the node has no key-value store", call), false
	}
	return string(key), 0, true
}

func hostKVGet(ctx context.Context, st *execState, m api.Module, stack []uint64) {
	key, rc, ok := readKey(st, m, "kv_get", api.DecodeU32(stack[0]), api.DecodeU32(stack[1]))
	if ok {
		rc = kvGet(ctx, st, key)
	}
	stack[0] = api.EncodeI32(rc)
}

func kvGet(ctx context.Context, st *execState, key string) int32 {
	v, found, err := st.kv.Get(ctx, st.serviceID, key)
	switch {
	case err != nil:
		return st.fail("kv_get: %v", err)
	case !found:
		st.staged = nil
		return rcNotFound
	}
	return st.stage(v)
}

func hostKVSet(ctx context.Context, st *execState, m api.Module, stack []uint64) {
	key, rc, ok := readKey(st, m, "kv_set", api.DecodeU32(stack[0]), api.DecodeU32(stack[1]))
	if ok {
		rc = kvSet(ctx, st, m, key, api.DecodeU32(stack[2]), api.DecodeU32(stack[3]))
	}
	stack[0] = api.EncodeI32(rc)
}

func kvSet(ctx context.Context, st *execState, m api.Module, key string, ptr, n uint32) int32 {
	if n > maxValueBytes {
		return st.fail("kv_set: value of %d bytes exceeds %d bytes", n, maxValueBytes)
	}
	v, ok := readGuest(m, ptr, n)
	if !ok {
		return st.fail("kv_set: value (%d bytes at %d) is out of bounds of memory", n, ptr)
	}
	if err := st.kv.Set(ctx, st.serviceID, key, v); err != nil {
		return st.fail("kv_set: %v", err)
	}
	st.staged = nil
	return 0
}

func hostKVDelete(ctx context.Context, st *execState, m api.Module, stack []uint64) {
	key, rc, ok := readKey(st, m, "kv_delete", api.DecodeU32(stack[0]), api.DecodeU32(stack[1]))
	if ok {
		rc = kvDelete(ctx, st, key)
	}
	stack[0] = api.EncodeI32(rc)
}

func kvDelete(ctx context.Context, st *execState, key string) int32 {
	found, err := st.kv.Delete(ctx, st.serviceID, key)
	switch {
	case err != nil:
		return st.fail("kv_delete: %v", err)
	case !found:
		st.staged = nil
		return rcNotFound
	}
	st.staged = nil
	return 0
}

func hostHTTPFetch(ctx context.Context, st *execState, m api.Module, stack []uint64) {
	ptr, n := api.DecodeU32(stack[0]), api.DecodeU32(stack[1])
	if limit := st.maxHTTPRequest(); int64(n) > int64(limit) {
		stack[0] = api.EncodeI32(st.fail("http_fetch: request of %d bytes exceeds %d bytes", n, limit))
		return
	}
	req, ok := readGuest(m, ptr, n)
	if !ok {
		stack[0] = api.EncodeI32(st.fail("http_fetch: request (%d bytes at %d) is out of bounds of memory", n, ptr))
		return
	}
	res, err := st.fetch(ctx, req)
	if err != nil {
		stack[0] = api.EncodeI32(st.fail("http_fetch: %v", err))
		return
	}
	stack[0] = api.EncodeI32(st.stage(res))
}

func hostResultRead(_ context.Context, st *execState, m api.Module, stack []uint64) {
	ptr, n := api.DecodeU32(stack[0]), api.DecodeU32(stack[1])
	k := min(uint32(len(st.staged)), n)
	if k == 0 {
		stack[0] = 0
		return
	}
	mem := m.Memory()
	if mem == nil || !mem.Write(ptr, st.staged[:k]) {
		stack[0] = api.EncodeI32(st.fail("result_read: buffer (%d bytes at %d) is out of bounds of memory", n, ptr))
		return
	}
	stack[0] = api.EncodeI32(int32(k))
}
