package submit

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/wavs-go/wavs/sdk"
)

// A transaction the plugin sent is followed until one version of it is
// mined (see the package documentation, "Transactions"):
//
//   - dropped (the node no longer knows it, e.g. a reorg took its block
//     and it did not come back) while its nonce is still unused: sent
//     again at once;
//   - stuck behind a nonce nobody will fill (a transaction of this account
//     below it was dropped): the gap is filled with no-op transactions;
//   - pending longer than replace_after_seconds: replaced, same nonce,
//     fees raised by a quarter;
//   - not mined within receipt_timeout_seconds: replaced by a no-op at a
//     higher fee, so that no stale copy can be mined later, and the
//     submission fails (the host looks for it on chain and tries again).
//
// Every version shares one nonce, so at most one of them is ever mined.

// fees are the prices of one version of a transaction.
type fees struct {
	tip, cap *big.Int // EIP-1559; nil on a legacy chain
	price    *big.Int // legacy
}

// bumpPercent raises the fees of a replacement; nodes want at least 10.
const bumpPercent = 25

// bumped returns f raised by bumpPercent (and by one wei at least), and at
// least floor.
func (f fees) bumped(floor fees) fees {
	up := func(v, min *big.Int) *big.Int {
		if v == nil {
			return nil
		}
		n := new(big.Int).Mul(v, big.NewInt(100+bumpPercent))
		n.Quo(n, big.NewInt(100))
		if n.Cmp(v) <= 0 {
			n.Add(v, big.NewInt(1))
		}
		if min != nil && n.Cmp(min) < 0 {
			n.Set(min)
		}
		return n
	}
	return fees{tip: up(f.tip, floor.tip), cap: up(f.cap, floor.cap), price: up(f.price, floor.price)}
}

// currentFees reads what the chain asks now: EIP-1559 with the node's
// suggested tip and a fee cap of tip + 2 × base fee, or the node's gas
// price on a chain without a base fee.
func currentFees(ctx context.Context, c *chain, cl *ethclient.Client) (fees, error) {
	// The base fee of a head read within headTTL (the host reads the head
	// just before it submits): the cap of twice it covers several blocks
	// of rises.
	h, err := c.recentHead(ctx, 0)
	if err != nil {
		return fees{}, err
	}
	if h.BaseFee != nil {
		tip, err := c.suggestedTip(ctx, cl)
		if err != nil {
			return fees{}, fmt.Errorf("eth_maxPriorityFeePerGas: %w", err)
		}
		return fees{tip: tip, cap: new(big.Int).Add(tip, new(big.Int).Mul(big.NewInt(2), h.BaseFee.ToInt()))}, nil
	}
	price, err := cl.SuggestGasPrice(ctx)
	if err != nil {
		return fees{}, fmt.Errorf("eth_gasPrice: %w", err)
	}
	return fees{price: price}, nil
}

// tipTTL is how long a suggested priority fee is reused: less than a
// block on any chain worth the name, so that sending several
// transactions a moment apart asks once.
const tipTTL = time.Second

// suggestedTip is the node's suggested priority fee, as read within
// tipTTL.
func (c *chain) suggestedTip(ctx context.Context, cl *ethclient.Client) (*big.Int, error) {
	c.tipMu.Lock()
	tip, at := c.tip, c.tipAt
	c.tipMu.Unlock()
	if tip != nil && time.Since(at) < tipTTL {
		return new(big.Int).Set(tip), nil
	}
	tip, err := cl.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, err
	}
	c.tipMu.Lock()
	c.tip, c.tipAt = new(big.Int).Set(tip), time.Now()
	c.tipMu.Unlock()
	return tip, nil
}

// call is what a transaction carries: to, data and gas.
type call struct {
	to   common.Address
	data []byte
	gas  uint64
}

// noop is a transaction that does nothing: 0 to the payer itself.
func noop(from common.Address) call { return call{to: from, gas: 21000} }

