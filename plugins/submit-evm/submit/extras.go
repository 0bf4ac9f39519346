package submit

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/errgroup"

	"github.com/wavs-go/wavs/sdk"
)

// The WAVS service-manager interface has no view of the total weight or
// of the thresholds: validate alone decides whether signatures are enough.
// Many managers have such views all the same, under names of their own;
// where the plugin recognises a set of them (a profile) it reads them so
// the host can show progress and skip validate calls that cannot pass.
// They are never required: a manager with none works as well.

// profile names the views of one family of service managers. Each view is
// read with eth_call at the block asked about, so a "latest" view gives
// the value at that block.
type profile struct {
	name  string
	total string // () → uint256 total weight
	// The quorum fraction: num and den, two views of one uint256 each, or
	// pair, one view returning (numerator, denominator).
	num, den, pair string
	threshold      string // () → uint256 absolute threshold; "" for none
}

// profiles are tried in order; the first whose total view answers is the
// manager's.
var profiles = []profile{
	// contracts/src/ServiceManager.sol here.
	{name: "wavs-go", total: fnTotalWeight, num: fnQuorumNumerator, den: fnQuorumDenominator},
	// Upstream WAVS's POA stake registry.
	{name: "poa", total: fnPOATotalWeight, pair: fnPOAQuorum, threshold: fnPOAThresholdWeight},
}

// redetectAfter is how long a manager's profile (or its lack of one) is
// trusted: a manager behind a proxy can be upgraded.
const redetectAfter = 10 * time.Minute

// extras is what a profile told about a manager at a block; nil and 0/0
// for what is unknown.
type extras struct {
	total, threshold *big.Int
	num, den         uint64
}

// profileCache remembers which profile each manager has.
type profileCache struct {
	mu   sync.Mutex
	byID map[string]detected
}

type detected struct {
	index int // into profiles; -1 for none
	at    time.Time
}

func (pc *profileCache) get(key string) (int, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	d, ok := pc.byID[key]
	if !ok || time.Since(d.at) > redetectAfter {
		return 0, false
	}
	return d.index, true
}

func (pc *profileCache) put(key string, index int) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.byID == nil || len(pc.byID) > 10000 {
		pc.byID = map[string]detected{}
	}
	pc.byID[key] = detected{index: index, at: time.Now()}
}

// absent reports whether err means the view is not there (a revert, or no
// data) rather than that the chain could not be asked.
func absent(err error) bool { return errors.Is(err, sdk.ErrInvalidArgument) }

// readExtras reads the total weight and thresholds of manager at block
// when its profile is known or can be detected. Only a failure to reach
// the chain is an error; a manager without a profile gives empty extras.
func (p *Plugin) readExtras(ctx context.Context, c *chain, manager common.Address, block *big.Int) (extras, error) {
	key := c.cfg.key + "/" + manager.Hex()
	index, ok := p.profiles.get(key)
	if !ok {
		var err error
		if index, err = p.detectProfile(ctx, c, manager, block); err != nil {
			return extras{}, err
		}
		p.profiles.put(key, index)
		if index >= 0 {
			c.log.Debug("service manager views recognised", "manager", manager.Hex(), "profile", profiles[index].name)
		}
	}
	if index < 0 {
		return extras{}, nil
	}
	ex, err := p.readProfile(ctx, c, manager, block, profiles[index])
	if absent(err) {
		// The views went away (an upgrade): look again next time.
		p.profiles.put(key, -1)
		c.log.Info("service manager views no longer answer; relying on validate", "manager", manager.Hex(), "profile", profiles[index].name, "error", err)
		return extras{}, nil
	}
	return ex, err
}

// detectProfile returns the index of the first profile whose total view
// answers on manager, or -1.
func (p *Plugin) detectProfile(ctx context.Context, c *chain, manager common.Address, block *big.Int) (int, error) {
	for i, pr := range profiles {
		_, err := p.viewUint(ctx, c, manager, block, pr.total)
		if err == nil {
			return i, nil
		}
		if !absent(err) {
			return 0, err
		}
	}
	return -1, nil
}

// readProfile reads every view of pr at block.
func (p *Plugin) readProfile(ctx context.Context, c *chain, manager common.Address, block *big.Int, pr profile) (extras, error) {
	var ex extras
	var num, den *big.Int
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { ex.total, err = p.viewUint(gctx, c, manager, block, pr.total); return err })
	if pr.pair != "" {
		g.Go(func() (err error) { num, den, err = p.viewUintPair(gctx, c, manager, block, pr.pair); return err })
	} else {
		g.Go(func() (err error) { num, err = p.viewUint(gctx, c, manager, block, pr.num); return err })
		g.Go(func() (err error) { den, err = p.viewUint(gctx, c, manager, block, pr.den); return err })
	}
	if pr.threshold != "" {
		g.Go(func() (err error) { ex.threshold, err = p.viewUint(gctx, c, manager, block, pr.threshold); return err })
	}
	if err := g.Wait(); err != nil {
		return extras{}, err
	}
	// A fraction the host could not compare with is left unknown.
	if num.IsUint64() && den.IsUint64() && den.Sign() > 0 && num.Cmp(den) <= 0 {
		ex.num, ex.den = num.Uint64(), den.Uint64()
	} else {
		c.log.Warn("service manager reports a quorum fraction the node cannot use; relying on validate",
			"manager", manager.Hex(), "numerator", num, "denominator", den)
	}
	return ex, nil
}

// viewUintPair calls a view returning two uint256 values.
func (p *Plugin) viewUintPair(ctx context.Context, c *chain, to common.Address, block *big.Int, fn string) (*big.Int, *big.Int, error) {
	out, err := p.view(ctx, c, to, block, fn)
	if err != nil {
		return nil, nil, err
	}
	vals, err := p.abi.abi.Unpack(fn, out)
	if err != nil || len(vals) != 2 {
		return nil, nil, fmt.Errorf("%w: submit-evm: %s returned %d bytes, want two uint256", sdk.ErrInvalidArgument, fn, len(out))
	}
	a, ok1 := vals[0].(*big.Int)
	b, ok2 := vals[1].(*big.Int)
	if !ok1 || !ok2 {
		return nil, nil, fmt.Errorf("%w: submit-evm: %s did not return two uint256", sdk.ErrInvalidArgument, fn)
	}
	return a, b, nil
}
