package submit

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/errgroup"

	"github.com/wavs-go/wavs/sdk"
)

// LatestBlock implements sdk.Submitter.
func (p *Plugin) LatestBlock(ctx context.Context, chainKey string) (sdk.BlockRef, error) {
	c, err := p.chain(chainKey)
	if err != nil {
		return sdk.BlockRef{}, err
	}
	h, err := c.latest(ctx)
	if err != nil {
		return sdk.BlockRef{}, err
	}
	return sdk.BlockRef{Number: uint64(h.Number), Hash: sdk.Hash(h.Hash)}, nil
}

// view calls a view function of the WAVS ABI on to at block (nil: latest)
// and returns its raw result. A revert or an empty answer (no contract at
// to) is an error wrapping sdk.ErrInvalidArgument that says what was asked
// of whom.
func (p *Plugin) view(ctx context.Context, c *chain, to common.Address, block *big.Int, fn string, args ...any) ([]byte, error) {
	data, err := p.abi.pack(fn, args...)
	if err != nil {
		return nil, err
	}
	at := "latest"
	if block != nil {
		at = "block " + block.String()
	}
	out, err := c.call(ctx, to, data, block)
	if err != nil {
		var re *revertError
		if errors.As(err, &re) {
			return nil, fmt.Errorf("%w: submit-evm: %s: %s on %s at %s reverted: %s",
				sdk.ErrInvalidArgument, c.cfg.key, fn, to.Hex(), at, p.abi.describeRevert(re.data))
		}
		return nil, fmt.Errorf("%s on %s: %w", fn, to.Hex(), err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: submit-evm: %s: %s on %s at %s returned nothing (no contract there, or not a WAVS one)",
			sdk.ErrInvalidArgument, c.cfg.key, fn, to.Hex(), at)
	}
	return out, nil
}

func (p *Plugin) viewAddress(ctx context.Context, c *chain, to common.Address, block *big.Int, fn string, args ...any) (common.Address, error) {
	out, err := p.view(ctx, c, to, block, fn, args...)
	if err != nil {
		return common.Address{}, err
	}
	return p.abi.unpackAddress(fn, out)
}

func (p *Plugin) viewUint(ctx context.Context, c *chain, to common.Address, block *big.Int, fn string, args ...any) (*big.Int, error) {
	out, err := p.view(ctx, c, to, block, fn, args...)
	if err != nil {
		return nil, err
	}
	return p.abi.unpackUint(fn, out)
}

// ServiceManager implements sdk.Submitter: the handler's getServiceManager.
func (p *Plugin) ServiceManager(ctx context.Context, chainKey, handler string) (string, error) {
	c, err := p.chain(chainKey)
	if err != nil {
		return "", err
	}
	h, err := evmAddress("handler", handler)
	if err != nil {
		return "", err
	}
	m, err := p.viewAddress(ctx, c, h, nil, fnGetServiceManager)
	if err != nil {
		return "", err
	}
	return sdk.Address(m).Hex(), nil
}

// evmAddress reads an address the host sent in the evm family's text form.
func evmAddress(field, s string) (common.Address, error) {
	a, err := sdk.ParseEVMAddress(s)
	if err != nil {
		return common.Address{}, fmt.Errorf("submit-evm: %s: %w", field, err)
	}
	return common.Address(a), nil
}

// evmSigners reads signer identities of the secp256k1-eip191 scheme: 20
// bytes each.
func evmSigners(scheme sdk.Scheme, signers [][]byte) ([]common.Address, error) {
	if scheme != "" && scheme != sdk.SchemeSecp256k1EIP191 {
		return nil, fmt.Errorf("%w: submit-evm: signature scheme %q is not served; EVM managers verify %q", sdk.ErrInvalidArgument, scheme, sdk.SchemeSecp256k1EIP191)
	}
	out := make([]common.Address, len(signers))
	for i, s := range signers {
		if len(s) != 20 {
			return nil, fmt.Errorf("%w: submit-evm: signers[%d] has %d bytes, want a 20-byte address", sdk.ErrInvalidArgument, i, len(s))
		}
		out[i] = common.BytesToAddress(s)
	}
	return out, nil
}

// ServiceURI implements sdk.Submitter: the manager's getServiceURI.
func (p *Plugin) ServiceURI(ctx context.Context, chainKey, manager string) (string, error) {
	c, err := p.chain(chainKey)
	if err != nil {
		return "", err
	}
	m, err := evmAddress("manager", manager)
	if err != nil {
		return "", err
	}
	out, err := p.view(ctx, c, m, nil, fnGetServiceURI)
	if err != nil {
		return "", err
	}
	return p.abi.unpackString(fnGetServiceURI, out)
}

