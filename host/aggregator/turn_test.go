package aggregator

import (
	"math/big"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// TestPlanTurnViewsAgree plays three operators of equal weight (quorum
// 2/3) through timings where their views of who signed when differ, and
// checks that exactly one of them has the first turn (due at the earliest
// time, before any fallback).
func TestPlanTurnViewsAgree(t *testing.T) {
	const settle, fallback = 500 * time.Millisecond, 10 * time.Second
	ops := []sdk.Address{{1}, {2}, {3}}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

	// signedAt[i] is when operator i signed (-1: never); latency is how
	// long a signature takes to reach another operator.
	cases := []struct {
		name     string
		signedAt [3]int
		latency  int
	}{
		{"all at once", [3]int{0, 0, 0}, 2},
		{"one 100ms behind", [3]int{0, 1, 100}, 2},
		{"one 2s behind", [3]int{0, 1, 2000}, 2},
		{"one never signs", [3]int{0, 5, -1}, 2},
		{"staggered", [3]int{0, 300, 900}, 2},
		// A loaded node takes its time to process what it receives.
		{"slow delivery, one 400ms behind", [3]int{0, 1, 400}, 150},
		{"slow delivery, one 300ms behind", [3]int{0, 1, 300}, 250},
		{"slow delivery, one 450ms behind", [3]int{0, 5, 450}, 100},
		// One signs just after the settle time while delivery is slow:
		// the others have settled without it, it thinks it is in time.
		{"slow delivery, one just past settle", [3]int{0, 1, 600}, 150},
		{"slow delivery, one just past settle (2)", [3]int{0, 1, 560}, 250},
	}
	// With the total unknown (a manager showing only the interface) the
	// turns always start at the cut; the views must agree all the same,
	// whether the operators know each other from earlier events or not.
	for _, known := range [][]countedSig{nil, weighted(ops)} {
		for _, total := range []*big.Int{big.NewInt(300), nil} {
			for _, c := range cases {
				for ev := byte(0); ev < 20; ev++ { // different events rank differently
					eventID := [20]byte{ev}
					firsts := 0
					var earliest time.Time
					dues := make([]time.Time, 3)
					for me := range 3 {
						if c.signedAt[me] < 0 {
							continue
						}
						// This operator's view: its own signature when it signed,
						// the others' after the latency.
						var sigs []countedSig
						for o := range 3 {
							if c.signedAt[o] < 0 {
								continue
							}
							at := c.signedAt[o]
							if o != me {
								at += c.latency
							}
							sigs = append(sigs, countedSig{who: ops[o], weight: big.NewInt(100), at: ms(at)})
						}
						// The quorum is met when it has two signatures, its own among
						// them.
						var ats []time.Time
						for _, s := range sigs {
							ats = append(ats, s.at)
						}
						quorumAt := secondEarliest(ats)
						if own := ms(c.signedAt[me]); own.After(quorumAt) {
							quorumAt = own
						}
						tr := planTurn(eventID, ops[me], sigs, known, twoOfThree, total, quorumAt, settle, fallback)
						dues[me] = tr.due
						if earliest.IsZero() || tr.due.Before(earliest) {
							earliest = tr.due
						}
					}
					for _, d := range dues {
						if !d.IsZero() && d.Sub(earliest) < fallback/2 {
							firsts++
						}
					}
					if firsts != 1 {
						t.Errorf("%s, total %v, known %d, event %d: %d operators take the first turn (dues %v)", c.name, total, len(known), ev, firsts, dues)
					}
				}
			}
		}
	}
}

// twoOfThree is the quorum of three operators of weight 100: two of them.
func twoOfThree(set []countedSig) bool { return sum(weightsOf(set)).Cmp(big.NewInt(200)) >= 0 }

func secondEarliest(ts []time.Time) time.Time {
	var a, b time.Time
	for _, t := range ts {
		switch {
		case a.IsZero() || t.Before(a):
			a, b = t, a
		case b.IsZero() || t.Before(b):
			b = t
		}
	}
	return b
}

func TestPlanTurnLaggardGoesLast(t *testing.T) {
	ops := []sdk.Address{{1}, {2}, {3}}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sigs := []countedSig{
		{who: ops[0], weight: big.NewInt(100), at: t0},
		{who: ops[1], weight: big.NewInt(100), at: t0.Add(time.Millisecond)},
		{who: ops[2], weight: big.NewInt(100), at: t0.Add(3 * time.Second)},
	}
	for ev := byte(0); ev < 10; ev++ {
		tr := planTurn([20]byte{ev}, ops[2], sigs, weighted(ops), twoOfThree, big.NewInt(300), t0.Add(3*time.Second), 500*time.Millisecond, 10*time.Second)
		if !tr.laggard || tr.rank != 3 || tr.due != t0.Add(3*time.Second+30*time.Second) {
			t.Errorf("event %d: %+v; want a laggard going after the three turns", ev, tr)
		}
	}
	// All three signed at once: the turns start at the quorum when the
	// total shows that nobody is missing, at the cut when it is unknown.
	at := []countedSig{
		{who: ops[0], weight: big.NewInt(100), at: t0},
		{who: ops[1], weight: big.NewInt(100), at: t0},
		{who: ops[2], weight: big.NewInt(100), at: t0},
	}
	settle := 500 * time.Millisecond
	if tr := planTurn([20]byte{1}, ops[0], at, nil, twoOfThree, big.NewInt(300), t0, settle, time.Second); tr.due.Sub(t0)%time.Second != 0 {
		t.Errorf("total known: due %v after the quorum, want whole turns", tr.due.Sub(t0))
	}
	if tr := planTurn([20]byte{1}, ops[0], at, nil, twoOfThree, nil, t0, settle, time.Second); tr.due.Sub(t0)%time.Second != settle {
		t.Errorf("total unknown: due %v after the quorum, want the cut (%v) plus whole turns", tr.due.Sub(t0), settle)
	}
}

// TestAfterClaims: which claims put this operator's turn off, and until
// when.
func TestAfterClaims(t *testing.T) {
	const fallback, step = 10 * time.Second, 2 * time.Second
	own, before, after, outside := sdk.Address{2}, sdk.Address{1}, sdk.Address{3}, sdk.Address{9}
	t0 := time.Now()
	cases := []struct {
		name     string
		claims   map[sdk.Address]time.Time
		claimed  bool // this node claimed the event
		wantDue  time.Time
		wantBy   sdk.Address
		tookOver bool
	}{
		{"no claims", nil, false, t0, sdk.Address{}, false},
		{"own claim echoed", map[sdk.Address]time.Time{own: t0}, true, t0, sdk.Address{}, false},
		{"ranked before", map[sdk.Address]time.Time{before: t0}, false, t0.Add(fallback), before, false},
		{"ranked before, after this one claimed", map[sdk.Address]time.Time{before: t0}, true, t0.Add(fallback), before, false},
		{"ranked after, before this one claimed", map[sdk.Address]time.Time{after: t0}, false, t0.Add(fallback), after, true},
		{"ranked after, once this one claimed", map[sdk.Address]time.Time{after: t0}, true, t0, sdk.Address{}, false},
		// A claimant whose signature this node has not got yet ranked
		// itself first from its own view: the first claim heard wins.
		{"outside this view, before this one claimed", map[sdk.Address]time.Time{outside: t0}, false, t0.Add(fallback), outside, true},
		{"outside this view, once this one claimed", map[sdk.Address]time.Time{outside: t0}, true, t0, sdk.Address{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := New(Options{FallbackDelay: fallback, ClaimWait: step})
			st := a.eventState(service.EventID{0xe})
			for who, at := range tc.claims {
				st.claims[who] = at
			}
			if tc.claimed {
				st.claimedAt = t0
			}
			got := a.afterClaims(service.EventID{0xe}, own, turn{due: t0, order: []sdk.Address{before, own, after}, rank: 1, of: 3})
			if !got.due.Equal(tc.wantDue) || got.claimedBy != tc.wantBy || got.tookOver != tc.tookOver {
				t.Errorf("due +%v by %x took over %v; want +%v by %x took over %v",
					got.due.Sub(t0), got.claimedBy[:1], got.tookOver, tc.wantDue.Sub(t0), tc.wantBy[:1], tc.tookOver)
			}
		})
	}
}

// weighted is ops, each of weight 100, as knownOperators gives them.
func weighted(ops []sdk.Address) []countedSig {
	out := make([]countedSig, len(ops))
	for i, o := range ops {
		out[i] = countedSig{who: o, weight: big.NewInt(100)}
	}
	return out
}

// TestPlanTurnUnrivalled: with one operator's signature still missing,
// the operator first among all it knows goes at the quorum, when those
// it knows hold the whole weight; first only among those that signed,
// or not knowing who holds the rest, it waits for the cut.
func TestPlanTurnUnrivalled(t *testing.T) {
	const settle, step = 500 * time.Millisecond, time.Second
	ops := []sdk.Address{{1}, {2}, {3}}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	checked := map[bool]bool{}
	for ev := byte(0); ev < 40; ev++ {
		eventID := [20]byte{ev}
		all := SubmitOrder(eventID, ops)
		for missing := range ops {
			var sigs []countedSig
			for i, o := range ops {
				if i != missing {
					sigs = append(sigs, countedSig{who: o, weight: big.NewInt(100), at: t0})
				}
			}
			signed := SubmitOrder(eventID, []sdk.Address{sigs[0].who, sigs[1].who})
			own := signed[0] // first among those that signed
			for _, c := range []struct {
				known []countedSig
				total int64
			}{
				{nil, 300},
				{weighted(ops), 300},
				// A fourth operator, never seen, holds a quarter.
				{weighted(ops), 400},
			} {
				tr := planTurn(eventID, own, sigs, c.known, twoOfThree, big.NewInt(c.total), t0, settle, step)
				want := c.known != nil && c.total == 300 && all[0] == own
				checked[want] = true
				if tr.unrivalled != want || tr.rank != 0 {
					t.Fatalf("event %d, %x missing, known %d, total %d: unrivalled %v rank %d, want %v and first", ev, ops[missing][0], len(c.known), c.total, tr.unrivalled, tr.rank, want)
				}
				if wantDue := map[bool]time.Time{true: t0, false: t0.Add(settle)}[want]; !tr.due.Equal(wantDue) {
					t.Errorf("event %d, %x missing: due %v after the quorum, want %v", ev, ops[missing][0], tr.due.Sub(t0), wantDue.Sub(t0))
				}
				// The second of those that signed never goes before the cut.
				if tr := planTurn(eventID, signed[1], sigs, c.known, twoOfThree, big.NewInt(c.total), t0, settle, step); tr.unrivalled || tr.due.Before(t0.Add(settle)) {
					t.Errorf("event %d: the second signer is due %v after the quorum", ev, tr.due.Sub(t0))
				}
			}
		}
	}
	if !checked[true] || !checked[false] {
		t.Errorf("cases checked: %v", checked)
	}
}

// TestKnownOperators: the operators known for a turn are the signers of
// that manager read with a weight above zero within MemberTTL.
func TestKnownOperators(t *testing.T) {
	a := New(Options{MemberTTL: time.Minute})
	now := time.Now()
	a.members = map[memberKey]member{
		{testChain, "m", sdk.Address{1}}:     {weight: big.NewInt(5), at: now},
		{testChain, "m", sdk.Address{2}}:     {weight: big.NewInt(0), at: now},                       // no weight
		{testChain, "m", sdk.Address{3}}:     {weight: big.NewInt(5), at: now.Add(-2 * time.Minute)}, // stale
		{testChain, "other", sdk.Address{4}}: {weight: big.NewInt(5), at: now},
		{"evm:1", "m", sdk.Address{5}}:       {weight: big.NewInt(5), at: now},
	}
	got := a.knownOperators(testChain, "m")
	if len(got) != 1 || got[0].who != (sdk.Address{1}) || got[0].weight.Int64() != 5 {
		t.Errorf("known operators: %+v, want only 0x01 of weight 5", got)
	}
}
