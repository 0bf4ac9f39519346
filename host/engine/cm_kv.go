package engine

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// wasi:keyvalue@0.2.0-draft2 on the node's per-service KV store (the one
// behind the wasip1 kv_* functions, with its quotas). A bucket is a
// namespace inside the service's data: key k of bucket b is stored as
// "wasi-kv/<b>/<k>". Buckets are opened by any identifier without '/'.
//
// As in WAVS (packages/engine/src/backend/wasi_keyvalue: atomics.rs,
// store.rs): increment's counters live apart from the bucket's values
// (get of a counted key is none; here "wasi-kv-counter/<b>/<k>", 8 bytes
// big-endian), a cas handle names a key whose `current` is the bucket's
// value and `swap` sets it unconditionally (there is no compare), and
// list-keys lists a bucket's keys in byte order. WAVS lists them all in
// one page by default; this node returns at most kvListPage keys and a
// cursor (the next key) when more follow.

// compState is a component execution's own state: its request and the
// resources the host handed out (buckets), by handle.
type compState struct {
	req     *Request
	buckets map[uint32]string // bucket identifiers
	cas     map[uint32]string // store keys of cas handles
	next    uint32
}

func newCompState(r *Request) *compState {
	return &compState{req: r, buckets: map[uint32]string{}, cas: map[uint32]string{}, next: 1}
}

// maxHandles bounds the handles one execution may hold.
const maxHandles = 1 << 12

func (c *compState) drop(h uint32) {
	delete(c.buckets, h)
	delete(c.cas, h)
}

// handle hands out a new handle, or false past maxHandles open ones.
func (c *compState) handle() (uint32, bool) {
	if len(c.buckets)+len(c.cas) >= maxHandles {
		return 0, false
	}
	h := c.next
	c.next++
	return h, true
}

// bucket is the identifier behind a borrowed bucket handle.
func (c *compState) bucket(v cabi.Value) (string, error) {
	h, ok := v.(cabi.Handle)
	if !ok {
		return "", fmt.Errorf("bucket is %T, want a handle", v)
	}
	b, ok := c.buckets[uint32(h)]
	if !ok {
		return "", fmt.Errorf("bucket handle %d is not open", h)
	}
	return b, nil
}

// kvError is a wasi:keyvalue error value: other(msg).
func kvError(format string, args ...any) errv {
	return errv{vcase{"other", fmt.Sprintf(format, args...)}}
}

var kvHandlers map[string]hostHandler

func init() {
	kvHandlers = map[string]hostHandler{
		"open":                     kvOpen,
		"[method]bucket.get":       kvBucket(kvGetH),
		"[method]bucket.set":       kvBucket(kvSetH),
		"[method]bucket.delete":    kvBucket(kvDeleteH),
		"[method]bucket.exists":    kvBucket(kvExistsH),
		"[method]bucket.list-keys": kvBucket(kvListKeys),
		"increment":                kvFirstBucket(kvIncrement),
		"get-many":                 kvFirstBucket(kvGetMany),
		"set-many":                 kvFirstBucket(kvSetMany),
		"delete-many":              kvFirstBucket(kvDeleteMany),
		"[static]cas.new":          kvFirstBucket(kvCasNew),
		"[method]cas.current":      kvCasCurrent,
		"swap":                     kvSwap,
	}
}

func kvOpen(_ context.Context, st *execState, _ *cabi.Func, args []cabi.Value) (any, error) {
	id, err := argString(args, 0)
	if err != nil {
		return nil, err
	}
	switch {
	case st.kv == nil:
		return errv{vcase{name: "access-denied"}}, nil
	case id == "" || strings.Contains(id, "/") || len(id) > 256:
		return errv{vcase{name: "no-such-store"}}, nil
	}
	h, ok := st.comp.handle()
	if !ok {
		return kvError("more than %d open handles", maxHandles), nil
	}
	st.comp.buckets[h] = id
	return okv{cabi.Handle(h)}, nil
}

type bucketOp func(ctx context.Context, st *execState, bucket string, args []cabi.Value) (any, error)

// kvBucket serves a method of bucket: the handle is the first argument.
func kvBucket(op bucketOp) hostHandler {
	return kvFirstBucket(op)
}

