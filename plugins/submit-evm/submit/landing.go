package submit

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/wavs-go/wavs/sdk"
)

// A landing is proven by the chain alone: a transaction sent to the
// handler, calling handleSignedEnvelope with an envelope of the event id,
// whose receipt has status 1 (and the configured confirmations on top).
// Nothing is inferred from a revert, an event or a handler's own views:
// WAVS's example handler emits nothing and accepts replays, so only its
// transactions tell what landed. A landing made through another contract
// (a multicall) is not seen; the host then submits once more, which a
// handler must tolerate anyway.

// maxScanBlocks bounds the blocks one FindLanding looks through.
const maxScanBlocks = 10000

// cacheDepth: blocks at least this far below the head are remembered once
// scanned; newer ones are remembered with their hashes and read again only
// when a reorg replaced them.
const cacheDepth = 64

// maxCachedBlocks bounds the remembered blocks of all chains.
const maxCachedBlocks = 200000

// batchBlocks is how many blocks one JSON-RPC batch asks for.
const batchBlocks = 50

// handlerCall is a handleSignedEnvelope call found in a block.
type handlerCall struct {
	to      common.Address
	eventID [20]byte
	tx      common.Hash
	envHash common.Hash
}

// landingCache remembers the handler calls of blocks, per chain: of old
// blocks by number, of recent ones with their hashes.
type landingCache struct {
	mu     sync.Mutex
	blocks map[string]map[uint64][]handlerCall
	n      int
	recent map[string]map[uint64]recentBlock
}

func (lc *landingCache) get(chain string, n uint64) ([]handlerCall, bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	calls, ok := lc.blocks[chain][n]
	return calls, ok
}

func (lc *landingCache) put(chain string, n uint64, calls []handlerCall) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.blocks == nil || lc.n >= maxCachedBlocks {
		lc.blocks, lc.n = map[string]map[uint64][]handlerCall{}, 0
	}
	m := lc.blocks[chain]
	if m == nil {
		m = map[uint64][]handlerCall{}
		lc.blocks[chain] = m
	}
	if _, ok := m[n]; !ok {
		lc.n++
	}
	m[n] = calls
}

// recentBlock is a block within cacheDepth of the head as last read.
type recentBlock struct {
	hash, parent common.Hash
	calls        []handlerCall
}

// recentBlocks returns the remembered recent blocks from..head of chain,
// first forgetting those no longer in the window below head.
func (lc *landingCache) recentBlocks(chain string, from, head uint64) map[uint64]recentBlock {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	m := lc.recent[chain]
	floor := recentFloor(head)
	out := make(map[uint64]recentBlock, head-from+1)
	for n, b := range m {
		switch {
		case n < floor || n > head:
			delete(m, n)
		case n >= from:
			out[n] = b
		}
	}
	return out
}

func (lc *landingCache) putRecent(chain string, n uint64, b recentBlock) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.recent == nil {
		lc.recent = map[string]map[uint64]recentBlock{}
	}
	m := lc.recent[chain]
	if m == nil {
		m = map[uint64]recentBlock{}
		lc.recent[chain] = m
	}
	m[n] = b
}

// dropRecent forgets the recent blocks from..to of chain.
func (lc *landingCache) dropRecent(chain string, from, to uint64) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for n := from; n <= to; n++ {
		delete(lc.recent[chain], n)
	}
}

// rpcTx and rpcReceipt are the fields read from eth_getTransactionByHash,
// eth_getBlockByNumber and eth_getTransactionReceipt: decoded by hand so
// that transaction types go-ethereum does not know (other chains') cannot
// make a proof unreadable.
type rpcTx struct {
	Hash        common.Hash     `json:"hash"`
	To          *common.Address `json:"to"`
	Input       hexutil.Bytes   `json:"input"`
	BlockNumber *hexutil.Big    `json:"blockNumber"`
}

