package watch

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
)

// logWatch follows the logs of one evm_contract_event trigger.
//
// With confirmations = 0 over ws it subscribes to the logs, backfills with
// eth_getLogs from its position to the head, then emits live logs as they
// come (live). Otherwise (confirmations > 0, or http only) it reads logs
// with eth_getLogs up to the confirmed head each time the head moves
// (scan), so that only logs of the chain as it is once confirmed are seen.
// Every log is emitted once, in chain order: a log at or before the last
// emitted position is dropped.
type logWatch struct {
	id    string
	src   *sdk.EvmContractEvent
	chain *chain
	queue *sdk.EventQueue
	set   settings
	log   hclog.Logger

	// last is the position of the last emitted log (or where the trigger
	// starts: after it); known is false until it is set.
	last  logPos
	known bool
	// scanned is the highest block whose logs have all been emitted, as
	// far as eth_getLogs answers show; 0 if none.
	scanned uint64
	pending map[logPos]types.Log
}

// run follows the chain until ctx ends.
func (l *logWatch) run(ctx context.Context) {
	bo := newBackoff(l.set.reconnectMax)
	for {
		s, err := l.chain.waitSession(ctx)
		if err != nil {
			return
		}
		began := time.Now()
		if s.ws && l.set.confirmations == 0 && l.set.tag == "" {
			err = l.live(ctx, s)
		} else {
			err = l.scan(ctx, s)
		}
		if ctx.Err() != nil {
			return
		}
		bo.done(time.Since(began))
		wait := bo.next()
		l.log.Warn("log watch interrupted; resuming with a backfill", "error", err, "retry_in", wait)
		l.chain.trouble(s, err)
		if !sleep(ctx, wait) {
			return
		}
	}
}

// query is the trigger's filter.
func (l *logWatch) query() ethereum.FilterQuery {
	return ethereum.FilterQuery{
		Addresses: []common.Address{common.Address(l.src.Address)},
		Topics:    [][]common.Hash{{common.Hash(l.src.EventHash)}},
	}
}

// start sets the starting position, from the head, if it is not known yet.
func (l *logWatch) start(ctx context.Context, s *session) error {
	if l.known {
		return nil
	}
	h, err := s.eth.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("eth_blockNumber: %w", err)
	}
	l.last, l.known = endOf(catchupFrom(h, l.set.catchup)), true
	l.log.Debug("starting before the head", "head", h, "catchup_blocks", l.set.catchup)
	return nil
}

// from is the first block a backfill has to read.
func (l *logWatch) from() uint64 {
	from := l.last.block
	if l.last.index == endOf(0).index {
		from++
	}
	return max(from, l.scanned+1)
}

