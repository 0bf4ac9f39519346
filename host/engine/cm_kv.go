package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// wasi:keyvalue@0.2.0-draft2 on the node's per-service KV store (the one
// behind the wasip1 kv_* functions, with its quotas). A bucket is a
// namespace inside the service's data: key k of bucket b is stored as
// "wasi-kv/<b>/<k>". Buckets are opened by any identifier without '/'.

// compState is a component execution's own state: its request and the
// resources the host handed out (buckets), by handle.
type compState struct {
	req     *Request
	buckets map[uint32]string
	next    uint32
}

func newCompState(r *Request) *compState {
	return &compState{req: r, buckets: map[uint32]string{}, next: 1}
}

// maxHandles bounds the handles one execution may hold.
const maxHandles = 1 << 12

func (c *compState) drop(h uint32) { delete(c.buckets, h) }

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
		"open":                  kvOpen,
		"[method]bucket.get":    kvBucket(kvGetH),
		"[method]bucket.set":    kvBucket(kvSetH),
		"[method]bucket.delete": kvBucket(kvDeleteH),
		"[method]bucket.exists": kvBucket(kvExistsH),
		"[method]bucket.list-keys": kvBucket(func(context.Context, *execState, string, []cabi.Value) (any, error) {
			return kvError("list-keys is not supported by this node"), nil
		}),
		"increment":   kvFirstBucket(kvIncrement),
		"get-many":    kvFirstBucket(kvGetMany),
		"set-many":    kvFirstBucket(kvSetMany),
		"delete-many": kvFirstBucket(kvDeleteMany),
		// Compare-and-swap is declared by the draft but not served: each
		// returns the interface's error.
		"[static]cas.new":     kvUnsupported("cas"),
		"[method]cas.current": kvUnsupported("cas"),
		"swap":                kvUnsupportedSwap,
	}
}

func kvUnsupported(what string) hostHandler {
	return func(context.Context, *execState, *cabi.Func, []cabi.Value) (any, error) {
		return kvError("%s is not supported by this node", what), nil
	}
}

func kvUnsupportedSwap(context.Context, *execState, *cabi.Func, []cabi.Value) (any, error) {
	return errv{vcase{"store-error", vcase{"other", "cas is not supported by this node"}}}, nil
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
	case len(st.comp.buckets) >= maxHandles:
		return kvError("more than %d open buckets", maxHandles), nil
	}
	h := st.comp.next
	st.comp.next++
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
	k, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("key is %T, want a string", v)
	}
	full := "wasi-kv/" + bucket + "/" + k
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

// kvIncrement adds delta to the value of key read as a decimal s64
// (this node's choice; upstream's counter encoding was not checked); a
// missing key is 0.
func kvIncrement(ctx context.Context, st *execState, b string, args []cabi.Value) (any, error) {
	k, err := kvKey(b, args[0])
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
		if _, err := fmt.Sscan(string(v), &n); err != nil {
			return kvError("increment: value of %q is not a number", args[0]), nil
		}
	}
	n += delta
	if err := st.kv.Set(ctx, st.serviceID, k, fmt.Appendf(nil, "%d", n)); err != nil {
		return kvError("increment: %v", err), nil
	}
	return okv{n}, nil
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