type rpcBlock struct {
	Number       hexutil.Uint64 `json:"number"`
	Hash         common.Hash    `json:"hash"`
	ParentHash   common.Hash    `json:"parentHash"`
	Transactions []rpcTx        `json:"transactions"`
}

type rpcReceipt struct {
	Status      hexutil.Uint64 `json:"status"`
	BlockNumber hexutil.Big    `json:"blockNumber"`
	BlockHash   common.Hash    `json:"blockHash"`
}

// FindLanding implements sdk.Submitter.
func (p *Plugin) FindLanding(ctx context.Context, q sdk.LandingQuery) (sdk.Landing, error) {
	c, err := p.chain(q.Chain)
	if err != nil {
		return sdk.Landing{}, err
	}
	handler, err := evmAddress("handler", q.Handler)
	if err != nil {
		return sdk.Landing{}, err
	}
	p.mu.RLock()
	confirmations := p.settings.confirmations
	p.mu.RUnlock()
	if q.TxHash != (sdk.Hash{}) {
		return p.checkLanding(ctx, c, q, handler, common.Hash(q.TxHash), confirmations)
	}
	return p.scanLandings(ctx, c, q, handler, confirmations)
}

// decodeHandlerCall reads the event id and envelope hash of a
// handleSignedEnvelope call; false for any other input.
func (p *Plugin) decodeHandlerCall(input []byte) ([20]byte, common.Hash, bool) {
	m := p.abi.abi.Methods[fnHandleSignedEnvelope]
	if len(input) < 4 || !bytes.Equal(input[:4], m.ID) {
		return [20]byte{}, common.Hash{}, false
	}
	vals, err := m.Inputs.Unpack(input[4:])
	if err != nil || len(vals) != 2 {
		return [20]byte{}, common.Hash{}, false
	}
	env, ok := abi.ConvertType(vals[0], new(abiEnvelope)).(*abiEnvelope)
	if !ok {
		return [20]byte{}, common.Hash{}, false
	}
	enc, err := m.Inputs[:1].Pack(env)
	if err != nil {
		return [20]byte{}, common.Hash{}, false
	}
	return env.EventID, crypto.Keccak256Hash(enc), true
}

// checkLanding checks one transaction named as the landing.
func (p *Plugin) checkLanding(ctx context.Context, c *chain, q sdk.LandingQuery, handler common.Address, hash common.Hash, confirmations uint64) (sdk.Landing, error) {
	cl, err := c.connect(ctx)
	if err != nil {
		return sdk.Landing{}, err
	}
	no := func(format string, args ...any) (sdk.Landing, error) {
		return sdk.Landing{Reason: fmt.Sprintf("transaction %s: ", hash.Hex()) + fmt.Sprintf(format, args...)}, nil
	}
	if known, ok := c.known.lookup(hash); ok {
		// What it carries is known: the receipt tells the rest, unless
		// there is none (then the transaction is read after all, to tell
		// one in the pool from one gone).
		switch {
		case known.to != handler:
			return no("not sent to the handler %s", handler.Hex())
		case known.eventID != q.EventID:
			return no("carries event 0x%x, not 0x%x", known.eventID, q.EventID)
		}
		rl, err := p.receiptLanded(ctx, c, hash, confirmations)
		switch {
		case err != nil:
			return sdk.Landing{}, err
		case rl.found:
			return sdk.Landing{Found: true, TxHash: sdk.Hash(hash), BlockNumber: rl.block, BlockHash: sdk.Hash(rl.hash), Final: rl.final, EnvelopeHash: sdk.Hash(known.envHash)}, nil
		case rl.mined:
			return sdk.Landing{Reason: fmt.Sprintf("transaction %s: %s", hash.Hex(), rl.reason)}, nil
		}
	}
	var tx *rpcTx
	if err := cl.Client().CallContext(ctx, &tx, "eth_getTransactionByHash", hash); err != nil {
		return sdk.Landing{}, c.unavailable("eth_getTransactionByHash", err)
	}
	switch {
	case tx == nil:
		return no("unknown to the chain")
	case tx.To == nil || *tx.To != handler:
		return no("not sent to the handler %s", handler.Hex())
	}
	eid, envHash, ok := p.decodeHandlerCall(tx.Input)
	if ok {
		c.known.remember(hash, handlerTx{to: handler, eventID: eid, envHash: envHash})
	}
	switch {
	case !ok:
		return no("not a handleSignedEnvelope call")
	case eid != q.EventID:
		return no("carries event 0x%x, not 0x%x", eid, q.EventID)
	case tx.BlockNumber == nil:
		l, err := no("not mined yet (in the node's pool)")
		l.Pending, l.TxHash = true, sdk.Hash(hash)
		return l, err
	}
	rl, err := p.receiptLanded(ctx, c, hash, confirmations)
	if err != nil || !rl.found {
		return sdk.Landing{Reason: fmt.Sprintf("transaction %s: %s", hash.Hex(), rl.reason)}, err
	}
	return sdk.Landing{Found: true, TxHash: sdk.Hash(hash), BlockNumber: rl.block, BlockHash: sdk.Hash(rl.hash), Final: rl.final, EnvelopeHash: sdk.Hash(envHash)}, nil
}

