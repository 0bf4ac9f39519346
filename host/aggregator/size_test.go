package aggregator

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
)

// limitedNet is a member of the fake bus whose transport sends at most
// limit bytes, as transport-libp2p with a max_message_bytes.
type limitedNet struct {
	*netMember
	limit int
	over  atomic.Int64 // publishes over the limit that reached the transport
}

func (l *limitedNet) MaxMessageBytes() int { return l.limit }

func (l *limitedNet) Publish(ctx context.Context, topic string, data []byte) error {
	if len(data) > l.limit {
		l.over.Add(1)
	}
	return l.netMember.Publish(ctx, topic, data)
}

// TestSignatureOverTransportLimit: a signature message above the
// transport's limit is not handed to it (and not retried every pause);
// an operator whose weight alone meets the quorum still lands the
// result, and the others never see a signature.
func TestSignatureOverTransportLimit(t *testing.T) {
	chain, ops := cluster(t, 2)
	chain.weights[ops[0].key.Address()] = 300 // 300 of 400 meets 2/3 alone
	lim := &limitedNet{netMember: ops[0].net, limit: 1000}
	ops[0].agg.o.Network = lim
	ops[0].start(t)
	ops[1].start(t)
	eid := ops[0].sign(t, 1, bytes.Repeat([]byte{1}, 1000))
	// The result is marked submitted just before the landing is counted.
	waitFor(t, "the event to land", func() bool {
		return ops[0].status(t, eid) == StatusSubmitted && ops[0].agg.Stats(t.Context()).Submitted == 1
	})
	if n := lim.over.Load(); n != 0 {
		t.Errorf("%d publishes over the limit reached the transport", n)
	}
	st := ops[0].agg.Stats(t.Context())
	if st.Published != 0 || st.PublishFailed == 0 || st.Submitted != 1 {
		t.Errorf("stats %+v: want nothing published, a failure counted and the event submitted", st)
	}
	// The peer hears of the claim and the landing (small), not the
	// signature.
	if got := ops[1].agg.Stats(t.Context()).Accepted; got != 0 {
		t.Errorf("the peer accepted %d signatures", got)
	}
	if err := ops[0].agg.checkSize(make([]byte, 1000)); err != nil {
		t.Errorf("a message at the limit: %v", err)
	}
	if err := ops[0].agg.checkSize(make([]byte, 1001)); !tooLarge(err) {
		t.Errorf("a message over the limit: %v", err)
	}
}