func kvFirstBucket(op bucketOp) hostHandler {
	return func(ctx context.Context, st *execState, _ *cabi.Func, args []cabi.Value) (any, error) {
		if len(args) == 0 {
			return nil, errors.New("missing bucket")
		}
		b, err := st.comp.bucket(args[0])
		if err != nil {
			return nil, err
		}
		return op(ctx, st, b, args[1:])
	}
}

// kvKey is the store key of key in bucket, checked against the key limit.
func kvKey(bucket string, v cabi.Value) (string, error) {
	return kvKeyIn(kvValues, bucket, v)
}

// The namespaces of the node's KV that wasi:keyvalue uses.
const (
	kvValues   = "wasi-kv/"
	kvCounters = "wasi-kv-counter/"
)

func kvKeyIn(ns, bucket string, v cabi.Value) (string, error) {
	k, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("key is %T, want a string", v)
	}
	full := ns + bucket + "/" + k
	if len(full) > maxKeyBytes {
		return "", fmt.Errorf("key of %d bytes exceeds %d bytes", len(full), maxKeyBytes)
	}
	return full, nil
}

func kvGetH(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	k, err := kvKey(b, args[0])
	if err != nil {
		return kvError("%v", err), nil
	}
	v, found, err := st.kv.Get(ctx, st.serviceID, k)
	switch {
	case err != nil:
		return kvError("get: %v", err), nil
	case !found:
		return okv{none}, nil
	}
	return okv{v}, nil
}

func kvSetH(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	k, err := kvKey(b, args[0])
	if err != nil {
		return kvError("%v", err), nil
	}
	v, ok := args[1].([]byte)
	if !ok {
		return nil, fmt.Errorf("value is %T, want bytes", args[1])
	}
	if len(v) > maxValueBytes {
		return kvError("value of %d bytes exceeds %d bytes", len(v), maxValueBytes), nil
	}
	if err := st.kv.Set(ctx, st.serviceID, k, v); err != nil {
		return kvError("set: %v", err), nil
	}
	return okv{}, nil
}

func kvDeleteH(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	k, err := kvKey(b, args[0])
	if err != nil {
		return kvError("%v", err), nil
	}
	if _, err := st.kv.Delete(ctx, st.serviceID, k); err != nil {
		return kvError("delete: %v", err), nil
	}
	return okv{}, nil
}

func kvExistsH(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	k, err := kvKey(b, args[0])
	if err != nil {
		return kvError("%v", err), nil
	}
	_, found, err := st.kv.Get(ctx, st.serviceID, k)
	if err != nil {
		return kvError("exists: %v", err), nil
	}
	return okv{found}, nil
}

// kvIncrement adds delta to key's counter (0 when missing) and returns
// the sum; like WAVS's, it wraps on overflow.
func kvIncrement(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	k, err := kvKeyIn(kvCounters, b, args[0])
	if err != nil {
		return kvError("%v", err), nil
	}
	delta, ok := args[1].(int64)
	if !ok {
		return nil, fmt.Errorf("delta is %T, want s64", args[1])
	}
	v, found, err := st.kv.Get(ctx, st.serviceID, k)
	if err != nil {
		return kvError("increment: %v", err), nil
	}
	var n int64
	if found {
		if len(v) != 8 {
			return kvError("increment: counter %q holds %d bytes, want 8", args[0], len(v)), nil
		}
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += delta
	if err := st.kv.Set(ctx, st.serviceID, k, binary.BigEndian.AppendUint64(nil, uint64(n))); err != nil {
		return kvError("increment: %v", err), nil
	}
	return okv{n}, nil
}

// kvListPage bounds the keys of one list-keys answer (at most 4 MiB of
// keys of up to 1 KiB).
const kvListPage = 4096

func kvListKeys(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	prefix := kvValues + b + "/"
	from := prefix
	if len(args) > 0 && args[0] != nil {
		c, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("cursor is %T, want a string", args[0])
		}
		from += c
	}
	keys, _, err := st.kv.Keys(ctx, st.serviceID, prefix, from, kvListPage+1)
	if err != nil {
		return kvError("list-keys: %v", err), nil
	}
	cursor := none
	if len(keys) > kvListPage {
		cursor = strings.TrimPrefix(keys[kvListPage], prefix)
		keys = keys[:kvListPage]
	}
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = strings.TrimPrefix(k, prefix)
	}
	return okv{rec{"keys": out, "cursor": cursor}}, nil
}

