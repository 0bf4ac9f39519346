package cabi

import (
	"context"
	"fmt"
	"strconv"
)

// The flattening limits of the canonical ABI: beyond MaxFlatParams core
// parameters, parameters travel in memory behind one i32 pointer; beyond
// MaxFlatResults core results, results travel in memory (a returned pointer
// for a lifted export, a caller-supplied return pointer for a lowered import).
const (
	MaxFlatParams  = 16
	MaxFlatResults = 1
)

// Param is a named function parameter. The name roots error paths.
type Param struct {
	Name string
	Type *Type
}

// Func is a component function type with its canonical-ABI shape worked out
// once; build it with NewFunc and reuse it for every call.
type Func struct {
	Params  []Param
	Results []*Type

	flatParams, flatResults []CoreType
	paramTuple, resultTuple *Type // the memory layout of spilled params / results
}

// NewFunc checks the types and precomputes the function's flattening.
func NewFunc(params []Param, results []*Type) (*Func, error) {
	f := &Func{Params: params, Results: results}
	pts := make([]*Type, len(params))
	for i, p := range params {
		if err := p.Type.Err(); err != nil {
			return nil, fmt.Errorf("cabi: param %q: %w", p.Name, err)
		}
		pts[i] = p.Type
	}
	for i, r := range results {
		if err := r.Err(); err != nil {
			return nil, fmt.Errorf("cabi: result %d: %w", i, err)
		}
	}
	f.flatParams = FlattenTypes(pts...)
	f.flatResults = FlattenTypes(results...)
	if len(pts) > 0 {
		f.paramTuple = TupleOf(pts...)
	}
	if len(results) > 0 {
		f.resultTuple = TupleOf(results...)
	}
	for _, t := range []*Type{f.paramTuple, f.resultTuple} {
		if t != nil && t.err != nil {
			return nil, fmt.Errorf("cabi: %w", t.err)
		}
	}
	return f, nil
}

// MustFunc is NewFunc for types the host writes down itself; it panics on a
// malformed type, so never use it on types parsed from a component.
func MustFunc(params []Param, results []*Type) *Func {
	f, err := NewFunc(params, results)
	if err != nil {
		panic(err)
	}
	return f
}

func (f *Func) paramsSpilled() bool  { return len(f.flatParams) > MaxFlatParams }
func (f *Func) resultsSpilled() bool { return len(f.flatResults) > MaxFlatResults }

// Direction says which side of the boundary the core function is on.
type Direction uint8

const (
	// Lift: a core function exported by the guest and lifted to a component
	// export (the host calls it). Spilled results come back as a returned i32.
	Lift Direction = iota
	// Lower: a component import lowered to a core function the guest calls (the
	// host implements it). Spilled results go to a return pointer the guest
	// appends to the parameters.
	Lower
)

// CoreSignature is the core wasm signature of f in the given direction (the
// spec's flatten_functype): what the guest's core export must have, or what a
// host function serving the import must declare.
func (f *Func) CoreSignature(dir Direction) (params, results []CoreType) {
	params = f.flatParams
	if f.paramsSpilled() {
		params = []CoreType{I32}
	}
	results = f.flatResults
	if f.resultsSpilled() {
		if dir == Lift {
			results = []CoreType{I32}
		} else {
			params = append(append([]CoreType(nil), params...), I32)
			results = nil
		}
	}
	return append([]CoreType(nil), params...), append([]CoreType(nil), results...)
}

func resultRoot(f *Func, i int) string {
	if len(f.Results) == 1 {
		return "result"
	}
	return "result[" + strconv.Itoa(i) + "]"
}

// LowerParams turns host argument values into the core arguments for calling
// the guest's export f: flat values, or, beyond MaxFlatParams, one pointer to
// a block the guest's realloc provides and this function fills.
func (g *Guest) LowerParams(ctx context.Context, f *Func, vals []Value) ([]uint64, error) {
	if len(vals) != len(f.Params) {
		return nil, finish(fail(ErrValue, "%d argument values for %d params", len(vals), len(f.Params)), "lower", "")
	}
	w := &lowerer{ctx: ctx, g: g}
	if f.paramsSpilled() {
		ptr, err := w.alloc(f.paramTuple.align, uint64(f.paramTuple.size), "spilled params")
		if err != nil {
			return nil, finish(err, "lower", "")
		}
		if err := w.storeFields(f.paramTuple, ptr, vals, func(i int) string { return f.Params[i].Name }); err != nil {
			return nil, err
		}
		return []uint64{uint64(ptr)}, nil
	}
	out := make([]uint64, 0, len(f.flatParams))
	for i, p := range f.Params {
		var err error
		if out, err = w.lowerFlat(p.Type, vals[i], out); err != nil {
			return nil, finish(err, "lower", p.Name)
		}
	}
	return out, nil
}

