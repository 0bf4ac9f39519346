package submit

import (
	"context"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// nonceTracker assigns the paying account's nonces on one chain, so that
// concurrent Submits send back to back without waiting for each other's
// receipts. The lock is held from reading the nonce to the node accepting
// the transaction.
type nonceTracker struct {
	lock  chan struct{} // capacity one; waiting for it ends with the context
	next  uint64        // guarded by lock
	known bool          // guarded by lock
}

func newNonceTracker() *nonceTracker { return &nonceTracker{lock: make(chan struct{}, 1)} }

// send signs the transaction build makes for the next nonce and sends it.
// The nonce is used up only when the node accepts the transaction; on any
// failure the tracker forgets it and the next send reads the account's
// pending nonce from the node again (which is how "nonce too low" heals).
func (n *nonceTracker) send(ctx context.Context, cl *ethclient.Client, from common.Address,
	build func(nonce uint64) (*types.Transaction, error)) (*types.Transaction, error) {
	if err := acquire(ctx, n.lock); err != nil {
		return nil, fmt.Errorf("wait for the nonce lock: %w", err)
	}
	defer func() { <-n.lock }()
	if !n.known {
		pending, err := cl.PendingNonceAt(ctx, from)
		if err != nil {
			return nil, fmt.Errorf("pending nonce of %s: %w", from, err)
		}
		n.next, n.known = pending, true
	}
	tx, err := build(n.next)
	if err != nil {
		return nil, err
	}
	if err := cl.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
		n.known = false
		return nil, fmt.Errorf("send transaction (nonce %d): %w", n.next, err)
	}
	n.next++
	return tx, nil
}

// forget makes the next send read the pending nonce from the node, e.g.
// after a transaction that may have been dropped.
func (n *nonceTracker) forget() {
	n.lock <- struct{}{}
	defer func() { <-n.lock }()
	n.known = false
}

// alreadyKnown reports the node saying it already holds this very
// transaction: a resend of one that got through.
func alreadyKnown(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "already known")
}
