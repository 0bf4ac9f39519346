package submit

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/plugins/internal/evmchain"
	"github.com/wavs-go/wavs/sdk"
)

// chain is one configured chain: its endpoint, dialled on first use, and
// the nonce of the paying account on it.
type chain struct {
	cfg *chainConfig
	log hclog.Logger

	// dialing is a lock that one connect at a time holds while it talks to
	// the endpoint; waiting for it gives up with the caller's context.
	dialing chan struct{}

	mu     sync.Mutex // guards the fields below; never held over the network
	rpc    *rpc.Client
	client *ethclient.Client
	ready  bool // eth_chainId answered cfg.id

	nonces *nonceTracker

	// The handler calls of transactions read or sent (see knownTxs).
	known knownTxs

	// The chain's finalized block as last read (see finalized).
	finalMu   sync.Mutex
	finalAt   time.Time
	finalNum  uint64
	finalTags bool // the node answers the "finalized" tag
	finalOnce bool // the tag was tried

	// The head as last read (see recentHead).
	headMu sync.Mutex
	head   head
	headAt time.Time

	// The priority fee the node suggested last (see currentFees).
	tipMu sync.Mutex
	tip   *big.Int
	tipAt time.Time
}

func newChain(cfg *chainConfig, log hclog.Logger) *chain {
	return &chain{cfg: cfg, log: log.With("chain", cfg.key), dialing: make(chan struct{}, 1), nonces: newNonceTracker()}
}

// acquire takes a channel lock of capacity one, or fails when ctx ends.
func acquire(ctx context.Context, lock chan struct{}) error {
	select {
	case lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// endpoint is the chain's endpoint as it may appear in logs and errors.
func (c *chain) endpoint() string { return redactURL(c.cfg.endpoint) }

// unavailable wraps a transport failure as sdk.ErrUnavailable naming the
// chain and endpoint.
func (c *chain) unavailable(what string, err error) error {
	return fmt.Errorf("%w: submit-evm: %s: endpoint %s: %s: %v", sdk.ErrUnavailable, c.cfg.key, c.endpoint(), what, err)
}

// connect returns the chain's client, dialling the endpoint and checking
// its chain id on first use. A failure is not remembered: the next call
// tries again.
func (c *chain) connect(ctx context.Context) (*ethclient.Client, error) {
	if cl := c.readyClient(); cl != nil {
		return cl, nil
	}
	if err := acquire(ctx, c.dialing); err != nil {
		return nil, c.unavailable("wait for the connection", err)
	}
	defer func() { <-c.dialing }()
	c.mu.Lock()
	cl, ready := c.client, c.ready
	c.mu.Unlock()
	if ready {
		return cl, nil
	}
	if cl == nil {
		rc, err := evmchain.Dial(ctx, c.cfg.endpoint)
		if err != nil {
			return nil, c.unavailable("unreachable", err)
		}
		cl = ethclient.NewClient(rc)
		c.mu.Lock()
		c.rpc, c.client = rc, cl
		c.mu.Unlock()
	}
	id, err := cl.ChainID(ctx)
	if err != nil {
		return nil, c.unavailable("unreachable (eth_chainId)", err)
	}
	if id.Cmp(c.cfg.id) != 0 {
		return nil, fmt.Errorf("%w: submit-evm: %s: wrong chain id: endpoint %s reports chain id %v, configured %v",
			sdk.ErrInvalidArgument, c.cfg.key, c.endpoint(), id, c.cfg.id)
	}
	c.mu.Lock()
	c.ready = true
	c.mu.Unlock()
	c.log.Info("connected", "endpoint", c.endpoint())
	return cl, nil
}

// readyClient returns the client once its chain id has been checked.
func (c *chain) readyClient() *ethclient.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready {
		return c.client
	}
	return nil
}

// close releases the connection.
func (c *chain) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rpc != nil {
		c.rpc.Close()
	}
	c.rpc, c.client, c.ready = nil, nil, false
}

// head is the part of a block header the plugin reads. It is decoded from
// eth_getBlockByNumber directly, so that header fields go-ethereum does not
// know cannot change the hash.
type head struct {
	Number  hexutil.Uint64 `json:"number"`
	Hash    common.Hash    `json:"hash"`
	BaseFee *hexutil.Big   `json:"baseFeePerGas"`
}

