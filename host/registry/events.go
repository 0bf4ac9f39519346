package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/backoff"
	"github.com/wavs-go/wavs/sdk"
)

// laneBuffer is how many events of one trigger wait for their turn before
// the plugin's stream is held back.
const laneBuffer = 64

// ackTimeout bounds the acknowledgement of one event.
const ackTimeout = 10 * time.Second

type event struct {
	plugin *plugins.Trigger
	ev     sdk.TriggerEvent
}

// Run handles trigger events until ctx is done. Up to laneWorkers events
// of one trigger are handled at once, and acknowledged in the order they
// came (acknowledging a cursor covers every event before it, so an event
// is acknowledged only once every earlier one of its trigger is stored);
// different triggers run side by side. All of it is bounded by the
// engine's concurrency limit.
func (r *Registry) Run(ctx context.Context) {
	r.mu.Lock()
	r.runCtx = ctx
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.runDone = true
		r.mu.Unlock()
		r.sims.Wait()
		r.callbacks.Wait()
	}()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.runTimers(ctx)
	}()
	ls := &lanes{idle: r.laneIdle, run: func(ctx context.Context, tid string, ch <-chan event, idle time.Duration, retire func() bool) {
		workers := laneWorkers
		if _, wid, _ := strings.Cut(tid, "/"); wid == managerWatch {
			workers = 1 // service updates apply one at a time
		}
		r.runLane(ctx, ch, workers, idle, retire)
	}}
	defer ls.wait()
	for _, t := range r.o.Triggers {
		wg.Add(1)
		go func(t *plugins.Trigger) {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case ev := <-t.Events():
					if !ls.send(ctx, ev.TriggerID, event{plugin: t, ev: ev}) {
						return
					}
				}
			}
		}(t)
	}
	wg.Wait()
}

// laneWorkers is how many events of one trigger are handled at once: a
// component's run, its signature and the syncs of its stored result
// overlap with the next event's instead of waiting for them.
const laneWorkers = 8

// runLane handles the events of one trigger, up to workers at once, and
// acknowledges them in the order they came. An event whose result could
// not be stored runs again after a pause, holding back the
// acknowledgements after it; when the node stops, nothing after an
// unfinished event is acknowledged (the plugin sends them all again).
// Once every event it took is acknowledged (or dropped) and none came for
// idle, it ends if retire agrees (nothing is on its way to it).
func (r *Registry) runLane(ctx context.Context, ch <-chan event, workers int, idle time.Duration, retire func() bool) {
	type slot struct {
		e    event
		done chan handled
	}
	order := make(chan slot, workers)
	var (
		wg       sync.WaitGroup
		inFlight atomic.Int64 // taken and not yet acknowledged or dropped
	)
	defer wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for s := range order {
			var h handled
			select {
			case h = <-s.done:
			case <-ctx.Done():
				return
			}
			if h.ack {
				// Nothing behind it: the cursor may wait for the next
				// event's commit. Events behind it: they wait for this
				// acknowledgement, so it commits at once.
				r.ack(ctx, s.e.plugin, s.e.ev, h.keep, len(order) == 0)
			} else if ctx.Err() != nil {
				return
			} // else acknowledged elsewhere, or dropped unacknowledged
			inFlight.Add(-1)
		}
	}()
	defer close(order)
	quiet := time.NewTimer(idle)
	defer quiet.Stop()
	for {
		var e event
		select {
		case <-ctx.Done():
			return
		case e = <-ch:
		case <-quiet.C:
			if inFlight.Load() == 0 && retire() {
				return
			}
			quiet.Reset(idle)
			continue
		}
		quiet.Reset(idle)
		inFlight.Add(1)
		s := slot{e: e, done: make(chan handled, 1)}
		select {
		case order <- s: // waits while workers events are in flight
		case <-ctx.Done():
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.done <- r.handleUntilStored(ctx, e)
		}()
	}
}

// handleUntilStored handles an event, again after a pause while its
// result cannot be stored or queued (a full disk, say), until the node
// stops.
func (r *Registry) handleUntilStored(ctx context.Context, e event) handled {
	for tries := 0; ; tries++ {
		h := r.handle(ctx, e.plugin, e.ev)
		if !h.retry {
			return h
		}
		pause := backoff.Doubling(time.Second, 30*time.Second, tries)
		r.log.Warn("an event's result could not be stored; trying again", "trigger", e.ev.TriggerID, "cursor", e.ev.Cursor, "in", pause)
		select {
		case <-ctx.Done():
			return handled{}
		case <-time.After(pause):
		}
	}
}

