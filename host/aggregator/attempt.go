package aggregator

// An attempt at one submission: look for its landing, gather the
// signatures, ask whether they are a quorum, wait for this operator's
// turn, and submit.

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// target is what an attempt needs to know of a submission's chain.
type target struct {
	c       Chain
	chain   string
	handler string
	manager string
	own     sdk.Address // this node's signer
	env     sdk.Envelope
}

// attempt works one submission as far as it can go now, in stages:
// whether it landed already (landedAlready), the signatures over this
// node's envelope (collect), whether they are a quorum (counted), whether
// it is this operator's turn (myTurn), and the submission (submitTurn).
// Each stage either hands on or ends the attempt with an outcome (a proof
// of landing, or when to look again) or an error.
func (a *Aggregator) attempt(ctx context.Context, sub *store.Submission, res *store.ResultRecord, log hclog.Logger) (outcome, error) {
	cctx, cancel := context.WithTimeout(ctx, a.o.CallTimeout)
	defer cancel()
	tg, err := a.target(cctx, sub, res)
	if err != nil {
		return outcome{}, err
	}
	if out, done, err := a.landedAlready(cctx, tg, sub, log); done {
		return out, err
	}
	all, arrived, err := a.collect(ctx, tg, sub, res, log)
	if err != nil {
		return outcome{}, err
	}
	if a.o.Network == nil {
		// Alone: this node's signature is the quorum, if validate says so.
		return a.submitTurn(cctx, tg, sub, res, all, nil, log)
	}
	q, out, done, err := a.counted(cctx, tg, sub, res, all, log)
	if done {
		return out, err
	}
	if out, done, err := a.myTurn(ctx, cctx, tg, sub, res, all, arrived, q, log); done {
		return out, err
	}
	return a.submitTurn(cctx, tg, sub, res, all, &q.recent, log)
}

// landedAlready looks, before anything is sent, at what others say
// landed and at whatever this node may have sent before: done with a
// proof when the event is on chain.
func (a *Aggregator) landedAlready(ctx context.Context, tg target, sub *store.Submission, log hclog.Logger) (outcome, bool, error) {
	if sub.ScanFrom == 0 {
		if err := a.startScan(ctx, tg, sub); err != nil {
			return outcome{}, true, err
		}
	}
	if p, err := a.checkNotices(ctx, tg, sub, log); err != nil || p != nil {
		return outcome{proof: p}, true, err
	}
	if !sub.SentAt.IsZero() {
		if p, err := a.scan(ctx, tg, sub, log); err != nil || p != nil {
			return outcome{proof: p}, true, err
		}
	}
	return outcome{}, false, nil
}

// collect is the queue of this node's envelope: its own signature and
// every stored peer's over the same envelope, with when each signer's
// first arrived.
func (a *Aggregator) collect(ctx context.Context, tg target, sub *store.Submission, res *store.ResultRecord, log hclog.Logger) (Signatures, map[sdk.Address]time.Time, error) {
	ev := NewEvent(tg.env.EventID)
	q, _ := ev.Add(tg.env, tg.own, res.Signature)
	arrived := map[sdk.Address]time.Time{tg.own: res.CreatedAt}
	if a.o.Network != nil {
		peers, err := a.o.Store.PeerSignatures(ctx, sub.EventID)
		if err != nil {
			return Signatures{}, nil, err
		}
		for _, ps := range peers {
			penv, who, err := peerEnvelope(ps)
			if err != nil {
				log.Warn("skipping a stored peer signature", "error", err)
				continue
			}
			if _, ok := arrived[who]; !ok {
				arrived[who] = ps.ReceivedAt
			}
			ev.Add(penv, who, ps.Signature)
		}
	}
	return q.SignatureData(0), arrived, nil
}

// quorumView is how the signatures counted: the signers' weights as
// recently read, and those that count with theirs.
type quorumView struct {
	recent  sdk.Quorum
	sigs    Signatures
	weights []*big.Int
}

