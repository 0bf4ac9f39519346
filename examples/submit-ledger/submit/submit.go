// Package submit is the submit plugin of the "ledger" chain family
// (wavs-plugin-submit-ledger, capability "chain:ledger"): it lands WAVS
// results on the stand-in ledger of package ledger, a chain that is not an
// EVM chain, speaking the ledger's HTTP/JSON API.
//
// Chain keys are "ledger:<id>"; [plugins.submit-ledger.config] maps each
// to the ledger's URL:
//
//	[plugins.submit-ledger.config]
//	chains = { "ledger:demo" = "http://127.0.0.1:7000" }
//	timeout_seconds = 30   # per request to a ledger (default 30)
//
// On first use of a chain the plugin checks that the ledger answers to
// that chain key. Addresses are the ledger's ("ldg1…"); a malformed one
// is sdk.ErrInvalidArgument, a chain key not configured sdk.ErrNotFound
// (another family's: sdk.ErrInvalidArgument), a ledger that does not
// answer sdk.ErrUnavailable.
//
// Reads map one to one: LatestBlock and BlockAt to the ledger's blocks,
// ServiceManager and ServiceURI to its accounts, Quorum and OperatorSet
// to a manager's operator set at a height (weights, the total and the
// threshold are all known). Validate is the ledger's dry run; Submit
// sends a submit transaction and returns once it is in a block. Submit
// reports AlreadyHandled only when the ledger refuses the transaction
// naming this envelope's event id as handled; the same transaction sent
// again (a retry of one that landed) returns the landed transaction.
// FindLanding reads the submit transactions to the handler (or the named
// one) and proves a landing by the envelope's event id; blocks are final
// at once, so every landing is Final.
package submit

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"example.com/wavs-submit-ledger/ledger"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/envelope"
)

// Version of this plugin.
const Version = "0.1.0"

// Config is the plugin's own table, [plugins.submit-ledger.config].
type Config struct {
	// Chains maps each chain key "ledger:<id>" to the ledger's base URL.
	Chains map[string]string `json:"chains"`
	// TimeoutSeconds bounds each request to a ledger (default 30).
	TimeoutSeconds int `json:"timeout_seconds"`
}

// chain is one configured ledger.
type chain struct {
	key    string
	client *ledger.Client

	mu      sync.Mutex
	checked bool // the ledger answered to key
}

// Plugin is the submit plugin.
type Plugin struct {
	log hclog.Logger

	mu     sync.RWMutex
	chains map[string]*chain
}

var (
	_ sdk.Submitter         = (*Plugin)(nil)
	_ sdk.OperatorSetReader = (*Plugin)(nil)
)

// New returns an unconfigured plugin.
func New(log hclog.Logger) *Plugin {
	return &Plugin{log: log, chains: map[string]*chain{}}
}

// Info implements sdk.Plugin.
func (p *Plugin) Info() sdk.Info {
	return sdk.Info{
		Name:         "submit-ledger",
		Version:      Version,
		Kind:         sdk.KindSubmit,
		Capabilities: []string{"chain:" + ledger.Family},
		Description:  "example plugin: lands results on the stand-in ledger of examples/submit-ledger (chain keys ledger:<id>)",
	}
}

// Configure implements sdk.Plugin.
func (p *Plugin) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var cfg Config
	if _, err := req.Section("plugin", &cfg); err != nil {
		return err
	}
	if cfg.TimeoutSeconds < 0 {
		return fmt.Errorf("%w: timeout_seconds = %d: want a positive number", sdk.ErrInvalidArgument, cfg.TimeoutSeconds)
	}
	timeout := 30 * time.Second
	if cfg.TimeoutSeconds > 0 {
		timeout = time.Duration(cfg.TimeoutSeconds) * time.Second
	}
	chains := map[string]*chain{}
	for _, key := range sortedKeys(cfg.Chains) {
		if sdk.ChainFamily(key) != ledger.Family {
			return fmt.Errorf("%w: chains.%q: want a chain key %q", sdk.ErrInvalidArgument, key, ledger.Family+":<id>")
		}
		raw := cfg.Chains[key]
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w: chains.%q = %q: want the ledger's http:// or https:// URL", sdk.ErrInvalidArgument, key, raw)
		}
		c := ledger.NewClient(strings.TrimSuffix(raw, "/"))
		c.HTTP.Timeout = timeout
		chains[key] = &chain{key: key, client: c}
	}
	p.mu.Lock()
	p.chains = chains
	p.mu.Unlock()
	return nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Health implements sdk.Plugin: every configured ledger answers.
