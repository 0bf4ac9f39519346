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

// UpgradeableProxyMetaData contains all meta data concerning the UpgradeableProxy contract.
var UpgradeableProxyMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"implementation\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"initData\",\"type\":\"bytes\"}],\"stateMutability\":\"payable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"}],\"name\":\"InvalidAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"implementation\",\"type\":\"address\"}],\"name\":\"InvalidImplementation\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"previousAdmin\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"newAdmin\",\"type\":\"address\"}],\"name\":\"AdminChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"implementation\",\"type\":\"address\"}],\"name\":\"Upgraded\",\"type\":\"event\"},{\"stateMutability\":\"payable\",\"type\":\"fallback\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newImplementation\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"upgradeToAndCall\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "UpgradeableProxy",
	Bin: "0x608060405260405161061b38038061061b83398101604081905261002291610210565b6001600160a01b0382166100595760405163c36ee61160e01b81526001600160a01b03831660048201526024015b60405180910390fd5b6100827fb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103839055565b604080515f81526001600160a01b03841660208201527f7e644d79422f17c01e4894b5f4f588d331ebfa28653d42ae832dc59e38c9798f910160405180910390a16100cd83826100d5565b5050506102f7565b816001600160a01b03163b5f0361010a57604051630c76093760e01b81526001600160a01b0383166004820152602401610050565b6101337f360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc839055565b6040516001600160a01b038316907fbc7cd75a20ee27fd9adebab32041f755214dbc6bffa90cc0225b39da2e5c2d3b905f90a280515f03610172575050565b5f5f836001600160a01b03168360405161018c91906102e1565b5f60405180830381855af49150503d805f81146101c4576040519150601f19603f3d011682016040523d82523d5f602084013e6101c9565b606091505b5091509150816101db57805160208201fd5b50505050565b80516001600160a01b03811681146101f7575f5ffd5b919050565b634e487b7160e01b5f52604160045260245ffd5b5f5f5f60608486031215610222575f5ffd5b61022b846101e1565b9250610239602085016101e1565b60408501519092506001600160401b03811115610254575f5ffd5b8401601f81018613610264575f5ffd5b80516001600160401b0381111561027d5761027d6101fc565b604051601f8201601f19908116603f011681016001600160401b03811182821017156102ab576102ab6101fc565b6040528181528282016020018810156102c2575f5ffd5b8160208401602083015e5f602083830101528093505050509250925092565b5f82518060208501845e5f920191825250919050565b610317806103045f395ff3fe608060405260043610610021575f3560e01c80634f1ef2861461005d57610045565b366100455761004361003e5f5160206102c25f395f51905f525490565b610070565b005b61004361003e5f5160206102c25f395f51905f525490565b61004361006b366004610220565b61008d565b365f5f375f5f365f845af43d5f5f3e80610088573d5ffd5b503d5ff35b7fb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103546001600160a01b0316336001600160a01b0316146100df576100df61003e5f5160206102c25f395f51905f525490565b61011e8383838080601f0160208091040260200160405190810160405280939291908181526020018383808284375f9201919091525061012392505050565b505050565b816001600160a01b03163b5f0361015c57604051630c76093760e01b81526001600160a01b038316600482015260240160405180910390fd5b6101725f5160206102c25f395f51905f52839055565b6040516001600160a01b038316907fbc7cd75a20ee27fd9adebab32041f755214dbc6bffa90cc0225b39da2e5c2d3b905f90a280515f036101b1575050565b5f5f836001600160a01b0316836040516101cb91906102ab565b5f60405180830381855af49150503d805f8114610203576040519150601f19603f3d011682016040523d82523d5f602084013e610208565b606091505b50915091508161021a57805160208201fd5b50505050565b5f5f5f60408486031215610232575f5ffd5b83356001600160a01b0381168114610248575f5ffd5b9250602084013567ffffffffffffffff811115610263575f5ffd5b8401601f81018613610273575f5ffd5b803567ffffffffffffffff811115610289575f5ffd5b86602082840101111561029a575f5ffd5b939660209190910195509293505050565b5f82518060208501845e5f92019182525091905056fe360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbca2646970667358221220415a3ac08b070bac225f517aa1d73507f81ec39b337915469ee111eb37d8462764736f6c63430008250033",
}

// UpgradeableProxy is an auto generated Go binding around an Ethereum contract.
type UpgradeableProxy struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *UpgradeableProxy) GetABI() abi.ABI {
	return c.abi
}

// NewUpgradeableProxy creates a new instance of UpgradeableProxy.
func NewUpgradeableProxy() *UpgradeableProxy {
	parsed, err := UpgradeableProxyMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &UpgradeableProxy{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *UpgradeableProxy) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address implementation, address admin, bytes initData) payable returns()