// sign makes the transaction of cl at nonce with f.
func (p *Plugin) sign(c *chain, pay payer, cl call, nonce uint64, f fees) (*types.Transaction, error) {
	var inner types.TxData
	if f.tip != nil {
		inner = &types.DynamicFeeTx{ChainID: c.cfg.id, Nonce: nonce, GasTipCap: f.tip, GasFeeCap: f.cap, Gas: cl.gas, To: &cl.to, Data: cl.data}
	} else {
		inner = &types.LegacyTx{Nonce: nonce, GasPrice: f.price, Gas: cl.gas, To: &cl.to, Data: cl.data}
	}
	tx, err := types.SignNewTx(pay.key, types.LatestSignerForChainID(c.cfg.id), inner)
	if err != nil {
		return nil, fmt.Errorf("sign transaction: %w", err)
	}
	return tx, nil
}

// errDropped: the transaction's nonce was used by another transaction
// while no version of it was mined; nothing of it can be mined any more.
var errDropped = errors.New("dropped: its nonce was used by another transaction")

// inflight is one transaction being followed: its versions, newest last.
type inflight struct {
	call     call
	nonce    uint64
	versions []*types.Transaction
	fees     fees
	sentAt   time.Time // of the newest version
}

// checkEvery is how often a pending transaction is looked at (dropped,
// stuck behind a gap, due for a replacement).
const checkEvery = time.Second

// follow waits for a version of tx to be mined with set.confirmations on
// top, within set.receiptTimeout, keeping it alive meanwhile.
func (p *Plugin) follow(ctx context.Context, c *chain, cl *ethclient.Client, pay payer, in *inflight) (*types.Receipt, error) {
	set := pay.set
	wctx, cancel := context.WithTimeout(ctx, set.receiptTimeout)
	defer cancel()
	var lastErr error
	pause := min(firstReceiptPoll, set.receiptPoll)
	lastCheck := time.Now()
	for {
		for _, v := range in.versions {
			r, err := cl.TransactionReceipt(wctx, v.Hash())
			switch {
			case err == nil && set.confirmations == 0:
				return r, nil
			case err == nil:
				h, herr := c.latest(wctx)
				if herr == nil && uint64(h.Number) >= r.BlockNumber.Uint64()+set.confirmations {
					return r, nil
				}
				lastErr = herr
			case errors.Is(err, ethereum.NotFound):
			default:
				lastErr = err
			}
		}
		if time.Since(lastCheck) >= checkEvery {
			lastCheck = time.Now()
			if err := p.keepAlive(wctx, c, cl, pay, in); err != nil {
				if errors.Is(err, errDropped) {
					return nil, fmt.Errorf("%w: transaction %s (nonce %d): %w", sdk.ErrUnavailable, in.versions[0].Hash().Hex(), in.nonce, err)
				}
				lastErr = err
			}
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return nil, fmt.Errorf("transaction %s: wait for receipt: %w", in.versions[0].Hash().Hex(), ctx.Err())
			}
			p.cancelStale(ctx, c, cl, pay, in)
			return nil, fmt.Errorf("%w: transaction %s: %w: no receipt with %d confirmations within %v (last error: %v); replaced by a no-op so that it cannot land later",
				sdk.ErrUnavailable, in.versions[0].Hash().Hex(), errNotMined, set.confirmations, set.receiptTimeout, lastErr)
		case <-time.After(pause):
			pause = min(2*pause, set.receiptPoll)
		}
	}
}

