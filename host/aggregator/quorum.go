package aggregator

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// Whether signatures are enough is the service manager's call: its
// validate, asked at the block before the head, which the submitting
// operator always asks before it sends. The manager's own views of its
// total weight and thresholds, where the submit plugin knows them, spare
// the other calls: they rule out sets that cannot pass by any rounding
// (validate is still asked every ValidateEvery), and they rule in, for
// planning the turns, sets that pass by the rule the known managers
// apply (viewsPass). A view that misleads costs time, never the result.

// verdict is what validate said of one set of signers.
type verdict struct {
	ok     bool
	reason string
	at     time.Time
}

// quorumMet reports whether sigs (counted signers, sorted, with weights as
// recently read in q) pass the manager's validate, and a text saying why
// or why not. primary marks the check of the event's whole queue, which
// asks validate every ValidateEvery even when the views say no; the other
// checks (of subsets, to plan turns) trust the views.
func (a *Aggregator) quorumMet(ctx context.Context, tg target, eventID service.EventID, sigs Signatures, q sdk.Quorum, weights []*big.Int, primary bool) (bool, string, error) {
	if len(sigs.Signers) == 0 {
		return false, "no signature by an operator with weight", nil
	}
	if short := surelyShort(q, sum(weights)); short != "" && (!primary || !a.validateDue(eventID)) {
		return false, short, nil
	}
	if why := viewsPass(q, sum(weights)); why != "" {
		// Planning only: the operator whose turn comes asks validate at
		// its reference block before it sends anything.
		return true, why, nil
	}
	key := setKey(sigs.Signers)
	fresh := min(a.o.MemberTTL, a.o.FallbackDelay)
	a.mu.Lock()
	st := a.eventState(eventID)
	v, ok := st.verdicts[key]
	if !ok {
		// A set that holds one validate passed holds more weight: it
		// passes too (signers without weight were left out of both).
		for k, pv := range st.verdicts {
			if pv.ok && time.Since(pv.at) < fresh && holds(key, k) {
				v, ok = pv, true
				break
			}
		}
	}
	a.mu.Unlock()
	// Reused within a FallbackDelay (the pause between looks at an event
	// short of the quorum): a manager whose weights or thresholds change
	// is asked again at the next look.
	if ok && time.Since(v.at) < fresh {
		return v.ok, v.reason, nil
	}
	head, err := a.head(ctx, tg.c, tg.chain)
	if err != nil {
		return false, "", err
	}
	if head.Number < 1 {
		return false, "the chain is at block 0", nil
	}
	sigs.Reference = head.Number - 1
	res, err := tg.c.Validate(ctx, sdk.Submission{Chain: tg.chain, Handler: tg.handler, Envelope: tg.env, Signatures: sigs.Data()})
	if err != nil {
		return false, "", fmt.Errorf("validate: %w", err)
	}
	v = verdict{ok: res.Valid, reason: "validate passes", at: time.Now()}
	if !res.Valid {
		v.reason = "validate: " + res.Reason
	}
	a.mu.Lock()
	st = a.eventState(eventID)
	if len(st.verdicts) > 64 {
		clear(st.verdicts)
	}
	st.verdicts[key] = v
	if primary {
		st.validatedAt = v.at
	}
	a.mu.Unlock()
	return v.ok, v.reason, nil
}

// validateDue reports whether the event's signatures were last put to
// validate more than ValidateEvery ago.
func (a *Aggregator) validateDue(eventID service.EventID) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return time.Since(a.eventState(eventID).validatedAt) >= a.o.ValidateEvery
}

// validated notes that validate was just asked about the event.
func (a *Aggregator) validated(eventID service.EventID) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.eventState(eventID).validatedAt = time.Now()
}

// surelyShort says why signed weight cannot pass whatever the manager's
// rounding, by the views q holds: below an absolute threshold, or below
// floor(total × num / den). "" when the views do not rule it out (or there
// are none).
func surelyShort(q sdk.Quorum, signed *big.Int) string {
	if signed.Sign() <= 0 {
		return "no signed weight"
	}
	if q.ThresholdWeight != nil && signed.Cmp(q.ThresholdWeight) < 0 {
		return fmt.Sprintf("signed weight %s is below the manager's threshold weight %s", signed, q.ThresholdWeight)
	}
	if q.TotalWeight != nil && q.ThresholdDenominator > 0 {
		if q.TotalWeight.Sign() == 0 {
			return "the service manager has no operator weight"
		}
		floor := new(big.Int).Mul(q.TotalWeight, new(big.Int).SetUint64(q.ThresholdNumerator))
		floor.Quo(floor, new(big.Int).SetUint64(q.ThresholdDenominator))
		if signed.Cmp(floor) < 0 {
			return fmt.Sprintf("signed weight %s of total %s is short of %d/%d", signed, q.TotalWeight, q.ThresholdNumerator, q.ThresholdDenominator)
		}
	}
	return ""
}