func (p *Plugin) Health(ctx context.Context) sdk.Health {
	p.mu.RLock()
	chains := make([]*chain, 0, len(p.chains))
	for _, c := range p.chains {
		chains = append(chains, c)
	}
	p.mu.RUnlock()
	if len(chains) == 0 {
		return sdk.Health{Healthy: true, Message: "no ledger chains configured"}
	}
	sort.Slice(chains, func(i, j int) bool { return chains[i].key < chains[j].key })
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var ok, bad []string
	for _, c := range chains {
		if err := p.check(ctx, c); err != nil {
			bad = append(bad, err.Error())
			continue
		}
		head, err := c.client.Head(ctx)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", c.key, err))
			continue
		}
		ok = append(ok, fmt.Sprintf("%s at height %d", c.key, head.Height))
	}
	if len(bad) > 0 {
		return sdk.Health{Healthy: false, Message: strings.Join(bad, "; ")}
	}
	return sdk.Health{Healthy: true, Message: strings.Join(ok, ", ")}
}

// Shutdown implements sdk.Plugin.
func (p *Plugin) Shutdown(context.Context) error { return nil }

// chain returns the configured ledger of a chain key, checked to answer
// to it.
func (p *Plugin) chain(ctx context.Context, key string) (*chain, error) {
	if f := sdk.ChainFamily(key); f != ledger.Family {
		return nil, fmt.Errorf("%w: submit-ledger: chain %q is not a ledger chain (this plugin serves chain:%s)", sdk.ErrInvalidArgument, key, ledger.Family)
	}
	p.mu.RLock()
	c, ok := p.chains[key]
	p.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: submit-ledger: chain %s is not configured ([plugins.submit-ledger.config] chains)", sdk.ErrNotFound, key)
	}
	return c, p.check(ctx, c)
}

// check asks a ledger once which chain it is.
func (p *Plugin) check(ctx context.Context, c *chain) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.checked {
		return nil
	}
	info, err := c.client.Info(ctx)
	if err != nil {
		return fmt.Errorf("submit-ledger: %s: %w", c.key, wrap(err))
	}
	if info.Chain != c.key {
		return fmt.Errorf("%w: submit-ledger: the ledger configured for %s answers to %s", sdk.ErrInvalidArgument, c.key, info.Chain)
	}
	c.checked = true
	return nil
}

// wrap gives a ledger client's error the sentinel of its meaning.
func wrap(err error) error {
	var le *ledger.Error
	switch {
	case errors.As(err, &le) && le.Status == 404:
		return fmt.Errorf("%w: %v", sdk.ErrNotFound, err)
	case errors.As(err, &le) && le.Status == 400:
		return fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
	case errors.Is(err, ledger.ErrUnreachable):
		return fmt.Errorf("%w: %v", sdk.ErrUnavailable, err)
	default:
		return err
	}
}

// address reads an account address of the ledger.
func address(field, s string) (ledger.Address, error) {
	a, err := ledger.ParseAddress(s)
	if err != nil {
		return a, fmt.Errorf("%w: submit-ledger: %s: %v", sdk.ErrInvalidArgument, field, err)
	}
	return a, nil
}

func blockRef(b ledger.Block) (sdk.BlockRef, error) {
	h, err := hashOf(b.Hash)
	if err != nil {
		return sdk.BlockRef{}, fmt.Errorf("submit-ledger: block %d: %w", b.Height, err)
	}
	return sdk.BlockRef{Number: b.Height, Hash: h}, nil
}

func hashOf(s string) (sdk.Hash, error) {
	var h sdk.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("hash %q: want 64 hex digits", s)
	}
	copy(h[:], b)
	return h, nil
}