// counted asks whether the collected signatures are a quorum, on the
// signers' weights as recently read (validate judges where the manager
// shows no thresholds), and records the progress on res. Not a quorum
// yet: done, waiting for more signatures (or weights that change on
// chain). The first time it is one, the quorum's time is recorded.
func (a *Aggregator) counted(ctx context.Context, tg target, sub *store.Submission, res *store.ResultRecord, all Signatures, log hclog.Logger) (quorumView, outcome, bool, error) {
	recent, err := a.weights(ctx, tg.c, tg.chain, tg.manager, all.Signers)
	if err != nil {
		return quorumView{}, outcome{}, true, err
	}
	sigs, weights := counting(all, recent)
	ok, verdict, err := a.quorumMet(ctx, tg, sub.EventID, sigs, recent, weights, true)
	if err != nil {
		return quorumView{}, outcome{}, true, err
	}
	progress(res, sigs, weights, recent, verdict)
	if !ok {
		note := "waiting for signatures: " + verdict
		if a.probeDue(sub.EventID, res.CreatedAt) {
			// The peers had their turns long ago: the event may have
			// landed without this node (it signed late).
			if p, err := a.scan(ctx, tg, sub, log); err != nil || p != nil {
				return quorumView{}, outcome{proof: p}, true, err
			}
		}
		// New signatures wake the event; the timer is for weights that
		// change on chain.
		return quorumView{}, outcome{wait: time.Now().Add(min(a.o.FallbackDelay, a.o.RetryMax)), note: note}, true, nil
	}
	if sub.QuorumAt.IsZero() {
		now := time.Now()
		sub.QuorumAt, res.QuorumAt = now, now
		a.count(func(s *Stats) { s.QuorumsReached++ })
		log.Info("quorum reached", "signers", len(sigs.Signers), "weight", sum(weights), "total", orUnknown(recent.TotalWeight), "since_signed", now.Sub(res.CreatedAt).Round(time.Microsecond))
	}
	return quorumView{recent: recent, sigs: sigs, weights: weights}, outcome{}, false, nil
}

