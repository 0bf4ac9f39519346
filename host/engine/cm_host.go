package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/cabi"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/redact"
)

// hostHandler serves one function of the host or key-value interfaces:
// it gets the lifted arguments and returns the result described by name
// (see shape), or nil for a function without results. An error traps the
// guest.
type hostHandler func(ctx context.Context, st *execState, f *cabi.Func, args []cabi.Value) (any, error)

// maxHostArgBytes bounds what one host call may lift out of guest memory.
const maxHostArgBytes = 4 << 20

// hostTrap is the panic value a host function raises to trap its guest;
// wazero turns it into the guest call's error.
type hostTrap struct {
	fn  string
	err error
}

func (t hostTrap) Error() string { return "host function " + t.fn + ": " + t.err.Error() }

// hostResolver implements the component's host functions: the WAVS host
// interface and key-value here, WASI through Options.WASI.
func (e *Engine) hostResolver(conv *typeConv) component.HostResolver {
	return func(h *component.HostFunc, sig component.CoreFuncType) (component.HostImpl, error) {
		kind := ifaceOf(h.Import)
		switch kind {
		case ifaceHost, ifaceKVStore, ifaceKVAtomics, ifaceKVBatch:
			if h.Kind == component.CoreFuncResourceDrop {
				return dropHandle(h), nil
			}
			if h.Kind != component.CoreFuncLower {
				return nil, fmt.Errorf("%s of %s: %w", h.Kind, h, errNotServed)
			}
			handlers := hostHandlers
			if kind != ifaceHost {
				handlers = kvHandlers
			}
			fn, ok := handlers[h.Func]
			if !ok {
				return nil, fmt.Errorf("%s: %w", h, errNotServed)
			}
			return lowered(h, sig, conv, fn)
		}
		impl, ok, err := e.opts.WASI.Resolve(h, sig)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%s: %w", h, errNotServed)
		}
		return impl, nil
	}
}

// lowered adapts fn to the core calling convention of h: it lifts the
// arguments from the guest, runs fn and lowers its result, all through
// the canonical ABI shaped by h's own type.
func lowered(h *component.HostFunc, sig component.CoreFuncType, conv *typeConv, fn hostHandler) (component.HostImpl, error) {
	f, err := conv.funcOf(h.Type)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h, err)
	}
	ps, rs := f.CoreSignature(cabi.Lower)
	if !sameCore(ps, sig.Params) || !sameCore(rs, sig.Results) {
		return nil, fmt.Errorf("%s: core signature does not match its type %s", h, h.Type)
	}
	name := h.String()
	enc := h.Options.StringEncoding
	return func(ctx context.Context, call *component.HostCall, stack []uint64) {
		st := stateFrom(ctx)
		if st == nil || st.comp == nil {
			panic(hostTrap{name, fmt.Errorf("called outside an execution")})
		}
		var mem cabi.Memory = noMemory{}
		if call.Memory != nil {
			mem = call.Memory
		}
		g := &cabi.Guest{Memory: mem, Encoding: enc, MaxBytes: maxHostArgBytes}
		if call.Realloc != nil {
			g.Realloc = cabi.WazeroRealloc(call.Realloc)
		}
		args := slices.Clone(stack[:len(ps)])
		vals, err := g.LiftParams(f, args)
		if err != nil {
			panic(hostTrap{name, err})
		}
		out, err := fn(ctx, st, f, vals)
		if err != nil {
			panic(hostTrap{name, err})
		}
		var rv []cabi.Value
		if len(f.Results) == 1 {
			v, err := shape(f.Results[0], out, h.Func)
			if err != nil {
				panic(hostTrap{name, err})
			}
			rv = []cabi.Value{v}
		}
		res, err := g.LowerResults(ctx, f, args, rv)
		if err != nil {
			panic(hostTrap{name, err})
		}
		copy(stack, res)
	}, nil
}

// noMemory stands in for the memory of a call whose canon options name
// none: any access is out of bounds, an error rather than a nil pointer.
type noMemory struct{}

func (noMemory) Size() uint32                       { return 0 }
func (noMemory) Read(uint32, uint32) ([]byte, bool) { return nil, false }
func (noMemory) Write(uint32, []byte) bool          { return false }

func sameCore(want []cabi.CoreType, got []byte) bool {
	if len(want) != len(got) {
		return false
	}
	for i, w := range want {
		if byte(cabi.WazeroCoreType(w)) != got[i] {
			return false
		}
	}
	return true
}

// dropHandle is [resource-drop] of a resource the host hands out.
func dropHandle(h *component.HostFunc) component.HostImpl {
	return func(ctx context.Context, _ *component.HostCall, stack []uint64) {
		if st := stateFrom(ctx); st != nil && st.comp != nil {
			st.comp.drop(uint32(stack[0]))
		}
	}
}

// hostHandlers serve the world's `host` interface, by function name.
var hostHandlers map[string]hostHandler