// LatestBlock implements sdk.Submitter.
func (p *Plugin) LatestBlock(ctx context.Context, key string) (sdk.BlockRef, error) {
	c, err := p.chain(ctx, key)
	if err != nil {
		return sdk.BlockRef{}, err
	}
	b, err := c.client.Head(ctx)
	if err != nil {
		return sdk.BlockRef{}, fmt.Errorf("submit-ledger: %s: head: %w", key, wrap(err))
	}
	return blockRef(b)
}

// BlockAt implements sdk.Submitter.
func (p *Plugin) BlockAt(ctx context.Context, key string, number uint64) (sdk.BlockRef, error) {
	c, err := p.chain(ctx, key)
	if err != nil {
		return sdk.BlockRef{}, err
	}
	b, err := c.client.Block(ctx, number)
	if err != nil {
		return sdk.BlockRef{}, fmt.Errorf("submit-ledger: %s: block %d: %w", key, number, wrap(err))
	}
	return blockRef(b)
}

// account reads an account and checks its kind.
func (p *Plugin) account(ctx context.Context, key, field, addr string, kind ledger.AccountKind) (ledger.Account, error) {
	c, err := p.chain(ctx, key)
	if err != nil {
		return ledger.Account{}, err
	}
	a, err := address(field, addr)
	if err != nil {
		return ledger.Account{}, err
	}
	acct, err := c.client.Account(ctx, a.String())
	if err != nil {
		return ledger.Account{}, fmt.Errorf("submit-ledger: %s: %s %s: %w", key, field, a, wrap(err))
	}
	if acct.Kind != kind {
		return ledger.Account{}, fmt.Errorf("%w: submit-ledger: %s: %s %s is a %s account, not a %s", sdk.ErrInvalidArgument, key, field, a, acct.Kind, kind)
	}
	return acct, nil
}

// ServiceManager implements sdk.Submitter: the manager a handler is bound
// to.
func (p *Plugin) ServiceManager(ctx context.Context, key, handler string) (string, error) {
	acct, err := p.account(ctx, key, "handler", handler, ledger.KindHandler)
	if err != nil {
		return "", err
	}
	return acct.Manager, nil
}

// ServiceURI implements sdk.Submitter.
func (p *Plugin) ServiceURI(ctx context.Context, key, manager string) (string, error) {
	acct, err := p.account(ctx, key, "manager", manager, ledger.KindManager)
	if err != nil {
		return "", err
	}
	return acct.ServiceURI, nil
}

// operators reads a manager's operator set at a height.
func (p *Plugin) operators(ctx context.Context, key, manager string, height uint64) (ledger.OperatorSet, map[sdk.Address]uint64, error) {
	c, err := p.chain(ctx, key)
	if err != nil {
		return ledger.OperatorSet{}, nil, err
	}
	a, err := address("manager", manager)
	if err != nil {
		return ledger.OperatorSet{}, nil, err
	}
	set, err := c.client.Operators(ctx, a.String(), height)
	if err != nil {
		return set, nil, fmt.Errorf("submit-ledger: %s: operators of %s at %d: %w", key, a, height, wrap(err))
	}
	weights := make(map[sdk.Address]uint64, len(set.Operators))
	for _, op := range set.Operators {
		s, err := sdk.ParseEVMAddress(op.Signer)
		if err != nil {
			return set, nil, fmt.Errorf("submit-ledger: %s: operators of %s: %w", key, a, err)
		}
		weights[s] = op.Weight
	}
	return set, weights, nil
}

// Quorum implements sdk.Submitter: the signers' weights, the total and
// the threshold at q.Block.
func (p *Plugin) Quorum(ctx context.Context, q sdk.QuorumQuery) (sdk.Quorum, error) {
	if q.Scheme != "" && q.Scheme != sdk.SchemeSecp256k1EIP191 {
		return sdk.Quorum{}, fmt.Errorf("%w: submit-ledger: scheme %q: the ledger's operators sign with %s", sdk.ErrInvalidArgument, q.Scheme, sdk.SchemeSecp256k1EIP191)
	}
	set, weights, err := p.operators(ctx, q.Chain, q.Manager, q.Block)
	if err != nil {
		return sdk.Quorum{}, err
	}
	out := sdk.Quorum{
		Weights:              make([]*big.Int, len(q.Signers)),
		TotalWeight:          new(big.Int).SetUint64(set.TotalWeight),
		ThresholdNumerator:   set.Threshold.Numerator,
		ThresholdDenominator: set.Threshold.Denominator,
	}
	for i, s := range q.Signers {
		if len(s) != len(sdk.Address{}) {
			return sdk.Quorum{}, fmt.Errorf("%w: submit-ledger: signers[%d] has %d bytes, want 20", sdk.ErrInvalidArgument, i, len(s))
		}
		out.Weights[i] = new(big.Int).SetUint64(weights[sdk.Address(s)])
	}
	return out, nil
}

