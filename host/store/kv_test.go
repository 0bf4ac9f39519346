package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// KV is the interface components' key-value host functions use; Store
// implements it.
type KV interface {
	Get(ctx context.Context, serviceID, key string) ([]byte, bool, error)
	Set(ctx context.Context, serviceID, key string, value []byte) error
	Delete(ctx context.Context, serviceID, key string) (bool, error)
	Keys(ctx context.Context, serviceID, prefix, from string, limit int) ([]string, bool, error)
}

var _ KV = (*Store)(nil)

func TestKVRoundTrip(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	register(t, s, svcA)
	tests := []struct {
		key   string
		value []byte
	}{
		{"plain", []byte("value")},
		{"binary", []byte{0, 1, 2, 255}},
		{"empty", []byte{}},
		{"nil", nil},
		{strings.Repeat("k", MaxKeySize), []byte("longest key")},
		{"max", bytes.Repeat([]byte{7}, MaxValueSize)},
		{"ünïcode/with/slashes", []byte("ok")},
	}
	for _, tt := range tests {
		if err := s.Set(ctx, svcA, tt.key, tt.value); err != nil {
			t.Fatalf("Set(%.20q): %v", tt.key, err)
		}
		got, found, err := s.Get(ctx, svcA, tt.key)
		if err != nil || !found || !bytes.Equal(got, tt.value) || got == nil {
			t.Errorf("Get(%.20q) = %.20q, %v, %v", tt.key, got, found, err)
		}
	}
	// Overwrite, then delete.
	if err := s.Set(ctx, svcA, "plain", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Get(ctx, svcA, "plain"); string(got) != "new" {
		t.Errorf("after overwrite: %q", got)
	}
	if found, err := s.Delete(ctx, svcA, "plain"); !found || err != nil {
		t.Errorf("Delete = %v, %v", found, err)
	}
	if found, err := s.Delete(ctx, svcA, "plain"); found || err != nil {
		t.Errorf("second Delete = %v, %v", found, err)
	}
	if got, found, err := s.Get(ctx, svcA, "plain"); found || got != nil || err != nil {
		t.Errorf("Get after Delete = %q, %v, %v", got, found, err)
	}
	if found, err := s.Delete(ctx, svcB, "plain"); found || err != nil {
		t.Errorf("Delete for a service without data = %v, %v", found, err)
	}
}

func TestKVValueIsACopy(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	register(t, s, svcA)
	v := []byte("abc")
	if err := s.Set(ctx, svcA, "k", v); err != nil {
		t.Fatal(err)
	}
	v[0] = 'X'
	got, _, _ := s.Get(ctx, svcA, "k")
	got[1] = 'Y'
	if again, _, _ := s.Get(ctx, svcA, "k"); string(again) != "abc" {
		t.Errorf("stored value changed to %q", again)
	}
}

func TestKVIsolation(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	register(t, s, svcA)
	register(t, s, svcB)
	if err := s.Set(ctx, svcA, "shared", []byte("a")); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.Get(ctx, svcB, "shared"); found {
		t.Fatal("service B sees service A's key")
	}
	if err := s.Set(ctx, svcB, "shared", []byte("b")); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Get(ctx, svcA, "shared"); string(got) != "a" {
		t.Errorf("A's value = %q after B's Set", got)
	}
	if _, err := s.Delete(ctx, svcB, "shared"); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Get(ctx, svcA, "shared"); string(got) != "a" {
		t.Errorf("A's value = %q after B's Delete", got)
	}
}

func TestKVBadInput(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	register(t, s, svcA)
	tests := []struct {
		name, service, key string
		value              []byte
		want               string
		is                 error
	}{
		{"empty key", svcA, "", nil, `store: set kv "" of service "` + svcA + `": key is empty`, ErrInvalid},
		{"long key", svcA, strings.Repeat("k", MaxKeySize+1), nil, "key is 1025 bytes: want at most 1024", ErrInvalid},
		{"big value", svcA, "k", make([]byte, MaxValueSize+1), "value is 1048577 bytes: want at most 1048576 (1 MiB)", ErrInvalid},
		{"empty service", "", "k", nil, `store: set kv "k" of service "": service id is empty`, ErrInvalid},
		{"unregistered", svcB, "k", nil, `store: set kv "k" of service "` + svcB + `": service "` + svcB + `" is not registered`, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Set(ctx, tt.service, tt.key, tt.value)
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Set: %v, want %v with %q", err, tt.is, tt.want)
			}
		})
	}
	if _, _, err := s.Get(ctx, svcA, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("Get with an empty key: %v", err)
	}
	if _, err := s.Delete(ctx, "", "k"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Delete with an empty service: %v", err)
	}
}

func TestKVConcurrent(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	services := []string{svcA, svcB}
	for _, id := range services {
		register(t, s, id)
	}
	const workers, ops = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, workers*ops)
	for w := range workers {
		wg.Go(func() {
			id := services[w%len(services)]
			for i := range ops {
				key := fmt.Sprintf("w%d-k%d", w, i%5)
				val := fmt.Appendf(nil, "%s/%d/%d", id, w, i)
				if err := s.Set(ctx, id, key, val); err != nil {
					errs <- err
					return
				}
				got, found, err := s.Get(ctx, id, key)
				if err != nil || !found || !bytes.Equal(got, val) {
					// Each worker owns its keys: it must read what it wrote.
					errs <- fmt.Errorf("worker %d: Get(%s) = %q, %v, %v; want %q", w, key, got, found, err, val)
					return
				}
				if _, _, err := s.Get(ctx, services[(w+1)%len(services)], key); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// The last value of every key survived.
	for w := range workers {
		id := services[w%len(services)]
		key := fmt.Sprintf("w%d-k%d", w, (ops-1)%5)
		got, _, _ := s.Get(ctx, id, key)
		if want := fmt.Sprintf("%s/%d/%d", id, w, ops-1); string(got) != want {
			t.Errorf("%s %s = %q, want %q", id, key, got, want)
		}
	}
}

func TestKVKeys(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	register(t, s, svcA)
	register(t, s, svcB)
	for _, k := range []string{"b/2", "a/1", "b/1", "b/3", "c", "b"} {
		if err := s.Set(ctx, svcA, k, []byte("v")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Set(ctx, svcB, "b/9", []byte("v")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		prefix, from string
		limit        int
		want         []string
		more         bool
	}{
		{"b/", "", 10, []string{"b/1", "b/2", "b/3"}, false},
		{"b/", "", 2, []string{"b/1", "b/2"}, true},
		{"b/", "b/2", 2, []string{"b/2", "b/3"}, false},
		{"b/", "a", 5, []string{"b/1", "b/2", "b/3"}, false}, // from before the prefix
		{"b/", "b/4", 5, nil, false},
		{"", "", 3, []string{"a/1", "b", "b/1"}, true},
		{"z", "", 3, nil, false},
	}
	for _, tt := range tests {
		got, more, err := s.Keys(ctx, svcA, tt.prefix, tt.from, tt.limit)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) || more != tt.more {
			t.Errorf("Keys(%q, from %q, %d) = %q, %v, %v; want %q, %v", tt.prefix, tt.from, tt.limit, got, more, err, tt.want, tt.more)
		}
	}
	if got, _, err := s.Keys(ctx, "unknown", "", "", 5); err == nil && len(got) != 0 {
		t.Errorf("keys of a service without data: %q", got)
	}
	if _, _, err := s.Keys(ctx, svcA, "", "", 0); err == nil {
		t.Error("limit 0 accepted")
	}
}
