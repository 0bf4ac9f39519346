package aggregator

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/time/rate"

	"github.com/wavs-go/wavs/sdk"
)

// The operators' weights as read from the chain and kept a while
// (MemberTTL), and the budgets that bound reading signers not known as
// operators.

type memberKey struct {
	chain, manager string
	signer         sdk.Address
}

type member struct {
	weight *big.Int
	at     time.Time
}

// managerView is a service manager's total weight and threshold as last
// read.
type managerView struct {
	q  sdk.Quorum // TotalWeight and the threshold only
	at time.Time
}

// member is a signer's weight in the manager behind route, as recently
// read (see weights). Reading a signer not known as an operator is
// charged to peer's budget and the global one, unless budgeted (already
// charged).
func (a *Aggregator) member(ctx context.Context, r Route, who sdk.Address, peer string, budgeted bool) (*big.Int, error) {
	c, err := a.o.ChainFor(r.Chain, r.Plugin)
	if err != nil {
		return nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, a.o.CallTimeout)
	defer cancel()
	manager := r.Manager
	if manager == "" {
		if manager, err = a.manager(cctx, c, r.Chain, r.Handler); err != nil {
			return nil, err
		}
	}
	if !budgeted && !a.known(r.Chain, manager, who) && !a.isOperator(Route{Chain: r.Chain, Manager: manager}, who) {
		if err := a.takeLookup(peer); err != nil {
			return nil, err
		}
	}
	// Messages of one signer worked at once share one read.
	v, err, _ := a.reads.Do(r.Chain+"/"+manager+"/"+who.Hex(), func() (any, error) {
		return a.weights(cctx, c, r.Chain, manager, []sdk.Address{who})
	})
	if err != nil {
		return nil, err
	}
	return weightOf(v.(sdk.Quorum), 0), nil
}

// errRateLimited: a peer sent too many signatures by signers this node
// has not looked up recently.
var errRateLimited = errors.New("rate limited")

// errOverloaded: the peers together asked for more reads of unknown
// signers than the node's global budget.
var errOverloaded = errors.New("overloaded")

// Each peer may cause lookupRate chain reads a second of signers not
// looked up recently (a burst of lookupBurst): a peer cannot make the
// node read the chain once per made-up key it signs with. Operators are
// few, so an honest peer stays well under it.
const (
	lookupRate  = 5
	lookupBurst = 20
)

// known reports whether a signer's weight was read recently.
func (a *Aggregator) known(chain, manager string, who sdk.Address) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.members[memberKey{chain, manager, who}]
	return ok && time.Since(m.at) < a.o.MemberTTL
}

// takeLookup takes one chain read of an unknown signer from peer's
// budget (errRateLimited) and the global one (errOverloaded).
func (a *Aggregator) takeLookup(peer string) error {
	if !a.allowLookup(peer) {
		return fmt.Errorf("%w: peer %s asks for more chain reads of unknown signers than %v/s", errRateLimited, peer, lookupRate)
	}
	if !a.global.Allow() {
		return fmt.Errorf("%w: the peers together ask for more chain reads of unknown signers than %v/s", errOverloaded, globalLookupRate)
	}
	a.count(func(s *Stats) { s.SignerLookups++ })
	return nil
}

// allowLookup takes one lookup from the budget of peer (the forwarder of
// the message, see peerOf).
func (a *Aggregator) allowLookup(peer string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.lookups[peer]
	if !ok {
		if len(a.lookups) > 1000 {
			clear(a.lookups)
		}
		l = rate.NewLimiter(lookupRate, lookupBurst)
		a.lookups[peer] = l
	}
	return l.Allow()
}

// weights returns the signers' weights, and what the manager shows of its
// total and thresholds, as read at most MemberTTL ago, reading them at the block before the head
// when any is older. Decisions made on them (does a signature count, is
// the quorum met, whose turn is it) are checked exactly at the reference
// block before anything is submitted.
func (a *Aggregator) weights(ctx context.Context, c Chain, chain, manager string, signers []sdk.Address) (sdk.Quorum, error) {
	now := time.Now()
	a.mu.Lock()
	view, fresh := a.views[chain+"/"+manager]
	fresh = fresh && now.Sub(view.at) < a.o.MemberTTL
	out := view.q
	out.Weights = make([]*big.Int, len(signers))
	for i, who := range signers {
		m, ok := a.members[memberKey{chain, manager, who}]
		if !ok || now.Sub(m.at) >= a.o.MemberTTL {
			fresh = false
			break
		}
		out.Weights[i] = m.weight
	}
	a.mu.Unlock()
	if fresh {
		return out, nil
	}
	head, err := c.LatestBlock(ctx, chain)
	if err != nil {
		return sdk.Quorum{}, fmt.Errorf("latest block: %w", err)
	}
	ref := head.Number
	if ref > 0 {
		ref--
	}
	q, err := c.Quorum(ctx, sdk.QuorumQuery{Chain: chain, Manager: manager, Block: ref, Scheme: sdk.SchemeSecp256k1EIP191, Signers: signerBytes(signers)})
	if err != nil {
		return sdk.Quorum{}, fmt.Errorf("quorum at block %d: %w", ref, err)
	}
	a.remember(chain, manager, signers, q)
	return q, nil
}

// knownOperators is every signer of manager on chain this node has read
// a weight above zero for within MemberTTL (members keeps them), with
// that weight: the operators that may yet sign an event, as far as this
// node has seen.
func (a *Aggregator) knownOperators(chain, manager string) []countedSig {
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []countedSig
	for k, m := range a.members {
		if k.chain == chain && k.manager == manager && m.weight != nil && m.weight.Sign() > 0 && now.Sub(m.at) < a.o.MemberTTL {
			out = append(out, countedSig{who: k.signer, weight: m.weight})
		}
	}
	return out
}

// forget drops signers' weights read before, so that weights reads them
// again.
func (a *Aggregator) forget(chain, manager string, signers []sdk.Address) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, who := range signers {
		delete(a.members, memberKey{chain, manager, who})
	}
}

// allWeighted reports whether q holds a weight above zero for each of n
// signers.
func allWeighted(q sdk.Quorum, n int) bool {
	if len(q.Weights) < n {
		return false
	}
	for _, w := range q.Weights[:n] {
		if w == nil || w.Sign() <= 0 {
			return false
		}
	}
	return n > 0
}

// remember keeps weights read from the chain for weights.
func (a *Aggregator) remember(chain, manager string, signers []sdk.Address, q sdk.Quorum) {
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.views[chain+"/"+manager] = managerView{q: sdk.Quorum{
		TotalWeight: q.TotalWeight, ThresholdNumerator: q.ThresholdNumerator, ThresholdDenominator: q.ThresholdDenominator,
		ThresholdWeight: q.ThresholdWeight,
	}, at: now}
	if len(a.members) > 10000 {
		// Signers are few; this bounds a flood of made-up ones, keeping
		// the operators (weight above zero) read recently.
		for k, m := range a.members {
			if m.weight == nil || m.weight.Sign() <= 0 || now.Sub(m.at) >= a.o.MemberTTL {
				delete(a.members, k)
			}
		}
		if len(a.members) > 10000 {
			clear(a.members)
		}
	}
	for i, who := range signers {
		a.members[memberKey{chain, manager, who}] = member{weight: weightOf(q, i), at: now}
	}
}