// viewsPass says how signed weight meets the quorum by the manager's own
// views in q, by the rule the service managers known here apply in
// validate (signed ≥ the threshold weight, and signed × den ≥ num ×
// total); "" when the views do not show it (or there are none). Such a
// set is taken as meeting the quorum for planning the turns without
// asking validate: the operator whose turn comes asks validate at its
// reference block before it sends, so a manager with a stricter rule
// costs a wait, never a transaction it rejects.
func viewsPass(q sdk.Quorum, signed *big.Int) string {
	byThreshold := q.ThresholdWeight != nil && q.ThresholdWeight.Sign() > 0
	byFraction := q.TotalWeight != nil && q.TotalWeight.Sign() > 0 && q.ThresholdDenominator > 0 && q.ThresholdNumerator > 0
	if !byThreshold && !byFraction || signed.Sign() <= 0 {
		return ""
	}
	if byThreshold && signed.Cmp(q.ThresholdWeight) < 0 {
		return ""
	}
	if byFraction {
		lhs := new(big.Int).Mul(signed, new(big.Int).SetUint64(q.ThresholdDenominator))
		rhs := new(big.Int).Mul(q.TotalWeight, new(big.Int).SetUint64(q.ThresholdNumerator))
		if lhs.Cmp(rhs) < 0 {
			return ""
		}
		return fmt.Sprintf("the manager's views: signed weight %s of total %s meets %d/%d", signed, q.TotalWeight, q.ThresholdNumerator, q.ThresholdDenominator)
	}
	return fmt.Sprintf("the manager's views: signed weight %s meets the threshold weight %s", signed, q.ThresholdWeight)
}

// holds reports whether the set named by key holds every signer of the
// set named by sub (both setKeys of sorted signers).
func holds(key, sub string) bool {
	const w = 40 // hex digits of an address
	if len(sub) > len(key) {
		return false
	}
	for i := 0; i+w <= len(sub); i += w {
		if !containsSigner(key, sub[i:i+w]) {
			return false
		}
	}
	return true
}

func containsSigner(key, signer string) bool {
	for i := 0; i+40 <= len(key); i += 40 {
		if key[i:i+40] == signer {
			return true
		}
	}
	return false
}

// headTTL is how long a head read is reused for a reference block: for
// a pre-check of the quorum and for a submission. A reference block
// that much older is as good to validate (any block before the head is),
// and the submit plugin reads the head again for the fees when its own
// read is older.
const headTTL = 250 * time.Millisecond

// head returns the chain's head as read at most headTTL ago: the
// reference block of a pre-check may lag by that much, which a validate
// at "latest" tolerates (it wants referenceBlock < block.number).
func (a *Aggregator) head(ctx context.Context, c Chain, chain string) (sdk.BlockRef, error) {
	a.mu.Lock()
	h, ok := a.heads[chain]
	a.mu.Unlock()
	if ok && time.Since(h.at) < headTTL {
		return h.ref, nil
	}
	ref, err := c.LatestBlock(ctx, chain)
	if err != nil {
		return sdk.BlockRef{}, fmt.Errorf("latest block: %w", err)
	}
	a.mu.Lock()
	a.heads[chain] = headRead{ref: ref, at: time.Now()}
	a.mu.Unlock()
	return ref, nil
}

// headRead is a chain's head and when it was read.
type headRead struct {
	ref sdk.BlockRef
	at  time.Time
}

// setKey names a set of signers.
func setKey(signers []sdk.Address) string {
	var b strings.Builder
	for _, s := range signers {
		b.WriteString(hex.EncodeToString(s[:]))
	}
	return b.String()
}

// progress records on res who counted so far and their weight against
// what the manager shows of its thresholds, and validate's verdict, for
// the results API and the status page.
func progress(res *store.ResultRecord, sigs Signatures, weights []*big.Int, q sdk.Quorum, verdict string) {
	res.Signers = append(res.Signers[:0], sigs.Signers...)
	res.SignedWeight = sum(weights).String()
	res.TotalWeight, res.ThresholdWeight = "", ""
	if q.TotalWeight != nil {
		res.TotalWeight = q.TotalWeight.String()
	}
	if q.ThresholdWeight != nil {
		res.ThresholdWeight = q.ThresholdWeight.String()
	}
	res.ThresholdNum, res.ThresholdDen = q.ThresholdNumerator, q.ThresholdDenominator
	res.Verdict = verdict
}

// counting keeps the signatures whose signers have weight in q (in the
// order of all.Signers), with their weights: a signer without weight
// would make validate revert for all of them.
func counting(all Signatures, q sdk.Quorum) (Signatures, []*big.Int) {
	sigs := Signatures{Reference: all.Reference}
	var weights []*big.Int
	for i, who := range all.Signers {
		w := weightOf(q, i)
		if w.Sign() <= 0 {
			continue
		}
		sigs.Signers = append(sigs.Signers, who)
		sigs.Signatures = append(sigs.Signatures, all.Signatures[i])
		weights = append(weights, w)
	}
	return sigs, weights
}

func weightOf(q sdk.Quorum, i int) *big.Int {
	if i < len(q.Weights) && q.Weights[i] != nil {
		return q.Weights[i]
	}
	return new(big.Int)
}

func sum(ws []*big.Int) *big.Int {
	s := new(big.Int)
	for _, w := range ws {
		s.Add(s, w)
	}
	return s
}

// orUnknown prints a weight the manager may not show.
func orUnknown(w *big.Int) string {
	if w == nil {
		return "unknown"
	}
	return w.String()
}