// keepAlive looks at a pending transaction once: resends it if the node
// dropped it, fills a nonce gap below it, replaces it when it has waited
// replace_after_seconds. errDropped when its nonce went to another
// transaction.
func (p *Plugin) keepAlive(ctx context.Context, c *chain, cl *ethclient.Client, pay payer, in *inflight) error {
	used, err := cl.NonceAt(ctx, pay.from, nil)
	if err != nil {
		return fmt.Errorf("nonce of %s: %w", pay.from.Hex(), err)
	}
	if used > in.nonce {
		// Mined by now, or replaced by something else: one more look at
		// the receipts decides (the caller polls them first).
		for _, v := range in.versions {
			if _, err := cl.TransactionReceipt(ctx, v.Hash()); err == nil {
				return nil
			}
		}
		return errDropped
	}
	known := false
	for _, v := range in.versions {
		if _, _, err := cl.TransactionByHash(ctx, v.Hash()); err == nil {
			known = true
			break
		}
	}
	switch {
	case !known:
		c.log.Warn("transaction dropped by the node; sending it again", "tx", in.versions[len(in.versions)-1].Hash().Hex(), "nonce", in.nonce)
		return p.resend(ctx, c, cl, pay, in)
	case used < in.nonce:
		return p.fillGap(ctx, c, cl, pay, used, in.nonce)
	case time.Since(in.sentAt) >= pay.set.replaceAfter:
		c.log.Info("transaction pending too long; replacing it with higher fees", "tx", in.versions[len(in.versions)-1].Hash().Hex(), "nonce", in.nonce, "waited", time.Since(in.sentAt).Round(time.Second))
		return p.resend(ctx, c, cl, pay, in)
	}
	return nil
}

// resend sends a new version of in at its nonce with fees raised over the
// last version's and at least what the chain asks now.
func (p *Plugin) resend(ctx context.Context, c *chain, cl *ethclient.Client, pay payer, in *inflight) error {
	now, err := currentFees(ctx, c, cl)
	if err != nil {
		return err
	}
	f := in.fees.bumped(now)
	tx, err := p.sign(c, pay, in.call, in.nonce, f)
	if err != nil {
		return err
	}
	if err := cl.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
		return fmt.Errorf("send a new version (nonce %d): %w", in.nonce, err)
	}
	in.versions = append(in.versions, tx)
	in.fees, in.sentAt = f, time.Now()
	c.log.Debug("sent again", "tx", tx.Hash().Hex(), "nonce", in.nonce)
	return nil
}

// fillGap sends no-ops for the nonces from up to below that no pending
// transaction holds (a transaction of this account there was dropped), so
// that the transactions above them can be mined. It holds the nonce lock:
// a new transaction would take the gap's nonce otherwise.
func (p *Plugin) fillGap(ctx context.Context, c *chain, cl *ethclient.Client, pay payer, from, below uint64) error {
	return c.nonces.hold(ctx, func() error {
		pending, err := cl.PendingNonceAt(ctx, pay.from)
		if err != nil {
			return fmt.Errorf("pending nonce of %s: %w", pay.from.Hex(), err)
		}
		if pending > from {
			return nil // something executable fills it: no gap
		}
		f, err := currentFees(ctx, c, cl)
		if err != nil {
			return err
		}
		for n := from; n < below; n++ {
			tx, err := p.sign(c, pay, noop(pay.from), n, f)
			if err != nil {
				return err
			}
			if err := cl.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
				return fmt.Errorf("fill nonce %d: %w", n, err)
			}
			c.log.Warn("filled a nonce gap left by a dropped transaction", "nonce", n, "tx", tx.Hash().Hex())
		}
		return nil
	})
}

// cancelStale replaces a transaction that was not mined in time by a
// no-op at a higher fee, so that no copy of it lands later, when the host
// may already have sent the submission again.
func (p *Plugin) cancelStale(ctx context.Context, c *chain, cl *ethclient.Client, pay payer, in *inflight) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now, err := currentFees(cctx, c, cl)
	if err != nil {
		c.log.Warn("cannot replace a transaction not mined in time", "nonce", in.nonce, "error", err)
		return
	}
	tx, err := p.sign(c, pay, noop(pay.from), in.nonce, in.fees.bumped(now))
	if err == nil {
		err = cl.SendTransaction(cctx, tx)
	}
	if err != nil && !alreadyKnown(err) {
		c.log.Warn("cannot replace a transaction not mined in time", "nonce", in.nonce, "error", err)
		return
	}
	c.log.Warn("replaced a transaction not mined in time by a no-op", "nonce", in.nonce, "tx", tx.Hash().Hex())
}
