package submit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/wavs-go/wavs/contracts/anviltest"
)

// TestNonceReadAhead: a nonce read ahead of the lock is used only while
// nothing was sent under the lock since it was read; otherwise, or when
// the read failed, the pending nonce is read again under the lock.
func TestNonceReadAhead(t *testing.T) {
	ch := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	from := ch.Accounts[1]
	pending, err := ch.Client.PendingNonceAt(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	n := newNonceTracker()
	errNotSent := errors.New("not sent")
	// nonceOf runs send, which gives build the nonce it chose; nothing is
	// sent.
	nonceOf := func(ahead *nonceRead) uint64 {
		t.Helper()
		var got uint64
		_, err := n.send(ctx, ch.Client, from, ahead, func(nonce uint64) (*types.Transaction, error) {
			got = nonce
			return nil, errNotSent
		})
		if !errors.Is(err, errNotSent) {
			t.Fatalf("send: %v", err)
		}
		return got
	}
	ahead := n.readAhead(ctx, ch.Client, from)
	if ahead.err != nil || ahead.next != pending {
		t.Fatalf("read ahead: %d, %v; want %d", ahead.next, ahead.err, pending)
	}
	// A read the chain could not have given shows which one is used.
	ahead.next = pending + 100
	if got := nonceOf(&ahead); got != pending+100 {
		t.Errorf("nothing sent since the read: nonce %d, want the read's %d", got, pending+100)
	}
	if got := nonceOf(&ahead); got != pending {
		t.Errorf("the lock was held since the read: nonce %d, want %d read again", got, pending)
	}
	failed := nonceRead{next: pending + 100, epoch: n.epoch.Load(), err: errors.New("timeout")}
	if got := nonceOf(&failed); got != pending {
		t.Errorf("a failed read: nonce %d, want %d read again", got, pending)
	}
	if got := nonceOf(nil); got != pending {
		t.Errorf("no read ahead: nonce %d, want %d", got, pending)
	}
}
