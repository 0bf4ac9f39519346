package submit

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/wavs-go/wavs/sdk"
)

// The WAVS functions the plugin calls, by name: the one place to change
// when a service manager names them differently.
const (
	fnGetServiceManager     = "getServiceManager"
	fnHandleSignedEnvelope  = "handleSignedEnvelope"
	fnGetServiceURI         = "getServiceURI"
	fnValidate              = "validate"
	fnOperatorForSigningKey = "getLatestOperatorForSigningKey"
	fnOperatorWeight        = "getOperatorWeight"
	fnTotalWeight           = "getTotalWeight"
	fnQuorumNumerator       = "quorumNumerator"
	fnQuorumDenominator     = "quorumDenominator"
	// Views of a POA stake registry (upstream WAVS's POA manager).
	fnPOATotalWeight          = "getLastCheckpointTotalWeight"
	fnPOAThresholdWeight      = "getLastCheckpointThresholdWeight"
	fnPOAQuorum               = "getLastCheckpointQuorum"
	envelopeTupleComponents   = `[{"name":"eventId","type":"bytes20"},{"name":"ordering","type":"bytes12"},{"name":"payload","type":"bytes"}]`
	signatureTupleComponents  = `[{"name":"signers","type":"address[]"},{"name":"signatures","type":"bytes[]"},{"name":"referenceBlock","type":"uint32"}]`
	envelopeAndSignatureInput = `[{"name":"envelope","type":"tuple","components":` + envelopeTupleComponents +
		`},{"name":"signatureData","type":"tuple","components":` + signatureTupleComponents + `}]`
)

// wavsABIJSON is the minimal ABI of a WAVS service handler and service
// manager: the functions above and the errors WAVS's contracts (and
// contracts/src here) revert with, so that a revert reads as
// "InsufficientQuorum(1, 2, 2)" rather than a selector. Errors are only
// ever shown, never acted on: managers give one name different meanings
// (InsufficientQuorum's second argument is the threshold weight in one
// and the quorum numerator in another), so the arguments go unnamed.
const wavsABIJSON = `[
{"type":"function","name":"` + fnGetServiceManager + `","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"` + fnHandleSignedEnvelope + `","stateMutability":"nonpayable","inputs":` + envelopeAndSignatureInput + `,"outputs":[]},
{"type":"function","name":"` + fnGetServiceURI + `","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"string"}]},
{"type":"function","name":"` + fnValidate + `","stateMutability":"view","inputs":` + envelopeAndSignatureInput + `,"outputs":[]},
{"type":"function","name":"` + fnOperatorForSigningKey + `","stateMutability":"view","inputs":[{"name":"signingKey","type":"address"}],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"` + fnOperatorWeight + `","stateMutability":"view","inputs":[{"name":"operator","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"` + fnTotalWeight + `","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"` + fnQuorumNumerator + `","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"` + fnQuorumDenominator + `","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"` + fnPOATotalWeight + `","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"` + fnPOAThresholdWeight + `","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"` + fnPOAQuorum + `","stateMutability":"view","inputs":[],"outputs":[{"name":"numerator","type":"uint256"},{"name":"denominator","type":"uint256"}]},
{"type":"error","name":"EventAlreadyHandled","inputs":[{"name":"eventId","type":"bytes20"}]},
{"type":"error","name":"InvalidSignatureLength","inputs":[]},
{"type":"error","name":"InvalidSignatureBlock","inputs":[]},
{"type":"error","name":"InvalidSignatureOrder","inputs":[]},
{"type":"error","name":"InvalidSigner","inputs":[]},
{"type":"error","name":"InvalidSignature","inputs":[]},
{"type":"error","name":"InsufficientQuorumZero","inputs":[]},
{"type":"error","name":"InsufficientQuorum","inputs":[{"name":"","type":"uint256"},{"name":"","type":"uint256"},{"name":"","type":"uint256"}]},
{"type":"error","name":"LengthMismatch","inputs":[]},
{"type":"error","name":"InvalidLength","inputs":[]},
{"type":"error","name":"NotSorted","inputs":[]},
{"type":"error","name":"SignerNotRegistered","inputs":[]},
{"type":"error","name":"InvalidReferenceBlock","inputs":[]},
{"type":"error","name":"InvalidSignedWeight","inputs":[]},
{"type":"error","name":"InsufficientSignedStake","inputs":[]},
{"type":"error","name":"FutureLookup","inputs":[{"name":"blockNumber","type":"uint256"},{"name":"currentBlock","type":"uint256"}]},
{"type":"error","name":"ZeroAddress","inputs":[]}
]`

// wavsABI is wavsABIJSON parsed once; it is only read afterwards.
type wavsABI struct{ abi abi.ABI }

func newWAVSABI() (*wavsABI, error) {
	a, err := abi.JSON(strings.NewReader(wavsABIJSON))
	if err != nil {
		return nil, fmt.Errorf("submit-evm: parse WAVS ABI: %w", err)
	}
	return &wavsABI{abi: a}, nil
}

// abiEnvelope and abiSignatureData are the Go shapes accounts/abi packs
// for the Envelope and SignatureData tuples.
type abiEnvelope struct {
	EventID  [20]byte `abi:"eventId"`
	Ordering [12]byte `abi:"ordering"`
	Payload  []byte   `abi:"payload"`
}