// landedReceipt is what receiptLanded found.
type landedReceipt struct {
	found  bool
	mined  bool   // there is a receipt (found or not)
	reason string // why not, when not found
	block  uint64
	hash   common.Hash
	final  bool
}

// receiptLanded reports whether hash was mined with status 1 and has the
// confirmations, or why not, and whether its block is final.
func (p *Plugin) receiptLanded(ctx context.Context, c *chain, hash common.Hash, confirmations uint64) (landedReceipt, error) {
	cl, err := c.connect(ctx)
	if err != nil {
		return landedReceipt{}, err
	}
	var r *rpcReceipt
	if err := cl.Client().CallContext(ctx, &r, "eth_getTransactionReceipt", hash); err != nil {
		return landedReceipt{}, c.unavailable("eth_getTransactionReceipt", err)
	}
	if r == nil {
		return landedReceipt{reason: "no receipt (not mined, or dropped by a reorg)"}, nil
	}
	out := landedReceipt{mined: true, block: r.BlockNumber.ToInt().Uint64(), hash: r.BlockHash}
	if r.Status != 1 {
		out.reason = fmt.Sprintf("reverted in block %d", out.block)
		return out, nil
	}
	h, err := c.recentHead(ctx, out.block+confirmations)
	if err != nil {
		return landedReceipt{}, err
	}
	if uint64(h.Number) < out.block+confirmations {
		out.reason = fmt.Sprintf("mined in block %d, waiting for %d confirmations (head %d)", out.block, confirmations, uint64(h.Number))
		return out, nil
	}
	finalized, err := c.finalized(ctx, uint64(h.Number))
	if err != nil {
		return landedReceipt{}, err
	}
	out.found, out.final = true, out.block <= finalized
	return out, nil
}

