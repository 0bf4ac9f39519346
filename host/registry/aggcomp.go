package registry

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// A workflow whose submit is WAVS's {"aggregator": {"component", …}} has
// its results routed by that aggregator component, as WAVS does: the
// node's own signed response goes through process-input; a submit action
// names the chain and handler its quorum lands on (through the same
// aggregator, with its exactly-once rules), a timer action calls
// handle-timer-callback later (persisted, so a restart fires it late
// rather than never), and once the envelope landed handle-submit-callback
// hears the transaction. Peers' signatures join the quorum of the event
// id as for any workflow: the target is this node's own component's
// choice (the usual aggregator components choose from their config alone,
// so every operator chooses the same).

// maxTimerRounds bounds the timers one event may chain (a callback asking
// for another timer).
const maxTimerRounds = 16

// aggregateResult runs the workflow's aggregator component on a stored
// result and acts on what it asks for. An error leaves the trigger
// unacknowledged (it comes back); what the component does wrong is
// recorded on the result instead.
func (r *Registry) aggregateResult(ctx context.Context, serviceID, workflowID string, wf service.Workflow, eventID service.EventID, added bool, trig engine.Trigger) error {
	res, ok, err := r.o.Store.GetResult(ctx, eventID)
	if err != nil {
		return err
	}
	if !ok || res.Status != store.StatusSigned {
		return nil // landed, failed or dropped already
	}
	if !added {
		// A redelivered event: done once already unless nothing of it is
		// pending (a stop between storing the result and acting on it).
		if _, pending, err := r.o.Store.GetSubmission(ctx, eventID); err != nil || pending {
			return err
		}
		if r.timerPending(ctx, eventID) {
			return nil
		}
	}
	tj, err := trig.MarshalJSON()
	if err != nil {
		return err
	}
	acts, err := r.callAggregator(ctx, serviceID, workflowID, wf, engine.ProcessInput, trig, res, nil, "")
	if err != nil {
		return r.aggregatorFailed(ctx, res, "process-input", err)
	}
	return r.applyActions(ctx, serviceID, workflowID, res, tj, triggerData(trig), acts, 0)
}

// callAggregator runs one export of a workflow's aggregator component
// with the event's input.
func (r *Registry) callAggregator(ctx context.Context, serviceID, workflowID string, wf service.Workflow, call engine.AggregatorCall, trig engine.Trigger, res store.ResultRecord, txHash []byte, txErr string) ([]engine.AggregatorAction, error) {
	ac := wf.Submit.AggregatorComponent
	r.mu.RLock()
	e := r.services[serviceID]
	r.mu.RUnlock()
	if e == nil {
		return nil, fmt.Errorf("service %s is not registered", serviceID)
	}
	env := map[string]string{}
	for _, k := range r.grantedEnv(serviceID, ac.Component.EnvKeys) {
		if v, ok := r.o.LookupEnv(k); ok {
			env[k] = v
		}
	}
	var limit time.Duration
	if t := ac.Component.TimeLimitSeconds; t != nil {
		limit = time.Duration(*t) * time.Second
	}
	resp := engine.Response{Payload: res.Payload, EventIDSalt: res.Salt}
	if len(res.Ordering) == 12 {
		n := new(big.Int).SetBytes(res.Ordering[:8]).Uint64()
		resp.Ordering = &n
	}
	return r.o.Engine.Aggregate(ctx, engine.AggregatorRequest{
		Request: engine.Request{
			Digest:     ac.Component.Source.WasmDigest().String(),
			ServiceID:  serviceID,
			WorkflowID: workflowID,
			Trigger:    trig,
			Config:     ac.Component.Config,
			Env:        env,
			HTTP:       ac.Component.Permissions.AllowedHTTPHosts,
			TimeLimit:  limit,
			Chains:     r.o.Chains,
			Service:    e.svc,
		},
		Call:     call,
		Response: resp,
		TxHash:   txHash,
		TxErr:    txErr,
	})
}

// aggregatorFailed records an aggregator component's failure on the
// result (it is not submitted); a stop or a node fault is returned.
func (r *Registry) aggregatorFailed(ctx context.Context, res store.ResultRecord, export string, err error) error {
	var ee *engine.ExecError
	if !errors.As(err, &ee) || ee.Cause == engine.CauseInternal || ctx.Err() != nil {
		return err
	}
	res.Status, res.Error = store.StatusFailed, fmt.Sprintf("aggregator component %s: %v", export, err)
	r.log.Warn("aggregator component failed; the result is not submitted", "event_id", "0x"+res.EventID.String(), "export", export, "error", err)
	return r.o.Store.PutResult(ctx, res)
}