// Quorum implements sdk.Submitter. Every value is read with eth_call at
// q.Block, so it is the manager's state at that block whatever changed
// since. The weights come from the WAVS interface alone: each signer's
// operator (getLatestOperatorForSigningKey) and its weight
// (getOperatorWeight; zero for a signer with no operator). The total weight
// and the thresholds are read only from a manager with views the plugin
// knows (see extras.go); otherwise they are left unknown, and validate is
// the host's only judge of the quorum.
func (p *Plugin) Quorum(ctx context.Context, q sdk.QuorumQuery) (sdk.Quorum, error) {
	c, err := p.chain(q.Chain)
	if err != nil {
		return sdk.Quorum{}, err
	}
	manager, err := evmAddress("manager", q.Manager)
	if err != nil {
		return sdk.Quorum{}, err
	}
	signers, err := evmSigners(q.Scheme, q.Signers)
	if err != nil {
		return sdk.Quorum{}, err
	}
	block := new(big.Int).SetUint64(q.Block)
	res := sdk.Quorum{Weights: make([]*big.Int, len(q.Signers))}
	// The reads are independent but for each signer's weight, which needs
	// its operator: two rounds of concurrent calls instead of 2n calls one
	// after another. The extras go alongside the first round.
	ops := make([]common.Address, len(q.Signers))
	var ex extras
	g, gctx := errgroup.WithContext(ctx)
	for i, s := range signers {
		g.Go(func() (err error) {
			if ops[i], err = p.viewAddress(gctx, c, manager, block, fnOperatorForSigningKey, s); err != nil {
				return fmt.Errorf("signer %s: %w", s.Hex(), err)
			}
			return nil
		})
	}
	g.Go(func() (err error) {
		ex, err = p.readExtras(gctx, c, manager, block)
		return err
	})
	if err := g.Wait(); err != nil {
		return sdk.Quorum{}, err
	}
	g, gctx = errgroup.WithContext(ctx)
	for i, op := range ops {
		if op == (common.Address{}) {
			res.Weights[i] = new(big.Int)
			continue
		}
		g.Go(func() (err error) {
			if res.Weights[i], err = p.viewUint(gctx, c, manager, block, fnOperatorWeight, op); err != nil {
				return fmt.Errorf("signer %s (operator %s): %w", signers[i].Hex(), op.Hex(), err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return sdk.Quorum{}, err
	}
	res.TotalWeight, res.ThresholdWeight = ex.total, ex.threshold
	res.ThresholdNumerator, res.ThresholdDenominator = ex.num, ex.den
	return res, nil
}

// Validate implements sdk.Submitter: the handler's service manager runs
// validate as an eth_call at the latest block. A revert is a Validation
// with Valid false and the decoded error as Reason; only failures to ask
// are errors.
func (p *Plugin) Validate(ctx context.Context, s sdk.Submission) (sdk.Validation, error) {
	c, err := p.chain(s.Chain)
	if err != nil {
		return sdk.Validation{}, err
	}
	handler, err := evmAddress("handler", s.Handler)
	if err != nil {
		return sdk.Validation{}, err
	}
	manager, err := p.managerOf(ctx, c, handler)
	if err != nil {
		return sdk.Validation{}, err
	}
	env, sigs, err := envelopeArgs(s)
	if err != nil {
		return sdk.Validation{}, err
	}
	data, err := p.abi.pack(fnValidate, env, sigs)
	if err != nil {
		return sdk.Validation{}, err
	}
	if _, err := c.call(ctx, manager, data, nil); err != nil {
		var re *revertError
		if errors.As(err, &re) {
			return sdk.Validation{Valid: false, Reason: p.abi.describeRevert(re.data), RevertData: re.data}, nil
		}
		return sdk.Validation{}, fmt.Errorf("validate on %s: %w", manager.Hex(), err)
	}
	return sdk.Validation{Valid: true}, nil
}

// managerTTL is how long a handler's service manager, with the check that
// code lives there, is reused by Validate.
const managerTTL = time.Minute

// managerOf returns the handler's service manager, checked to be a
// contract, as read at most managerTTL ago.
func (p *Plugin) managerOf(ctx context.Context, c *chain, handler common.Address) (common.Address, error) {
	key := c.cfg.key + "/" + handler.Hex()
	p.managersMu.Lock()
	m, ok := p.managers[key]
	p.managersMu.Unlock()
	if ok && time.Since(m.at) < managerTTL {
		return m.manager, nil
	}
	manager, err := p.viewAddress(ctx, c, handler, nil, fnGetServiceManager)
	if err != nil {
		return common.Address{}, fmt.Errorf("service manager of handler %s: %w", handler.Hex(), err)
	}
	if err := p.requireCode(ctx, c, manager, "service manager of handler "+handler.Hex()); err != nil {
		return common.Address{}, err
	}
	p.managersMu.Lock()
	if p.managers == nil || len(p.managers) > 10000 {
		p.managers = map[string]knownManager{}
	}
	p.managers[key] = knownManager{manager: manager, at: time.Now()}
	p.managersMu.Unlock()
	return manager, nil
}

// knownManager is a handler's service manager as last read.
type knownManager struct {
	manager common.Address
	at      time.Time
}

// requireCode fails unless a contract lives at addr: a call to an address
// without code succeeds with no data, which validate must not mistake for
// a pass.
func (p *Plugin) requireCode(ctx context.Context, c *chain, addr common.Address, what string) error {
	cl, err := c.connect(ctx)
	if err != nil {
		return err
	}
	code, err := cl.CodeAt(ctx, addr, nil)
	if err != nil {
		return c.unavailable("eth_getCode", err)
	}
	if len(code) == 0 {
		return fmt.Errorf("%w: submit-evm: %s: no contract at %s (%s)", sdk.ErrInvalidArgument, c.cfg.key, addr.Hex(), what)
	}
	return nil
}
