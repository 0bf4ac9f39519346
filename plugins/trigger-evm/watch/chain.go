package watch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/hashicorp/go-hclog"
)

// dialFunc opens an RPC client to an endpoint; rpc.DialContext in
// production, wrapped by tests to cut or delay connections.
type dialFunc func(ctx context.Context, endpoint string) (*rpc.Client, error)

// Timings of connections.
const (
	connectTimeout = 10 * time.Second       // dial and eth_chainId of one endpoint
	firstBackoff   = 250 * time.Millisecond // first wait before a reconnect
	stableSession  = 10 * time.Second       // a session this long resets the backoff
)

// session is one live connection to a chain, whose chain id has been
// checked. It ends (done closes) when the connection fails; the chain's
// supervisor then closes it and connects again.
type session struct {
	endpoint string // redacted, for logs
	rpc      *rpc.Client
	eth      *ethclient.Client
	ws       bool // subscriptions work; otherwise poll

	done    chan struct{}
	endOnce sync.Once
	endErr  error
}

// end marks the session as failed with err; only the first call counts.
func (s *session) end(err error) {
	s.endOnce.Do(func() {
		if err == nil {
			err = errors.New("session ended")
		}
		s.endErr = err
		close(s.done)
	})
}

// err is why the session ended; nil while it is live.
func (s *session) err() error {
	select {
	case <-s.done:
		return s.endErr
	default:
		return nil
	}
}

// rawHead is the part of a block header the plugin reads, decoded directly
// so that header fields go-ethereum does not know cannot break decoding.
type rawHead struct {
	Number hexutil.Uint64 `json:"number"`
	Hash   common.Hash    `json:"hash"`
}

// headerByNumber returns block n's header.
func (s *session) headerByNumber(ctx context.Context, n uint64) (rawHead, error) {
	var h *rawHead
	if err := s.rpc.CallContext(ctx, &h, "eth_getBlockByNumber", hexutil.Uint64(n), false); err != nil {
		return rawHead{}, fmt.Errorf("eth_getBlockByNumber %d: %w", n, err)
	}
	if h == nil {
		return rawHead{}, fmt.Errorf("eth_getBlockByNumber %d: no such block", n)
	}
	return *h, nil
}

// confirmed is the highest block counted as confirmed when the head is
// head: head - confirmations, or the block the chain tags "safe" or
// "finalized". ok is false while no block is.
func (s *session) confirmed(ctx context.Context, set settings, head uint64) (uint64, bool, error) {
	if set.tag != "" {
		var h *rawHead
		if err := s.rpc.CallContext(ctx, &h, "eth_getBlockByNumber", set.tag, false); err != nil {
			return 0, false, fmt.Errorf("eth_getBlockByNumber %q (confirmations = %q; does the chain know the tag?): %w", set.tag, set.tag, err)
		}
		if h == nil {
			return 0, false, nil
		}
		return min(uint64(h.Number), head), true, nil
	}
	if head < set.confirmations {
		return 0, false, nil
	}
	return head - set.confirmations, true, nil
}

// chain keeps one session to a configured chain alive and follows its
// head, for every trigger on that chain.
type chain struct {
	cfg  *chainConfig
	set  settings
	log  hclog.Logger
	dial dialFunc

	attemptOnce sync.Once
	attempted   chan struct{} // closed after the first connection attempt

	mu        sync.Mutex
	cur       *session // nil while down
	status    string   // why the chain is down, or where it is up
	head      uint64
	headKnown bool
	changed   chan struct{} // closed and replaced when cur or head change
}

func newChain(cfg *chainConfig, set settings, log hclog.Logger, dial dialFunc) *chain {
	return &chain{
		cfg:       cfg,
		set:       set,
		log:       log.With("chain", cfg.key),
		dial:      dial,
		attempted: make(chan struct{}),
		status:    "connecting",
		changed:   make(chan struct{}),
	}
}

// signal wakes the waiters on changed; c.mu must be held.
func (c *chain) signal() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// state returns the live session (nil if down), the head and whether it is
// known, and a channel closed at the next change.
func (c *chain) state() (s *session, head uint64, known bool, changed <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.cur.err() == nil {
		s = c.cur
	}
	return s, c.head, c.headKnown, c.changed
}

// health reports whether the chain is up, and its status.
func (c *chain) health() (bool, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	up := c.cur != nil && c.cur.err() == nil
	if up && c.headKnown {
		return true, fmt.Sprintf("%s: up via %s, head %d", c.cfg.key, c.cur.endpoint, c.head)
	}
	if up {
		return true, fmt.Sprintf("%s: up via %s", c.cfg.key, c.cur.endpoint)
	}
	return false, fmt.Sprintf("%s: down: %s", c.cfg.key, c.status)
}