// LiftResults turns the core results of the guest's export f into host
// values, reading them from the returned pointer when they were spilled.
func (g *Guest) LiftResults(f *Func, flat []uint64) ([]Value, error) {
	_, want := f.CoreSignature(Lift)
	if len(flat) != len(want) {
		return nil, finish(fail(ErrFlatCount, "%d core results, want %d", len(flat), len(want)), "lift", "")
	}
	l := g.newLifter()
	if f.resultsSpilled() {
		return l.loadFields(f.resultTuple, uint32(flat[0]), func(i int) string { return resultRoot(f, i) })
	}
	return l.liftAll(f.Results, flat, func(i int) string { return resultRoot(f, i) })
}

// LiftParams turns the core arguments the guest passed to the host's import f
// into host values, reading them from memory when they were spilled. args is
// everything the guest passed, including a trailing return pointer.
func (g *Guest) LiftParams(f *Func, args []uint64) ([]Value, error) {
	want, _ := f.CoreSignature(Lower)
	if len(args) != len(want) {
		return nil, finish(fail(ErrFlatCount, "%d core arguments, want %d", len(args), len(want)), "lift", "")
	}
	l := g.newLifter()
	if f.paramsSpilled() {
		return l.loadFields(f.paramTuple, uint32(args[0]), func(i int) string { return f.Params[i].Name })
	}
	ts := make([]*Type, len(f.Params))
	for i, p := range f.Params {
		ts[i] = p.Type
	}
	return l.liftAll(ts, args[:len(f.flatParams)], func(i int) string { return f.Params[i].Name })
}

// LowerResults turns the host import f's result values into what the guest
// expects back: flat core results, or, beyond MaxFlatResults, nothing, the
// values having been stored at the return pointer (the last of args).
func (g *Guest) LowerResults(ctx context.Context, f *Func, args []uint64, vals []Value) ([]uint64, error) {
	if len(vals) != len(f.Results) {
		return nil, finish(fail(ErrValue, "%d result values for %d results", len(vals), len(f.Results)), "lower", "")
	}
	w := &lowerer{ctx: ctx, g: g}
	if f.resultsSpilled() {
		want, _ := f.CoreSignature(Lower)
		if len(args) != len(want) {
			return nil, finish(fail(ErrFlatCount, "%d core arguments, want %d", len(args), len(want)), "lower", "")
		}
		ptr := uint32(args[len(args)-1])
		if err := w.storeFields(f.resultTuple, ptr, vals, func(i int) string { return resultRoot(f, i) }); err != nil {
			return nil, err
		}
		return nil, nil
	}
	out := make([]uint64, 0, len(f.flatResults))
	for i, t := range f.Results {
		var err error
		if out, err = w.lowerFlat(t, vals[i], out); err != nil {
			return nil, finish(err, "lower", resultRoot(f, i))
		}
	}
	return out, nil
}

// liftAll lifts each of ts from flat, which holds exactly their core values.
func (l *lifter) liftAll(ts []*Type, flat []uint64, root func(int) string) ([]Value, error) {
	r := &flatReader{vals: flat}
	out := make([]Value, len(ts))
	for i, t := range ts {
		v, err := l.liftFlat(t, r)
		if err != nil {
			return nil, finish(err, "lift", root(i))
		}
		out[i] = v
	}
	return out, nil
}

// loadFields loads the fields of tuple at ptr as separate values, each rooted
// at its own name in errors.
func (l *lifter) loadFields(tuple *Type, ptr uint32, root func(int) string) ([]Value, error) {
	b, err := l.read(ptr, uint64(tuple.size), tuple.align, "spilled values")
	if err != nil {
		return nil, finish(err, "lift", "")
	}
	out := make([]Value, len(tuple.fields))
	for i, fl := range tuple.fields {
		off := tuple.offsets[i]
		v, err := l.decode(fl.Type, b[off:off+fl.Type.size])
		if err != nil {
			return nil, finish(err, "lift", root(i))
		}
		out[i] = v
	}
	return out, nil
}

// storeFields stores vals as the fields of tuple at ptr.
func (w *lowerer) storeFields(tuple *Type, ptr uint32, vals []Value, root func(int) string) error {
	if ptr%tuple.align != 0 {
		return finish(fail(ErrMisaligned, "pointer %#x not aligned to %d", ptr, tuple.align), "lower", "")
	}
	if mem := uint64(w.g.Memory.Size()); uint64(ptr)+uint64(tuple.size) > mem {
		return finish(fail(ErrOutOfBounds, "%#x + %d bytes past memory size %#x", ptr, tuple.size, mem), "lower", "")
	}
	buf := make([]byte, tuple.size)
	for i, fl := range tuple.fields {
		off := tuple.offsets[i]
		if err := w.encode(fl.Type, vals[i], buf[off:off+fl.Type.size]); err != nil {
			return finish(err, "lower", root(i))
		}
	}
	if !w.g.Memory.Write(ptr, buf) {
		return finish(fail(ErrOutOfBounds, "writing %d bytes at %#x", len(buf), ptr), "lower", "")
	}
	return nil
}
