package submit

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/wavs-go/wavs/sdk"
)

// payer is what one Submit needs of the configuration, read once.
type payer struct {
	key  *ecdsa.PrivateKey
	from common.Address
	set  settings
}

// Submit implements sdk.Submitter: it sends handleSignedEnvelope to the
// submission's handler and waits for the receipt (see the package
// documentation). It is safe to call concurrently.
func (p *Plugin) Submit(ctx context.Context, s sdk.Submission) (sdk.Receipt, error) {
	c, err := p.chain(s.Chain)
	if err != nil {
		return sdk.Receipt{}, err
	}
	p.mu.RLock()
	pay := payer{key: p.key, from: p.from, set: p.settings}
	p.mu.RUnlock()
	if pay.key == nil {
		return sdk.Receipt{}, fmt.Errorf("%w: submit-evm: %s: no key to pay for transactions: set %s to the hex private key of a funded account",
			sdk.ErrInvalidArgument, s.Chain, EnvCredential)
	}
	handler, err := evmAddress("handler", s.Handler)
	if err != nil {
		return sdk.Receipt{}, err
	}
	env, sigs, err := envelopeArgs(s)
	if err != nil {
		return sdk.Receipt{}, err
	}
	data, err := p.abi.pack(fnHandleSignedEnvelope, env, sigs)
	if err != nil {
		return sdk.Receipt{}, err
	}
	log := c.log.With("handler", handler.Hex(), "event_id", fmt.Sprintf("0x%x", s.Envelope.EventID))

	var lastErr error
	for attempt := 1; attempt <= pay.set.maxAttempts; attempt++ {
		if attempt > 1 {
			if err := sleep(ctx, backoffFor(attempt)); err != nil {
				return sdk.Receipt{}, fmt.Errorf("submit-evm: %s: submit to %s: %w (last error: %v)", s.Chain, handler.Hex(), err, lastErr)
			}
		}
		r, err := p.submitOnce(ctx, c, pay, handler, s.Envelope.EventID, data, s.GasPrice)
		if err == nil {
			return r, nil
		}
		if ctx.Err() != nil || !transient(err) {
			return sdk.Receipt{}, err
		}
		lastErr = err
		log.Warn("submission failed; retrying", "attempt", attempt, "max_attempts", pay.set.maxAttempts, "error", err)
	}
	return sdk.Receipt{}, fmt.Errorf("%w: submit-evm: %s: submit to %s: gave up after %d attempts: %v",
		sdk.ErrUnavailable, s.Chain, handler.Hex(), pay.set.maxAttempts, lastErr)
}

