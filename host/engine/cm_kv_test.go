package engine

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// kvCall runs the wasi:keyvalue handler name as a component's call would.
func kvCall(t *testing.T, st *execState, name string, args ...cabi.Value) any {
	t.Helper()
	h, ok := kvHandlers[name]
	if !ok {
		t.Fatalf("no handler %q", name)
	}
	out, err := h(context.Background(), st, nil, args)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

func kvExec(kv KVStore, svc string) *execState {
	return &execState{serviceID: svc, kv: kv, comp: newCompState(&Request{})}
}

func kvOpenBucket(t *testing.T, st *execState, id string) cabi.Handle {
	t.Helper()
	r, ok := kvCall(t, st, "open", id).(okv)
	if !ok {
		t.Fatalf("open %q failed", id)
	}
	return r.val.(cabi.Handle)
}

// TestKVAtomicsAsWAVS: counters live apart from values, increment wraps
// and persists; cas reads the value and swap sets it, consuming the
// handle.
func TestKVAtomicsAsWAVS(t *testing.T) {
	kv := NewMemKV()
	st := kvExec(kv, "svc")
	b := kvOpenBucket(t, st, "counts")
	for i, want := range []int64{5, 3, 1<<63 - 1} {
		delta := []int64{5, -2, 1<<63 - 4}[i]
		if got := kvCall(t, st, "increment", b, "n", delta); got != (okv{want}) {
			t.Fatalf("increment %d = %v, want %d", delta, got, want)
		}
	}
	if got := kvCall(t, st, "increment", b, "n", int64(1)); got != (okv{int64(-1 << 63)}) {
		t.Fatalf("increment past max = %v, want a wrap", got)
	}
	// The counter is not a value of the bucket (as in WAVS).
	if got := kvCall(t, st, "[method]bucket.get", b, "n"); got != (okv{none}) {
		t.Fatalf("get of a counter = %v, want none", got)
	}
	// A later execution sees the count.
	st2 := kvExec(kv, "svc")
	if got := kvCall(t, st2, "increment", kvOpenBucket(t, st2, "counts"), "n", int64(1)); got != (okv{int64(-1<<63 + 1)}) {
		t.Fatalf("increment in a new execution = %v", got)
	}

	c := kvCall(t, st, "[static]cas.new", b, "k").(okv).val
	if got := kvCall(t, st, "[method]cas.current", c); got != (okv{none}) {
		t.Fatalf("current of a missing key = %v", got)
	}
	kvCall(t, st, "[method]bucket.set", b, "k", []byte("one"))
	if got := kvCall(t, st, "[method]cas.current", c); !reflect.DeepEqual(got, okv{[]byte("one")}) {
		t.Fatalf("current = %v, want one", got)
	}
	if got := kvCall(t, st, "swap", c, []byte("two")); got != (okv{}) {
		t.Fatalf("swap = %v", got)
	}
	if got := kvCall(t, st, "[method]bucket.get", b, "k"); !reflect.DeepEqual(got, okv{[]byte("two")}) {
		t.Fatalf("after swap get = %v, want two", got)
	}
	if _, err := kvHandlers["swap"](context.Background(), st, nil, []cabi.Value{c, []byte("x")}); err == nil {
		t.Fatal("a swapped cas handle was used again")
	}
	// Other services see none of it.
	other := kvExec(kv, "other")
	if got := kvCall(t, other, "[method]bucket.get", kvOpenBucket(t, other, "counts"), "k"); got != (okv{none}) {
		t.Fatalf("other service reads %v", got)
	}
}

// TestKVListKeys: a bucket's keys in byte order, paged with a cursor,
// without other buckets' keys or counters.
func TestKVListKeys(t *testing.T) {
	kv := NewMemKV()
	st := kvExec(kv, "svc")
	b := kvOpenBucket(t, st, "b")
	other := kvOpenBucket(t, st, "b2")
	var want []any
	for i := range kvListPage + 3 {
		k := fmt.Sprintf("k%05d", i)
		want = append(want, k)
		kvCall(t, st, "[method]bucket.set", b, k, []byte("v"))
	}
	kvCall(t, st, "[method]bucket.set", other, "x", []byte("v"))
	kvCall(t, st, "increment", b, "counter", int64(1))

	page := kvCall(t, st, "[method]bucket.list-keys", b, none).(okv).val.(rec)
	if !reflect.DeepEqual(page["keys"], want[:kvListPage]) || page["cursor"] != want[kvListPage] {
		t.Fatalf("first page: %d keys, cursor %v", len(page["keys"].([]any)), page["cursor"])
	}
	page = kvCall(t, st, "[method]bucket.list-keys", b, page["cursor"]).(okv).val.(rec)
	if !reflect.DeepEqual(page["keys"], want[kvListPage:]) || page["cursor"] != none {
		t.Fatalf("second page: %v, cursor %v", page["keys"], page["cursor"])
	}
	page = kvCall(t, st, "[method]bucket.list-keys", other, none).(okv).val.(rec)
	if !reflect.DeepEqual(page["keys"], []any{"x"}) {
		t.Fatalf("other bucket lists %v", page["keys"])
	}
}