// OperatorSet implements sdk.OperatorSetReader.
func (p *Plugin) OperatorSet(ctx context.Context, key, manager string, block uint64) (sdk.OperatorSet, error) {
	set, _, err := p.operators(ctx, key, manager, block)
	if err != nil {
		return sdk.OperatorSet{}, err
	}
	out := sdk.OperatorSet{
		Scheme:               sdk.SchemeSecp256k1EIP191,
		TotalWeight:          new(big.Int).SetUint64(set.TotalWeight),
		ThresholdNumerator:   set.Threshold.Numerator,
		ThresholdDenominator: set.Threshold.Denominator,
	}
	for _, op := range set.Operators {
		s, _ := sdk.ParseEVMAddress(op.Signer) // checked by operators
		out.Operators = append(out.Operators, sdk.Operator{Signer: s[:], Weight: new(big.Int).SetUint64(op.Weight)})
	}
	return out, nil
}

// submitTx is the ledger transaction of a submission.
func (p *Plugin) submitTx(ctx context.Context, s sdk.Submission) (*chain, ledger.Tx, error) {
	c, err := p.chain(ctx, s.Chain)
	if err != nil {
		return nil, ledger.Tx{}, err
	}
	h, err := address("handler", s.Handler)
	if err != nil {
		return nil, ledger.Tx{}, err
	}
	if s.Signatures.Scheme != sdk.SchemeSecp256k1EIP191 {
		return nil, ledger.Tx{}, fmt.Errorf("%w: submit-ledger: scheme %q: the ledger takes %s signatures", sdk.ErrInvalidArgument, s.Signatures.Scheme, sdk.SchemeSecp256k1EIP191)
	}
	return c, ledger.SubmitTx(h.String(), s.Envelope, s.Signatures), nil
}

// Validate implements sdk.Submitter: the ledger's dry run of the submit
// transaction.
func (p *Plugin) Validate(ctx context.Context, s sdk.Submission) (sdk.Validation, error) {
	c, tx, err := p.submitTx(ctx, s)
	if err != nil {
		return sdk.Validation{}, err
	}
	v, err := c.client.Validate(ctx, tx)
	if err != nil {
		return sdk.Validation{}, fmt.Errorf("submit-ledger: %s: validate: %w", s.Chain, wrap(err))
	}
	return sdk.Validation{Valid: v.Valid, Reason: v.Reason}, nil
}

// Submit implements sdk.Submitter: it sends the submit transaction; the
// ledger puts it in a block at once.
func (p *Plugin) Submit(ctx context.Context, s sdk.Submission) (sdk.Receipt, error) {
	c, tx, err := p.submitTx(ctx, s)
	if err != nil {
		return sdk.Receipt{}, err
	}
	r, err := c.client.Send(ctx, tx)
	var le *ledger.Error
	switch {
	case err == nil:
	case errors.As(err, &le) && le.Code == ledger.CodeAlreadyHandled && strings.EqualFold(le.EventID, ledger.Hex0x(s.Envelope.EventID[:])):
		p.log.Info("the handler already handled this event", "chain", s.Chain, "handler", tx.Handler, "event_id", le.EventID, "tx", le.TxID)
		return sdk.Receipt{AlreadyHandled: true}, nil
	case errors.As(err, &le) && le.Code == ledger.CodeDuplicate && le.TxID != "":
		// This very transaction is in a block already (an earlier
		// attempt landed): that is the receipt.
		rec, gerr := c.client.Tx(ctx, le.TxID)
		if gerr != nil {
			return sdk.Receipt{}, fmt.Errorf("submit-ledger: %s: transaction %s landed before; reading it: %w", s.Chain, le.TxID, wrap(gerr))
		}
		r = ledger.Receipt{ID: rec.ID, Height: rec.Height, BlockHash: rec.BlockHash}
	default:
		return sdk.Receipt{}, fmt.Errorf("submit-ledger: %s: submit to %s: %w", s.Chain, tx.Handler, wrap(err))
	}
	id, err := hashOf(r.ID)
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("submit-ledger: %s: transaction id: %w", s.Chain, err)
	}
	p.log.Info("landed", "chain", s.Chain, "handler", tx.Handler, "tx", r.ID, "height", r.Height)
	return sdk.Receipt{TxHash: id, BlockNumber: r.Height}, nil
}

