package aggregator

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// A landing is watched until its block is final: a reorg can take the
// transaction out of the chain after its receipt said it succeeded. The
// watch looks at the transaction now and then (sooner at first, then
// less often); when two looks in a row find it neither in a block nor in
// the pool, the node checks that the trigger's block is still on the
// chain and, if it is, queues the result again (status back to "signed")
// so that it lands again; if the trigger went with the reorg, the result
// is marked "reorged" and never sent: it answers an event that no longer
// happened.
//
// A transaction the reorg put back in the pool is waited for, never sent
// a second time: a second transaction could land the event twice on a
// handler that accepts replays.

// Result statuses set by the landing watch (store's).
const (
	StatusReorged = store.StatusReorged
	StatusSigned  = store.StatusSigned
)

const (
	// goneLooks is how many looks in a row must find a transaction
	// nowhere before it counts as undone (a node that is catching up
	// with a reorg may briefly know neither the block nor the pool).
	goneLooks = 2
	// triggerDeep is how many blocks below the head a trigger must be
	// before a submission stops checking, at its turn, that the trigger's
	// block is still on the chain.
	triggerDeep = 128
	// watchMaxAge is how long a landing found on chain is watched at
	// most.
	watchMaxAge = 24 * time.Hour
)

// newWatch is the watch of a landing proven by a transaction (nil for a
// landing proven otherwise: there is no transaction to look at).
func (a *Aggregator) newWatch(sub store.Submission, p proof) *store.Watch {
	if p.tx == (sdk.Hash{}) {
		return nil
	}
	return &store.Watch{
		EventID: sub.EventID, ServiceID: sub.ServiceID, WorkflowID: sub.WorkflowID,
		Chain: sub.Chain, Handler: sub.Handler, Plugin: sub.Plugin, TxHash: p.tx, Block: p.block,
		TriggerChain: sub.TriggerChain, TriggerBlock: sub.TriggerBlock, TriggerHash: sub.TriggerHash,
		NextCheck: time.Now().Add(a.o.WatchInterval), Interval: a.o.WatchInterval,
	}
}

// watch looks at the due landing watches (every second or half a
// WatchInterval, whichever is shorter) until ctx is done.
func (a *Aggregator) watch(ctx context.Context) {
	t := time.NewTicker(min(time.Second, a.o.WatchInterval/2))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := a.loadWatches(ctx); err != nil {
			if ctx.Err() == nil {
				a.log.Error("list landing watches", "error", err)
			}
			continue
		}
		a.mu.Lock()
		hurried := a.hurried
		a.hurried = map[service.EventID]bool{}
		a.mu.Unlock()
		a.checkDue(ctx, a.dueWatches(time.Now(), hurried))
	}
}

// watchLooks bounds the landing watches looked at at once: their chain
// reads overlap, and their writes share the store's commits.
const watchLooks = 8

// checkDue looks at the due watches ids, watchLooks at a time, and
// returns when every look is done.
func (a *Aggregator) checkDue(ctx context.Context, ids []service.EventID) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, watchLooks)
	defer wg.Wait()
	for _, id := range ids {
		select {
		case <-ctx.Done():
			return
		case slots <- struct{}{}:
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			w, ok, err := a.o.Store.GetWatch(ctx, id)
			switch {
			case err != nil:
				if ctx.Err() == nil {
					a.log.Error("read landing watch", "event_id", "0x"+id.String(), "error", err)
				}
			case !ok:
				a.mu.Lock()
				delete(a.watched, id)
				a.mu.Unlock()
			default:
				a.checkWatch(ctx, w)
			}
		}()
	}
}