// live follows a ws session with confirmations = 0: it subscribes to the
// logs, backfills up to the head read after subscribing (every log of a
// later block comes live), then emits live logs as they come.
func (l *logWatch) live(ctx context.Context, s *session) error {
	if err := l.start(ctx, s); err != nil {
		return err
	}
	logs := make(chan types.Log, 256)
	sub, err := s.eth.SubscribeFilterLogs(ctx, l.query(), logs)
	if err != nil {
		return fmt.Errorf("subscribe logs: %w", err)
	}
	defer sub.Unsubscribe()
	head, err := s.eth.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("eth_blockNumber: %w", err)
	}
	l.pending = map[logPos]types.Log{}
	if err := l.backfill(ctx, s, head); err != nil {
		return err
	}
	for {
		select {
		case lg := <-logs:
			l.add(lg)
			head = max(head, lg.BlockNumber)
			if err := l.flush(ctx, head); err != nil {
				return err
			}
		case err, ok := <-sub.Err():
			if !ok || err == nil {
				err = errors.New("connection closed")
			}
			return fmt.Errorf("log subscription: %w", err)
		case <-s.done:
			return s.err()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// scan follows a session by reading the logs with eth_getLogs up to the
// confirmed head whenever the head moves: on ws when the chain's newHeads
// subscription says so, on http every pollInterval. Logs are read only
// once confirmed, so a log that a reorg removed before then is never seen,
// whether or not the node announces the removal.
func (l *logWatch) scan(ctx context.Context, s *session) error {
	if err := l.start(ctx, s); err != nil {
		return err
	}
	l.pending = map[logPos]types.Log{}
	for {
		_, _, _, changed := l.chain.state()
		head, err := s.eth.BlockNumber(ctx)
		if err != nil {
			return fmt.Errorf("eth_blockNumber: %w", err)
		}
		confirmed, ok, err := s.confirmed(ctx, l.set, head)
		if err != nil {
			return err
		}
		if ok {
			if err := l.backfill(ctx, s, confirmed); err != nil {
				return err
			}
		}
		if err := waitHead(ctx, s, changed); err != nil {
			return err
		}
	}
}

// waitHead waits until the head may have moved: changed closes (ws, the
// chain's newHeads) or pollInterval passes (http).
func waitHead(ctx context.Context, s *session, changed <-chan struct{}) error {
	var tick <-chan time.Time
	if !s.ws {
		t := time.NewTimer(pollInterval)
		defer t.Stop()
		tick, changed = t.C, nil
	}
	select {
	case <-changed:
	case <-tick:
	case <-s.done:
		return s.err()
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// backfill reads the logs from l.from() up to block to (confirmed) with
// eth_getLogs, at most backfill_blocks_per_query blocks a query, and emits
// them. A query the node refuses (many limit the range or the number of
// results) is tried again over half the range, down to one block.
func (l *logWatch) backfill(ctx context.Context, s *session, to uint64) error {
	span := l.set.blocksPerLogs
	for from := l.from(); from <= to; {
		end := min(to, from+span-1)
		q := l.query()
		q.FromBlock, q.ToBlock = new(big.Int).SetUint64(from), new(big.Int).SetUint64(end)
		logs, err := s.eth.FilterLogs(ctx, q)
		var rpcErr rpc.Error
		if err != nil && errors.As(err, &rpcErr) && span > 1 {
			span = max(1, span/2)
			l.log.Debug("eth_getLogs refused; narrowing the range", "from", from, "to", end, "error", err, "blocks", span)
			continue
		}
		if err != nil {
			return fmt.Errorf("eth_getLogs %d-%d: %w", from, end, err)
		}
		for _, lg := range logs {
			l.add(lg)
		}
		if err := l.flush(ctx, to); err != nil {
			return err
		}
		l.scanned = max(l.scanned, end)
		from = end + 1
	}
	return nil
}

// add takes a log into pending, or drops it from there when a reorg
// removed it.
func (l *logWatch) add(lg types.Log) {
	pos := logPos{block: lg.BlockNumber, index: uint64(lg.Index)}
	if lg.Removed {
		if p, ok := l.pending[pos]; ok && p.BlockHash == lg.BlockHash {
			delete(l.pending, pos)
		} else if !pos.after(l.last) {
			l.log.Warn("a reorg removed a log that was already emitted (raise confirmations to avoid this)",
				"block", lg.BlockNumber, "log_index", lg.Index, "tx", lg.TxHash)
		}
		return
	}
	if !pos.after(l.last) {
		return // emitted already (or before the start)
	}
	l.pending[pos] = lg
}

// flush emits the pending logs of blocks up to confirmed, in chain order.
func (l *logWatch) flush(ctx context.Context, confirmed uint64) error {
	if len(l.pending) == 0 {
		return nil
	}
	var ready []logPos
	for pos := range l.pending {
		if pos.block <= confirmed {
			ready = append(ready, pos)
		}
	}
	sort.Slice(ready, func(i, j int) bool { return ready[j].after(ready[i]) })
	for _, pos := range ready {
		lg := l.pending[pos]
		ev := sdk.TriggerEvent{TriggerID: l.id, Cursor: logCursor(pos), Data: evmLog(l.src.Chain, lg)}
		if err := l.queue.Push(ctx, ev); err != nil {
			return err
		}
		delete(l.pending, pos)
		l.last = pos
	}
	return nil
}

// evmLog converts a log for the host.
func evmLog(chainKey string, lg types.Log) *sdk.EvmLog {
	topics := make([]sdk.Hash, len(lg.Topics))
	for i, t := range lg.Topics {
		topics[i] = sdk.Hash(t)
	}
	return &sdk.EvmLog{
		Chain:       chainKey,
		Address:     sdk.Address(lg.Address),
		Topics:      topics,
		Data:        append([]byte(nil), lg.Data...),
		BlockNumber: lg.BlockNumber,
		BlockHash:   sdk.Hash(lg.BlockHash),
		TxHash:      sdk.Hash(lg.TxHash),
		TxIndex:     uint32(lg.TxIndex),
		LogIndex:    uint32(lg.Index),
		// As the RPC sent it (anvil and geth do); WAVS reads the same
		// field and does not fetch the header when it is missing.
		BlockTimestamp: lg.BlockTimestamp,
	}
}