type abiSignatureData struct {
	Signers        []common.Address `abi:"signers"`
	Signatures     [][]byte         `abi:"signatures"`
	ReferenceBlock uint32           `abi:"referenceBlock"`
}

// envelopeArgs converts a submission to the two tuple arguments of
// validate and handleSignedEnvelope.
func envelopeArgs(s sdk.Submission) (abiEnvelope, abiSignatureData, error) {
	env := abiEnvelope{EventID: s.Envelope.EventID, Ordering: s.Envelope.Ordering, Payload: s.Envelope.Payload}
	if env.Payload == nil {
		env.Payload = []byte{}
	}
	signers, err := evmSigners(s.Signatures.Scheme, s.Signatures.Signers)
	if err != nil {
		return env, abiSignatureData{}, err
	}
	if s.Signatures.Reference > math.MaxUint32 {
		return env, abiSignatureData{}, fmt.Errorf("%w: submit-evm: reference %d does not fit the uint32 referenceBlock", sdk.ErrInvalidArgument, s.Signatures.Reference)
	}
	sd := abiSignatureData{
		Signers:        signers,
		Signatures:     make([][]byte, len(s.Signatures.Signatures)),
		ReferenceBlock: uint32(s.Signatures.Reference),
	}
	for i, sig := range s.Signatures.Signatures {
		if sig == nil {
			sig = []byte{}
		}
		sd.Signatures[i] = sig
	}
	return env, sd, nil
}

// pack encodes a call of the named function.
func (w *wavsABI) pack(name string, args ...any) ([]byte, error) {
	data, err := w.abi.Pack(name, args...)
	if err != nil {
		return nil, fmt.Errorf("%w: submit-evm: encode %s: %v", sdk.ErrInvalidArgument, name, err)
	}
	return data, nil
}

// unpackOne decodes the single return value of the named function.
func (w *wavsABI) unpackOne(name string, out []byte) (any, error) {
	vals, err := w.abi.Unpack(name, out)
	if err != nil {
		return nil, fmt.Errorf("%w: submit-evm: decode the result of %s (%s): %v", sdk.ErrInvalidArgument, name, hexutil.Encode(out), err)
	}
	if len(vals) != 1 {
		return nil, fmt.Errorf("%w: submit-evm: %s returned %d values, want 1", sdk.ErrInvalidArgument, name, len(vals))
	}
	return vals[0], nil
}

func (w *wavsABI) unpackAddress(name string, out []byte) (common.Address, error) {
	v, err := w.unpackOne(name, out)
	if err != nil {
		return common.Address{}, err
	}
	a, ok := v.(common.Address)
	if !ok {
		return common.Address{}, fmt.Errorf("submit-evm: %s returned %T, want an address", name, v)
	}
	return a, nil
}

func (w *wavsABI) unpackUint(name string, out []byte) (*big.Int, error) {
	v, err := w.unpackOne(name, out)
	if err != nil {
		return nil, err
	}
	n, ok := v.(*big.Int)
	if !ok {
		return nil, fmt.Errorf("submit-evm: %s returned %T, want a uint256", name, v)
	}
	return n, nil
}

func (w *wavsABI) unpackString(name string, out []byte) (string, error) {
	v, err := w.unpackOne(name, out)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("submit-evm: %s returned %T, want a string", name, v)
	}
	return s, nil
}

var (
	errorStringSelector = []byte{0x08, 0xc3, 0x79, 0xa0} // Error(string)
	panicSelector       = []byte{0x4e, 0x48, 0x7b, 0x71} // Panic(uint256)
)

// describeRevert renders revert data as Solidity would write the revert,
// "Name(arg, ...)", for errors the ABI knows, Error(string) and
// Panic(uint256); otherwise the raw selector (and data length).
func (w *wavsABI) describeRevert(data []byte) string {
	if len(data) == 0 {
		return "revert without data"
	}
	if len(data) < 4 {
		return "revert data " + hexutil.Encode(data)
	}
	switch {
	case bytes.Equal(data[:4], errorStringSelector):
		if msg, err := abi.UnpackRevert(data); err == nil {
			return fmt.Sprintf("Error(%q)", msg)
		}
	case bytes.Equal(data[:4], panicSelector) && len(data) == 36:
		return fmt.Sprintf("Panic(0x%x)", new(big.Int).SetBytes(data[4:]))
	}
	for name, e := range w.abi.Errors {
		if !bytes.Equal(e.ID[:4], data[:4]) {
			continue
		}
		args, err := e.Inputs.Unpack(data[4:])
		if err != nil {
			break
		}
		parts := make([]string, len(args))
		for i, a := range args {
			switch v := a.(type) {
			case [20]byte:
				parts[i] = hexutil.Encode(v[:])
			case []byte:
				parts[i] = hexutil.Encode(v)
			default:
				parts[i] = fmt.Sprint(v)
			}
		}
		return name + "(" + strings.Join(parts, ", ") + ")"
	}
	if len(data) == 4 {
		return "unknown error " + hexutil.Encode(data)
	}
	return fmt.Sprintf("unknown error %s (%d bytes of arguments)", hexutil.Encode(data[:4]), len(data)-4)
}