func (upgradeableProxy *UpgradeableProxy) PackConstructor(implementation common.Address, admin common.Address, initData []byte) []byte {
	enc, err := upgradeableProxy.abi.Pack("", implementation, admin, initData)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackUpgradeToAndCall is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4f1ef286.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function upgradeToAndCall(address newImplementation, bytes data) payable returns()
func (upgradeableProxy *UpgradeableProxy) PackUpgradeToAndCall(newImplementation common.Address, data []byte) []byte {
	enc, err := upgradeableProxy.abi.Pack("upgradeToAndCall", newImplementation, data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpgradeToAndCall is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4f1ef286.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function upgradeToAndCall(address newImplementation, bytes data) payable returns()
func (upgradeableProxy *UpgradeableProxy) TryPackUpgradeToAndCall(newImplementation common.Address, data []byte) ([]byte, error) {
	return upgradeableProxy.abi.Pack("upgradeToAndCall", newImplementation, data)
}

// UpgradeableProxyAdminChanged represents a AdminChanged event raised by the UpgradeableProxy contract.
type UpgradeableProxyAdminChanged struct {
	PreviousAdmin common.Address
	NewAdmin      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const UpgradeableProxyAdminChangedEventName = "AdminChanged"

// ContractEventName returns the user-defined event name.
func (UpgradeableProxyAdminChanged) ContractEventName() string {
	return UpgradeableProxyAdminChangedEventName
}

// UnpackAdminChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AdminChanged(address previousAdmin, address newAdmin)
func (upgradeableProxy *UpgradeableProxy) UnpackAdminChangedEvent(log *types.Log) (*UpgradeableProxyAdminChanged, error) {
	event := "AdminChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != upgradeableProxy.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(UpgradeableProxyAdminChanged)
	if len(log.Data) > 0 {
		if err := upgradeableProxy.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range upgradeableProxy.abi.Events[event].Inputs {
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

// UpgradeableProxyUpgraded represents a Upgraded event raised by the UpgradeableProxy contract.
type UpgradeableProxyUpgraded struct {
	Implementation common.Address
	Raw            *types.Log // Blockchain specific contextual infos
}

const UpgradeableProxyUpgradedEventName = "Upgraded"

// ContractEventName returns the user-defined event name.
func (UpgradeableProxyUpgraded) ContractEventName() string {
	return UpgradeableProxyUpgradedEventName
}

// UnpackUpgradedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Upgraded(address indexed implementation)
func (upgradeableProxy *UpgradeableProxy) UnpackUpgradedEvent(log *types.Log) (*UpgradeableProxyUpgraded, error) {
	event := "Upgraded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != upgradeableProxy.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(UpgradeableProxyUpgraded)
	if len(log.Data) > 0 {
		if err := upgradeableProxy.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range upgradeableProxy.abi.Events[event].Inputs {
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

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (upgradeableProxy *UpgradeableProxy) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], upgradeableProxy.abi.Errors["InvalidAdmin"].ID.Bytes()[:4]) {
		return upgradeableProxy.UnpackInvalidAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], upgradeableProxy.abi.Errors["InvalidImplementation"].ID.Bytes()[:4]) {
		return upgradeableProxy.UnpackInvalidImplementationError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// UpgradeableProxyInvalidAdmin represents a InvalidAdmin error raised by the UpgradeableProxy contract.
type UpgradeableProxyInvalidAdmin struct {
	Admin common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidAdmin(address admin)
func UpgradeableProxyInvalidAdminErrorID() common.Hash {
	return common.HexToHash("0xc36ee611575b475817d6841bb8ea4c2ba744badc1ae09dabcbb7ddb04d6ab03d")
}

// UnpackInvalidAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidAdmin(address admin)
func (upgradeableProxy *UpgradeableProxy) UnpackInvalidAdminError(raw []byte) (*UpgradeableProxyInvalidAdmin, error) {
	out := new(UpgradeableProxyInvalidAdmin)
	if err := upgradeableProxy.abi.UnpackIntoInterface(out, "InvalidAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// UpgradeableProxyInvalidImplementation represents a InvalidImplementation error raised by the UpgradeableProxy contract.
type UpgradeableProxyInvalidImplementation struct {
	Implementation common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidImplementation(address implementation)
func UpgradeableProxyInvalidImplementationErrorID() common.Hash {
	return common.HexToHash("0x0c76093759641379d230b6d3062939c31d1f5be7dc637c7ec6aacd8899e7b786")
}

// UnpackInvalidImplementationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidImplementation(address implementation)
func (upgradeableProxy *UpgradeableProxy) UnpackInvalidImplementationError(raw []byte) (*UpgradeableProxyInvalidImplementation, error) {
	out := new(UpgradeableProxyInvalidImplementation)
	if err := upgradeableProxy.abi.UnpackIntoInterface(out, "InvalidImplementation", raw); err != nil {
		return nil, err
	}
	return out, nil
}