// applyActions queues the submission an aggregator component asked for,
// or its timer. One event lands once, on one target: a second submit
// action is logged and left (see docs/wavs-compat.md).
func (r *Registry) applyActions(ctx context.Context, serviceID, workflowID string, res store.ResultRecord, trigJSON []byte, data sdk.TriggerData, acts []engine.AggregatorAction, round int) error {
	log := r.log.With("service", serviceID, "workflow", workflowID, "event_id", "0x"+res.EventID.String())
	var submit *engine.SubmitAction
	var timer time.Duration
	for _, a := range acts {
		switch {
		case a.Submit != nil && submit == nil:
			submit = a.Submit
		case a.Submit != nil:
			log.Warn("the aggregator component asked for another submission of the same event; this node lands an event on one target", "chain", a.Submit.Chain, "handler", sdk.Address(a.Submit.Address).Hex())
		case a.Timer > 0 && (timer == 0 || a.Timer < timer):
			timer = a.Timer
		}
	}
	switch {
	case submit != nil:
		if _, err := plugins.SubmitterNamed(r.o.Submitters, submit.Chain, r.submitPluginOf(serviceID, workflowID)); err != nil {
			return r.aggregatorFailed(ctx, res, "submit action", &engine.ExecError{Cause: engine.CauseComponent, Msg: fmt.Sprintf("it asked to submit to chain %q: %v", submit.Chain, err)})
		}
		return r.enqueueTarget(ctx, serviceID, workflowID, res.EventID, submit.Chain, sdk.Address(submit.Address).Hex(), data, func(sub *store.Submission) {
			sub.Callback, sub.Trigger, sub.Plugin = true, trigJSON, r.submitPluginOf(serviceID, workflowID)
			if submit.GasPrice != nil {
				sub.GasPrice = submit.GasPrice.String()
			}
		})
	case timer > 0:
		if round+1 > maxTimerRounds {
			return r.aggregatorFailed(ctx, res, "handle-timer-callback", &engine.ExecError{Cause: engine.CauseComponent, Msg: fmt.Sprintf("more than %d timers for one event", maxTimerRounds)})
		}
		t := store.AggTimer{EventID: res.EventID, ServiceID: serviceID, WorkflowID: workflowID, Due: time.Now().Add(timer), Trigger: trigJSON, Round: round + 1}
		if err := r.o.Store.PutAggTimer(ctx, t); err != nil {
			return err
		}
		log.Info("aggregator component asked for a timer", "delay", timer)
		r.kickTimers()
		return nil
	}
	log.Info("the aggregator component asked for nothing: the result is kept, not submitted")
	return nil
}

func (r *Registry) timerPending(ctx context.Context, eventID service.EventID) bool {
	_, ok, err := r.o.Store.GetAggTimer(ctx, eventID)
	return err == nil && ok
}

// kickTimers wakes the timer loop to look at the timers again.
func (r *Registry) kickTimers() {
	select {
	case r.timerKick <- struct{}{}:
	default:
	}
}

