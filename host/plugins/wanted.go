package plugins

import (
	"errors"
	"fmt"
	"sync"

	"github.com/wavs-go/wavs/sdk"
)

// wanted is the host's record of state every process of a plugin must
// have (topics, triggers). Changes are recorded before they are sent, so
// a process that starts meanwhile replays them; a change the live process
// rejects is taken back.
type wanted[T any] struct {
	sup  *Supervisor
	what string // "topic", "trigger": for errors

	mu    sync.Mutex
	items map[string]T
}

func newWanted[T any](sup *Supervisor, what string) *wanted[T] {
	return &wanted[T]{sup: sup, what: what, items: map[string]T{}}
}

// put records key and applies it to the live process, if any.
func (w *wanted[T]) put(key string, v T, apply func(sdk.Plugin) error) error {
	w.mu.Lock()
	prev, had := w.items[key]
	w.items[key] = v
	w.mu.Unlock()
	p, err := w.sup.Current()
	if err != nil {
		return nil // applied when the plugin is back
	}
	if err := apply(p); err != nil && !errors.Is(err, sdk.ErrUnavailable) {
		w.mu.Lock()
		if had {
			w.items[key] = prev
		} else {
			delete(w.items, key)
		}
		w.mu.Unlock()
		return err
	}
	return nil
}

// remove forgets key and removes it from the live process, if any.
func (w *wanted[T]) remove(key string, apply func(sdk.Plugin) error) error {
	w.mu.Lock()
	_, ok := w.items[key]
	delete(w.items, key)
	w.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s %q", sdk.ErrNotFound, w.what, key)
	}
	p, err := w.sup.Current()
	if err != nil {
		return nil // the next process will not have it
	}
	if err := apply(p); err != nil && !errors.Is(err, sdk.ErrNotFound) && !errors.Is(err, sdk.ErrUnavailable) {
		return err
	}
	return nil
}

// update changes a recorded item in place, if it is there.
func (w *wanted[T]) update(key string, f func(T) T) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if v, ok := w.items[key]; ok {
		w.items[key] = f(v)
	}
}

// snapshot returns the recorded items.
func (w *wanted[T]) snapshot() []T {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]T, 0, len(w.items))
	for _, v := range w.items {
		out = append(out, v)
	}
	return out
}
