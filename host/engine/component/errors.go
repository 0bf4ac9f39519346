package component

import (
	"errors"
	"fmt"
)

// ParseError is a component binary that could not be decoded: what was
// being read (a section or item), at which byte offset of the outermost
// binary, and why.
type ParseError struct {
	Where  string // e.g. "canon section", "type section: record"
	Offset int
	Err    error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("component: %s at offset %d: %v", e.Where, e.Offset, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ErrUnsupported marks a well-formed feature this host does not run
// (async, streams, futures, threads, values, GC types); errors.Is finds it.
var ErrUnsupported = errors.New("not supported")

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrUnsupported)
}

var errShort = errors.New("unexpected end of data")