// runTimers fires the aggregator components' timers when due, until ctx
// is done.
func (r *Registry) runTimers(ctx context.Context) {
	for {
		next := time.Minute
		ts, err := r.o.Store.AggTimers(ctx)
		if err != nil && ctx.Err() == nil {
			r.log.Error("list aggregator timers", "error", err)
		}
		for _, t := range ts {
			if wait := time.Until(t.Due); wait > 0 {
				next = min(next, wait)
				break
			}
			r.fireTimer(ctx, t)
			if ctx.Err() != nil {
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-r.timerKick:
		case <-time.After(next):
		}
	}
}

// fireTimer calls handle-timer-callback for a due timer and acts on the
// answer; the timer is forgotten only once that is done.
func (r *Registry) fireTimer(ctx context.Context, t store.AggTimer) {
	log := r.log.With("service", t.ServiceID, "workflow", t.WorkflowID, "event_id", "0x"+t.EventID.String())
	drop := func(why string) {
		log.Info("dropping an aggregator timer: " + why)
		if err := r.o.Store.DeleteAggTimer(ctx, t.EventID); err != nil {
			log.Error("delete aggregator timer", "error", err)
		}
	}
	r.mu.RLock()
	e := r.services[t.ServiceID]
	r.mu.RUnlock()
	if e == nil {
		drop("its service is not registered")
		return
	}
	wf, ok := e.svc.Workflows[t.WorkflowID]
	if !ok || wf.Submit.AggregatorComponent == nil {
		drop("its workflow no longer has an aggregator component")
		return
	}
	res, ok, err := r.o.Store.GetResult(ctx, t.EventID)
	if err != nil {
		log.Error("read result", "error", err)
		return
	}
	if !ok || res.Status != store.StatusSigned {
		drop("its result is no longer pending")
		return
	}
	trig, err := engine.ParseTriggerJSON(t.Trigger)
	if err != nil {
		drop("its trigger does not decode: " + err.Error())
		return
	}
	acts, err := r.callAggregator(ctx, t.ServiceID, t.WorkflowID, wf, engine.TimerCallback, trig, res, nil, "")
	if err == nil {
		err = r.applyActions(ctx, t.ServiceID, t.WorkflowID, res, t.Trigger, triggerData(trig), acts, t.Round)
	} else {
		err = r.aggregatorFailed(ctx, res, "handle-timer-callback", err)
	}
	if err != nil {
		if ctx.Err() == nil {
			log.Error("aggregator timer; trying again later", "error", err)
			t.Due = time.Now().Add(10 * time.Second)
			_ = r.o.Store.PutAggTimer(ctx, t)
		}
		return
	}
	// A new timer of this event replaced this one under the same key.
	if cur, ok, err := r.o.Store.GetAggTimer(ctx, t.EventID); err == nil && ok && cur.Round > t.Round {
		return
	}
	if err := r.o.Store.DeleteAggTimer(ctx, t.EventID); err != nil {
		log.Error("delete aggregator timer", "error", err)
	}
}

// SubmitCallback tells a workflow's aggregator component how the
// submission it asked for went (handle-submit-callback): the transaction
// that landed the envelope. It runs in the background: the aggregator
// calls it from its queue. An error of the component is logged.
func (r *Registry) SubmitCallback(ctx context.Context, sub store.Submission, res store.ResultRecord) {
	r.mu.Lock()
	if r.runDone {
		r.mu.Unlock()
		return
	}
	r.callbacks.Add(1)
	r.mu.Unlock()
	go func() {
		defer r.callbacks.Done()
		log := r.log.With("service", sub.ServiceID, "workflow", sub.WorkflowID, "event_id", "0x"+sub.EventID.String())
		r.mu.RLock()
		e := r.services[sub.ServiceID]
		r.mu.RUnlock()
		if e == nil {
			return
		}
		wf, ok := e.svc.Workflows[sub.WorkflowID]
		if !ok || wf.Submit.AggregatorComponent == nil {
			return
		}
		trig, err := engine.ParseTriggerJSON(sub.Trigger)
		if err != nil {
			log.Warn("submit callback: the trigger does not decode", "error", err)
			return
		}
		var tx []byte
		txErr := ""
		if res.TxHash != (sdk.Hash{}) {
			tx = res.TxHash[:]
		} else {
			txErr = "landed (" + res.Proof + ") without a transaction this node knows"
		}
		if _, err := r.callAggregator(ctx, sub.ServiceID, sub.WorkflowID, wf, engine.SubmitCallback, trig, res, tx, txErr); err != nil {
			log.Warn("the aggregator component's handle-submit-callback failed", "error", err)
			return
		}
		log.Debug("aggregator component told of the landing", "tx", res.TxHash)
	}()
}

func trimHex(s string) string {
	if len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X") {
		return s[2:]
	}
	return s
}

// checkSignatureKinds refuses an aggregator submit whose operators would
// sign in a way this node does not: it signs secp256k1 with the EIP-191
// prefix (WAVS's evm_default).
func checkSignatureKinds(svc *service.Service) error {
	for _, wid := range sortedKeys(svc.Workflows) {
		ac := svc.Workflows[wid].Submit.AggregatorComponent
		if ac == nil {
			continue
		}
		if k := ac.SignatureKind; k != service.EVMDefaultSignatureKind() {
			return fmt.Errorf("%w: workflows.%s.submit.aggregator.signature_kind: {algorithm %q, prefix %q}: this node signs secp256k1 with the eip191 prefix only", sdk.ErrInvalidArgument, wid, k.Algorithm, k.Prefix)
		}
	}
	return nil
}

// submitPluginOf is the submit plugin a registered workflow names, or "".
func (r *Registry) submitPluginOf(serviceID, workflowID string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if e := r.services[serviceID]; e != nil {
		return e.svc.Workflows[workflowID].Plugins.Submit
	}
	return ""
}
