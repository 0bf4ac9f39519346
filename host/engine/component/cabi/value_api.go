package cabi

import "context"

// Load reads one value of type t stored at ptr in guest memory (the spec's
// load, with its alignment and bounds checks). Errors are rooted at name.
func (g *Guest) Load(t *Type, ptr uint32, name string) (Value, error) {
	if err := t.Err(); err != nil {
		return nil, finish(&Error{Err: err}, "lift", name)
	}
	v, err := g.newLifter().load(t, ptr)
	return v, finish(err, "lift", name)
}

// Store writes one value of type t at ptr in guest memory, allocating any
// strings and lists it holds through the guest's realloc.
func (g *Guest) Store(ctx context.Context, t *Type, ptr uint32, v Value, name string) error {
	if err := t.Err(); err != nil {
		return finish(&Error{Err: err}, "lower", name)
	}
	w := &lowerer{ctx: ctx, g: g}
	return finish(w.store(t, v, ptr), "lower", name)
}

// LiftFlat lifts one value of type t from exactly its flat core values.
func (g *Guest) LiftFlat(t *Type, flat []uint64, name string) (Value, error) {
	if err := t.Err(); err != nil {
		return nil, finish(&Error{Err: err}, "lift", name)
	}
	if len(flat) != len(t.flat) {
		return nil, finish(fail(ErrFlatCount, "%d core values for %s, want %d", len(flat), t, len(t.flat)), "lift", name)
	}
	v, err := g.newLifter().liftFlat(t, &flatReader{vals: flat})
	return v, finish(err, "lift", name)
}

// LowerFlat lowers one value of type t to its flat core values.
func (g *Guest) LowerFlat(ctx context.Context, t *Type, v Value, name string) ([]uint64, error) {
	if err := t.Err(); err != nil {
		return nil, finish(&Error{Err: err}, "lower", name)
	}
	w := &lowerer{ctx: ctx, g: g}
	out, err := w.lowerFlat(t, v, make([]uint64, 0, len(t.flat)))
	return out, finish(err, "lower", name)
}
