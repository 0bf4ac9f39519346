package wasip2

import (
	"fmt"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// matchFunc checks that ft, a function type from the component, is the
// one this package implements: the same parameters and results, kind by
// kind, with the same field, case and label counts and resource names.
// The layouts then agree, whatever version of the WIT the component used.
func matchFunc(ft *component.Type, want *cabi.Func) error {
	if ft == nil || ft.Kind != component.KindFunc {
		return fmt.Errorf("not a function type")
	}
	if len(ft.Fields) != len(want.Params) || len(ft.Results) != len(want.Results) {
		return fmt.Errorf("type %s has %d params and %d results, want %d and %d", ft, len(ft.Fields), len(ft.Results), len(want.Params), len(want.Results))
	}
	for i, f := range ft.Fields {
		if err := matchType(f.Type, want.Params[i].Type, 0); err != nil {
			return fmt.Errorf("type %s: param %q: %w", ft, f.Name, err)
		}
	}
	for i, r := range ft.Results {
		if err := matchType(r.Type, want.Results[i], 0); err != nil {
			return fmt.Errorf("type %s: result %d: %w", ft, i, err)
		}
	}
	return nil
}

const maxMatchDepth = 32

func matchType(ct *component.Type, t *cabi.Type, depth int) error {
	if depth > maxMatchDepth {
		return fmt.Errorf("type nested too deeply")
	}
	if ct == nil || t == nil {
		if ct == nil && t == nil {
			return nil
		}
		return fmt.Errorf("got %s, want %s", ct, t)
	}
	if ct.Kind.String() != t.Kind().String() {
		return fmt.Errorf("got %s, want %s", ct, t)
	}
	d := depth + 1
	switch t.Kind() {
	case cabi.KindList, cabi.KindOption:
		return matchType(ct.Elem, t.Elem(), d)
	case cabi.KindRecord:
		fs := t.Fields()
		if len(ct.Fields) != len(fs) {
			return fmt.Errorf("got %s, want a record of %d fields", ct, len(fs))
		}
		for i, f := range ct.Fields {
			if f.Name != fs[i].Name {
				return fmt.Errorf("record field %d is %q, want %q", i, f.Name, fs[i].Name)
			}
			if err := matchType(f.Type, fs[i].Type, d); err != nil {
				return fmt.Errorf("field %q: %w", f.Name, err)
			}
		}
	case cabi.KindTuple:
		fs := t.Fields()
		if len(ct.Tuple) != len(fs) {
			return fmt.Errorf("got %s, want a tuple of %d", ct, len(fs))
		}
		for i, e := range ct.Tuple {
			if err := matchType(e, fs[i].Type, d); err != nil {
				return fmt.Errorf("tuple element %d: %w", i, err)
			}
		}
	case cabi.KindVariant:
		cs := t.Cases()
		if len(ct.Cases) != len(cs) {
			return fmt.Errorf("got %s, want a variant of %d cases", ct, len(cs))
		}
		for i, c := range ct.Cases {
			if c.Name != cs[i].Name {
				return fmt.Errorf("variant case %d is %q, want %q", i, c.Name, cs[i].Name)
			}
			if err := matchType(c.Type, cs[i].Type, d); err != nil {
				return fmt.Errorf("case %q: %w", c.Name, err)
			}
		}
	case cabi.KindEnum, cabi.KindFlags:
		ls := t.Labels()
		if len(ct.Labels) != len(ls) {
			return fmt.Errorf("got %s with %d labels, want %d", ct.Kind, len(ct.Labels), len(ls))
		}
		for i, l := range ct.Labels {
			if l != ls[i] {
				return fmt.Errorf("%s label %d is %q, want %q", ct.Kind, i, l, ls[i])
			}
		}
	case cabi.KindResult:
		cs := t.Cases()
		if err := matchType(ct.OK, cs[0].Type, d); err != nil {
			return fmt.Errorf("result ok: %w", err)
		}
		if err := matchType(ct.Err, cs[1].Type, d); err != nil {
			return fmt.Errorf("result error: %w", err)
		}
	case cabi.KindOwn, cabi.KindBorrow:
		name := ""
		if ct.Elem != nil && ct.Elem.Resource != nil {
			name = ct.Elem.Resource.Name
		}
		if name != t.Resource() {
			return fmt.Errorf("got a handle to resource %q, want %q", name, t.Resource())
		}
	}
	return nil
}

// needsMemory: the call moves strings or lists, or returns through memory.
func needsMemory(f *cabi.Func) bool {
	_, res := f.CoreSignature(cabi.Lower)
	_, liftRes := f.CoreSignature(cabi.Lift)
	if len(res) != len(liftRes) {
		return true // results spilled to a return pointer
	}
	for _, pr := range f.Params {
		if hasKind(pr.Type, cabi.KindString, cabi.KindList) {
			return true
		}
	}
	return needsRealloc(f)
}

// needsRealloc: the results hold strings or lists, which the host lowers
// into memory the guest allocates.
func needsRealloc(f *cabi.Func) bool {
	for _, r := range f.Results {
		if hasKind(r, cabi.KindString, cabi.KindList) {
			return true
		}
	}
	return false
}

func hasKind(t *cabi.Type, ks ...cabi.Kind) bool {
	if t == nil {
		return false
	}
	for _, k := range ks {
		if t.Kind() == k {
			return true
		}
	}
	if hasKind(t.Elem(), ks...) {
		return true
	}
	for _, f := range t.Fields() {
		if hasKind(f.Type, ks...) {
			return true
		}
	}
	for _, c := range t.Cases() {
		if hasKind(c.Type, ks...) {
			return true
		}
	}
	return false
}
