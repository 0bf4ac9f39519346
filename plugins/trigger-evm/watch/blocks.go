package watch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
)

// errFinished ends a trigger that has nothing more to fire.
var errFinished = errors.New("trigger finished")

// blockWatch fires a block_interval trigger on every block b with
// (b - start) % n == 0 from start (start_block, or 0 without one) up to
// end, once the block has enough confirmations. Blocks missed while the chain was unreachable, or before
// the trigger's cursor was added again, are fired late rather than
// skipped.
type blockWatch struct {
	id    string
	src   *sdk.BlockInterval
	chain *chain
	queue *sdk.EventQueue
	set   settings
	log   hclog.Logger

	// start anchors the schedule: start_block, or 0 without one.
	start uint64
	// last is the last block considered (fired or not); known is false
	// until it is set.
	last  uint64
	known bool
}

// run follows the chain until ctx ends or the trigger has passed its end
// block.
func (b *blockWatch) run(ctx context.Context) {
	bo := newBackoff(b.set.reconnectMax)
	for {
		s, err := b.chain.waitSession(ctx)
		if err != nil {
			return
		}
		began := time.Now()
		err = b.follow(ctx, s)
		if errors.Is(err, errFinished) {
			b.log.Info("block_interval trigger reached its end_block", "end_block", b.src.EndBlock)
			return
		}
		if ctx.Err() != nil {
			return
		}
		bo.done(time.Since(began))
		wait := bo.next()
		b.log.Warn("block watch interrupted", "error", err, "retry_in", wait)
		b.chain.trouble(s, err)
		if !sleep(ctx, wait) {
			return
		}
	}
}

// follow fires the qualifying blocks of s's chain as the head moves.
func (b *blockWatch) follow(ctx context.Context, s *session) error {
	head, err := s.eth.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("eth_blockNumber: %w", err)
	}
	if !b.known {
		b.last, b.known = catchupFrom(head, b.set.catchup), true
	}
	for {
		if err := b.catchUp(ctx, s, head); err != nil {
			return err
		}
		_, chainHead, known, changed := b.chain.state()
		if known && chainHead > head {
			head = chainHead
			continue
		}
		select {
		case <-changed:
		case <-s.done:
			return s.err()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// next is the first qualifying block after b.last.
func (b *blockWatch) next() uint64 {
	if b.last < b.start {
		return b.start
	}
	n := b.src.NBlocks
	return b.start + ((b.last-b.start)/n+1)*n
}

// catchUp fires every qualifying block that is confirmed at head.
func (b *blockWatch) catchUp(ctx context.Context, s *session, head uint64) error {
	confirmed, ok, err := s.confirmed(ctx, b.set, head)
	if err != nil || !ok {
		return err
	}
	end := b.src.EndBlock
	if end != 0 && confirmed > end {
		confirmed = end
	}
	for n := b.next(); n <= confirmed; n = b.next() {
		h, err := s.headerByNumber(ctx, n)
		if err != nil {
			return err
		}
		ev := sdk.TriggerEvent{
			TriggerID: b.id,
			Cursor:    numberCursor(n),
			Data:      &sdk.BlockTick{Chain: b.src.Chain, BlockNumber: n, BlockHash: sdk.Hash(h.Hash)},
		}
		if err := b.queue.Push(ctx, ev); err != nil {
			return err
		}
		b.last = n
	}
	b.last = max(b.last, confirmed)
	if end != 0 && b.last >= end {
		return errFinished
	}
	return nil
}
