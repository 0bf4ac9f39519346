package sdk

import (
	"context"
	"math/big"
)

// Submitter is the chain-facing plugin of one chain family: it reads
// service managers and lands signed envelopes.
type Submitter interface {
	Plugin
	// LatestBlock returns the chain's head; ErrNotFound for an unknown chain.
	LatestBlock(ctx context.Context, chain string) (BlockRef, error)
	// ServiceManager returns the manager a handler reports.
	ServiceManager(ctx context.Context, chain string, handler Address) (Address, error)
	// ServiceURI returns the manager's service URI.
	ServiceURI(ctx context.Context, chain string, manager Address) (string, error)
	// Quorum reads signer weights, total weight and threshold at a block.
	Quorum(ctx context.Context, q QuorumQuery) (Quorum, error)
	// Validate runs the manager's validate as a call; a revert is a
	// Validation with Valid false, not an error.
	Validate(ctx context.Context, s Submission) (Validation, error)
	// Submit sends the envelope to its handler and waits for the receipt.
	Submit(ctx context.Context, s Submission) (Receipt, error)
}

// BlockRef names a block.
type BlockRef struct {
	Number uint64
	Hash   Hash
}

// QuorumQuery asks for the weights of Signers (signing-key addresses) at
// Block.
type QuorumQuery struct {
	Chain   string
	Manager Address
	Block   uint64
	Signers []Address
}

// Quorum is a service manager's view of its operators at a block.
type Quorum struct {
	// Weights are in the order of QuorumQuery.Signers; zero for a signer
	// that is not an operator.
	Weights              []*big.Int
	TotalWeight          *big.Int
	ThresholdNumerator   uint64
	ThresholdDenominator uint64
}

// Envelope is the signed unit of a WAVS result.
type Envelope struct {
	EventID  [20]byte
	Ordering [12]byte
	Payload  []byte
}

// SignatureData carries operators' signatures over an Envelope.
type SignatureData struct {
	Signers        []Address // ascending
	Signatures     [][]byte  // 65 bytes each, r || s || v
	ReferenceBlock uint32
}

// Submission is an envelope with its signatures, bound for a handler.
type Submission struct {
	Chain      string
	Handler    Address
	Envelope   Envelope
	Signatures SignatureData
}

// Validation is the outcome of a service manager's validate.
type Validation struct {
	Valid      bool
	Reason     string
	RevertData []byte
}

// Receipt is a landed submission.
type Receipt struct {
	TxHash         Hash
	BlockNumber    uint64
	AlreadyHandled bool
}
