package engine

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"runtime/debug"
	"time"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// AggregatorCall names the export of an aggregator component a call runs.
type AggregatorCall int

const (
	// ProcessInput is process-input: an operator's signed response
	// arrived.
	ProcessInput AggregatorCall = iota
	// TimerCallback is handle-timer-callback: a timer the component asked
	// for is due.
	TimerCallback
	// SubmitCallback is handle-submit-callback: how a submission it asked
	// for went.
	SubmitCallback
)

func (c AggregatorCall) export() string {
	switch c {
	case TimerCallback:
		return timerCallbackExport
	case SubmitCallback:
		return submitCallbackExport
	}
	return processInputExport
}

// AggregatorRequest is one call of an aggregator component (world
// wavs:aggregator). The embedded Request names the component (Digest), the
// service and workflow, the trigger, the aggregator component's own Config
// and the limits, as for Execute.
type AggregatorRequest struct {
	Request
	Call AggregatorCall
	// Response is the operator response the input carries.
	Response Response
	// For SubmitCallback: the transaction that carried the submission, or
	// why it failed (TxErr non-empty).
	TxHash []byte
	TxErr  string
}

// AggregatorAction is what an aggregator component asks for: exactly one
// of Timer (> 0) and Submit is set.
type AggregatorAction struct {
	Timer  time.Duration
	Submit *SubmitAction
}

// SubmitAction sends the envelope and the operators' signatures to the
// handler Address on Chain.
type SubmitAction struct {
	Chain   string
	Address [20]byte
	// GasPrice in wei, nil for the submitter's default.
	GasPrice *big.Int
}

// maxAggregatorActions bounds the actions of one call.
const maxAggregatorActions = 64

// Aggregate calls an aggregator component once, in a fresh instance under
// the same limits as Execute, and returns the actions it asked for (none
// for SubmitCallback). Failures are *ExecError, as for Execute.
func (e *Engine) Aggregate(ctx context.Context, ar AggregatorRequest) (acts []AggregatorAction, err error) {
	defer func() {
		if p := recover(); p != nil {
			e.opts.Logger.Error("engine panic while running an aggregator component", "service_id", ar.ServiceID, "component", ar.Digest, "panic", p, "stack", string(debug.Stack()))
			acts, err = nil, &ExecError{Cause: CauseInternal, Msg: fmt.Sprintf("engine panic while running the component: %v", p)}
		}
	}()
	r := &ar.Request
	code, release, err := e.prepare(ctx, r)
	if err != nil {
		return nil, err
	}
	defer release()
	p, ok := code.(*compProgram)
	if !ok || !p.aggregator() {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "the component is not an aggregator component (world wavs:aggregator/aggregator-world@2.x, exporting process-input)"}
	}
	ex := p.agg[ar.Call.export()]
	err = e.inComponent(ctx, r, func(xctx context.Context, st *execState) error {
		args, err := aggregatorArgs(ex.fn, &ar)
		if err != nil {
			return err
		}
		v, err := e.callExport(xctx, p, ex, args)
		if err != nil {
			return err
		}
		acts, err = aggregatorActions(ex.fn.Results[0], v, ar.Call)
		return err
	})
	if err != nil {
		return nil, err
	}
	return acts, nil
}

// aggregatorArgs lowers the input (and the submission's outcome) by the
// export's own parameter types.
func aggregatorArgs(fn *cabi.Func, ar *AggregatorRequest) ([]cabi.Value, error) {
	action, err := actionTree(&ar.Request)
	if err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "trigger-action: " + err.Error(), Err: err}
	}
	resp := rec{"payload": ar.Response.Payload, "ordering": none, "event-id-salt": none}
	if resp["payload"] == nil {
		resp["payload"] = []byte{}
	}
	if ar.Response.Ordering != nil {
		resp["ordering"] = *ar.Response.Ordering
	}
	if ar.Response.EventIDSalt != nil {
		resp["event-id-salt"] = ar.Response.EventIDSalt
	}
	input, err := shape(fn.Params[0].Type, rec{"trigger-action": action, "operator-response": resp}, "aggregator-input")
	if err != nil {
		return nil, &ExecError{Cause: CauseInvalid, Msg: "the component's aggregator-input type: " + err.Error(), Err: err}
	}
	args := []cabi.Value{input}
	if ar.Call == SubmitCallback {
		var outcome any = okv{vcase{"evm", ar.TxHash}}
		if ar.TxErr != "" || ar.TxHash == nil {
			msg := ar.TxErr
			if msg == "" {
				msg = "no transaction"
			}
			outcome = errv{msg}
		}
		v, err := shape(fn.Params[1].Type, outcome, "tx-result")
		if err != nil {
			return nil, &ExecError{Cause: CauseInvalid, Msg: "the component's tx-result type: " + err.Error(), Err: err}
		}
		args = append(args, v)
	}
	return args, nil
}