func init() {
	hostHandlers = map[string]hostHandler{
		"config-var":              hostConfigVar,
		"log":                     hostCompLog,
		"get-service":             hostGetService,
		"get-workflow":            hostGetWorkflow,
		"get-event-id":            hostGetEventID,
		"get-evm-chain-config":    hostEvmChainConfig,
		"get-cosmos-chain-config": func(context.Context, *execState, *cabi.Func, []cabi.Value) (any, error) { return none, nil },
	}
}

func argString(args []cabi.Value, i int) (string, error) {
	if i >= len(args) {
		return "", fmt.Errorf("missing argument %d", i)
	}
	s, ok := args[i].(string)
	if !ok {
		return "", fmt.Errorf("argument %d is %T, want a string", i, args[i])
	}
	return s, nil
}

// config-var: a value of the workflow component's config map.
func hostConfigVar(_ context.Context, st *execState, _ *cabi.Func, args []cabi.Value) (any, error) {
	key, err := argString(args, 0)
	if err != nil {
		return nil, err
	}
	if v, ok := st.comp.req.Config[key]; ok {
		return v, nil
	}
	return none, nil
}

// log: into the node's log with the service and workflow ids, capped like
// the wasip1 log().
func hostCompLog(_ context.Context, st *execState, f *cabi.Func, args []cabi.Value) (any, error) {
	msg, err := argString(args, 1)
	if err != nil {
		return nil, err
	}
	level := hclog.Info
	if v, ok := args[0].(cabi.Variant); ok && int(v.Case) < len(f.Params[0].Type.Cases()) {
		level = logLevelNamed(f.Params[0].Type.Cases()[v.Case].Name)
	} else if v, ok := args[0].(cabi.Enum); ok && int(v) < len(f.Params[0].Type.Cases()) {
		level = logLevelNamed(f.Params[0].Type.Cases()[v].Name)
	}
	st.logLine(level, msg)
	return nil, nil
}

func logLevelNamed(name string) hclog.Level {
	switch name {
	case "error":
		return hclog.Error
	case "warn":
		return hclog.Warn
	case "debug":
		return hclog.Debug
	case "trace":
		return hclog.Trace
	}
	return hclog.Info
}

// logLine logs one component message within the execution's log budget.
func (st *execState) logLine(level hclog.Level, msg string) {
	cut := len(msg) > maxLogMessage
	if cut {
		msg = msg[:maxLogMessage]
	}
	if len(msg) > st.logBudget {
		if st.logBudget >= 0 {
			st.log.Warn("component log: dropping further messages", "limit_bytes", maxLogBytes)
			st.logBudget = -1
		}
		return
	}
	st.logBudget -= len(msg)
	text := strings.ToValidUTF8(msg, "?")
	if cut {
		text += " [cut]"
	}
	st.log.Log(level, text)
}

func hostGetService(_ context.Context, st *execState, _ *cabi.Func, _ []cabi.Value) (any, error) {
	svc, err := serviceTree(st.comp.req)
	if err != nil {
		return nil, err
	}
	return rec{"service": svc, "workflow-id": st.comp.req.WorkflowID}, nil
}

func hostGetWorkflow(_ context.Context, st *execState, _ *cabi.Func, _ []cabi.Value) (any, error) {
	r := st.comp.req
	wf, err := workflowTree(requestService(r).Workflows[r.WorkflowID])
	if err != nil {
		return nil, err
	}
	return rec{"workflow": wf, "workflow-id": r.WorkflowID}, nil
}

// get-event-id: the id the node gives a response with this salt; with
// none, the id of a response without a salt (salted with the trigger
// data, Trigger.WAVSTriggerData).
func hostGetEventID(_ context.Context, st *execState, _ *cabi.Func, args []cabi.Value) (any, error) {
	r := st.comp.req
	var salt []byte
	if o, ok := args[0].(cabi.Option); ok && o.Some {
		b, ok := o.Value.([]byte)
		if !ok {
			return nil, fmt.Errorf("salt is %T, want bytes", o.Value)
		}
		salt = b
	} else {
		var err error
		if salt, err = r.Trigger.WAVSTriggerData(); err != nil {
			return nil, err
		}
	}
	id, err := service.NewEventID(r.ServiceID, r.WorkflowID, salt)
	if err != nil {
		return nil, err
	}
	return id[:], nil
}

// get-evm-chain-config: the node's configuration of an EVM chain, with
// its endpoints redacted (a component must not learn RPC credentials).
func hostEvmChainConfig(_ context.Context, st *execState, _ *cabi.Func, args []cabi.Value) (any, error) {
	key, err := argString(args, 0)
	if err != nil {
		return nil, err
	}
	c, ok := st.comp.req.Chains[key]
	if !ok || !strings.HasPrefix(key, "evm:") {
		return none, nil
	}
	ws := make([]string, len(c.WSEndpoints))
	for i, u := range c.WSEndpoints {
		ws[i] = redact.URL(u)
	}
	var httpEP any = none
	if c.HTTPEndpoint != "" {
		httpEP = redact.URL(c.HTTPEndpoint)
	}
	chainID := c.ChainID
	if chainID == "" {
		chainID = strings.TrimPrefix(key, "evm:")
	}
	return rec{"chain-id": chainID, "ws-endpoints": ws, "http-endpoint": httpEP}, nil
}
