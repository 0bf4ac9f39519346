package engine

import (
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/sys"
)

// Cause classifies why an execution failed.
type Cause int

// The causes of an *ExecError.
const (
	// CauseComponent: the component reported an error, exited with a
	// non-zero code or wrote output that is not ABI v1.
	CauseComponent Cause = iota + 1
	// CauseTimeout: the execution ran past its time limit.
	CauseTimeout
	// CauseMemory: the component tried to grow its memory past the limit.
	CauseMemory
	// CauseTrap: the WebAssembly code trapped (unreachable, out-of-bounds
	// access, stack exhaustion...).
	CauseTrap
	// CauseDeniedHost: the component failed after http_fetch refused a host
	// that the workflow's HTTP policy does not allow.
	CauseDeniedHost
	// CauseOutputTooLarge: the component wrote more than the output limit.
	CauseOutputTooLarge
	// CauseNotFound: no component has the requested digest.
	CauseNotFound
	// CauseInvalid: the request (or the component) is not valid.
	CauseInvalid
	// CauseInternal: the engine failed (a recovered panic) while running
	// the component.
	CauseInternal
)

// String names the cause in a few words.
func (c Cause) String() string {
	switch c {
	case CauseComponent:
		return "component error"
	case CauseTimeout:
		return "timeout"
	case CauseMemory:
		return "out of memory"
	case CauseTrap:
		return "trap"
	case CauseDeniedHost:
		return "denied host"
	case CauseOutputTooLarge:
		return "output too large"
	case CauseNotFound:
		return "not found"
	case CauseInvalid:
		return "invalid"
	case CauseInternal:
		return "internal error"
	default:
		return fmt.Sprintf("cause(%d)", int(c))
	}
}

// ExecError is the error of a failed execution.
type ExecError struct {
	Cause Cause
	// Msg is a one-line description naming the limit or the fault.
	Msg string
	// Stderr is the tail (at most 1 KiB) of the component's stderr, kept
	// when it exited with a non-zero code or trapped.
	Stderr string
	// Err is the underlying error, if any (context.DeadlineExceeded for a
	// timeout, for one).
	Err error
}

func (e *ExecError) Error() string {
	return "engine: " + e.Cause.String() + ": " + e.Msg
}

// Unwrap returns the underlying error.
func (e *ExecError) Unwrap() error { return e.Err }

// CauseOf returns the Cause of the *ExecError in err's chain, or 0 when
// there is none.
func CauseOf(err error) Cause {
	var ee *ExecError
	if errors.As(err, &ee) {
		return ee.Cause
	}
	return 0
}

// IsFault reports whether err is an execution that failed in a way that
// will most likely happen again with any input: a trap, a memory or output
// limit, a timeout, a crash (a non-zero exit, a Go panic) or an engine
// fault. An error the component reported in its output, a denied host and
// a missing component are not faults.
func IsFault(err error) bool {
	var ee *ExecError
	if !errors.As(err, &ee) {
		return false
	}
	switch ee.Cause {
	case CauseTimeout, CauseMemory, CauseTrap, CauseOutputTooLarge, CauseInternal:
		return true
	case CauseComponent:
		var exit *sys.ExitError
		return errors.As(ee.Err, &exit)
	default:
		return false
	}
}

// ErrClosed is returned by an Engine's methods after Close.
var ErrClosed = errors.New("engine: closed")

func execErr(c Cause, format string, args ...any) *ExecError {
	return &ExecError{Cause: c, Msg: fmt.Sprintf(format, args...)}
}
