package component

import "fmt"

// scope is a type index space being built: a component's, or that of a
// component or instance type declaration, which starts empty and reaches
// enclosing scopes only through outer aliases.
type scope struct {
	comp   *Component // a component's scope; nil for a type declaration
	parent *scope

	// A declaration's own index spaces.
	types     []*Type
	coreTypes []*CoreType
	instances []*Type
}

func (s *scope) typeCount() int {
	if s.comp != nil {
		return len(s.comp.Types)
	}
	return len(s.types)
}

func (s *scope) typeAt(i uint32) (*Type, error) {
	n := s.typeCount()
	if uint64(i) >= uint64(n) {
		return nil, fmt.Errorf("type index %d out of range (%d types)", i, n)
	}
	if s.comp != nil {
		return s.comp.Types[i], nil
	}
	return s.types[i], nil
}

func (s *scope) addType(t *Type) {
	if s.comp != nil {
		s.comp.Types = append(s.comp.Types, t)
		return
	}
	s.types = append(s.types, t)
}

func (s *scope) coreTypeAt(i uint32) (*CoreType, error) {
	ts := s.coreTypes
	if s.comp != nil {
		ts = s.comp.CoreTypes
	}
	if uint64(i) >= uint64(len(ts)) {
		return nil, fmt.Errorf("core type index %d out of range (%d core types)", i, len(ts))
	}
	return ts[i], nil
}

func (s *scope) addCoreType(t *CoreType) {
	if s.comp != nil {
		s.comp.CoreTypes = append(s.comp.CoreTypes, t)
		return
	}
	s.coreTypes = append(s.coreTypes, t)
}

// outer is the scope ct levels out (0: s itself).
func (s *scope) outer(ct uint32) (*scope, error) {
	o := s
	for i := uint32(0); i < ct; i++ {
		if o.parent == nil {
			return nil, fmt.Errorf("outer alias %d levels out, only %d enclosing scopes", ct, i)
		}
		o = o.parent
	}
	return o, nil
}

// nearestComponent is the component s is, or whose declaration s is in.
func (s *scope) nearestComponent() *Component {
	for o := s; o != nil; o = o.parent {
		if o.comp != nil {
			return o.comp
		}
	}
	return nil
}