// myTurn decides whether this operator submits now: its place in the
// submit order over the settled signatures (planTurn), the claims made
// (claiming first when it is first), and a look on chain before sending
// whenever someone else may have landed the event meanwhile. Not yet (or
// landed): done, with when to look again (or the proof). ctx is the
// attempt's, cctx its calls' (claims are published on ctx).
func (a *Aggregator) myTurn(ctx, cctx context.Context, tg target, sub *store.Submission, res *store.ResultRecord, all Signatures, arrived map[sdk.Address]time.Time, q quorumView, log hclog.Logger) (outcome, bool, error) {
	now := time.Now()
	cs := make([]countedSig, len(q.sigs.Signers))
	for i, who := range q.sigs.Signers {
		cs[i] = countedSig{who: who, weight: q.weights[i], at: arrived[who], sig: q.sigs.Signatures[i]}
	}
	recent := q.recent
	passes := func(set []countedSig) bool {
		ok, _, err := a.quorumMet(cctx, tg, sub.EventID, sigsOf(set), recent, weightsOf(set), false)
		return err == nil && ok
	}
	t := planTurn(tg.env.EventID, tg.own, cs, a.knownOperators(tg.chain, tg.manager), passes, recent.TotalWeight, sub.QuorumAt, a.o.SettleDelay, a.o.ClaimWait)
	t = a.afterClaims(sub.EventID, tg.own, a.outageSlack(sub.EventID, t))
	first := t.rank == 0 && !t.laggard && t.claimedBy == (sdk.Address{})
	if first && !t.complete && !t.unrivalled && recent.TotalWeight != nil && a.ownClaim(sub.EventID).IsZero() {
		// The quorum is met but some operators' signatures are not in yet.
		// They normally follow within moments, and one of them may rank
		// first once it is: a claim made now would then leave this node,
		// no longer first, waiting half a settle for rival claims before
		// it sends. A moment's wait for the rest (their arrival wakes the
		// event) costs that moment instead.
		if wait := sub.QuorumAt.Add(a.o.SettleDelay / 8); now.Before(wait) {
			return outcome{wait: wait, note: "quorum reached; a moment for the remaining signatures before claiming"}, true, nil
		}
	}
	due := t.due
	if first {
		// The first in this node's order claims at once, so that its claim
		// has reached the others by their turns. Views of who signed can
		// differ, and two operators may each be first in their own: the
		// one ranked second between them stands down (rivalClaim). A node
		// whose view holds the whole weight is first among every signer
		// and cannot be outranked, nor can one first among every operator
		// it knows (unrivalled) but by one it has never seen; any other
		// waits half a settle after its claim for a rival's, which its
		// settle normally covers already.
		if claimedAt := a.claim(ctx, sub, res, log); !claimedAt.IsZero() && !t.complete && !t.unrivalled {
			due = later(due, claimedAt.Add(a.o.SettleDelay/2))
		}
	} else if at := a.ownClaim(sub.EventID); !at.IsZero() && t.claimedBy == (sdk.Address{}) {
		// This node claimed the event (it was first in its view then, or
		// took over) and nobody ranked before it has: the others wait for
		// it, so it goes on, whatever its place in the order now.
		due = at.Add(a.o.SettleDelay / 2)
	}
	if now.Before(due) {
		return outcome{wait: due, note: t.String()}, true, nil
	}
	// Anyone ranked before this node, or who claimed the event, may have
	// landed it meanwhile; so may anyone when this node's view formed late
	// (the quorum came more than a settle after its own signature: its
	// peers may have had theirs, and taken their turns, long before, with
	// their claims lost on the way, as after a restart or in a backlog).
	late := sub.QuorumAt.Sub(res.CreatedAt) > a.o.SettleDelay
	if !first || late || sub.Attempts > 0 || a.claimedByOthers(sub.EventID, tg.own) {
		if p, err := a.scan(cctx, tg, sub, log); err != nil || p != nil {
			return outcome{proof: p}, true, err
		}
	}
	if !first {
		// Taking over: claim, and give a rival's claim time to arrive.
		if claimedAt := a.claim(ctx, sub, res, log); !claimedAt.IsZero() {
			if ready := claimedAt.Add(a.o.SettleDelay / 2); time.Now().Before(ready) {
				return outcome{wait: ready, note: "taking over; claimed, waiting half a settle for rival claims"}, true, nil
			}
		}
	}
	if rival, at, ok := a.rivalClaim(sub.EventID, tg.own); ok {
		due := at.Add(a.o.FallbackDelay)
		return outcome{wait: due, note: fmt.Sprintf("%s, ranked before this operator, claimed the event too: this one waits until %s and submits only if the result is not on chain", rival.Hex(), due.Format(time.RFC3339Nano))}, true, nil
	}
	return outcome{}, false, nil
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// target resolves the chain, handler, manager, own signer and envelope of
// a submission.
func (a *Aggregator) target(ctx context.Context, sub *store.Submission, res *store.ResultRecord) (target, error) {
	c, err := a.o.ChainFor(sub.Chain, sub.Plugin)
	if err != nil {
		return target{}, err
	}
	handler := sub.Handler
	if handler == "" {
		return target{}, fmt.Errorf("submission of event %s names no handler", sub.EventID)
	}
	own := res.Signer
	if own.IsZero() {
		return target{}, fmt.Errorf("the result of event %s has no signer", sub.EventID)
	}
	env, err := resultEnvelope(*res)
	if err != nil {
		return target{}, err
	}
	manager, err := a.manager(ctx, c, sub.Chain, handler)
	if err != nil {
		return target{}, err
	}
	return target{c: c, chain: sub.Chain, handler: handler, manager: manager, own: own, env: env}, nil
}

// submitTurn is this operator's turn: it reads the signers' weights at
// the reference block, asks validate and submits. A validate that says no
// is a wait (errRetry), never a transaction. known, when set, is the
// signers' weights as recently read (weights): when every signer has
// weight in it, the reference block's weights are not read again, since
// validate, asked at the reference block, is the judge either way (one
// that says no makes the next turn read them).
func (a *Aggregator) submitTurn(ctx context.Context, tg target, sub *store.Submission, res *store.ResultRecord, all Signatures, known *sdk.Quorum, log hclog.Logger) (outcome, error) {
	// A trigger not deep yet is checked to be still on the chain: a reorg
	// may have replaced its block since it fired. Its block is read while
	// the head is, which tells whether it is deep.
	type goneOrErr struct {
		gone bool
		err  error
	}
	var trigger chan goneOrErr
	if sub.TriggerHash != (sdk.Hash{}) {
		trigger = make(chan goneOrErr, 1)
		go func() {
			gone, err := a.triggerGone(ctx, sub.TriggerChain, sub.TriggerBlock, sub.TriggerHash)
			trigger <- goneOrErr{gone, err}
		}()
	}
	// The reference block is the one before a head read within headTTL:
	// any past block serves validate, and a head another look read a
	// moment ago (a quorum check, another event's turn) saves a round trip
	// before the send. (The trigger's block is read even when the head
	// then shows it deep: a wasted read, for old events only.)
	head, err := a.head(ctx, tg.c, tg.chain)
	if err != nil {
		return outcome{}, err
	}
	if head.Number < 1 {
		return outcome{}, fmt.Errorf("%w: chain %s is at block 0; a reference block needs one more", errRetry, tg.chain)
	}
	if trigger != nil && (sub.TriggerChain != tg.chain || head.Number < sub.TriggerBlock+triggerDeep) {
		t := <-trigger
		if t.err != nil {
			return outcome{}, t.err
		}
		if t.gone {
			return outcome{reorged: true}, nil
		}
	}
	ref := head.Number - 1
	all.Reference = ref
	var qr sdk.Quorum
	if known != nil && allWeighted(*known, len(all.Signers)) {
		qr = *known
	} else {
		if qr, err = tg.c.Quorum(ctx, sdk.QuorumQuery{Chain: tg.chain, Manager: tg.manager, Block: ref, Scheme: sdk.SchemeSecp256k1EIP191, Signers: signerBytes(all.Signers)}); err != nil {
			return outcome{}, fmt.Errorf("quorum at block %d: %w", ref, err)
		}
		a.remember(tg.chain, tg.manager, all.Signers, qr)
	}
	sigs, weights := counting(all, qr)
	for _, who := range all.Signers {
		if who != tg.own && !slices.Contains(sigs.Signers, who) {
			log.Warn("a signer has no weight at the reference block; its signature does not count", "signer", who.Hex(), "block", ref)
		}
	}
	if len(sigs.Signers) == 0 {
		progress(res, sigs, weights, qr, "no signer has weight")
		return outcome{}, fmt.Errorf("%w: at block %d no signer has weight in the service manager %s (is this node's signing key %s registered?)", errRetry, ref, tg.manager, tg.own.Hex())
	}
	if short := surelyShort(qr, sum(weights)); short != "" && !a.validateDue(sub.EventID) {
		progress(res, sigs, weights, qr, short)
		return outcome{}, fmt.Errorf("%w: at block %d: %s", errRetry, ref, short)
	}
	submission := sdk.Submission{Chain: tg.chain, Handler: tg.handler, Envelope: tg.env, Signatures: sigs.Data()}
	if sub.GasPrice != "" {
		gp, ok := new(big.Int).SetString(sub.GasPrice, 10)
		if !ok {
			return outcome{}, fmt.Errorf("gas price %q is not a decimal number", sub.GasPrice)
		}
		submission.GasPrice = gp
	}
	v, err := tg.c.Validate(ctx, submission)
	if err != nil {
		return outcome{}, fmt.Errorf("validate: %w", err)
	}
	a.validated(sub.EventID)
	if !v.Valid {
		// The weights at the reference block are read again next time.
		a.forget(tg.chain, tg.manager, all.Signers)
		reason := "validate: " + v.Reason
		progress(res, sigs, weights, qr, reason)
		return outcome{}, fmt.Errorf("%w: the service manager does not accept the signatures at block %d yet (%s)", errRetry, ref, v.Reason)
	}
	progress(res, sigs, weights, qr, "validate passes")
	// Recorded before the plugin may send anything: from here on a
	// transaction of this node's may exist, and no later attempt sends
	// again before it has looked for it.
	if sub.SentAt.IsZero() {
		sub.SentAt = time.Now()
		if err := a.putSubmission(ctx, *sub); err != nil {
			return outcome{}, fmt.Errorf("record the submission before sending: %w", err)
		}
	}
	a.count(func(s *Stats) { s.Sent++ })
	receipt, err := tg.c.Submit(ctx, submission)
	if err != nil {
		return outcome{}, fmt.Errorf("submit: %w", err)
	}
	if receipt.AlreadyHandled {
		// Another operator landed it: find its transaction, so the result
		// names where it landed; the handler's word stands without it.
		if p, err := a.scan(ctx, tg, sub, log); err == nil && p != nil {
			p.how = ProofFound
			return outcome{proof: p}, nil
		}
		return outcome{proof: &proof{how: ProofHandler}}, nil
	}
	return outcome{proof: &proof{how: ProofOwnTx, tx: receipt.TxHash, block: receipt.BlockNumber}}, nil
}
