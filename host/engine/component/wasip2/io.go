package wasip2

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// writePermit is what check-write allows at once, and maxRead the most one
// read returns; both bound the memory one call moves.
const (
	writePermit = 64 << 10
	maxRead     = 64 << 10
)

// ioError is a wasi:io/error error; code is the filesystem error-code it
// stands for (filesystem-error-code), or -1.
type ioError struct {
	msg  string
	code int
}

// outputStream writes to w; after a failed write it is closed.
type outputStream struct {
	w      func([]byte) error
	failed bool
}

// inputStream reads from r; at the end it reports closed.
type inputStream struct {
	r func(max int) ([]byte, error) // io.EOF at the end
}

// stdinReader is the execution's stdin, shared by every stdin stream.
type stdinReader struct {
	b   []byte
	off int
}

func (r *stdinReader) read(max int) ([]byte, error) {
	if r.off >= len(r.b) {
		return nil, io.EOF
	}
	n := min(max, len(r.b)-r.off)
	out := r.b[r.off : r.off+n]
	r.off += n
	return out, nil
}

func writerStream(w io.Writer) *outputStream {
	return &outputStream{w: func(b []byte) error {
		_, err := w.Write(b)
		return err
	}}
}

func (s *State) newOutputStream(o *outputStream) (cabi.Handle, error) {
	h, err := s.add("output-stream", o)
	return cabi.Handle(h), err
}

func (s *State) newInputStream(in *inputStream) (cabi.Handle, error) {
	h, err := s.add("input-stream", in)
	return cabi.Handle(h), err
}

// streamFailed is stream-error.last-operation-failed with a new error
// resource describing err.
func (s *State) streamFailed(err error) (cabi.Value, error) {
	h, aerr := s.add("error", &ioError{msg: err.Error(), code: errorCodeOf(err)})
	if aerr != nil {
		return nil, aerr
	}
	return cabi.Err(cabi.Variant{Case: 0, Value: cabi.Handle(h)}), nil
}

var streamClosed = cabi.Err(cabi.Variant{Case: 1})

var (
	tStreamUnit  = cabi.ResultOf(nil, tStreamError)
	tStreamU64   = cabi.ResultOf(cabi.U64(), tStreamError)
	tStreamBytes = cabi.ResultOf(tU8List, tStreamError)
	selfOut      = p("self", cabi.Borrow("output-stream"))
	selfIn       = p("self", cabi.Borrow("input-stream"))
)

