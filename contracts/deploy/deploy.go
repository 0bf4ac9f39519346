// Package deploy deploys the contracts of contracts/src with their Go
// bindings and configures them: the code `make demo` and the end-to-end
// tests use to stand up a service on a chain.
//
//	addrs, err := deploy.DeployAll(ctx, client, deployerKey, deploy.Options{
//		Operators:  []deploy.Operator{{Address: op, SigningKey: signer, Weight: big.NewInt(1)}},
//		ServiceURI: "http://127.0.0.1:8080/service.json",
//	})
//
// Transactions go out back to back with locally assigned nonces and are
// waited for in two rounds (the three creations, then the configuration),
// so a chain with a block time needs two blocks, not one per transaction.
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

// Options configure a freshly deployed service manager.
type Options struct {
	// Operators are registered in order.
	Operators []Operator
	// QuorumNumerator/QuorumDenominator is the signed share of the total
	// weight validate requires. Both zero keep the contract's 2/3.
	QuorumNumerator   uint64
	QuorumDenominator uint64
	// ServiceURI, if not empty, is where the service's JSON is served.
	ServiceURI string
}

// maxTotalWeight is ServiceManager.MAX_TOTAL_WEIGHT: 2^128 - 1.
var maxTotalWeight = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))

// Validate checks o against what the contract would reject, so that a bad
// option fails before any transaction is sent.
func (o Options) Validate() error {
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
	if (num != 0 || den != 0) && (num == 0 || num > den) {
		return fmt.Errorf("deploy: quorum %d/%d: want 0 < numerator <= denominator (or both zero for 2/3)", num, den)
	}
	return nil
}

// Addresses are where the three contracts live.
type Addresses struct {
	ServiceManager common.Address `json:"service_manager"`
	ServiceHandler common.Address `json:"service_handler"`
	SimpleTrigger  common.Address `json:"simple_trigger"`
}

// DeployAll deploys ServiceManager, ServiceHandler (bound to that manager)
// and SimpleTrigger from deployer, which becomes the manager's owner, then
// configures the manager with o, and returns once every transaction has a
// successful receipt.
func DeployAll(ctx context.Context, backend Backend, deployer *ecdsa.PrivateKey, o Options) (Addresses, error) {
	if err := o.Validate(); err != nil {
		return Addresses{}, err
	}
	s, err := NewSender(ctx, backend, deployer)
	if err != nil {
		return Addresses{}, err
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

// Deploy deploys the three contracts, unconfigured, and waits for them.
func Deploy(ctx context.Context, s *Sender) (Addresses, error) {
	var a Addresses
	creations := []struct {
		name string
		meta *bind.MetaData
		args func() []byte
		addr *common.Address
	}{
		{"deploy ServiceManager", &bindings.ServiceManagerMetaData, func() []byte { return nil }, &a.ServiceManager},
		// The handler's constructor only stores the manager's address, so
		// the handler can be created in the same round as the manager.
		{"deploy ServiceHandler", &bindings.ServiceHandlerMetaData, func() []byte {
			return bindings.NewServiceHandler().PackConstructor(a.ServiceManager)
		}, &a.ServiceHandler},
		{"deploy SimpleTrigger", &bindings.SimpleTriggerMetaData, func() []byte { return nil }, &a.SimpleTrigger},
	}
	txs := make([]*types.Transaction, 0, len(creations))
	for _, c := range creations {
		addr, tx, err := s.Deploy(ctx, c.name, c.meta, c.args())
		if err != nil {
			return Addresses{}, err
		}
		*c.addr = addr
		txs = append(txs, tx)
	}
	receipts, err := s.Wait(ctx, txs...)
	if err != nil {
		return Addresses{}, err
	}
	for i, c := range creations {
		if got := receipts[i].ContractAddress; got != *c.addr {
			return Addresses{}, fmt.Errorf("deploy: %s: contract at %s, expected %s", c.name, got, *c.addr)
		}
	}
	return a, nil
}

// Configure registers o's operators on manager and sets its quorum and
// service URI (those not left empty), from the manager's owner, and waits
// for every transaction.
func Configure(ctx context.Context, s *Sender, manager common.Address, o Options) error {
	if err := o.Validate(); err != nil {
		return err
	}
	sm := bindings.NewServiceManager()
	// One at a time: each call's gas is estimated on the state the one
	// before leaves (an operator registered after another writes other
	// checkpoints), so sending them all at once can run one out of gas.
	send := func(name string, data []byte) error {
		tx, err := s.Transact(ctx, name, manager, data)
		if err != nil {
			return err
		}
		_, err = s.Wait(ctx, tx)
		return err
	}
	for i, op := range o.Operators {
		name := fmt.Sprintf("registerOperator(operators[%d] %s)", i, op.Address)
		if err := send(name, sm.PackRegisterOperator(op.Address, op.SigningKey, op.Weight)); err != nil {
			return err
		}
	}
	if o.QuorumNumerator != 0 {
		name := fmt.Sprintf("setQuorum(%d/%d)", o.QuorumNumerator, o.QuorumDenominator)
		num, den := new(big.Int).SetUint64(o.QuorumNumerator), new(big.Int).SetUint64(o.QuorumDenominator)
		if err := send(name, sm.PackSetQuorum(num, den)); err != nil {
			return err
		}
	}
	if o.ServiceURI != "" {
		if err := send("setServiceURI", sm.PackSetServiceURI(o.ServiceURI)); err != nil {
			return err
		}
	}
	return nil
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
