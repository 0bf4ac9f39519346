package cabi

import (
	"errors"
	"fmt"
	"strconv"
)

// The kinds of failure. Every error this package returns is an *Error whose Err
// wraps one of these, so callers can tell a guest that broke the ABI (a trap in
// the spec's terms) from a host value that does not fit its type.
var (
	ErrType         = errors.New("malformed type")
	ErrOutOfBounds  = errors.New("out of bounds")
	ErrMisaligned   = errors.New("misaligned pointer")
	ErrDiscriminant = errors.New("invalid discriminant")
	ErrString       = errors.New("invalid string")
	ErrChar         = errors.New("invalid char")
	ErrTooLarge     = errors.New("too large")
	ErrFlatCount    = errors.New("wrong number of core values")
	ErrValue        = errors.New("host value does not match type")
	ErrRealloc      = errors.New("realloc failed")
)

// Error locates a failure inside a value: Path is the WIT-level path from the
// parameter or result down to the offending part, such as
// "trigger-action.data.evm-contract-event.log.topics[2]".
type Error struct {
	Op   string // "lift" or "lower"
	Path string
	Err  error
}

func (e *Error) Error() string {
	if e.Path == "" {
		return "cabi: " + e.Op + ": " + e.Err.Error()
	}
	return "cabi: " + e.Op + " " + e.Path + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// fail makes a leaf error; the callers on the way up prepend their path segments.
func fail(kind error, format string, args ...any) error {
	return &Error{Err: fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)}
}

// at prepends a path segment to err (which is an *Error made by fail).
func at(err error, seg string) error {
	if e, ok := err.(*Error); ok {
		e.Path = seg + e.Path
		return e
	}
	return &Error{Path: seg, Err: err}
}

// atField, atIndex: the common path segments.
func atField(err error, name string) error { return at(err, "."+name) }
func atIndex(err error, i int) error       { return at(err, "["+strconv.Itoa(i)+"]") }

// finish sets the operation and the root of the path.
func finish(err error, op, root string) error {
	if err == nil {
		return nil
	}
	e, ok := err.(*Error)
	if !ok {
		e = &Error{Err: err}
	}
	e.Op = op
	switch {
	case root == "":
		if len(e.Path) > 0 && e.Path[0] == '.' {
			e.Path = e.Path[1:]
		}
	default:
		e.Path = root + e.Path
	}
	return e
}
