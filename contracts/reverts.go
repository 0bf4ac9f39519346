package contracts

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/wavs-go/wavs/contracts/bindings"
)

// RevertData returns the revert data a JSON-RPC error carries (the error's
// data field), as eth_call and eth_estimateGas answer a reverting call. ok
// is false when err carries none; data is empty for a revert without data.
func RevertData(err error) (data []byte, ok bool) {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return nil, false
	}
	s, isString := de.ErrorData().(string)
	if !isString {
		return nil, false
	}
	b, decErr := hexutil.Decode(s)
	if decErr != nil {
		return nil, false
	}
	return b, true
}

// Revert is decoded revert data.
type Revert struct {
	// Contract is the contract whose ABI declares the error, empty for
	// Solidity's built-in Error(string) and Panic(uint256).
	Contract string
	// Name is the error's name, e.g. "InsufficientQuorum".
	Name string
	// Args are the error's arguments in order, as accounts/abi decodes them
	// (*big.Int for uint256, common.Address, [20]byte for bytes20, ...).
	Args []any
	// Selector is the first four bytes of the data.
	Selector [4]byte
}

// String formats r as Solidity would write the revert: Name(arg, ...).
func (r *Revert) String() string {
	args := make([]string, len(r.Args))
	for i, a := range r.Args {
		switch v := a.(type) {
		case []byte:
			args[i] = hexutil.Encode(v)
		case [20]byte:
			args[i] = hexutil.Encode(v[:])
		case string:
			args[i] = fmt.Sprintf("%q", v)
		default:
			args[i] = fmt.Sprint(v)
		}
	}
	return r.Name + "(" + strings.Join(args, ", ") + ")"
}

// ErrUnknownRevert is wrapped by DecodeRevert's error for data that matches
// no error the contracts here declare.
var ErrUnknownRevert = errors.New("unknown revert")

var (
	errorStringSelector = []byte{0x08, 0xc3, 0x79, 0xa0} // Error(string)
	panicSelector       = []byte{0x4e, 0x48, 0x7b, 0x71} // Panic(uint256)
)

// knownABIs are the ABIs whose errors DecodeRevert knows, by contract.
var knownABIs = []struct {
	name string
	abi  abi.ABI
}{
	{"ServiceManager", bindings.NewServiceManager().GetABI()},
	{"ServiceHandler", bindings.NewServiceHandler().GetABI()},
	{"SimpleTrigger", bindings.NewSimpleTrigger().GetABI()},
}

// DecodeRevert decodes revert data by its selector: the custom errors of
// ServiceManager, ServiceHandler and SimpleTrigger, Error(string) and
// Panic(uint256). A WAVS service manager from elsewhere may name its errors
// differently; the node must not depend on these names, tests and
// diagnostics may.
func DecodeRevert(data []byte) (*Revert, error) {
	if len(data) < 4 {
		return nil, fmt.Errorf("contracts: decode revert %s: %w: shorter than a selector", hexutil.Encode(data), ErrUnknownRevert)
	}
	r := &Revert{}
	copy(r.Selector[:], data[:4])
	switch {
	case bytes.Equal(data[:4], errorStringSelector):
		msg, err := abi.UnpackRevert(data)
		if err != nil {
			return nil, fmt.Errorf("contracts: decode Error(string): %w", err)
		}
		r.Name, r.Args = "Error", []any{msg}
		return r, nil
	case bytes.Equal(data[:4], panicSelector):
		if len(data) != 4+32 {
			return nil, fmt.Errorf("contracts: decode Panic(uint256): %d bytes of data", len(data))
		}
		r.Name, r.Args = "Panic", []any{new(big.Int).SetBytes(data[4:])}
		return r, nil
	}
	for _, known := range knownABIs {
		for name, e := range known.abi.Errors {
			if !bytes.Equal(e.ID[:4], data[:4]) {
				continue
			}
			args, err := e.Inputs.Unpack(data[4:])
			if err != nil {
				return nil, fmt.Errorf("contracts: decode %s.%s: %w", known.name, name, err)
			}
			r.Contract, r.Name, r.Args = known.name, name, args
			return r, nil
		}
	}
	return nil, fmt.Errorf("contracts: decode revert %s: %w", hexutil.Encode(data), ErrUnknownRevert)
}