// aggregatorActions reads result<list<aggregator-action>, string> (or,
// for the submit callback, result<_, string>) by case and field name.
func aggregatorActions(t *cabi.Type, v cabi.Value, call AggregatorCall) ([]AggregatorAction, error) {
	res, ok := v.(cabi.Result)
	if !ok {
		return nil, errBadResult{fmt.Errorf("%s returned %T, want a result", call.export(), v)}
	}
	if res.IsErr {
		msg, _ := res.Value.(string)
		return nil, errReported{msg}
	}
	if call == SubmitCallback {
		return nil, nil
	}
	lt := t.Cases()[0].Type
	if lt == nil || lt.Kind() != cabi.KindList {
		return nil, errBadResult{fmt.Errorf("%s's ok type %s is not a list of actions", call.export(), lt)}
	}
	items, _ := res.Value.([]cabi.Value)
	if len(items) > maxAggregatorActions {
		return nil, errBadResult{fmt.Errorf("%s returned %d actions, more than %d", call.export(), len(items), maxAggregatorActions)}
	}
	out := make([]AggregatorAction, 0, len(items))
	for i, it := range items {
		a, err := aggregatorAction(lt.Elem(), it)
		if err != nil {
			return nil, errBadResult{fmt.Errorf("action %d: %w", i, err)}
		}
		out = append(out, a)
	}
	return out, nil
}

func aggregatorAction(t *cabi.Type, v cabi.Value) (AggregatorAction, error) {
	name, ct, cv, err := variantCase(t, v)
	if err != nil {
		return AggregatorAction{}, err
	}
	switch name {
	case "timer":
		dt, dv, ok := field(ct, cv, "delay")
		if !ok {
			return AggregatorAction{}, errors.New("timer without a delay")
		}
		_, sv, ok := field(dt, dv, "secs")
		secs, isU64 := sv.(uint64)
		if !ok || !isU64 {
			return AggregatorAction{}, errors.New("timer delay without secs")
		}
		if secs == 0 || secs > uint64(maxTimerDelay/time.Second) {
			return AggregatorAction{}, fmt.Errorf("timer delay of %d s: want 1..%d", secs, uint64(maxTimerDelay/time.Second))
		}
		return AggregatorAction{Timer: time.Duration(secs) * time.Second}, nil
	case "submit":
		sname, st, sv, err := variantCase(ct, cv)
		if err != nil {
			return AggregatorAction{}, err
		}
		if sname != "evm" {
			return AggregatorAction{}, fmt.Errorf("submit action %q: this node submits to EVM chains only", sname)
		}
		return evmSubmit(st, sv)
	}
	return AggregatorAction{}, fmt.Errorf("unknown action %q (want timer or submit)", name)
}

// maxTimerDelay bounds a timer an aggregator component may ask for.
const maxTimerDelay = 24 * time.Hour

func evmSubmit(t *cabi.Type, v cabi.Value) (AggregatorAction, error) {
	s := &SubmitAction{}
	_, cv, ok := field(t, v, "chain")
	if s.Chain, _ = cv.(string); !ok || s.Chain == "" {
		return AggregatorAction{}, errors.New("evm submit action without a chain")
	}
	at, av, ok := field(t, v, "address")
	if !ok {
		return AggregatorAction{}, errors.New("evm submit action without an address")
	}
	_, rv, _ := field(at, av, "raw-bytes")
	raw, _ := rv.([]byte)
	if len(raw) != 20 {
		return AggregatorAction{}, fmt.Errorf("evm submit action address of %d bytes, want 20", len(raw))
	}
	copy(s.Address[:], raw)
	if gt, gv, ok := field(t, v, "gas-price"); ok {
		if o, ok := gv.(cabi.Option); ok && o.Some {
			p, err := u128Of(gt.Elem(), o.Value)
			if err != nil {
				return AggregatorAction{}, fmt.Errorf("gas price: %w", err)
			}
			s.GasPrice = p
		}
	}
	return AggregatorAction{Submit: s}, nil
}

// u128Of reads WAVS's u128 record: value = tuple<u64, u64>, low then high.
func u128Of(t *cabi.Type, v cabi.Value) (*big.Int, error) {
	_, tv, ok := field(t, v, "value")
	tup, isRec := tv.(cabi.Record)
	if !ok || !isRec || len(tup.Fields) != 2 {
		return nil, fmt.Errorf("not a u128 record (value: tuple<u64, u64>)")
	}
	lo, ok1 := tup.Fields[0].(uint64)
	hi, ok2 := tup.Fields[1].(uint64)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("u128 halves are not u64")
	}
	n := new(big.Int).SetUint64(hi)
	n.Lsh(n, 64)
	return n.Or(n, new(big.Int).SetUint64(lo)), nil
}

// variantCase is the case name, payload type and payload of a variant.
func variantCase(t *cabi.Type, v cabi.Value) (string, *cabi.Type, cabi.Value, error) {
	vv, ok := v.(cabi.Variant)
	if !ok || t.Kind() != cabi.KindVariant || int(vv.Case) >= len(t.Cases()) {
		return "", nil, nil, fmt.Errorf("%T is not a variant of %s", v, t)
	}
	c := t.Cases()[vv.Case]
	return c.Name, c.Type, vv.Value, nil
}
