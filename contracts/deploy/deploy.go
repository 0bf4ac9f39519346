// Package deploy deploys the contracts of contracts/src with their Go
// bindings and configures them: the code `make demo` and the end-to-end
// tests use to stand up a service on a chain.
//
//	addrs, err := deploy.DeployAll(ctx, client, deployerKey, deploy.Options{
//		Operators:  []deploy.Operator{{Address: op, SigningKey: signer, Weight: big.NewInt(1)}},
//		ServiceURI: "http://127.0.0.1:8080/service.json",
//	})
//
// Options.Pair picks the contracts. PairRepo (the default) is this
// repository's ServiceManager and ServiceHandler. PairWAVS is a pair that
// behaves like upstream WAVS's: PoaServiceManager behind an
// UpgradeableProxy (absolute threshold weight, quorum fraction, only the
// IWavsServiceManager views) and ExampleHandler (SimpleSubmit: payloads are
// DataWithId, replays accepted, no event), so that the node can be tested
// against contracts it did not write for itself. Both come with
// SimpleTrigger.
//
// Creations go out back to back with locally assigned nonces and are
// waited for together (the repo pair in one round; the wavs pair in two,
// as the proxy's constructor needs the implementation's code); the
// configuration then goes out one transaction at a time. SetOperatorWeight,
// SetQuorum, SetThresholdWeight and the other helpers change a deployed
// manager of either pair from its owner.
package deploy

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/wavs-go/wavs/contracts"
	"github.com/wavs-go/wavs/contracts/bindings"
)

// Operator is one operator of the service.
type Operator struct {
	// Address identifies the operator on the service manager.
	Address common.Address
	// SigningKey is the address whose envelope signatures count for the
	// operator (the node's signing key for the service).
	SigningKey common.Address
	// Weight is the operator's stake weight; positive.
	Weight *big.Int
}

// Pair names a set of contracts a service can be deployed with.
type Pair string

const (
	// PairRepo is this repository's ServiceManager and ServiceHandler, with
	// SimpleTrigger. The empty Pair means PairRepo.
	PairRepo Pair = "repo"
	// PairWAVS is PoaServiceManager behind an UpgradeableProxy and
	// ExampleHandler, with SimpleTrigger: contracts that behave like
	// upstream WAVS's POA service manager and example handler.
	PairWAVS Pair = "wavs"
)

// orDefault is p, with the empty Pair read as PairRepo.
func (p Pair) orDefault() Pair {
	if p == "" {
		return PairRepo
	}
	return p
}

// Options configure a freshly deployed service manager.
type Options struct {
	// Pair picks the contracts; empty means PairRepo.
	Pair Pair
	// Operators are registered in order.
	Operators []Operator
	// QuorumNumerator/QuorumDenominator is the signed share of the total
	// weight validate requires. Both zero mean 2/3. The wavs pair also
	// takes a zero numerator over a positive denominator: no share, only
	// the threshold weight.
	QuorumNumerator   uint64
	QuorumDenominator uint64
	// ThresholdWeight is the least signed weight validate accepts, in
	// absolute weight (wavs pair only; nil means 0). The repo pair has no
	// such setting, and Validate refuses it there.
	ThresholdWeight *big.Int
	// ServiceURI, if not empty, is where the service's JSON is served.
	ServiceURI string
}

// maxTotalWeight is ServiceManager.MAX_TOTAL_WEIGHT: 2^128 - 1, and the
// same bound in PoaServiceManager.
var maxTotalWeight = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))

