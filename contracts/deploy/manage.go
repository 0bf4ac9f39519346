package deploy

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/wavs-go/wavs/contracts/bindings"
)

// The helpers below change a deployed service manager of either pair from
// its owner (s), one transaction each, and wait for its receipt. A call the
// manager refuses fails at gas estimation with the decoded revert in the
// error. registerOperator, updateOperatorWeight, deregisterOperator and
// setServiceURI have the same signatures in both managers; the quorum and
// the threshold weight differ, and SetQuorum and SetThresholdWeight ask
// ManagerPair which manager they talk to.

// RegisterOperator registers op on manager.
func RegisterOperator(ctx context.Context, s *Sender, manager common.Address, op Operator) error {
	if op.Weight == nil || op.Weight.Sign() <= 0 {
		return fmt.Errorf("deploy: RegisterOperator %s: weight %v, want a positive weight", op.Address, op.Weight)
	}
	data := bindings.NewServiceManager().PackRegisterOperator(op.Address, op.SigningKey, op.Weight)
	return transactAndWait(ctx, s, fmt.Sprintf("registerOperator(%s)", op.Address), manager, data)
}

// SetOperatorWeight sets a registered operator's weight. Neither manager
// takes a zero weight: DeregisterOperator instead.
func SetOperatorWeight(ctx context.Context, s *Sender, manager, operator common.Address, weight *big.Int) error {
	if weight == nil || weight.Sign() <= 0 {
		return fmt.Errorf("deploy: SetOperatorWeight %s: weight %v, want a positive weight (DeregisterOperator for zero)", operator, weight)
	}
	data := bindings.NewServiceManager().PackUpdateOperatorWeight(operator, weight)
	return transactAndWait(ctx, s, fmt.Sprintf("updateOperatorWeight(%s, %v)", operator, weight), manager, data)
}

// DeregisterOperator removes an operator: its weight is zero from the next
// block on. The repo pair also unlinks its signing key (a signature by it
// is then refused as an unknown signer); the wavs pair keeps the key, whose
// signature then counts with weight zero.
func DeregisterOperator(ctx context.Context, s *Sender, manager, operator common.Address) error {
	data := bindings.NewServiceManager().PackDeregisterOperator(operator)
	return transactAndWait(ctx, s, fmt.Sprintf("deregisterOperator(%s)", operator), manager, data)
}

// SetServiceURI sets the URI of the service's JSON.
func SetServiceURI(ctx context.Context, s *Sender, manager common.Address, uri string) error {
	return transactAndWait(ctx, s, "setServiceURI", manager, bindings.NewServiceManager().PackSetServiceURI(uri))
}

// SetQuorum sets the quorum fraction num/den (setQuorum on the repo pair,
// where 0 < num <= den; updateQuorum on the wavs pair, where num <= den
// and den > 0).
func SetQuorum(ctx context.Context, s *Sender, manager common.Address, num, den uint64) error {
	pair, err := ManagerPair(ctx, s.backend, manager)
	if err != nil {
		return err
	}
	return sendQuorum(ctx, s, pair, manager, new(big.Int).SetUint64(num), new(big.Int).SetUint64(den))
}

// SetThresholdWeight sets the least signed weight validate accepts (wavs
// pair only: the repo pair's ServiceManager has no threshold weight, and
// this fails without sending anything).
func SetThresholdWeight(ctx context.Context, s *Sender, manager common.Address, weight *big.Int) error {
	if weight == nil || weight.Sign() < 0 {
		return fmt.Errorf("deploy: SetThresholdWeight: weight %v, want zero or more", weight)
	}
	pair, err := ManagerPair(ctx, s.backend, manager)
	if err != nil {
		return err
	}
	if pair != PairWAVS {
		return fmt.Errorf("deploy: SetThresholdWeight: %s is the %s pair's ServiceManager, which has no threshold weight (SetQuorum sets its quorum)", manager, pair)
	}
	return sendThreshold(ctx, s, manager, weight)
}

func sendQuorum(ctx context.Context, s *Sender, pair Pair, manager common.Address, num, den *big.Int) error {
	if pair == PairWAVS {
		data := bindings.NewPoaServiceManager().PackUpdateQuorum(num, den)
		return transactAndWait(ctx, s, fmt.Sprintf("updateQuorum(%v/%v)", num, den), manager, data)
	}
	data := bindings.NewServiceManager().PackSetQuorum(num, den)
	return transactAndWait(ctx, s, fmt.Sprintf("setQuorum(%v/%v)", num, den), manager, data)
}

func sendThreshold(ctx context.Context, s *Sender, manager common.Address, weight *big.Int) error {
	data := bindings.NewPoaServiceManager().PackUpdateStakeThreshold(weight)
	return transactAndWait(ctx, s, fmt.Sprintf("updateStakeThreshold(%v)", weight), manager, data)
}

// ManagerPair tells which pair's service manager is at manager, from what
// it answers: only PoaServiceManager (through its proxy or not) has
// getStakeRegistry, only ServiceManager has MAX_TOTAL_WEIGHT. It fails for
// anything else.
func ManagerPair(ctx context.Context, caller bind.ContractCaller, manager common.Address) (Pair, error) {
	probe := func(data []byte) bool {
		out, err := caller.CallContract(ctx, ethereum.CallMsg{To: &manager, Data: data}, nil)
		return err == nil && len(out) == 32
	}
	if probe(bindings.NewPoaServiceManager().PackGetStakeRegistry()) {
		return PairWAVS, nil
	}
	if probe(bindings.NewServiceManager().PackMAXTOTALWEIGHT()) {
		return PairRepo, nil
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("deploy: which service manager is %s: %w", manager, err)
	}
	return "", fmt.Errorf("deploy: %s: %w", manager, ErrUnknownManager)
}

// ErrUnknownManager is wrapped by ManagerPair's error for an address that
// is neither pair's service manager.
var ErrUnknownManager = errors.New("neither a ServiceManager nor a PoaServiceManager")