// submitOnce estimates, sends and waits once. Its errors are retried by
// Submit when transient.
func (p *Plugin) submitOnce(ctx context.Context, c *chain, pay payer, handler common.Address, eventID [20]byte, data []byte, gasPrice *big.Int) (sdk.Receipt, error) {
	cl, err := c.connect(ctx)
	if err != nil {
		return sdk.Receipt{}, err
	}
	where := fmt.Sprintf("submit-evm: %s: %s on %s", c.cfg.key, fnHandleSignedEnvelope, handler.Hex())

	// The fees and the pending nonce are read while the gas is estimated.
	type feesOrErr struct {
		f   fees
		err error
	}
	feesCh := make(chan feesOrErr, 1)
	go func() {
		f, err := currentFees(ctx, c, cl)
		feesCh <- feesOrErr{f, err}
	}()
	nonceCh := make(chan nonceRead, 1)
	go func() { nonceCh <- c.nonces.readAhead(ctx, cl, pay.from) }()
	gas, err := cl.EstimateGas(ctx, ethereum.CallMsg{From: pay.from, To: &handler, Data: data})
	fr := <-feesCh
	ahead := <-nonceCh
	if err != nil {
		if re, ok := asRevert(err); ok {
			if name, done := namesHandled(pay.set.alreadyHandled, re.data, eventID); done {
				c.log.Info("the handler already holds this event", "handler", handler.Hex(), "revert", name)
				return sdk.Receipt{AlreadyHandled: true}, nil
			}
			return sdk.Receipt{}, fmt.Errorf("%w: %s reverts: %s", sdk.ErrInvalidArgument, where, p.abi.describeRevert(re.data))
		}
		return sdk.Receipt{}, fmt.Errorf("%s: estimate gas at %s: %w", where, c.endpoint(), err)
	}
	gasLimit := gas + gas*uint64(pay.set.gasMarginPercent)/100

	f, err := fr.f, fr.err
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("%s: fees at %s: %w", where, c.endpoint(), err)
	}
	if gasPrice != nil && gasPrice.Sign() > 0 {
		// The price asked for, as a legacy transaction (what WAVS sends
		// when an aggregator component sets gas-price), within
		// max_gas_price_multiple of what the chain asks now.
		now := f.price
		if now == nil {
			now = f.cap
		}
		if limit := new(big.Int).Mul(now, big.NewInt(int64(pay.set.maxGasPriceMultiple))); gasPrice.Cmp(limit) > 0 {
			return sdk.Receipt{}, fmt.Errorf("%w: %s: the submission asks a gas price of %s wei, more than max_gas_price_multiple = %d times the chain's current %s wei", sdk.ErrInvalidArgument, where, gasPrice, pay.set.maxGasPriceMultiple, now)
		}
		f = fees{price: new(big.Int).Set(gasPrice)}
	}
	in := &inflight{call: call{to: handler, data: data, gas: gasLimit}, fees: f}
	tx, err := c.nonces.send(ctx, cl, pay.from, &ahead, func(nonce uint64) (*types.Transaction, error) {
		return p.sign(c, pay, in.call, nonce, f)
	})
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("%s: from %s at %s: %w", where, pay.from.Hex(), c.endpoint(), err)
	}
	in.nonce, in.versions, in.sentAt = tx.Nonce(), []*types.Transaction{tx}, time.Now()
	c.log.Debug("sent", "tx", tx.Hash().Hex(), "nonce", tx.Nonce(), "gas", gasLimit, "handler", handler.Hex())

	receipt, err := p.follow(ctx, c, cl, pay, in)
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("%s: %w", where, err)
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		return sdk.Receipt{}, fmt.Errorf("%s: transaction %s was mined in block %v but failed (reverted; gas used %d of %d)",
			where, receipt.TxHash.Hex(), receipt.BlockNumber, receipt.GasUsed, gasLimit)
	}
	if eid, envHash, ok := p.decodeHandlerCall(data); ok {
		c.known.remember(receipt.TxHash, handlerTx{to: handler, eventID: eid, envHash: envHash})
	}
	c.log.Info("landed", "tx", receipt.TxHash.Hex(), "block", receipt.BlockNumber, "handler", handler.Hex())
	return sdk.Receipt{TxHash: sdk.Hash(receipt.TxHash), BlockNumber: receipt.BlockNumber.Uint64()}, nil
}

// namesHandled reports whether revert data is one of the configured
// "already handled" errors naming eventID as its first argument (a bytes20
// is left-aligned in its 32-byte word).
func namesHandled(errs map[[4]byte]string, data []byte, eventID [20]byte) (string, bool) {
	if len(data) < 4+32 {
		return "", false
	}
	name, ok := errs[[4]byte(data[:4])]
	if !ok || !bytes.Equal(data[4:24], eventID[:]) || !bytes.Equal(data[24:36], make([]byte, 12)) {
		return "", false
	}
	return name, true
}

// errNotMined is wrapped when a receipt does not come in time.
var errNotMined = errors.New("not mined in time")

// firstReceiptPoll is the first pause before asking for a receipt again;
// the pauses double from it up to receipt_poll_ms. A chain that mines at
// once (a dev chain) has the receipt within milliseconds of the send; on
// others, the few early asks cost a handful of calls per transaction.
const firstReceiptPoll = 2 * time.Millisecond