// kvCasNew opens a cas handle on key of the bucket.
func kvCasNew(_ context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	k, err := kvKey(b, args[0])
	if err != nil {
		return kvError("%v", err), nil
	}
	h, ok := st.comp.handle()
	if !ok {
		return kvError("more than %d open handles", maxHandles), nil
	}
	st.comp.cas[h] = k
	return okv{cabi.Handle(h)}, nil
}

// casKey is the store key behind a cas handle.
func (c *compState) casKey(v cabi.Value) (uint32, string, error) {
	h, ok := v.(cabi.Handle)
	if !ok {
		return 0, "", fmt.Errorf("cas is %T, want a handle", v)
	}
	k, ok := c.cas[uint32(h)]
	if !ok {
		return 0, "", fmt.Errorf("cas handle %d is not open", h)
	}
	return uint32(h), k, nil
}

func kvCasCurrent(ctx context.Context, st *execState, _ *cabi.Func, args []cabi.Value) (any, error) {
	if len(args) == 0 {
		return nil, errors.New("missing cas")
	}
	_, k, err := st.comp.casKey(args[0])
	if err != nil {
		return nil, err
	}
	v, found, err := st.kv.Get(ctx, st.serviceID, k)
	switch {
	case err != nil:
		return kvError("current: %v", err), nil
	case !found:
		return okv{none}, nil
	}
	return okv{v}, nil
}

// kvSwap consumes the cas handle and sets its key's value.
func kvSwap(ctx context.Context, st *execState, _ *cabi.Func, args []cabi.Value) (any, error) {
	if len(args) != 2 {
		return nil, errors.New("swap wants a cas and a value")
	}
	h, k, err := st.comp.casKey(args[0])
	if err != nil {
		return nil, err
	}
	st.comp.drop(h) // swap takes ownership
	v, ok := args[1].([]byte)
	if !ok {
		return nil, fmt.Errorf("value is %T, want bytes", args[1])
	}
	storeErr := func(format string, a ...any) (any, error) {
		return errv{vcase{"store-error", vcase{"other", fmt.Sprintf(format, a...)}}}, nil
	}
	if len(v) > maxValueBytes {
		return storeErr("value of %d bytes exceeds %d bytes", len(v), maxValueBytes)
	}
	if err := st.kv.Set(ctx, st.serviceID, k, v); err != nil {
		return storeErr("swap: %v", err)
	}
	return okv{}, nil
}

func kvGetMany(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	keys, ok := args[0].([]cabi.Value)
	if !ok {
		return nil, fmt.Errorf("keys are %T, want a list", args[0])
	}
	out := make([]any, len(keys))
	for i, kv := range keys {
		k, err := kvKey(b, kv)
		if err != nil {
			return kvError("%v", err), nil
		}
		v, found, err := st.kv.Get(ctx, st.serviceID, k)
		if err != nil {
			return kvError("get-many: %v", err), nil
		}
		if found {
			out[i] = []any{kv, v}
		}
	}
	return okv{out}, nil
}

func kvSetMany(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	pairs, ok := args[0].([]cabi.Value)
	if !ok {
		return nil, fmt.Errorf("key-values are %T, want a list", args[0])
	}
	for _, p := range pairs {
		r, ok := p.(cabi.Record)
		if !ok || len(r.Fields) != 2 {
			return nil, fmt.Errorf("key-value is %T, want a pair", p)
		}
		res, err := kvSetH(ctx, st, b, r.Fields)
		if err != nil {
			return nil, err
		}
		if _, failed := res.(errv); failed {
			return res, nil
		}
	}
	return okv{}, nil
}

func kvDeleteMany(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	keys, ok := args[0].([]cabi.Value)
	if !ok {
		return nil, fmt.Errorf("keys are %T, want a list", args[0])
	}
	for _, k := range keys {
		res, err := kvDeleteH(ctx, st, b, []cabi.Value{k})
		if err != nil {
			return nil, err
		}
		if _, failed := res.(errv); failed {
			return res, nil
		}
	}
	return okv{}, nil
}