// scanLandings looks through the blocks from q.FromBlock to the head for
// a successful handleSignedEnvelope of q.EventID sent to q.Handler.
func (p *Plugin) scanLandings(ctx context.Context, c *chain, q sdk.LandingQuery, handler common.Address, confirmations uint64) (sdk.Landing, error) {
	h, err := c.latest(ctx)
	if err != nil {
		return sdk.Landing{}, err
	}
	head := uint64(h.Number)
	from, note := q.FromBlock, ""
	if from > head {
		return sdk.Landing{Reason: fmt.Sprintf("block %d is past the head %d", from, head), ScannedTo: head}, nil
	}
	if head-from > maxScanBlocks {
		from = head - maxScanBlocks
		note = fmt.Sprintf(" (only the last %d blocks were looked at)", maxScanBlocks)
	}
	var pending string
	look := func(calls []handlerCall) (sdk.Landing, bool, error) {
		for _, hc := range calls {
			if hc.to != handler || hc.eventID != q.EventID {
				continue
			}
			rl, err := p.receiptLanded(ctx, c, hc.tx, confirmations)
			if err != nil {
				return sdk.Landing{}, true, err
			}
			if rl.found {
				return sdk.Landing{Found: true, TxHash: sdk.Hash(hc.tx), BlockNumber: rl.block, BlockHash: sdk.Hash(rl.hash), Final: rl.final, EnvelopeHash: sdk.Hash(hc.envHash), ScannedTo: head}, true, nil
			}
			pending = fmt.Sprintf("; transaction %s: %s", hc.tx.Hex(), rl.reason)
		}
		return sdk.Landing{}, false, nil
	}
	recentFrom := max(from, recentFloor(head))
	for start := from; start < recentFrom; start += batchBlocks {
		calls, err := p.deepCalls(ctx, c, start, min(start+batchBlocks, recentFrom)-1)
		if err != nil {
			return sdk.Landing{}, err
		}
		if l, done, err := look(calls); done {
			return l, err
		}
	}
	calls, head, err := p.recentCalls(ctx, c, recentFrom, h)
	if err != nil {
		return sdk.Landing{}, err
	}
	if l, done, err := look(calls); done {
		return l, err
	}
	return sdk.Landing{
		Reason:    fmt.Sprintf("no successful handleSignedEnvelope of this event to %s in blocks %d to %d%s%s", handler.Hex(), from, head, note, pending),
		ScannedTo: head,
	}, nil
}

// recentFloor is the lowest block of the recent window below head: the
// blocks that may still change.
func recentFloor(head uint64) uint64 {
	if head < cacheDepth {
		return 0
	}
	return head - cacheDepth + 1
}

// deepCalls returns the handleSignedEnvelope calls of blocks from..to, all
// at least cacheDepth below the head, in block order, reading only those
// not remembered.
func (p *Plugin) deepCalls(ctx context.Context, c *chain, from, to uint64) ([]handlerCall, error) {
	per := make([][]handlerCall, to-from+1)
	var missing []uint64
	for n := from; n <= to; n++ {
		if calls, ok := p.landings.get(c.cfg.key, n); ok {
			per[n-from] = calls
		} else {
			missing = append(missing, n)
		}
	}
	blocks, err := p.readBlocks(ctx, c, missing)
	if err != nil {
		return nil, err
	}
	for i, n := range missing {
		calls := p.callsIn(blocks[i])
		p.landings.put(c.cfg.key, n, calls)
		per[n-from] = calls
	}
	var out []handlerCall
	for _, calls := range per {
		out = append(out, calls...)
	}
	return out, nil
}

// recentCalls returns the handleSignedEnvelope calls of blocks from to the
// head h, in block order, and the head they end at. Blocks this near the
// head may be replaced, so each is remembered with its hash and parent
// hash and used only while it is in the one chain of parents that ends at
// the head's hash: a block is read once, unless a reorg replaced it.
func (p *Plugin) recentCalls(ctx context.Context, c *chain, from uint64, h head) ([]handlerCall, uint64, error) {
	key := c.cfg.key
	for attempt := 0; ; attempt++ {
		head := uint64(h.Number)
		if from > head {
			return nil, head, nil
		}
		if head-from >= cacheDepth {
			// Only a head read again can be this far: the chain (or an
			// endpoint that says so) moved on while the blocks were read.
			return nil, head, c.unavailable("eth_getBlockByNumber", fmt.Errorf("the head moved to %d while the blocks from %d were read", head, from))
		}
		have := p.landings.recentBlocks(key, from, head)
		var missing []uint64
		for n := from; n <= head; n++ {
			if _, ok := have[n]; !ok {
				missing = append(missing, n)
			}
		}
		blocks, err := p.readBlocks(ctx, c, missing)
		if err != nil {
			return nil, head, err
		}
		read := make(map[uint64]bool, len(missing))
		for i, n := range missing {
			b := recentBlock{hash: blocks[i].Hash, parent: blocks[i].ParentHash, calls: p.callsIn(blocks[i])}
			have[n], read[n] = b, true
			p.landings.putRecent(key, n, b)
		}
		// Walk down from the head: each block must be its child's parent.
		want, broken := h.Hash, uint64(0)
		ok := true
		for n := head; ; n-- {
			if have[n].hash != want {
				ok, broken = false, n
				break
			}
			want = have[n].parent
			if n == from {
				break
			}
		}
		if ok {
			var out []handlerCall
			for n := from; n <= head; n++ {
				out = append(out, have[n].calls...)
			}
			return out, head, nil
		}
		if attempt == 3 {
			return nil, head, c.unavailable("eth_getBlockByNumber", fmt.Errorf("blocks %d to %d kept changing while read (a reorg)", from, head))
		}
		// Forget the blocks from the break down; if the break is a block
		// just read, the chain moved since the head was read: read it again.
		p.landings.dropRecent(key, from, broken)
		if read[broken] {
			if h, err = c.latest(ctx); err != nil {
				return nil, head, err
			}
		}
	}
}