// waitSession returns the live session, waiting for one until ctx ends.
func (c *chain) waitSession(ctx context.Context) (*session, error) {
	for {
		s, _, _, changed := c.state()
		if s != nil {
			return s, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// trouble reports a trigger's failure on s. A JSON-RPC error answer means
// the connection works and is left alone; anything else ends the session,
// so that the supervisor connects again.
func (c *chain) trouble(s *session, err error) {
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) || errors.Is(err, rpc.ErrSubscriptionQueueOverflow) {
		return // the connection works: an answer, or a reader too slow for its subscription
	}
	s.end(err)
}

func (c *chain) setSession(s *session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur = s
	c.status = "up via " + s.endpoint
	c.signal()
}

func (c *chain) setDown(status string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur = nil
	c.status = status
	c.signal()
}

func (c *chain) setHead(n uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.headKnown && c.head == n {
		return
	}
	c.head, c.headKnown = n, true
	c.signal()
}

// run connects, follows the head, and connects again whenever the session
// ends, with exponential backoff capped by reconnect_max_seconds, until
// ctx ends.
func (c *chain) run(ctx context.Context) {
	defer c.firstAttemptDone()
	bo := newBackoff(c.set.reconnectMax)
	for ctx.Err() == nil {
		var wait time.Duration
		s, err := c.connect(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.setDown(err.Error())
			c.firstAttemptDone()
			wait = bo.next()
			c.log.Warn("chain unreachable; retrying", "error", err, "retry_in", wait)
		} else {
			c.log.Info("connected", "endpoint", s.endpoint, "subscriptions", s.ws)
			c.setSession(s)
			c.firstAttemptDone()
			started := time.Now()
			err = c.follow(ctx, s)
			s.end(err)
			s.rpc.Close()
			if ctx.Err() != nil {
				c.setDown("stopped")
				return
			}
			c.setDown(fmt.Sprintf("connection to %s lost: %v", s.endpoint, err))
			bo.done(time.Since(started))
			wait = bo.next()
			c.log.Warn("connection lost; reconnecting", "endpoint", s.endpoint, "error", err, "retry_in", wait)
		}
		if !sleep(ctx, wait) {
			return
		}
	}
}

// firstAttemptDone tells Configure that the first connection attempt has
// set the chain's state.
func (c *chain) firstAttemptDone() {
	c.attemptOnce.Do(func() { close(c.attempted) })
}

// connect tries the ws endpoints in turn, then the http endpoint, and
// returns the first session whose chain id is the configured one.
func (c *chain) connect(ctx context.Context) (*session, error) {
	var problems []string
	endpoints := append(append([]string(nil), c.cfg.ws...), c.cfg.http)
	for i, ep := range endpoints {
		if ep == "" {
			continue
		}
		s, err := c.open(ctx, ep, i < len(c.cfg.ws))
		if err == nil {
			return s, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		problems = append(problems, err.Error())
	}
	return nil, errors.New(strings.Join(problems, "; "))
}

// open dials one endpoint and checks its chain id.
func (c *chain) open(ctx context.Context, endpoint string, ws bool) (*session, error) {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	red := redactURL(endpoint)
	rc, err := c.dial(ctx, endpoint)
	if err != nil {
		return nil, fmt.Errorf("endpoint %s: unreachable: %v", red, err)
	}
	eth := ethclient.NewClient(rc)
	id, err := eth.ChainID(ctx)
	if err != nil {
		rc.Close()
		return nil, fmt.Errorf("endpoint %s: eth_chainId: %v", red, err)
	}
	if id.Cmp(c.cfg.id) != 0 {
		rc.Close()
		err := fmt.Errorf("wrong chain id: endpoint %s reports chain id %v, expected %v (configured as %s); no events are taken from it",
			red, id, c.cfg.id, c.cfg.key)
		c.log.Error("wrong chain id", "endpoint", red, "expected", c.cfg.id.String(), "actual", id.String())
		return nil, err
	}
	return &session{endpoint: red, rpc: rc, eth: eth, ws: ws, done: make(chan struct{})}, nil
}

// follow keeps the chain's head up to date from s (a newHeads subscription,
// or polling eth_blockNumber) until s ends, ctx ends or s fails.
func (c *chain) follow(ctx context.Context, s *session) error {
	n, err := s.eth.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("eth_blockNumber: %w", err)
	}
	c.setHead(n)
	if !s.ws {
		tick := time.NewTicker(pollInterval)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				n, err := s.eth.BlockNumber(ctx)
				if err != nil {
					return fmt.Errorf("eth_blockNumber: %w", err)
				}
				c.setHead(n)
			case <-s.done:
				return s.err()
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	heads := make(chan rawHead, 64)
	sub, err := s.rpc.EthSubscribe(ctx, heads, "newHeads")
	if err != nil {
		return fmt.Errorf("subscribe newHeads: %w", err)
	}
	defer sub.Unsubscribe()
	for {
		select {
		case h := <-heads:
			c.setHead(uint64(h.Number))
		case err, ok := <-sub.Err():
			if !ok || err == nil {
				err = errors.New("connection closed")
			}
			return fmt.Errorf("newHeads subscription: %w", err)
		case <-s.done:
			return s.err()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// backoff is an exponential backoff from firstBackoff, capped.
type backoff struct {
	cur, max time.Duration
}

func newBackoff(max time.Duration) *backoff { return &backoff{cur: firstBackoff, max: max} }

// next returns the wait before the next attempt and doubles the one after.
func (b *backoff) next() time.Duration {
	d := b.cur
	b.cur = min(2*b.cur, b.max)
	return d
}

// done tells the backoff how long the attempt that just failed ran: one
// that ran stableSession or longer resets it.
func (b *backoff) done(ran time.Duration) {
	if ran >= stableSession {
		b.cur = firstBackoff
	}
}

// sleep waits d; false if ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
