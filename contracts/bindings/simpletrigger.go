// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// SimpleTriggerMetaData contains all meta data concerning the SimpleTrigger contract.
var SimpleTriggerMetaData = bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"triggerData\",\"type\":\"bytes\"}],\"name\":\"NewTrigger\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"addTrigger\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"triggerId\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextTriggerId\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "SimpleTrigger",
	Bin: "0x60806040525f80546001600160401b03191660011790553480156020575f5ffd5b506102db8061002e5f395ff3fe608060405234801561000f575f5ffd5b5060043610610034575f3560e01c806342227fa414610038578063e31e078814610068575b5f5ffd5b5f5461004b9067ffffffffffffffff1681565b60405167ffffffffffffffff909116815260200160405180910390f35b61004b610076366004610170565b5f805467ffffffffffffffff16818061008e836101de565b91906101000a81548167ffffffffffffffff021916908367ffffffffffffffff16021790555090507f86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e6860405180606001604052808367ffffffffffffffff168152602001336001600160a01b0316815260200185858080601f0160208091040260200160405190810160405280939291908181526020018383808284375f9201919091525050509152506040516101489190602001610244565b60408051601f19818403018152908290526101629161028c565b60405180910390a192915050565b5f5f60208385031215610181575f5ffd5b823567ffffffffffffffff811115610197575f5ffd5b8301601f810185136101a7575f5ffd5b803567ffffffffffffffff8111156101bd575f5ffd5b8560208284010111156101ce575f5ffd5b6020919091019590945092505050565b5f67ffffffffffffffff821667ffffffffffffffff810361020d57634e487b7160e01b5f52601160045260245ffd5b60010192915050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b6020815267ffffffffffffffff825116602082015260018060a01b0360208301511660408201525f60408301516060808401526102846080840182610216565b949350505050565b602081525f61029e6020830184610216565b939250505056fea2646970667358221220060a1faffb42937f766b239184b0227a6d600e03560f3ed1bb436afec647f86b64736f6c63430008250033",
}

// SimpleTrigger is an auto generated Go binding around an Ethereum contract.
type SimpleTrigger struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *SimpleTrigger) GetABI() abi.ABI {
	return c.abi
}

// NewSimpleTrigger creates a new instance of SimpleTrigger.
func NewSimpleTrigger() *SimpleTrigger {
	parsed, err := SimpleTriggerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &SimpleTrigger{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *SimpleTrigger) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackAddTrigger is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe31e0788.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addTrigger(bytes data) returns(uint64 triggerId)
func (simpleTrigger *SimpleTrigger) PackAddTrigger(data []byte) []byte {
	enc, err := simpleTrigger.abi.Pack("addTrigger", data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddTrigger is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe31e0788.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addTrigger(bytes data) returns(uint64 triggerId)
func (simpleTrigger *SimpleTrigger) TryPackAddTrigger(data []byte) ([]byte, error) {
	return simpleTrigger.abi.Pack("addTrigger", data)
}

// UnpackAddTrigger is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe31e0788.
//
// Solidity: function addTrigger(bytes data) returns(uint64 triggerId)
func (simpleTrigger *SimpleTrigger) UnpackAddTrigger(data []byte) (uint64, error) {
	out, err := simpleTrigger.abi.Unpack("addTrigger", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackNextTriggerId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42227fa4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextTriggerId() view returns(uint64)
func (simpleTrigger *SimpleTrigger) PackNextTriggerId() []byte {
	enc, err := simpleTrigger.abi.Pack("nextTriggerId")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextTriggerId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42227fa4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextTriggerId() view returns(uint64)
func (simpleTrigger *SimpleTrigger) TryPackNextTriggerId() ([]byte, error) {
	return simpleTrigger.abi.Pack("nextTriggerId")
}

// UnpackNextTriggerId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x42227fa4.
//
// Solidity: function nextTriggerId() view returns(uint64)
func (simpleTrigger *SimpleTrigger) UnpackNextTriggerId(data []byte) (uint64, error) {
	out, err := simpleTrigger.abi.Unpack("nextTriggerId", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// SimpleTriggerNewTrigger represents a NewTrigger event raised by the SimpleTrigger contract.
type SimpleTriggerNewTrigger struct {
	TriggerData []byte
	Raw         *types.Log // Blockchain specific contextual infos
}

const SimpleTriggerNewTriggerEventName = "NewTrigger"

// ContractEventName returns the user-defined event name.
func (SimpleTriggerNewTrigger) ContractEventName() string {
	return SimpleTriggerNewTriggerEventName
}

// UnpackNewTriggerEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event NewTrigger(bytes triggerData)
func (simpleTrigger *SimpleTrigger) UnpackNewTriggerEvent(log *types.Log) (*SimpleTriggerNewTrigger, error) {
	event := "NewTrigger"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != simpleTrigger.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SimpleTriggerNewTrigger)
	if len(log.Data) > 0 {
		if err := simpleTrigger.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range simpleTrigger.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}