func init() {
	register("wasi:io/error", []string{"error"}, map[string]*funcDef{
		"[method]error.to-debug-string": def([]cabi.Param{p("self", cabi.Borrow("error"))}, []*cabi.Type{cabi.String()},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				e, err := s.errorArg(args, 0)
				if err != nil {
					return nil, err
				}
				return one(e.msg)
			}),
	})

	write := def([]cabi.Param{selfOut, p("contents", tU8List)}, []*cabi.Type{tStreamUnit},
		func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
			o, err := s.outArg(args, 0)
			if err != nil {
				return nil, err
			}
			b, err := argBytes(args, 1)
			if err != nil {
				return nil, err
			}
			return s.write(o, b)
		})
	flush := def([]cabi.Param{selfOut}, []*cabi.Type{tStreamUnit},
		func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
			o, err := s.outArg(args, 0)
			if err != nil {
				return nil, err
			}
			if o.failed {
				return one(streamClosed)
			}
			return one(cabi.Ok(nil))
		})
	writeZeroes := def([]cabi.Param{selfOut, p("len", cabi.U64())}, []*cabi.Type{tStreamUnit},
		func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
			o, err := s.outArg(args, 0)
			if err != nil {
				return nil, err
			}
			n, err := argU64(args, 1)
			if err != nil {
				return nil, err
			}
			if n > writePermit {
				return nil, fmt.Errorf("write-zeroes of %d bytes, more than check-write permits (%d)", n, writePermit)
			}
			return s.write(o, make([]byte, n))
		})
	splice := def([]cabi.Param{selfOut, p("src", cabi.Borrow("input-stream")), p("len", cabi.U64())}, []*cabi.Type{tStreamU64},
		func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
			o, err := s.outArg(args, 0)
			if err != nil {
				return nil, err
			}
			in, err := s.inArg(args, 1)
			if err != nil {
				return nil, err
			}
			n, err := argU64(args, 2)
			if err != nil {
				return nil, err
			}
			if o.failed {
				return one(streamClosed)
			}
			b, rerr := in.r(int(min(n, maxRead)))
			if len(b) == 0 && rerr != nil {
				return s.readFailed(rerr)
			}
			res, err := s.write(o, b)
			if r, ok := res[0].(cabi.Result); err != nil || !ok || r.IsErr {
				return res, err
			}
			return one(cabi.Ok(uint64(len(b))))
		})
	read := def([]cabi.Param{selfIn, p("len", cabi.U64())}, []*cabi.Type{tStreamBytes},
		func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
			b, out, err := s.readSome(args, cabi.Ok([]byte{}))
			if out != nil || err != nil {
				return out, err
			}
			return one(cabi.Ok(append([]byte{}, b...)))
		})
	skip := def([]cabi.Param{selfIn, p("len", cabi.U64())}, []*cabi.Type{tStreamU64},
		func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
			b, out, err := s.readSome(args, cabi.Ok(uint64(0)))
			if out != nil || err != nil {
				return out, err
			}
			return one(cabi.Ok(uint64(len(b))))
		})
	subscribe := func(self cabi.Param, get func(*State, []cabi.Value) error) *funcDef {
		return def([]cabi.Param{self}, []*cabi.Type{cabi.Own("pollable")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				if err := get(s, args); err != nil {
					return nil, err
				}
				// Every stream here is ready at once: memory, the node's
				// writers and local files never make the guest wait.
				return s.newPollable(&pollable{})
			})
	}
	register("wasi:io/streams", []string{"input-stream", "output-stream"}, map[string]*funcDef{
		"[method]output-stream.check-write": def([]cabi.Param{selfOut}, []*cabi.Type{tStreamU64},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				o, err := s.outArg(args, 0)
				if err != nil {
					return nil, err
				}
				if o.failed {
					return one(streamClosed)
				}
				return one(cabi.Ok(uint64(writePermit)))
			}),
		"[method]output-stream.write":                           write,
		"[method]output-stream.blocking-write-and-flush":        write,
		"[method]output-stream.flush":                           flush,
		"[method]output-stream.blocking-flush":                  flush,
		"[method]output-stream.write-zeroes":                    writeZeroes,
		"[method]output-stream.blocking-write-zeroes-and-flush": writeZeroes,
		"[method]output-stream.splice":                          splice,
		"[method]output-stream.blocking-splice":                 splice,
		"[method]output-stream.subscribe": subscribe(selfOut, func(s *State, a []cabi.Value) error {
			_, err := s.outArg(a, 0)
			return err
		}),
		"[method]input-stream.read":          read,
		"[method]input-stream.blocking-read": read,
		"[method]input-stream.skip":          skip,
		"[method]input-stream.blocking-skip": skip,
		"[method]input-stream.subscribe": subscribe(selfIn, func(s *State, a []cabi.Value) error {
			_, err := s.inArg(a, 0)
			return err
		}),
	})
}

// readSome reads up to the len argument's bytes (at most maxRead) of the
// input stream args name. When there is no read to make, out is the
// call's answer instead: none, for a len of 0, or the stream's failure.
func (s *State) readSome(args []cabi.Value, none cabi.Value) (b []byte, out []cabi.Value, err error) {
	in, err := s.inArg(args, 0)
	if err != nil {
		return nil, nil, err
	}
	n, err := argU64(args, 1)
	if err != nil {
		return nil, nil, err
	}
	if n == 0 {
		out, err = one(none)
		return nil, out, err
	}
	b, rerr := in.r(int(min(n, maxRead)))
	if len(b) == 0 && rerr != nil {
		out, err = s.readFailed(rerr)
		return nil, out, err
	}
	return b, nil, nil
}

func (s *State) write(o *outputStream, b []byte) ([]cabi.Value, error) {
	if o.failed {
		return one(streamClosed)
	}
	if err := o.w(b); err != nil {
		o.failed = true
		v, err := s.streamFailed(err)
		if err != nil {
			return nil, err
		}
		return one(v)
	}
	return one(cabi.Ok(nil))
}

// readFailed is the result of a read that got nothing: closed at the end,
// last-operation-failed otherwise.
func (s *State) readFailed(err error) ([]cabi.Value, error) {
	if errors.Is(err, io.EOF) {
		return one(streamClosed)
	}
	v, err := s.streamFailed(err)
	if err != nil {
		return nil, err
	}
	return one(v)
}

func (s *State) outArg(args []cabi.Value, i int) (*outputStream, error) {
	h, err := argHandle(args, i)
	if err != nil {
		return nil, err
	}
	return getAs[*outputStream](s, h, "output-stream")
}

func (s *State) inArg(args []cabi.Value, i int) (*inputStream, error) {
	h, err := argHandle(args, i)
	if err != nil {
		return nil, err
	}
	return getAs[*inputStream](s, h, "input-stream")
}

func (s *State) errorArg(args []cabi.Value, i int) (*ioError, error) {
	h, err := argHandle(args, i)
	if err != nil {
		return nil, err
	}
	return getAs[*ioError](s, h, "error")
}