// handle turns one event into stored, signed results, then acknowledges
// it. When the node is stopping mid-way the event is not acknowledged, so
// the plugin sends it again after the restart; results already stored are
// not stored twice (their event ids are the same).
func (r *Registry) handle(ctx context.Context, plugin *plugins.Trigger, ev sdk.TriggerEvent) (h handled) {
	// Service URI updates (uriwatch.go): a manager's ServiceURIUpdated is
	// handled there, and an update of the service waits for this event.
	release, done := r.updateGate(ctx, plugin, ev)
	defer release()
	if done {
		return handled{} // acknowledged there, or not at all
	}
	log := r.log.With("trigger", ev.TriggerID, "cursor", ev.Cursor)
	b := r.binding(ev.TriggerID)
	if b.ready != nil {
		// An event of a trigger whose service is still being activated
		// (a plugin fires catch-up events as soon as it has the trigger)
		// waits for the activation, rather than being dropped.
		select {
		case <-b.ready:
		case <-ctx.Done():
			return handled{}
		}
		b = r.binding(ev.TriggerID)
	}
	r.mu.RLock()
	e := r.services[b.serviceID]
	r.mu.RUnlock()
	if b.plugin == nil || e == nil {
		log.Debug("event for a trigger no service has; dropping it")
		return handled{ack: true, keep: false}
	}
	if e.svc.Status == service.StatusPaused {
		log.Debug("service is paused; dropping event")
		return handled{ack: true, keep: true}
	}
	if e.health.skip() {
		log.Debug("service is marked failed; skipping event")
		if sk, ok := r.o.Observer.(skipper); ok {
			sk.Skipped(e.id)
		}
		return handled{ack: true, keep: true}
	}
	r.o.Observer.TriggerReceived(e.id)
	trig, err := engineTrigger(ev.Data)
	if err != nil {
		r.fail(ctx, e.id, log, fmt.Errorf("workflow %s: %w", b.workflowID, err))
		return handled{ack: true, keep: true}
	}
	if _, again, _ := r.fire(ctx, log, e, b.workflowID, trig, ev.Cursor); again {
		// Not acknowledged: the lane runs it again (or, when the node is
		// stopping, the plugin sends it again after the restart).
		return handled{retry: ctx.Err() == nil}
	}
	return handled{ack: true, keep: true}
}

// handled is what became of an event: acknowledge it (storing its cursor
// when keep), run it again (a result could not be stored or queued), or
// neither (the node is stopping, or it was acknowledged elsewhere).
type handled struct {
	ack, keep, retry bool
}

