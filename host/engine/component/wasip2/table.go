package wasip2

import "fmt"

// table is an execution's handle table for the resources this package
// hands out. Handles start at 1 (0 is never valid); a freed slot is reused.
// Each entry remembers its resource type, so a handle of another type, or
// one already dropped, is an error rather than a confusion.
type table struct {
	slots []entry // slot i is handle i+1
	free  []uint32
	live  int
}

type entry struct {
	name string // the resource type, e.g. "output-stream"; "" = free
	v    any
}

// closer is implemented by resources holding something to release (files).
type closer interface{ close() }

func (t *table) add(name string, v any) (uint32, error) {
	if t.live >= MaxHandles {
		return 0, fmt.Errorf("too many open resources (limit %d)", MaxHandles)
	}
	t.live++
	if n := len(t.free); n > 0 {
		h := t.free[n-1]
		t.free = t.free[:n-1]
		t.slots[h-1] = entry{name, v}
		return h, nil
	}
	t.slots = append(t.slots, entry{name, v})
	return uint32(len(t.slots)), nil
}

func (t *table) get(h uint32, name string) (any, error) {
	if h == 0 || int(h) > len(t.slots) || t.slots[h-1].name == "" {
		return nil, fmt.Errorf("%s handle %d is not valid (never created or already dropped)", name, h)
	}
	e := t.slots[h-1]
	if e.name != name {
		return nil, fmt.Errorf("handle %d is a %s, not a %s", h, e.name, name)
	}
	return e.v, nil
}

// remove takes h out of the table (an own handle passed to the host, or a
// resource drop) and returns what it held.
func (t *table) remove(h uint32, name string) (any, error) {
	v, err := t.get(h, name)
	if err != nil {
		return nil, err
	}
	t.slots[h-1] = entry{}
	t.free = append(t.free, h)
	t.live--
	return v, nil
}

func (t *table) closeAll() {
	for i, e := range t.slots {
		if c, ok := e.v.(closer); ok {
			c.close()
		}
		t.slots[i] = entry{}
	}
	t.slots, t.free, t.live = nil, nil, 0
}

// add, get and take are the State's locked access to its table.

func (s *State) add(name string, v any) (uint32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, errClosed
	}
	return s.table.add(name, v)
}

func (s *State) get(h uint32, name string) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	return s.table.get(h, name)
}

func (s *State) take(h uint32, name string) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	return s.table.remove(h, name)
}

// drop is [resource-drop]name: the handle goes, and its resource is
// released.
func (s *State) drop(h uint32, name string) error {
	v, err := s.take(h, name)
	if err != nil {
		return err
	}
	if c, ok := v.(closer); ok {
		c.close()
	}
	return nil
}

// getAs looks up h as resource name with Go type T.
func getAs[T any](s *State, h uint32, name string) (T, error) {
	var zero T
	v, err := s.get(h, name)
	if err != nil {
		return zero, err
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("%s handle %d holds %T", name, h, v)
	}
	return t, nil
}
