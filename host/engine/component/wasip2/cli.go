package wasip2

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/sys"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

func init() {
	register("wasi:cli/environment", nil, map[string]*funcDef{
		"get-environment": def(nil, []*cabi.Type{cabi.ListOf(cabi.TupleOf(cabi.String(), cabi.String()))},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				out := make([]cabi.Value, len(s.cfg.Env))
				for i, kv := range s.cfg.Env {
					out[i] = cabi.Fields(kv[0], kv[1])
				}
				return one(out)
			}),
		"get-arguments": def(nil, []*cabi.Type{cabi.ListOf(cabi.String())},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				out := make([]cabi.Value, len(s.cfg.Args))
				for i, a := range s.cfg.Args {
					out[i] = a
				}
				return one(out)
			}),
		"initial-cwd": def(nil, []*cabi.Type{cabi.OptionOf(cabi.String())},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				if s.cfg.Dir != "" {
					return one(cabi.Some("/"))
				}
				return one(cabi.None())
			}),
	})
	register("wasi:cli/exit", nil, map[string]*funcDef{
		"exit": def([]cabi.Param{p("status", cabi.ResultOf(nil, nil))}, nil,
			func(_ context.Context, _ *State, args []cabi.Value) ([]cabi.Value, error) {
				r, ok := args[0].(cabi.Result)
				if !ok {
					return nil, fmt.Errorf("argument 0 is not a result")
				}
				if r.IsErr {
					return nil, sys.NewExitError(1)
				}
				return nil, sys.NewExitError(0)
			}),
		"exit-with-code": def([]cabi.Param{p("status-code", cabi.U8())}, nil,
			func(_ context.Context, _ *State, args []cabi.Value) ([]cabi.Value, error) {
				c, err := argU8(args, 0)
				if err != nil {
					return nil, err
				}
				return nil, sys.NewExitError(uint32(c))
			}),
	})
	register("wasi:cli/stdin", nil, map[string]*funcDef{
		"get-stdin": def(nil, []*cabi.Type{cabi.Own("input-stream")},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				h, err := s.newInputStream(&inputStream{r: s.stdin.read})
				if err != nil {
					return nil, err
				}
				return one(h)
			}),
	})
	register("wasi:cli/stdout", nil, map[string]*funcDef{
		"get-stdout": def(nil, []*cabi.Type{cabi.Own("output-stream")},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				return s.writerHandle(s.stdout)
			}),
	})
	register("wasi:cli/stderr", nil, map[string]*funcDef{
		"get-stderr": def(nil, []*cabi.Type{cabi.Own("output-stream")},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				return s.writerHandle(s.stderr)
			}),
	})
	// No terminal: the terminal-* getters return none, so the resources
	// exist only to be named (and dropped).
	register("wasi:cli/terminal-input", []string{"terminal-input"}, map[string]*funcDef{})
	register("wasi:cli/terminal-output", []string{"terminal-output"}, map[string]*funcDef{})
	noTerminal := func(res string) *funcDef {
		return def(nil, []*cabi.Type{cabi.OptionOf(cabi.Own(res))},
			func(context.Context, *State, []cabi.Value) ([]cabi.Value, error) { return one(cabi.None()) })
	}
	register("wasi:cli/terminal-stdin", nil, map[string]*funcDef{"get-terminal-stdin": noTerminal("terminal-input")})
	register("wasi:cli/terminal-stdout", nil, map[string]*funcDef{"get-terminal-stdout": noTerminal("terminal-output")})
	register("wasi:cli/terminal-stderr", nil, map[string]*funcDef{"get-terminal-stderr": noTerminal("terminal-output")})
}

// writerHandle is a new output-stream handle on one of the execution's
// writers. Every stream on stdout shares one writer, so a failure closes
// them all.
func (s *State) writerHandle(o *outputStream) ([]cabi.Value, error) {
	h, err := s.newOutputStream(o)
	if err != nil {
		return nil, err
	}
	return one(h)
}
