package deploy

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts"
	"github.com/wavs-go/wavs/contracts/bindings"
)

// Backend is what deploying needs of a chain client; *ethclient.Client is one.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
}

// Sender sends transactions from one key with nonces it assigns itself, so
// that several can be in flight at once, and waits for their receipts. It is
// safe for concurrent use; it assumes nothing else sends from the same key
// meanwhile.
type Sender struct {
	backend Backend
	key     *ecdsa.PrivateKey
	from    common.Address
	chainID *big.Int

	mu       sync.Mutex
	nonce    uint64
	nonceSet bool
	names    map[common.Hash]string
}

// NewSender returns a Sender for key on backend's chain.
func NewSender(ctx context.Context, backend Backend, key *ecdsa.PrivateKey) (*Sender, error) {
	if key == nil {
		return nil, errors.New("deploy: nil key")
	}
	id, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("deploy: chain id: %w", err)
	}
	return &Sender{
		backend: backend,
		key:     key,
		from:    crypto.PubkeyToAddress(key.PublicKey),
		chainID: id,
		names:   map[common.Hash]string{},
	}, nil
}

// From is the address that signs and pays.
func (s *Sender) From() common.Address { return s.from }

// Deploy sends the creation of a contract from a binding's metadata with
// ABI-encoded constructor arguments (nil if none). It returns the address
// the contract will have and the transaction, without waiting for it.
func (s *Sender) Deploy(ctx context.Context, name string, meta *bind.MetaData, constructorInput []byte) (common.Address, *types.Transaction, error) {
	code := common.FromHex(meta.Bin)
	if len(code) == 0 {
		return common.Address{}, nil, fmt.Errorf("deploy: %s: binding has no bytecode", name)
	}
	var addr common.Address
	tx, err := s.send(ctx, name, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		a, tx, err := bind.DeployContract(opts, code, s.backend, constructorInput)
		addr = a
		return tx, err
	})
	return addr, tx, err
}

// Transact sends a call of contract `to` with calldata `data` (from a
// binding's Pack method), without waiting for it. name labels the
// transaction in errors. A call that would revert fails here, at gas
// estimation, with the decoded revert in the error.
func (s *Sender) Transact(ctx context.Context, name string, to common.Address, data []byte) (*types.Transaction, error) {
	// RawTransact sends calldata as is; the bound ABI is not used.
	bound := bind.NewBoundContract(to, abi.ABI{}, s.backend, s.backend, s.backend)
	return s.send(ctx, name, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		return bind.Transact(bound, opts, data)
	})
}

func (s *Sender) send(ctx context.Context, name string, do func(*bind.TransactOpts) (*types.Transaction, error)) (*types.Transaction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.nonceSet {
		n, err := s.backend.PendingNonceAt(ctx, s.from)
		if err != nil {
			return nil, fmt.Errorf("deploy: %s: nonce of %s: %w", name, s.from, err)
		}
		s.nonce, s.nonceSet = n, true
	}
	opts := bind.NewKeyedTransactor(s.key, s.chainID)
	opts.Context = ctx
	opts.Nonce = new(big.Int).SetUint64(s.nonce)
	tx, err := do(opts)
	if err != nil {
		// The nonce may or may not have been used (a send can fail after
		// the node took the transaction): ask the node next time.
		s.nonceSet = false
		return nil, fmt.Errorf("deploy: %s: %w", name, describeRevert(err))
	}
	s.nonce++
	s.names[tx.Hash()] = name
	return tx, nil
}

// Wait waits for the receipts of txs, in order, and fails on the first
// transaction that reverted or could not be found before ctx ends.
func (s *Sender) Wait(ctx context.Context, txs ...*types.Transaction) ([]*types.Receipt, error) {
	receipts := make([]*types.Receipt, 0, len(txs))
	for _, tx := range txs {
		s.mu.Lock()
		name := s.names[tx.Hash()]
		delete(s.names, tx.Hash())
		s.mu.Unlock()
		r, err := WaitReceipt(ctx, s.backend, tx.Hash())
		if err != nil {
			return receipts, fmt.Errorf("deploy: %s: %w", name, err)
		}
		if r.Status != types.ReceiptStatusSuccessful {
			return receipts, fmt.Errorf("deploy: %s: transaction %s reverted in block %v", name, tx.Hash(), r.BlockNumber)
		}
		receipts = append(receipts, r)
	}
	return receipts, nil
}

// WaitReceipt polls for the receipt of txHash until it exists or ctx ends.
// It polls more often than bind.WaitMined (every 100 ms), which matters on
// a chain that mines at once.
func WaitReceipt(ctx context.Context, b bind.DeployBackend, txHash common.Hash) (*types.Receipt, error) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		r, err := b.TransactionReceipt(ctx, txHash)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, fmt.Errorf("receipt of %s: %w", txHash, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("receipt of %s: %w", txHash, ctx.Err())
		case <-t.C:
		}
	}
}

// describeRevert adds the decoded revert, when err carries one, in front
// of err: "ServiceManager.SigningKeyInUse(0x…, 0x…): execution reverted".
// The errors of the wavs pair are decoded too; an error whose selector
// both pairs declare (InsufficientQuorum(uint256,uint256,uint256),
// InvalidSignature(), ZeroAddress()) is named without a contract, as it
// may come from either.
func describeRevert(err error) error {
	data, ok := contracts.RevertData(err)
	if !ok || len(data) == 0 {
		return err
	}
	r, decErr := contracts.DecodeRevert(data)
	if errors.Is(decErr, contracts.ErrUnknownRevert) {
		r, decErr = decodeWAVSRevert(data)
	}
	if decErr != nil {
		return err
	}
	name := r.String()
	if r.Contract != "" && !declaredByWAVSPair(r.Selector, r.Contract) {
		name = r.Contract + "." + name
	}
	return fmt.Errorf("%s: %w", name, err)
}

// wavsABIs are the ABIs of the wavs pair, whose errors
// contracts.DecodeRevert does not know.
var wavsABIs = []struct {
	name string
	abi  abi.ABI
}{
	{"PoaServiceManager", bindings.NewPoaServiceManager().GetABI()},
	{"ExampleHandler", bindings.NewExampleHandler().GetABI()},
	{"UpgradeableProxy", bindings.NewUpgradeableProxy().GetABI()},
}

// decodeWAVSRevert decodes revert data by selector with the wavs pair's ABIs.
func decodeWAVSRevert(data []byte) (*contracts.Revert, error) {
	if len(data) < 4 {
		return nil, contracts.ErrUnknownRevert
	}
	for _, known := range wavsABIs {
		for name, e := range known.abi.Errors {
			if !bytes.Equal(e.ID[:4], data[:4]) {
				continue
			}
			args, err := e.Inputs.Unpack(data[4:])
			if err != nil {
				return nil, fmt.Errorf("deploy: decode %s.%s: %w", known.name, name, err)
			}
			r := &contracts.Revert{Contract: known.name, Name: name, Args: args}
			copy(r.Selector[:], data[:4])
			return r, nil
		}
	}
	return nil, contracts.ErrUnknownRevert
}

// declaredByWAVSPair reports whether a wavs-pair contract other than
// contract declares an error with selector.
func declaredByWAVSPair(selector [4]byte, contract string) bool {
	for _, known := range wavsABIs {
		if known.name == contract {
			continue
		}
		for _, e := range known.abi.Errors {
			if bytes.Equal(e.ID[:4], selector[:]) {
				return true
			}
		}
	}
	return false
}
