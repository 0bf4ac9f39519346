package aggregator

import (
	"bytes"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// countedSig is a signature that counts toward the quorum: its signer's
// weight at the reference block and when this node had it (its own:
// when it signed).
type countedSig struct {
	who    sdk.Address
	weight *big.Int
	at     time.Time
	sig    []byte
}

// sigsOf is the signature data of a set of counted signatures, sorted by
// signer as validate wants them.
func sigsOf(set []countedSig) Signatures {
	sorted := slices.Clone(set)
	slices.SortFunc(sorted, func(a, b countedSig) int { return bytes.Compare(a.who[:], b.who[:]) })
	var sd Signatures
	for _, s := range sorted {
		sd.Signers = append(sd.Signers, s.who)
		sd.Signatures = append(sd.Signatures, s.sig)
	}
	return sd
}

// weightsOf is the weights of sigsOf(set), in its order.
func weightsOf(set []countedSig) []*big.Int {
	sorted := slices.Clone(set)
	slices.SortFunc(sorted, func(a, b countedSig) int { return bytes.Compare(a.who[:], b.who[:]) })
	ws := make([]*big.Int, len(sorted))
	for i, s := range sorted {
		ws[i] = s.weight
	}
	return ws
}

// turn is when this operator submits an event.
type turn struct {
	due     time.Time
	order   []sdk.Address // the submit order over the settled set
	rank    int           // 0-based place in the order; == of for none
	of      int           // operators in the order
	laggard bool
	// complete: the settled set holds the whole weight, so no signer is
	// missing from this node's view (known only when the total is).
	complete bool
	// unrivalled: this operator is first in the order over the settled
	// set and every other operator it knows of, signed or not, and those
	// hold the whole weight: no signature still to come can put another
	// before it, so it need not wait for them.
	unrivalled bool
	// claimedBy is the operator whose claim put the turn off (zero:
	// none): one ranked before this one, or one that claimed before this
	// one did while ranked after it or outside its view (tookOver).
	claimedBy sdk.Address
	tookOver  bool
}

func (t turn) String() string {
	if t.claimedBy != (sdk.Address{}) && t.tookOver {
		return fmt.Sprintf("quorum reached; %s claimed the event before this operator did (it took the turn over, or ranks itself first from its own view of who signed): this one waits until %s and submits only if the result is not on chain", t.claimedBy.Hex(), t.due.Format(time.RFC3339Nano))
	}
	if t.claimedBy != (sdk.Address{}) {
		return fmt.Sprintf("quorum reached; %s, ranked before this operator, claimed the event: this one waits until %s and submits only if the result is not on chain", t.claimedBy.Hex(), t.due.Format(time.RFC3339Nano))
	}
	if t.laggard {
		return fmt.Sprintf("quorum reached without this operator, which signed later: it waits until %s and submits only if the result is not on chain", t.due.Format(time.RFC3339Nano))
	}
	return fmt.Sprintf("quorum reached; this operator is %d of %d in the submit order, its turn is at %s", t.rank+1, t.of, t.due.Format(time.RFC3339Nano))
}

// planTurn decides when operator own submits an event whose signatures
// sigs (own's among them) met the quorum at quorumAt, so that every
// operator, from its own view of who signed when, normally names the
// same single submitter. passes tells whether a set of signatures meets
// the quorum; total is the manager's total weight, nil when unknown.
//
//   - The order is over the signatures this node had by quorumAt +
//     settle (the cut): signatures arriving later never change it. When
//     those hold the whole weight (known only when total is) no one is
//     missing and the turns start at quorumAt; otherwise at the cut,
//     after which the set is fixed.
//   - An operator that signed more than settle/2 after its peers' own
//     signatures already met the quorum is a laggard: the others may
//     have settled on an order without it, so it takes the turn after
//     all of them. (Half, not all of settle: its signature still has to
//     reach the others before their cut. When it does reach them and
//     it ranks first, nobody goes at once and the next turn is a
//     fallback later: a delay, not a second transaction, as long as
//     signatures travel in less than settle/2.)
//   - Operator r in SubmitOrder over that set goes at start + r × step
//     (claims, which may put a turn off, are the caller's: afterClaims).
//   - An operator first in SubmitOrder over the set and known (the
//     other operators it has read a weight for, whether they signed this
//     event or not), when those hold the whole weight, is first whatever
//     signatures come later: its turn starts at quorumAt, as if the set
//     were complete. Any other operator's view either holds its
//     signature, or does not and then waits for the cut, by which its
//     claim has come.
func planTurn(eventID [20]byte, own sdk.Address, sigs []countedSig, known []countedSig, passes func([]countedSig) bool, total *big.Int, quorumAt time.Time, settle, step time.Duration) turn {
	cut := quorumAt.Add(settle)
	var set []sdk.Address
	var setWeights []*big.Int
	for _, s := range sigs {
		if !s.at.After(cut) {
			set = append(set, s.who)
			setWeights = append(setWeights, s.weight)
		}
	}
	start := cut
	complete := total != nil && sum(setWeights).Cmp(total) >= 0
	if complete {
		start = quorumAt
	}

	// When did the peers alone meet the quorum?
	var ownAt time.Time
	var peers []countedSig
	for _, s := range sigs {
		if s.who == own {
			ownAt = s.at
		} else {
			peers = append(peers, s)
		}
	}
	slices.SortStableFunc(peers, func(a, b countedSig) int { return a.at.Compare(b.at) })
	// Peers' prefixes by arrival, as long as this node signed more than
	// settle/2 after the prefix's last: the first that meets the quorum
	// makes it a laggard.
	laggard := false
	if len(peers) > 0 && ownAt.After(peers[0].at.Add(settle/2)) {
		for i, p := range peers {
			if !ownAt.After(p.at.Add(settle / 2)) {
				break
			}
			if passes(peers[:i+1]) {
				laggard = true
				break
			}
		}
	}

	order := SubmitOrder(eventID, set)
	t := turn{order: order, rank: len(order), of: len(order), laggard: laggard, complete: complete}
	if !laggard {
		if i := slices.Index(order, own); i >= 0 {
			t.rank = i
		}
	}
	if t.rank == 0 && !complete && total != nil {
		everyone, weights := slices.Clone(set), slices.Clone(setWeights)
		for _, k := range known {
			if !slices.Contains(everyone, k.who) {
				everyone, weights = append(everyone, k.who), append(weights, k.weight)
			}
		}
		if sum(weights).Cmp(total) >= 0 && SubmitOrder(eventID, everyone)[0] == own {
			t.unrivalled, start = true, quorumAt
		}
	}
	t.due = start.Add(time.Duration(t.rank) * step)
	return t
}