// Validate checks o against what the contract would reject, so that a bad
// option fails before any transaction is sent.
func (o Options) Validate() error {
	pair := o.Pair.orDefault()
	switch pair {
	case PairRepo:
		if o.ThresholdWeight != nil {
			return fmt.Errorf("deploy: ThresholdWeight %v: the repo pair's ServiceManager has no threshold weight (only Pair %q has one)", o.ThresholdWeight, PairWAVS)
		}
	case PairWAVS:
		if o.ThresholdWeight != nil && o.ThresholdWeight.Sign() < 0 {
			return fmt.Errorf("deploy: ThresholdWeight %v: want zero or more", o.ThresholdWeight)
		}
	default:
		return fmt.Errorf("deploy: Pair %q: want %q or %q", o.Pair, PairRepo, PairWAVS)
	}
	ops := map[common.Address]int{}
	keys := map[common.Address]int{}
	total := new(big.Int)
	for i, op := range o.Operators {
		switch {
		case op.Address == (common.Address{}):
			return fmt.Errorf("deploy: operators[%d].Address: zero address", i)
		case op.SigningKey == (common.Address{}):
			return fmt.Errorf("deploy: operators[%d].SigningKey: zero address", i)
		case op.Weight == nil || op.Weight.Sign() <= 0:
			return fmt.Errorf("deploy: operators[%d].Weight: %v, want a positive weight", i, op.Weight)
		}
		if j, dup := ops[op.Address]; dup {
			return fmt.Errorf("deploy: operators[%d].Address: %s is also operators[%d]", i, op.Address, j)
		}
		if j, dup := keys[op.SigningKey]; dup {
			return fmt.Errorf("deploy: operators[%d].SigningKey: %s is also the key of operators[%d]", i, op.SigningKey, j)
		}
		ops[op.Address], keys[op.SigningKey] = i, i
		total.Add(total, op.Weight)
	}
	if total.Cmp(maxTotalWeight) > 0 {
		return fmt.Errorf("deploy: operators: total weight %v is above 2^128-1", total)
	}
	num, den := o.QuorumNumerator, o.QuorumDenominator
	switch {
	case num == 0 && den == 0:
	case pair == PairWAVS && (den == 0 || num > den):
		return fmt.Errorf("deploy: quorum %d/%d: want numerator <= denominator, denominator > 0 (or both zero for 2/3)", num, den)
	case pair == PairRepo && (num == 0 || num > den):
		return fmt.Errorf("deploy: quorum %d/%d: want 0 < numerator <= denominator (or both zero for 2/3)", num, den)
	}
	return nil
}

// quorum is o's quorum fraction, 2/3 when both terms are zero.
func (o Options) quorum() (num, den *big.Int) {
	if o.QuorumNumerator == 0 && o.QuorumDenominator == 0 {
		return big.NewInt(2), big.NewInt(3)
	}
	return new(big.Int).SetUint64(o.QuorumNumerator), new(big.Int).SetUint64(o.QuorumDenominator)
}

// Addresses are where a service's contracts live.
type Addresses struct {
	// ServiceManager is the address the node and the handler use: the
	// ServiceManager, or for the wavs pair the proxy.
	ServiceManager common.Address `json:"service_manager"`
	// ServiceHandler is the ServiceHandler, or the ExampleHandler.
	ServiceHandler common.Address `json:"service_handler"`
	SimpleTrigger  common.Address `json:"simple_trigger"`
	// ServiceManagerImplementation is the PoaServiceManager behind the
	// proxy (wavs pair); zero for the repo pair.
	ServiceManagerImplementation common.Address `json:"service_manager_implementation,omitzero"`
	// Pair is the pair deployed.
	Pair Pair `json:"pair,omitempty"`
}

// DeployAll deploys o.Pair's contracts from deployer, which becomes the
// manager's owner (and the proxy's admin), configures the manager with o,
// and returns once every transaction has a successful receipt.
//
// The repo pair is ServiceManager, ServiceHandler (bound to it) and
// SimpleTrigger. The wavs pair is PoaServiceManager, an UpgradeableProxy
// to it initialized with o's threshold weight and quorum, ExampleHandler
// bound to the proxy, and SimpleTrigger.
func DeployAll(ctx context.Context, backend Backend, deployer *ecdsa.PrivateKey, o Options) (Addresses, error) {
	if err := o.Validate(); err != nil {
		return Addresses{}, err
	}
	s, err := NewSender(ctx, backend, deployer)
	if err != nil {
		return Addresses{}, err
	}
	if o.Pair.orDefault() == PairWAVS {
		addrs, err := DeployWAVS(ctx, s, o)
		if err != nil {
			return Addresses{}, err
		}
		// initialize set the quorum and the threshold weight.
		if err := configure(ctx, s, addrs.ServiceManager, o, false); err != nil {
			return addrs, err
		}
		return addrs, nil
	}
	addrs, err := Deploy(ctx, s)
	if err != nil {
		return Addresses{}, err
	}
	if err := Configure(ctx, s, addrs.ServiceManager, o); err != nil {
		return addrs, err
	}
	return addrs, nil
}

// Deploy deploys the repo pair's three contracts, unconfigured, and waits
// for them.
func Deploy(ctx context.Context, s *Sender) (Addresses, error) {
	a := Addresses{Pair: PairRepo}
	creations := []creation{
		{"deploy ServiceManager", &bindings.ServiceManagerMetaData, func() []byte { return nil }, &a.ServiceManager},
		// The handler's constructor only stores the manager's address, so
		// the handler can be created in the same round as the manager.
		{"deploy ServiceHandler", &bindings.ServiceHandlerMetaData, func() []byte {
			return bindings.NewServiceHandler().PackConstructor(a.ServiceManager)
		}, &a.ServiceHandler},
		{"deploy SimpleTrigger", &bindings.SimpleTriggerMetaData, func() []byte { return nil }, &a.SimpleTrigger},
	}
	if err := create(ctx, s, creations); err != nil {
		return Addresses{}, err
	}
	return a, nil
}