// checkWatch looks at one landing and acts on what it finds.
func (a *Aggregator) checkWatch(ctx context.Context, w store.Watch) {
	log := a.log.With("event_id", "0x"+w.EventID.String(), "service", w.ServiceID, "chain", w.Chain, "tx", w.TxHash)
	cctx, cancel := context.WithTimeout(ctx, a.o.CallTimeout)
	defer cancel()
	l, err := a.lookAgain(cctx, w)
	if errors.Is(err, sdk.ErrUnimplemented) || errors.Is(err, errBadWatch) {
		log.Debug("landing not watched", "error", err)
		a.dropWatch(ctx, w, log)
		return
	}
	if err != nil {
		if ctx.Err() == nil {
			log.Debug("look at the landing again later", "error", err)
			a.rewatch(ctx, w, log)
		}
		return
	}
	switch {
	case l.Found && l.Final:
		a.landingFinal(ctx, w, l, log)
	case l.Found && time.Since(w.CreatedAt) > watchMaxAge:
		// A plugin that never says final (an older one) must not make the
		// watches grow without end.
		log.Info("landing watched for a day without being reported final; no longer watched", "block", l.BlockNumber)
		a.dropWatch(ctx, w, log)
	case l.Found:
		if l.BlockNumber != w.Block {
			log.Info("the landing moved to another block (reorg); watching it", "from_block", w.Block, "to_block", l.BlockNumber)
			w.Block = l.BlockNumber
			a.noteLandingBlock(ctx, w)
		}
		w.Misses, w.PendingSince = 0, time.Time{}
		a.rewatch(ctx, w, log)
	case l.Pending:
		if w.PendingSince.IsZero() {
			w.PendingSince = time.Now()
			log.Warn("a reorg took the landing's block; its transaction is back in the pool: waiting for it", "block", w.Block)
		}
		w.Misses = 0
		w.Interval = a.o.WatchInterval // it may be mined any block now
		a.rewatch(ctx, w, log)
	default:
		w.Misses++
		if w.Misses < goneLooks {
			w.Interval = a.o.WatchInterval
			a.rewatch(ctx, w, log)
			return
		}
		a.landingUndone(ctx, w, l.Reason, log)
	}
}

// errBadWatch marks a watch that cannot be looked at (a bad stored
// field); it is dropped.
var errBadWatch = errors.New("bad landing watch")

// lookAgain asks the submit plugin about the watched transaction.
func (a *Aggregator) lookAgain(ctx context.Context, w store.Watch) (sdk.Landing, error) {
	c, err := a.o.ChainFor(w.Chain, w.Plugin)
	if err != nil {
		return sdk.Landing{}, err
	}
	handler := w.Handler
	if handler == "" {
		return sdk.Landing{}, fmt.Errorf("%w: no handler", errBadWatch)
	}
	return c.FindLanding(ctx, sdk.LandingQuery{Chain: w.Chain, Handler: handler, EventID: w.EventID, TxHash: w.TxHash})
}

// watchSlowdown bounds the pause between two looks at one landing, as a
// multiple of WatchInterval: it doubles from the first up to this.
const watchSlowdown = 15

// rewatch stores the watch with its next look one interval on, the
// interval doubling up to watchSlowdown × WatchInterval.
func (a *Aggregator) rewatch(ctx context.Context, w store.Watch, log hclog.Logger) {
	most := watchSlowdown * a.o.WatchInterval
	w.Interval = min(max(w.Interval, a.o.WatchInterval), most)
	w.NextCheck = time.Now().Add(w.Interval)
	w.Interval = min(2*w.Interval, most)
	if err := a.updateWatch(ctx, w); err != nil && ctx.Err() == nil {
		log.Error("store landing watch", "error", err)
	}
}

// dropWatch ends the watch of w's landing, leaving the result as it is.
func (a *Aggregator) dropWatch(ctx context.Context, w store.Watch, log hclog.Logger) {
	if _, err := a.closeWatch(ctx, w, store.WatchEnd{}); err != nil && ctx.Err() == nil {
		log.Error("delete landing watch", "error", err)
	}
}

// landingFinal records that a landing can no longer be undone.
func (a *Aggregator) landingFinal(ctx context.Context, w store.Watch, l sdk.Landing, log hclog.Logger) {
	unlock := a.land.lock(w.EventID)
	closed, err := a.closeWatch(ctx, w, store.WatchEnd{Update: func(res *store.ResultRecord) bool {
		if res.Status != StatusSubmitted || res.TxHash != w.TxHash {
			return false
		}
		res.Final, res.BlockNumber = true, l.BlockNumber
		return true
	}})
	unlock()
	if err != nil {
		if ctx.Err() == nil {
			log.Error("mark the landing final", "error", err)
		}
		return
	}
	if !closed {
		return // the event landed again meanwhile: its new watch goes on
	}
	a.count(func(s *Stats) { s.LandingsFinal++ })
	log.Debug("landing final", "block", l.BlockNumber)
}

// noteLandingBlock records the block a landing moved to.
func (a *Aggregator) noteLandingBlock(ctx context.Context, w store.Watch) {
	defer a.land.lock(w.EventID)()
	if res, ok, err := a.o.Store.GetResult(ctx, w.EventID); err == nil && ok && res.Status == StatusSubmitted && res.TxHash == w.TxHash {
		res.BlockNumber = w.Block
		_ = a.o.Store.PutResult(ctx, res)
	}
}

