package p2p

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/wavs-go/wavs/sdk"
)

// The host's verdicts on service topics. Once the host has reported a
// verdict (it calls Report for every message that carries an id), the
// validator of a service topic hands each well-formed message to the host
// with an id and waits for its verdict before GossipSub delivers or
// forwards anything: accepted messages are forwarded; rejected ones are
// dropped and count against the peer that sent them (its score falls
// until the router ignores it); ignored ones are dropped without blame.
// Until the host reports, messages go to it as before (with ids, so that
// it can start), accepted by the validator's own checks, so a host that
// takes no verdicts loses nothing.
const (
	// verdictWait bounds the wait for the host's verdict; a message not
	// judged by then is ignored (not forwarded, nobody blamed).
	verdictWait = 2 * time.Second
	// maxPendingPerPeer bounds the messages of one peer waiting for the
	// host at once: the rest are ignored, so a flood from one peer cannot
	// take the validator's concurrency (validatorConcurrency) from the
	// others. Operators send two or three messages per result, and a
	// burst of triggers (many in one block) makes hundreds at once: with
	// too low a bound an honest operator's messages are dropped and sent
	// again seconds later. maxControlPerPeer bounds, apart, its claims
	// and landed notices, so that a backlog of signatures never drops
	// one.
	maxPendingPerPeer = 512
	maxControlPerPeer = 64
	// maxPendingBytesPerPeer and maxPendingBytes bound the bytes waiting
	// for the host, per peer and in all: messages may be as large as
	// max_message_bytes (2 MiB by default), and 512 of those from one peer
	// would hold a gigabyte. Operators' messages are small (a signature
	// over a typical result is under a kilobyte).
	maxPendingBytesPerPeer = 16 << 20
	maxPendingBytes        = 128 << 20
	// validatorConcurrency bounds the messages waiting for a verdict, all
	// peers together (pubsub's default of 1024 would let two peers'
	// bursts take it all).
	validatorConcurrency = 4096
)

// verdicts are the messages handed to the host and waiting for its
// verdict.
type verdicts struct {
	// on is set by the first Report: the host takes part.
	on   atomic.Bool
	next atomic.Uint64
	// self is this node's peer id: its own publishes are validated too,
	// and never wait for the host.
	self atomic.Pointer[peer.ID]

	mu      sync.Mutex
	pending map[string]chan sdk.Verdict
	perPeer map[peerKind]int
	// bytes and perPeerBytes are the sizes of the messages waiting.
	bytes        int
	perPeerBytes map[peer.ID]int
}

// peerKind counts a peer's messages waiting for the host by kind.
type peerKind struct {
	peer    peer.ID
	control bool
}

// noteDropped counts a message dropped for want of the host's verdict
// and says so, at most every droppedLogEvery: the host is behind its
// peers, and they will have to send again.
func (t *Transport) noteDropped() {
	n := t.dropped.Add(1)
	now := time.Now().UnixNano()
	last := t.droppedLogged.Load()
	if now-last < int64(droppedLogEvery) || !t.droppedLogged.CompareAndSwap(last, now) {
		return
	}
	t.log.Warn("peers' messages dropped while the node was behind with judging them; their senders publish them again later", "dropped_total", n)
}

// droppedLogEvery spaces the warnings of noteDropped.
const droppedLogEvery = 10 * time.Second

// handedToHost marks, in a pubsub message's ValidatorData, a message the
// validator already put on the Inbound stream: the subscription's reader
// skips it.
type handedToHost struct{}

var _ sdk.VerdictReporter = (*Transport)(nil)

// Report implements sdk.VerdictReporter.
func (t *Transport) Report(_ context.Context, id string, v sdk.Verdict) error {
	switch v {
	case sdk.VerdictAccept, sdk.VerdictReject, sdk.VerdictIgnore:
	default:
		return fmt.Errorf("%w: verdict %v", sdk.ErrInvalidArgument, v)
	}
	t.verdicts.on.Store(true)
	t.verdicts.mu.Lock()
	ch := t.verdicts.pending[id]
	delete(t.verdicts.pending, id)
	t.verdicts.mu.Unlock()
	if ch != nil {
		ch <- v // buffered; each id is reported once
	}
	return nil
}

// askHost hands a well-formed message of a service topic, received from
// peer from, to the host and returns its verdict as the validator's
// result.
func (t *Transport) askHost(ctx context.Context, from peer.ID, msg *pubsub.Message, control bool) pubsub.ValidationResult {
	v := &t.verdicts
	key, most, queue := peerKind{from, control}, maxPendingPerPeer, t.msgs
	if control {
		most, queue = maxControlPerPeer, t.control
	}
	size := len(msg.GetData())
	v.mu.Lock()
	if v.perPeer[key] >= most || v.perPeerBytes[from]+size > maxPendingBytesPerPeer || v.bytes+size > maxPendingBytes {
		v.mu.Unlock()
		t.noteDropped()
		return pubsub.ValidationIgnore
	}
	if v.perPeerBytes == nil {
		v.perPeerBytes = map[peer.ID]int{}
	}
	v.perPeerBytes[from] += size
	v.bytes += size
	id := strconv.FormatUint(v.next.Add(1), 10)
	ch := make(chan sdk.Verdict, 1)
	v.pending[id] = ch
	v.perPeer[key]++
	v.mu.Unlock()
	defer func() {
		v.mu.Lock()
		delete(v.pending, id)
		if v.perPeer[key]--; v.perPeer[key] <= 0 {
			delete(v.perPeer, key)
		}
		v.bytes -= size
		if v.perPeerBytes[from] -= size; v.perPeerBytes[from] <= 0 {
			delete(v.perPeerBytes, from)
		}
		v.mu.Unlock()
	}()

	timer := time.NewTimer(verdictWait)
	defer timer.Stop()
	m := sdk.Message{
		ID:           id,
		Topic:        msg.GetTopic(),
		Data:         msg.GetData(),
		From:         msg.GetFrom().String(),
		ReceivedFrom: from.String(),
		ReceivedAt:   time.Now(),
	}
	select {
	case queue <- m:
	case <-timer.C:
		t.noteDropped()
		return pubsub.ValidationIgnore
	case <-ctx.Done():
		return pubsub.ValidationIgnore
	}
	msg.ValidatorData = handedToHost{}
	select {
	case verdict := <-ch:
		switch verdict {
		case sdk.VerdictAccept:
			return pubsub.ValidationAccept
		case sdk.VerdictReject:
			return pubsub.ValidationReject
		}
		return pubsub.ValidationIgnore
	case <-timer.C:
		t.noteDropped()
		return pubsub.ValidationIgnore
	case <-ctx.Done():
		return pubsub.ValidationIgnore
	}
}
