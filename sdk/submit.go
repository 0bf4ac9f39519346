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
	// Quorum reads the signers' weights at a block, and the manager's
	// total weight and thresholds where the plugin knows a getter for
	// them. The WAVS service-manager interface has none: a plugin leaves
	// them unknown (nil, 0/0) rather than fail, and the host asks
	// Validate.
	Quorum(ctx context.Context, q QuorumQuery) (Quorum, error)
	// Validate runs the manager's validate as a call; a revert is a
	// Validation with Valid false, not an error.
	Validate(ctx context.Context, s Submission) (Validation, error)
	// Submit sends the envelope to its handler and waits for the receipt.
	// Receipt.AlreadyHandled may be set only when the handler refused the
	// envelope with an error that names this event id as handled: never
	// on another revert.
	Submit(ctx context.Context, s Submission) (Receipt, error)
	// FindLanding looks for the proof that an envelope of q.EventID
	// landed at q.Handler: a successful transaction to the handler whose
	// call is handleSignedEnvelope of an envelope with that event id.
	// With q.TxHash set it checks that one transaction (a peer's claim);
	// otherwise every transaction to the handler from q.FromBlock to the
	// head. Not finding one is a Landing with Found false, not an error.
	FindLanding(ctx context.Context, q LandingQuery) (Landing, error)
	// BlockAt returns the canonical block at a height; ErrNotFound when
	// the chain has none there.
	BlockAt(ctx context.Context, chain string, number uint64) (BlockRef, error)
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
	Weights []*big.Int
	// TotalWeight is the manager's total weight; nil when unknown.
	TotalWeight *big.Int
	// ThresholdNumerator/ThresholdDenominator is the share of the total
	// weight validate requires; 0/0 when unknown.
	ThresholdNumerator   uint64
	ThresholdDenominator uint64
	// ThresholdWeight is an absolute minimum signed weight validate
	// requires as well; nil when unknown or none.
	ThresholdWeight *big.Int
}

// LandingQuery asks whether an envelope of an event landed at a handler.
type LandingQuery struct {
	Chain   string
	Handler Address
	EventID [20]byte
	// TxHash, when not zero, is the one transaction to check.
	TxHash Hash
	// FromBlock is the first block to look in when TxHash is zero.
	FromBlock uint64
}

// Landing is what FindLanding found.
type Landing struct {
	// Found: a transaction to the handler calling handleSignedEnvelope
	// with an envelope of the event id succeeded.
	Found       bool
	TxHash      Hash
	BlockNumber uint64
	// EnvelopeHash is keccak256(abi.encode(envelope)) of the envelope
	// that landed.
	EnvelopeHash Hash
	// BlockHash is the hash of the block holding the landing; Final that
	// no reorg can undo it any more (the chain's finalized block is at or
	// past it).
	BlockHash Hash
	Final     bool
	// Reason says why nothing was found, for logs; Pending that the named
	// transaction waits in the node's pool (it may still land).
	Reason  string
	Pending bool
	// ScannedTo is the last block looked at when scanning.
	ScannedTo uint64
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
	// GasPrice, when set, is the gas price in wei to pay (an aggregator
	// component's choice); nil lets the plugin price the transaction.
	GasPrice *big.Int
}

// Validation is the outcome of a service manager's validate.
type Validation struct {
	Valid      bool
	Reason     string
	RevertData []byte
}

// Receipt is a landed submission.
type Receipt struct {
	TxHash      Hash
	BlockNumber uint64
	// AlreadyHandled: no transaction was sent because the handler names
	// this event id as handled before.
	AlreadyHandled bool
}
