package sdk

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Errors that keep their meaning across the plugin boundary: a plugin
// returns an error wrapping one of them and the host's errors.Is sees the
// same sentinel.
var (
	// ErrInvalidArgument: the request (or configuration) is malformed or
	// asks for something the plugin cannot serve.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrNotFound: the named thing (topic, trigger, chain) is unknown.
	ErrNotFound = errors.New("not found")
	// ErrUnavailable: a transient failure (plugin restarting, chain
	// unreachable); the call may succeed later.
	ErrUnavailable = errors.New("unavailable")
	// ErrUnimplemented: the plugin does not support this call.
	ErrUnimplemented = errors.New("unimplemented")
)

var errorCodes = []struct {
	err  error
	code codes.Code
}{
	{ErrInvalidArgument, codes.InvalidArgument},
	{ErrNotFound, codes.NotFound},
	{ErrUnavailable, codes.Unavailable},
	{ErrUnimplemented, codes.Unimplemented},
	{context.Canceled, codes.Canceled},
	{context.DeadlineExceeded, codes.DeadlineExceeded},
}

// toStatus turns a plugin's error into a gRPC status error.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	for _, e := range errorCodes {
		if errors.Is(err, e.err) {
			return status.Error(e.code, err.Error())
		}
	}
	return status.Error(codes.Unknown, err.Error())
}

// remoteError is an error that crossed the plugin boundary.
type remoteError struct {
	msg      string
	sentinel error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.sentinel }

// fromStatus turns a gRPC error into an error that wraps the matching
// sentinel. A broken connection becomes ErrUnavailable.
func fromStatus(err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	for _, e := range errorCodes {
		if st.Code() == e.code {
			return &remoteError{msg: st.Message(), sentinel: e.err}
		}
	}
	return &remoteError{msg: st.Message()}
}