// latest returns the chain's head block.
func (c *chain) latest(ctx context.Context) (head, error) {
	cl, err := c.connect(ctx)
	if err != nil {
		return head{}, err
	}
	var h *head
	if err := cl.Client().CallContext(ctx, &h, "eth_getBlockByNumber", "latest", false); err != nil {
		return head{}, c.unavailable("eth_getBlockByNumber", err)
	}
	if h == nil {
		return head{}, c.unavailable("eth_getBlockByNumber", errors.New("no latest block"))
	}
	c.headMu.Lock()
	c.head, c.headAt = *h, time.Now()
	c.headMu.Unlock()
	return *h, nil
}

// headTTL is how long recentHead reuses a head read.
const headTTL = 250 * time.Millisecond

// recentHead is the head as read within headTTL, if it is at least
// atLeast, else the head read now. For reads where an older head errs
// only toward waiting (counting a landing's confirmations: the head must
// reach its block plus them), so that checking several landings a moment
// apart reads the head once.
func (c *chain) recentHead(ctx context.Context, atLeast uint64) (head, error) {
	c.headMu.Lock()
	h, at := c.head, c.headAt
	c.headMu.Unlock()
	if !at.IsZero() && time.Since(at) < headTTL && uint64(h.Number) >= atLeast {
		return h, nil
	}
	return c.latest(ctx)
}

// finalityDepth is how deep a block must be to count as final on a chain
// whose node does not answer the "finalized" tag.
const finalityDepth = 64

// finalTTL is how long the finalized block read is reused.
const finalTTL = 2 * time.Second

// finalized is the chain's finalized block: what eth_getBlockByNumber
// "finalized" answers, or head - finalityDepth when the node does not
// know the tag.
func (c *chain) finalized(ctx context.Context, headNum uint64) (uint64, error) {
	c.finalMu.Lock()
	if c.finalOnce && time.Since(c.finalAt) < finalTTL {
		n, tags := c.finalNum, c.finalTags
		c.finalMu.Unlock()
		if !tags {
			return headNum - min(headNum, finalityDepth), nil
		}
		return n, nil
	}
	tried, tags := c.finalOnce, c.finalTags
	c.finalMu.Unlock()
	if tried && !tags {
		return headNum - min(headNum, finalityDepth), nil
	}
	cl, err := c.connect(ctx)
	if err != nil {
		return 0, err
	}
	var h *head
	err = cl.Client().CallContext(ctx, &h, "eth_getBlockByNumber", "finalized", false)
	c.finalMu.Lock()
	defer c.finalMu.Unlock()
	if err != nil || h == nil {
		var re rpc.Error
		if err != nil && !errors.As(err, &re) {
			return 0, c.unavailable("eth_getBlockByNumber finalized", err)
		}
		// The node does not know the tag: count blocks instead.
		if !c.finalOnce {
			c.log.Info("the node does not answer the finalized tag; a block counts as final once it is this deep", "blocks", finalityDepth)
		}
		c.finalOnce, c.finalTags = true, false
		return headNum - min(headNum, finalityDepth), nil
	}
	c.finalOnce, c.finalTags, c.finalNum, c.finalAt = true, true, uint64(h.Number), time.Now()
	return c.finalNum, nil
}

// revertError is a call or gas estimation that the contract reverted.
type revertError struct {
	data []byte // the revert data; empty when the node gave none
	err  error  // the node's error
}

func (e *revertError) Error() string { return "reverted: " + e.err.Error() }

// asRevert reports whether err is a node's answer that the call reverted,
// with its revert data.
func asRevert(err error) (*revertError, bool) {
	var re *revertError
	if errors.As(err, &re) {
		return re, true
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok {
			if b, decErr := hexutil.Decode(s); decErr == nil {
				return &revertError{data: b, err: err}, true
			}
		}
	}
	var ec rpc.Error
	if (errors.As(err, &ec) && ec.ErrorCode() == 3) || strings.Contains(strings.ToLower(err.Error()), "execution reverted") {
		return &revertError{err: err}, true
	}
	return nil, false
}

// call runs an eth_call of data on to at block (nil: latest). A revert is
// a *revertError; any other failure wraps sdk.ErrUnavailable.
func (c *chain) call(ctx context.Context, to common.Address, data []byte, block *big.Int) ([]byte, error) {
	cl, err := c.connect(ctx)
	if err != nil {
		return nil, err
	}
	out, err := cl.CallContract(ctx, ethereum.CallMsg{To: &to, Data: data}, block)
	if err != nil {
		if re, ok := asRevert(err); ok {
			return nil, re
		}
		return nil, c.unavailable("eth_call", err)
	}
	return out, nil
}
