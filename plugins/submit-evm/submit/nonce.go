package submit

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// nonceTracker assigns the paying account's nonces on one chain, so that
// concurrent Submits send back to back without waiting for each other's
// receipts. The lock is held from reading the nonce to the node accepting
// the transaction.
type nonceTracker struct {
	lock chan struct{} // capacity one; waiting for it ends with the context
	// epoch counts the times the lock was released: a pending nonce read
	// in one epoch still holds under the lock only in the same one.
	epoch atomic.Uint64
}

// nonceRead is a pending nonce read ahead of send (readAhead), while the
// gas is estimated.
type nonceRead struct {
	next  uint64
	epoch uint64
	err   error
}

// readAhead reads the pending nonce outside the lock; send uses it when
// nothing was sent under the lock since, and reads it again otherwise.
func (n *nonceTracker) readAhead(ctx context.Context, cl *ethclient.Client, from common.Address) nonceRead {
	epoch := n.epoch.Load()
	next, err := cl.PendingNonceAt(ctx, from)
	return nonceRead{next: next, epoch: epoch, err: err}
}

func newNonceTracker() *nonceTracker { return &nonceTracker{lock: make(chan struct{}, 1)} }

// send signs the transaction build makes for the next nonce and sends it.
// The next nonce is the node's pending nonce, read under the lock (or
// ahead, when nothing was sent under the lock since: ahead, when not nil):
// a transaction sent just before is in the node's pool by then, and one
// the node dropped (a reorg took its block) frees its nonce for this one
// instead of leaving a gap that would hold every later transaction.
func (n *nonceTracker) send(ctx context.Context, cl *ethclient.Client, from common.Address, ahead *nonceRead,
	build func(nonce uint64) (*types.Transaction, error)) (*types.Transaction, error) {
	var tx *types.Transaction
	err := n.hold(ctx, func() error {
		next, err := uint64(0), error(nil)
		if ahead != nil && ahead.err == nil && ahead.epoch == n.epoch.Load() {
			next = ahead.next
		} else if next, err = cl.PendingNonceAt(ctx, from); err != nil {
			return fmt.Errorf("pending nonce of %s: %w", from, err)
		}
		if tx, err = build(next); err != nil {
			return err
		}
		if err := cl.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
			return fmt.Errorf("send transaction (nonce %d): %w", next, err)
		}
		return nil
	})
	return tx, err
}

// hold runs fn with the nonce lock held.
func (n *nonceTracker) hold(ctx context.Context, fn func() error) error {
	if err := acquire(ctx, n.lock); err != nil {
		return fmt.Errorf("wait for the nonce lock: %w", err)
	}
	defer func() {
		n.epoch.Add(1)
		<-n.lock
	}()
	return fn()
}

// alreadyKnown reports the node saying it already holds this very
// transaction: a resend of one that got through.
func alreadyKnown(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "already known")
}