// fire runs one firing of a workflow: the component, then for each of
// its responses the event id, the signature, the stored result and its
// submission. It returns the event ids (hex, without 0x) of the results
// stored, again = true when the firing must come again (the node is
// stopping, or a result could not be signed, stored or queued), and what
// went wrong, already recorded as the service's latest problem: the
// execution's error, or a response's.
func (r *Registry) fire(ctx context.Context, log hclog.Logger, e *entry, workflowID string, trig engine.Trigger, cursor string) (ids []service.EventID, again bool, problem error) {
	wf := e.svc.Workflows[workflowID]
	env := map[string]string{}
	for _, k := range r.grantedEnv(e.id, wf.Component.EnvKeys) {
		if v, ok := r.o.LookupEnv(k); ok {
			env[k] = v
		}
	}
	var limit time.Duration
	if t := wf.Component.TimeLimitSeconds; t != nil {
		limit = time.Duration(*t) * time.Second
	}
	start := time.Now()
	resps, err := r.execute(ctx, engine.Request{
		Digest:     wf.Component.Source.WasmDigest().String(),
		ServiceID:  e.id,
		WorkflowID: workflowID,
		Trigger:    trig,
		Config:     wf.Component.Config,
		Env:        env,
		HTTP:       wf.Component.Permissions.AllowedHTTPHosts,
		TimeLimit:  limit,
		Chains:     r.o.Chains,
		Service:    e.svc,
	})
	if err != nil && ctx.Err() != nil {
		return nil, true, err // stopping: the plugin sends the event again
	}
	r.o.Observer.Executed(e.id, time.Since(start), err)
	if err != nil {
		err = fmt.Errorf("workflow %s: %w", workflowID, err)
		r.fail(ctx, e.id, log, err)
		r.recordOutcome(ctx, e, err)
		return nil, false, err
	}
	r.recordOutcome(ctx, e, nil)
	var problems []error
	failed := func(err error) {
		r.fail(ctx, e.id, log, err)
		problems = append(problems, err)
	}
	for i, resp := range resps {
		salt := resp.EventIDSalt
		if salt == nil && i > 0 {
			// WAVS would give it the id of the first: the operator world
			// asks a component to salt each of several responses.
			failed(fmt.Errorf("workflow %s: response %d of %d has no event-id-salt: a component answering more than one response must salt each (all but the first are dropped otherwise)", workflowID, i, len(resps)))
			continue
		}
		if salt == nil {
			if salt, err = trig.WAVSTriggerData(); err != nil {
				failed(fmt.Errorf("workflow %s: event id: %w", workflowID, err))
				continue
			}
		}
		eid, err := service.NewEventID(e.id, workflowID, salt)
		if err != nil {
			failed(fmt.Errorf("workflow %s: event id: %w", workflowID, err))
			continue
		}
		envelope := sdk.Envelope{EventID: eid, Ordering: service.Ordering(resp.Ordering), Payload: resp.Payload}
		sig, err := r.sign(e.key, envelope)
		if err != nil {
			// Not the event's fault: it comes again rather than be
			// acknowledged without its result.
			err = fmt.Errorf("workflow %s: sign: %w", workflowID, err)
			r.fail(ctx, e.id, log, err)
			log.Error("cannot sign the result; the event stays unacknowledged", "error", err)
			return ids, true, errors.Join(append(problems, err)...)
		}
		r.o.Observer.Signed(e.id)
		rec := store.ResultRecord{
			EventID: eid, ServiceID: e.id, WorkflowID: workflowID,
			Payload: resp.Payload, Ordering: orderingBytes(envelope.Ordering), Salt: resp.EventIDSalt, Signer: e.key.Address(), Signature: sig,
			TriggerCursor: cursor, Status: store.StatusSigned,
		}
		if !wf.Submit.IsNone() && r.o.Aggregator != nil {
			r.o.Aggregator.Announce(ctx, rec)
		}
		if agg := wf.Submit.Aggregator; agg != nil && wf.Submit.AggregatorComponent == nil && r.o.Aggregator != nil {
			// Stored and queued in one transaction.
			sub := submissionFor(e.id, workflowID, rec.EventID, agg.Chain, agg.Handler(), triggerData(trig))
			sub.Plugin = wf.Plugins.Submit
			added, err := r.o.Aggregator.EnqueueResult(ctx, rec, sub)
			if err != nil {
				log.Error("cannot store the result and queue it for submission; the event stays unacknowledged", "error", err)
				return ids, true, errors.Join(append(problems, fmt.Errorf("store result and queue it for submission: %w", err))...)
			}
			if added {
				log.Info("result signed", "service", e.id, "workflow", workflowID, "event_id", "0x"+rec.EventID.String(), "bytes", len(resp.Payload), "took", time.Since(start).Round(time.Microsecond))
			}
			ids = append(ids, rec.EventID)
			continue
		}
		added, err := r.o.Store.AddResult(ctx, rec)
		if err != nil {
			log.Error("cannot store result; the event stays unacknowledged", "error", err)
			return ids, true, errors.Join(append(problems, fmt.Errorf("store result: %w", err))...)
		}
		if added {
			log.Info("result signed", "service", e.id, "workflow", workflowID, "event_id", "0x"+eid.String(), "bytes", len(resp.Payload), "took", time.Since(start).Round(time.Microsecond))
		}
		if err := r.enqueue(ctx, e.id, workflowID, wf, eid, added, trig); err != nil {
			log.Error("cannot queue the result for submission; the event stays unacknowledged", "error", err)
			return ids, true, errors.Join(append(problems, fmt.Errorf("queue result for submission: %w", err))...)
		}
		ids = append(ids, eid)
	}
	return ids, false, errors.Join(problems...)
}

// triggerData is the plugin's form of an engine trigger.
func triggerData(t engine.Trigger) sdk.TriggerData {
	switch {
	case t.Raw != nil:
		return &sdk.RawData{Data: t.Raw}
	case t.EvmLog != nil:
		return t.EvmLog
	case t.Block != nil:
		return t.Block
	case t.Cron != nil:
		return t.Cron
	default:
		return nil
	}
}