// readBlocks reads the blocks numbered numbers, with their transactions,
// in batches.
func (p *Plugin) readBlocks(ctx context.Context, c *chain, numbers []uint64) ([]*rpcBlock, error) {
	if len(numbers) == 0 {
		return nil, nil
	}
	cl, err := c.connect(ctx)
	if err != nil {
		return nil, err
	}
	blocks := make([]*rpcBlock, len(numbers))
	for lo := 0; lo < len(numbers); lo += batchBlocks {
		part := numbers[lo:min(lo+batchBlocks, len(numbers))]
		batch := make([]rpc.BatchElem, len(part))
		for i, n := range part {
			batch[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.EncodeUint64(n), true}, Result: &blocks[lo+i]}
		}
		if err := cl.Client().BatchCallContext(ctx, batch); err != nil {
			return nil, c.unavailable("eth_getBlockByNumber", err)
		}
		for i, n := range part {
			if batch[i].Error != nil {
				return nil, c.unavailable(fmt.Sprintf("eth_getBlockByNumber(%d)", n), batch[i].Error)
			}
			if blocks[lo+i] == nil {
				return nil, c.unavailable(fmt.Sprintf("eth_getBlockByNumber(%d)", n), fmt.Errorf("no block %d", n))
			}
		}
	}
	return blocks, nil
}

// callsIn returns the handleSignedEnvelope calls of b's transactions.
func (p *Plugin) callsIn(b *rpcBlock) []handlerCall {
	var calls []handlerCall
	for _, tx := range b.Transactions {
		if tx.To == nil {
			continue
		}
		if eid, envHash, ok := p.decodeHandlerCall(tx.Input); ok {
			calls = append(calls, handlerCall{to: *tx.To, eventID: eid, tx: tx.Hash, envHash: envHash})
		}
	}
	return calls
}

// BlockAt implements sdk.Submitter.
func (p *Plugin) BlockAt(ctx context.Context, chainKey string, number uint64) (sdk.BlockRef, error) {
	c, err := p.chain(chainKey)
	if err != nil {
		return sdk.BlockRef{}, err
	}
	cl, err := c.connect(ctx)
	if err != nil {
		return sdk.BlockRef{}, err
	}
	var h *head
	if err := cl.Client().CallContext(ctx, &h, "eth_getBlockByNumber", hexutil.EncodeUint64(number), false); err != nil {
		return sdk.BlockRef{}, c.unavailable("eth_getBlockByNumber", err)
	}
	if h == nil {
		return sdk.BlockRef{}, fmt.Errorf("%w: submit-evm: %s: no block %d", sdk.ErrNotFound, chainKey, number)
	}
	return sdk.BlockRef{Number: uint64(h.Number), Hash: sdk.Hash(h.Hash)}, nil
}