// creation is one contract to create: args is called after the creations
// before it were sent, so it may use their addresses.
type creation struct {
	name string
	meta *bind.MetaData
	args func() []byte
	addr *common.Address
}

// create sends the creations back to back and waits for them all.
func create(ctx context.Context, s *Sender, creations []creation) error {
	txs := make([]*types.Transaction, 0, len(creations))
	for _, c := range creations {
		addr, tx, err := s.Deploy(ctx, c.name, c.meta, c.args())
		if err != nil {
			return err
		}
		*c.addr = addr
		txs = append(txs, tx)
	}
	receipts, err := s.Wait(ctx, txs...)
	if err != nil {
		return err
	}
	for i, c := range creations {
		if got := receipts[i].ContractAddress; got != *c.addr {
			return fmt.Errorf("deploy: %s: contract at %s, expected %s", c.name, got, *c.addr)
		}
	}
	return nil
}

// Configure registers o's operators on manager and sets its quorum, its
// threshold weight (wavs pair) and its service URI (those not left empty),
// from the manager's owner, and waits for every transaction. o.Pair must
// be the pair of manager.
func Configure(ctx context.Context, s *Sender, manager common.Address, o Options) error {
	return configure(ctx, s, manager, o, true)
}

// configure is Configure; withQuorum false leaves the quorum and the
// threshold weight as they are (initialize set them).
func configure(ctx context.Context, s *Sender, manager common.Address, o Options, withQuorum bool) error {
	if err := o.Validate(); err != nil {
		return err
	}
	// registerOperator and setServiceURI have the same signature in
	// both managers.
	sm := bindings.NewServiceManager()
	// One at a time: each call's gas is estimated on the state the one
	// before leaves (an operator registered after another writes other
	// checkpoints), so sending them all at once can run one out of gas.
	for i, op := range o.Operators {
		name := fmt.Sprintf("registerOperator(operators[%d] %s)", i, op.Address)
		if err := transactAndWait(ctx, s, name, manager, sm.PackRegisterOperator(op.Address, op.SigningKey, op.Weight)); err != nil {
			return err
		}
	}
	if withQuorum && (o.QuorumNumerator != 0 || o.QuorumDenominator != 0) {
		num, den := o.quorum()
		if err := sendQuorum(ctx, s, o.Pair.orDefault(), manager, num, den); err != nil {
			return err
		}
	}
	if withQuorum && o.ThresholdWeight != nil {
		if err := sendThreshold(ctx, s, manager, o.ThresholdWeight); err != nil {
			return err
		}
	}
	if o.ServiceURI != "" {
		if err := transactAndWait(ctx, s, "setServiceURI", manager, sm.PackSetServiceURI(o.ServiceURI)); err != nil {
			return err
		}
	}
	return nil
}

// transactAndWait sends one call and waits for its successful receipt.
func transactAndWait(ctx context.Context, s *Sender, name string, to common.Address, data []byte) error {
	tx, err := s.Transact(ctx, name, to, data)
	if err != nil {
		return err
	}
	_, err = s.Wait(ctx, tx)
	return err
}

// AddTrigger calls SimpleTrigger.addTrigger(data) and returns the trigger
// its NewTrigger event announced, with the receipt.
func AddTrigger(ctx context.Context, s *Sender, trigger common.Address, data []byte) (contracts.TriggerInfo, *types.Receipt, error) {
	st := bindings.NewSimpleTrigger()
	if data == nil {
		data = []byte{}
	}
	tx, err := s.Transact(ctx, "addTrigger", trigger, st.PackAddTrigger(data))
	if err != nil {
		return contracts.TriggerInfo{}, nil, err
	}
	receipts, err := s.Wait(ctx, tx)
	if err != nil {
		return contracts.TriggerInfo{}, nil, err
	}
	r := receipts[0]
	for _, l := range r.Logs {
		if l.Address != trigger {
			continue
		}
		ev, err := st.UnpackNewTriggerEvent(l)
		if err != nil {
			continue // another event of the contract
		}
		info, err := contracts.DecodeTriggerInfo(ev.TriggerData)
		if err != nil {
			return contracts.TriggerInfo{}, r, fmt.Errorf("deploy: addTrigger: %w", err)
		}
		return info, r, nil
	}
	return contracts.TriggerInfo{}, r, errors.New("deploy: addTrigger: no NewTrigger event in the receipt")
}