// ack stores the trigger's cursor (with soon, in the next commit of
// another write, store.PutCursorSoon), then tells the plugin.
func (r *Registry) ack(ctx context.Context, plugin *plugins.Trigger, ev sdk.TriggerEvent, keep, soon bool) {
	if keep {
		put := r.o.Store.PutCursor
		if soon {
			put = r.o.Store.PutCursorSoon
		}
		if err := put(ctx, ev.TriggerID, ev.Cursor); err != nil && !errors.Is(err, store.ErrNotFound) {
			r.log.Error("store cursor", "trigger", ev.TriggerID, "error", err)
			return
		}
	}
	actx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if err := r.ackTrigger(actx, plugin, ev.TriggerID, ev.Cursor); err != nil {
		r.log.Warn("ack", "trigger", ev.TriggerID, "error", err)
	}
}

// fail records a service's latest problem.
func (r *Registry) fail(ctx context.Context, id string, log interface{ Error(string, ...any) }, err error) {
	log.Error("execution failed", "service", id, "cause", engine.CauseOf(err).String(), "error", err)
	rec, ok, gerr := r.o.Store.GetService(ctx, id)
	if gerr != nil || !ok || markedFailed(rec) {
		return // a failed service keeps the cause it was marked with
	}
	rec.LastError = err.Error()
	if perr := r.o.Store.PutService(ctx, rec); perr != nil {
		r.log.Error("record service error", "service", id, "error", perr)
	}
}

// enqueue hands a stored result to the aggregator when its workflow
// submits on chain: to its handler, or, for a workflow with an aggregator
// component, where that component says (aggregateResult). A result stored
// before (a redelivered event) is queued again unless it has landed:
// queueing is idempotent, and the handler rejects a second landing of one
// event anyway.
func (r *Registry) enqueue(ctx context.Context, serviceID, workflowID string, wf service.Workflow, eventID service.EventID, added bool, trig engine.Trigger) error {
	if r.o.Aggregator == nil {
		return nil
	}
	if wf.Submit.AggregatorComponent != nil {
		return r.aggregateResult(ctx, serviceID, workflowID, wf, eventID, added, trig)
	}
	agg := wf.Submit.Aggregator
	if agg == nil {
		return nil
	}
	if !added {
		rec, ok, err := r.o.Store.GetResult(ctx, eventID)
		if err != nil {
			return err
		}
		if ok && rec.Status != store.StatusSigned {
			return nil
		}
	}
	return r.enqueueTarget(ctx, serviceID, workflowID, eventID, agg.Chain, agg.Handler(), triggerData(trig), func(sub *store.Submission) {
		sub.Plugin = wf.Plugins.Submit
	})
}

// enqueueTarget queues a result for the handler on chain; with, if set,
// adds to the submission.
func (r *Registry) enqueueTarget(ctx context.Context, serviceID, workflowID string, eventID service.EventID, chain, handler string, trigger sdk.TriggerData, with func(*store.Submission)) error {
	sub := submissionFor(serviceID, workflowID, eventID, chain, handler, trigger)
	if with != nil {
		with(&sub)
	}
	return r.o.Aggregator.Enqueue(ctx, sub)
}

// submissionFor is the submission of a result to handler on chain.
func submissionFor(serviceID, workflowID string, eventID service.EventID, chain, handler string, trigger sdk.TriggerData) store.Submission {
	sub := store.Submission{
		EventID: eventID, ServiceID: serviceID, WorkflowID: workflowID,
		Chain: chain, Handler: handler,
	}
	// Where the trigger happened bounds where its landing can be.
	switch d := trigger.(type) {
	case *sdk.EvmLog:
		// The log's block hash: a log whose block a reorg replaced is gone
		// (the same transaction in another block is another event).
		sub.TriggerChain, sub.TriggerBlock = d.Chain, d.BlockNumber
		if d.BlockHash != (sdk.Hash{}) {
			sub.TriggerHash = d.BlockHash
		}
	case *sdk.BlockTick:
		// No hash: a block-interval firing is its height, which a reorg
		// does not take away (its event id has no hash either).
		sub.TriggerChain, sub.TriggerBlock = d.Chain, d.BlockNumber
	}
	return sub
}

// orderingBytes is an envelope ordering as stored: none when zero.
func orderingBytes(o [12]byte) []byte {
	if o == ([12]byte{}) {
		return nil
	}
	return o[:]
}
