package engine

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"
)

// MemKV is a KVStore in memory, for `wavs exec` and tests: nothing
// persists and there are no quotas. Its zero value is ready to use.
type MemKV struct {
	mu sync.Mutex
	m  map[string][]byte // by service id, NUL, key
}

// NewMemKV returns an empty MemKV.
func NewMemKV() *MemKV { return &MemKV{} }

func memKey(svc, key string) string { return svc + "\x00" + key }

// Get implements KVStore.
func (k *MemKV) Get(_ context.Context, svc, key string) ([]byte, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[memKey(svc, key)]
	return bytes.Clone(v), ok, nil
}

// Set implements KVStore.
func (k *MemKV) Set(_ context.Context, svc, key string, v []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string][]byte{}
	}
	if v == nil {
		v = []byte{}
	}
	k.m[memKey(svc, key)] = bytes.Clone(v)
	return nil
}

// Delete implements KVStore.
func (k *MemKV) Delete(_ context.Context, svc, key string) (bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	_, ok := k.m[memKey(svc, key)]
	delete(k.m, memKey(svc, key))
	return ok, nil
}

// Keys implements KVStore.
func (k *MemKV) Keys(_ context.Context, svc, prefix, from string, limit int) ([]string, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var all []string
	for mk := range k.m {
		s, key, _ := strings.Cut(mk, "\x00")
		if s == svc && strings.HasPrefix(key, prefix) && key >= from {
			all = append(all, key)
		}
	}
	slices.Sort(all)
	if len(all) > limit {
		return all[:limit], true, nil
	}
	return all, false, nil
}