// landingUndone handles a landing a reorg took away: the result is
// queued again, unless its trigger went too.
func (a *Aggregator) landingUndone(ctx context.Context, w store.Watch, why string, log hclog.Logger) {
	gone, err := a.triggerGone(ctx, w.TriggerChain, w.TriggerBlock, w.TriggerHash)
	if err != nil {
		log.Info("the landing is gone; checking the trigger again later", "error", err)
		a.rewatch(ctx, w, log)
		return
	}
	// One transaction, conditional on the watch still being this
	// landing's: the result marked reorged, or put back to "signed" with
	// its submission queued again, and the watch gone. A stop at any
	// point leaves either the landing watched (and looked at again) or
	// the result queued; never a result neither watched nor queued. The
	// event may land again as soon as it is queued (another operator's
	// transaction found, say), with a watch of its own under the same
	// event id, which nothing of this look can touch.
	var sub *store.Submission
	if !gone {
		sub = &store.Submission{
			EventID: w.EventID, ServiceID: w.ServiceID, WorkflowID: w.WorkflowID,
			Chain: w.Chain, Handler: w.Handler, Plugin: w.Plugin,
			TriggerChain: w.TriggerChain, TriggerBlock: w.TriggerBlock, TriggerHash: w.TriggerHash,
			ScanFrom: rescanFrom(w),
			// Set so that the first attempt looks on chain before sending.
			SentAt: time.Now(),
		}
	}
	changed := false
	unlock := a.land.lock(w.EventID)
	closed, err := a.closeWatch(ctx, w, store.WatchEnd{
		Update: func(res *store.ResultRecord) bool {
			changed = res.Status == StatusSubmitted && res.TxHash == w.TxHash
			if !changed {
				return false
			}
			if gone {
				res.Status, res.Error = StatusReorged, fmt.Sprintf("a reorg replaced the trigger's block %d and undid the landing (tx %s)", w.TriggerBlock, w.TxHash)
				return true
			}
			res.Status, res.Error = StatusSigned, fmt.Sprintf("a reorg undid the landing (tx %s, block %d): sending again", w.TxHash, w.Block)
			res.TxHash, res.BlockNumber, res.Proof, res.Final = sdk.Hash{}, 0, "", false
			res.QuorumAt = time.Time{}
			return true
		},
		Requeue: sub,
	})
	unlock()
	switch {
	case err != nil:
		if ctx.Err() == nil {
			log.Error("queue the result again", "error", err)
		}
		return
	case !closed || !changed:
		return // landed again, or moved on, meanwhile
	case gone:
		a.count(func(s *Stats) { s.TriggersReorged++ })
		log.Warn("a reorg undid the landing and the trigger with it: the result is not sent again", "trigger_block", w.TriggerBlock)
		return
	}
	a.note(*sub)
	a.wake(w.EventID)
	a.count(func(s *Stats) { s.LandingsUndone++ })
	log.Warn("a reorg undid the landing: the result is queued to land again", "block", w.Block, "why", why)
}

// triggerGone reports whether a reorg replaced the trigger's block: the
// block at its height has another hash. Without a recorded hash, or
// without a submit plugin for the trigger's chain, the trigger is taken
// to stand.
func (a *Aggregator) triggerGone(ctx context.Context, chain string, number uint64, want sdk.Hash) (bool, error) {
	if want == (sdk.Hash{}) || chain == "" {
		return false, nil
	}
	c, err := a.o.ChainFor(chain, "")
	if err != nil {
		return false, nil
	}
	cctx, cancel := context.WithTimeout(ctx, a.o.CallTimeout)
	defer cancel()
	b, err := c.BlockAt(cctx, chain, number)
	switch {
	case errors.Is(err, sdk.ErrUnimplemented):
		return false, nil
	case errors.Is(err, sdk.ErrNotFound):
		// The chain is shorter than the trigger's block for now (a reorg
		// in progress): nothing is decided yet.
		return false, fmt.Errorf("%w: chain %s has no block %d yet", errRetry, chain, number)
	case err != nil:
		return false, fmt.Errorf("block %d of the trigger's chain %s: %w", number, chain, err)
	}
	return b.Hash != want, nil
}

// rescanFrom is where a result queued again looks for its landing: from
// the trigger's block when it is on the same chain, else from a little
// below the undone landing.
func rescanFrom(w store.Watch) uint64 {
	if w.TriggerChain == w.Chain && w.TriggerBlock > 0 {
		return w.TriggerBlock
	}
	if w.Block > scanMargin {
		return w.Block - scanMargin
	}
	return 1
}

// hurryWatch makes the watch of an event due now: a peer that still signs
// a landed event may have seen its landing undone.
func (a *Aggregator) hurryWatch(eventID service.EventID) {
	a.mu.Lock()
	if len(a.hurried) < 10000 {
		a.hurried[eventID] = true
	}
	a.mu.Unlock()
}
