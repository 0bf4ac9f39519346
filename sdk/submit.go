package sdk

import (
	"context"
	"math/big"
)

// Submitter is the chain-facing plugin of one chain family: it reads
// service managers and lands signed envelopes. It lists the capability
// "chain:<family>" for each family it serves; the host sends it the chain
// keys "<family>:<id>" of those families.
//
// Addresses of handlers and managers are strings in the family's
// canonical text form (EVM: "0x" and 40 lowercase hex digits; use
// ParseEVMAddress). Signing identities and signatures are bytes typed by
// SignatureData.Scheme.
//
// # Call order
//
// Configure comes first. For each result the host then calls, in this
// order (host/aggregator's TestSubmitterCallOrder records it):
//
//  1. ServiceManager(handler), once per handler (the answer is kept), when
//     the workflow names a handler; a workflow whose aggregator component
//     picks the handler reads the service's manager directly.
//  2. LatestBlock when the result is first worked: later landing scans
//     start at that height. Then, for each attempt, LatestBlock again: the
//     reference height is the head minus one (SignatureData.Reference).
//  3. Quorum at the reference height, for the signers gathered. With
//     several operators Quorum is also called as peers' signatures arrive,
//     to weigh them before they count; the weights so read are kept a
//     while, and a turn whose signers all have weight in them skips this
//     call (Validate, at the reference height, judges either way).
//  4. Validate with exactly the SignatureData that Submit will carry.
//  5. Submit, once per attempt, always with at least one signature: the
//     host never sends an envelope without signatures, and never uses
//     Submit to ask whether an event landed — that is FindLanding.
//  6. FindLanding with the receipt's TxHash, and then BlockAt at the
//     landing's height, until the landing is Final (a changed block hash
//     is a reorg: the host submits again).
//
// An attempt after one that may have sent a transaction (an error, a lost
// receipt, a restart) starts with FindLanding from the first height, so a
// landed event is never sent twice. With several operators a peer's claim
// that an event landed is checked with FindLanding(TxHash) before it is
// believed.
//
// Calls may come concurrently, for different events.
//
// # Errors
//
//   - ErrInvalidArgument: the request can never succeed (a malformed
//     address, a chain key of another family). The host fails the result
//     without retrying and names this plugin in the error.
//   - ErrNotFound: the chain, block or transaction is unknown (a chain key
//     the plugin has no config for: also ErrNotFound).
//   - ErrUnavailable, or any other error: transient; the host retries with
//     backoff.
//   - A reverted validate or submit is not an error of the call: Validate
//     answers Valid false; Submit returns an error (retried) unless the
//     handler names the event as handled (Receipt.AlreadyHandled).
type Submitter interface {
	Plugin
	// LatestBlock returns the chain's head; ErrNotFound for an unknown chain.
	LatestBlock(ctx context.Context, chain string) (BlockRef, error)
	// ServiceManager returns the manager a handler reports.
	ServiceManager(ctx context.Context, chain, handler string) (string, error)
	// ServiceURI returns the manager's service URI.
	ServiceURI(ctx context.Context, chain, manager string) (string, error)
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
	// landed at q.Handler: a successful transaction to the handler that
	// delivered an envelope with that event id. With q.TxHash set it
	// checks that one transaction (a peer's claim); otherwise every
	// transaction to the handler from q.FromBlock to the head. Not
	// finding one is a Landing with Found false, not an error.
	FindLanding(ctx context.Context, q LandingQuery) (Landing, error)
	// BlockAt returns the canonical block at a height; ErrNotFound when
	// the chain has none there.
	BlockAt(ctx context.Context, chain string, number uint64) (BlockRef, error)
}

// OperatorSetReader is implemented by a Submitter whose family's manager
// can list its operators. It is optional: a plugin without it answers
// ErrUnimplemented over the protocol.
type OperatorSetReader interface {
	// OperatorSet lists the manager's operators, their weights and the
	// threshold at a height.
	OperatorSet(ctx context.Context, chain, manager string, block uint64) (OperatorSet, error)
}

// OperatorSet is a manager's operators at a height.
type OperatorSet struct {
	Scheme    Scheme
	Operators []Operator
	// TotalWeight is nil when unknown.
	TotalWeight *big.Int
	// ThresholdNumerator/ThresholdDenominator is the share of the total
	// weight a quorum needs; 0/0 when unknown.
	ThresholdNumerator   uint64
	ThresholdDenominator uint64
	// ThresholdWeight is an absolute minimum; nil when unknown or none.
	ThresholdWeight *big.Int
}

// Operator is one operator of an OperatorSet.
type Operator struct {
	// Signer is the operator's signing identity in the set's scheme.
	Signer []byte
	Weight *big.Int
}

// Scheme names how operators sign envelopes: what a signer identity is,
// which bytes are signed and how a signature is laid out.
type Scheme string

// SchemeSecp256k1EIP191 is the scheme of WAVS and of EVM service
// managers: a signer is the 20-byte address of a secp256k1 key, and a
// signature is 65 bytes r || s || v (v = 27 or 28) over
//
//	keccak256("\x19Ethereum Signed Message:\n32" || keccak256(abi.encode(envelope)))
//
// where abi.encode(envelope) is the ABI encoding of the tuple
// (bytes20 eventId, bytes12 ordering, bytes payload): a 32-byte offset
// word (0x20), then the event id left-aligned in a word, the ordering
// left-aligned in a word, the offset of payload (0x60), its length, and
// its bytes padded with zeros to a multiple of 32. See docs/plugins.md for
// a test vector.
const SchemeSecp256k1EIP191 Scheme = "secp256k1-eip191"

// BlockRef names a block.
type BlockRef struct {
	Number uint64
	Hash   Hash
}

// QuorumQuery asks for the weights of Signers at Block.
type QuorumQuery struct {
	Chain   string
	Manager string
	Block   uint64
	// Scheme says what Signers are (SchemeSecp256k1EIP191: 20-byte
	// addresses).
	Scheme  Scheme
	Signers [][]byte
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
	Handler string
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
	// EnvelopeHash is the hash of the envelope that landed, as the
	// signature scheme digests it (secp256k1-eip191:
	// keccak256(abi.encode(envelope))).
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
	// Scheme says what Signers and Signatures are; see
	// SchemeSecp256k1EIP191.
	Scheme Scheme
	// Signers are signing identities in ascending byte order, one per
	// signature.
	Signers    [][]byte
	Signatures [][]byte
	// Reference is the chain height the signers' weights are read at
	// (EVM: the reference block, below 2^32).
	Reference uint64
}

// Submission is an envelope with its signatures, bound for a handler.
type Submission struct {
	Chain string
	// Handler is the contract or account that takes the envelope, in the
	// family's text form.
	Handler    string
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