// FindLanding implements sdk.Submitter. A handler that is not a ledger
// address, or no account, has nothing landed at it: Found false.
func (p *Plugin) FindLanding(ctx context.Context, q sdk.LandingQuery) (sdk.Landing, error) {
	c, err := p.chain(ctx, q.Chain)
	if err != nil {
		return sdk.Landing{}, err
	}
	h, err := ledger.ParseAddress(q.Handler)
	if err != nil {
		return sdk.Landing{Reason: fmt.Sprintf("the handler is not a ledger account: %v", err)}, nil
	}
	if q.TxHash != (sdk.Hash{}) {
		id := hex.EncodeToString(q.TxHash[:])
		rec, err := c.client.Tx(ctx, id)
		var le *ledger.Error
		if errors.As(err, &le) && le.Status == 404 {
			return sdk.Landing{Reason: fmt.Sprintf("no transaction %s on %s", id, q.Chain)}, nil
		}
		if err != nil {
			return sdk.Landing{}, fmt.Errorf("submit-ledger: %s: transaction %s: %w", q.Chain, id, wrap(err))
		}
		if l, ok := landing(rec, h, q.EventID); ok {
			return l, nil
		}
		return sdk.Landing{Reason: fmt.Sprintf("transaction %s is not a submit of event %s to %s", id, ledger.Hex0x(q.EventID[:]), h)}, nil
	}
	from := q.FromBlock
	for {
		list, err := c.client.HandlerTxs(ctx, h.String(), from)
		var le *ledger.Error
		if errors.As(err, &le) && le.Status == 404 {
			return sdk.Landing{Reason: fmt.Sprintf("no handler %s on %s", h, q.Chain)}, nil
		}
		if err != nil {
			return sdk.Landing{}, fmt.Errorf("submit-ledger: %s: transactions to %s: %w", q.Chain, h, wrap(err))
		}
		for _, rec := range list.Txs {
			if l, ok := landing(rec, h, q.EventID); ok {
				l.ScannedTo = list.Head
				return l, nil
			}
		}
		head, err := c.client.Head(ctx)
		if err != nil {
			return sdk.Landing{}, fmt.Errorf("submit-ledger: %s: head: %w", q.Chain, wrap(err))
		}
		if list.Head >= head.Height || len(list.Txs) == 0 {
			return sdk.Landing{ScannedTo: list.Head, Reason: fmt.Sprintf("no submit of event %s to %s from height %d to %d", ledger.Hex0x(q.EventID[:]), h, q.FromBlock, list.Head)}, nil
		}
		from = list.Head + 1 // the listing was cut: go on after it
	}
}

// landing reads a transaction as the landing of an event at a handler.
func landing(rec ledger.TxRecord, handler ledger.Address, eventID [20]byte) (sdk.Landing, bool) {
	if rec.Tx.Type != ledger.TxSubmit {
		return sdk.Landing{}, false
	}
	if h, err := ledger.ParseAddress(rec.Tx.Handler); err != nil || h != handler {
		return sdk.Landing{}, false
	}
	env, err := rec.Tx.Envelope.SDK()
	if err != nil || env.EventID != eventID {
		return sdk.Landing{}, false
	}
	id, err1 := hashOf(rec.ID)
	block, err2 := hashOf(rec.BlockHash)
	if err1 != nil || err2 != nil {
		return sdk.Landing{}, false
	}
	return sdk.Landing{
		Found:        true,
		TxHash:       id,
		BlockNumber:  rec.Height,
		BlockHash:    block,
		EnvelopeHash: envelope.Hash(env),
		Final:        true, // a ledger block is final once made
	}, true
}
