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

// ExampleHandlerEnvelope is an auto generated low-level Go binding around an user-defined struct.
type ExampleHandlerEnvelope struct {
	EventId  [20]byte
	Ordering [12]byte
	Payload  []byte
}

// ExampleHandlerSignatureData is an auto generated low-level Go binding around an user-defined struct.
type ExampleHandlerSignatureData struct {
	Signers        []common.Address
	Signatures     [][]byte
	ReferenceBlock uint32
}

// ExampleHandlerMetaData contains all meta data concerning the ExampleHandler contract.
var ExampleHandlerMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"serviceManager\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"triggerId\",\"type\":\"uint64\"}],\"name\":\"getData\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getServiceManager\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"triggerId\",\"type\":\"uint64\"}],\"name\":\"getSignatureData\",\"outputs\":[{\"components\":[{\"internalType\":\"address[]\",\"name\":\"signers\",\"type\":\"address[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"},{\"internalType\":\"uint32\",\"name\":\"referenceBlock\",\"type\":\"uint32\"}],\"internalType\":\"structExampleHandler.SignatureData\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes20\",\"name\":\"eventId\",\"type\":\"bytes20\"},{\"internalType\":\"bytes12\",\"name\":\"ordering\",\"type\":\"bytes12\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structExampleHandler.Envelope\",\"name\":\"envelope\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address[]\",\"name\":\"signers\",\"type\":\"address[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"},{\"internalType\":\"uint32\",\"name\":\"referenceBlock\",\"type\":\"uint32\"}],\"internalType\":\"structExampleHandler.SignatureData\",\"name\":\"signatureData\",\"type\":\"tuple\"}],\"name\":\"handleSignedEnvelope\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"triggerId\",\"type\":\"uint64\"}],\"name\":\"isValidTriggerId\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "ExampleHandler",
	Bin: "0x60a0604052348015600e575f5ffd5b50604051610eb5380380610eb5833981016040819052602b91603b565b6001600160a01b03166080526066565b5f60208284031215604a575f5ffd5b81516001600160a01b0381168114605f575f5ffd5b9392505050565b608051610e316100845f395f8181606601526101e50152610e315ff3fe608060405234801561000f575f5ffd5b5060043610610055575f3560e01c80634dda0b4314610059578063a127f18814610095578063aa32d9f4146100b5578063f969ff33146100f0578063fb74436a14610105575b5f5ffd5b6040516001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001681526020015b60405180910390f35b6100a86100a3366004610477565b610125565b60405161008c91906104c5565b6100e06100c3366004610477565b6001600160401b03165f9081526020819052604090205460ff1690565b604051901515815260200161008c565b6101036100fe3660046104ed565b6101ce565b005b610118610113366004610477565b6102df565b60405161008c9190610550565b6001600160401b0381165f90815260016020526040902080546060919061014b9061061d565b80601f01602080910402602001604051908101604052809291908181526020018280546101779061061d565b80156101c25780601f10610199576101008083540402835291602001916101c2565b820191905f5260205f20905b8154815290600101906020018083116101a557829003601f168201915b50505050509050919050565b6040516366b8ac4f60e11b81526001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000169063cd71589e9061021c9085908590600401610736565b5f6040518083038186803b158015610232575f5ffd5b505afa158015610244573d5f5f3e3d5ffd5b505f92506102589150506040840184610895565b8101906102659190610943565b80516001600160401b03165f908152600260205260409020909150829061028c8282610c69565b505060208082015182516001600160401b03165f90815260019092526040909120906102b89082610d41565b50516001600160401b03165f908152602081905260409020805460ff191660011790555050565b604080516060808201835280825260208083018290525f8385018190526001600160401b03861681526002825284902084518154928302810160809081019096529283018281529394929390928492849184018282801561036757602002820191905f5260205f20905b81546001600160a01b03168152600190910190602001808311610349575b5050505050815260200160018201805480602002602001604051908101604052809291908181526020015f905b8282101561043c578382905f5260205f200180546103b19061061d565b80601f01602080910402602001604051908101604052809291908181526020018280546103dd9061061d565b80156104285780601f106103ff57610100808354040283529160200191610428565b820191905f5260205f20905b81548152906001019060200180831161040b57829003601f168201915b505050505081526020019060010190610394565b505050908252506002919091015463ffffffff1660209091015292915050565b80356001600160401b0381168114610472575f5ffd5b919050565b5f60208284031215610487575f5ffd5b6104908261045c565b9392505050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b602081525f6104906020830184610497565b5f606082840312156104e7575f5ffd5b50919050565b5f5f604083850312156104fe575f5ffd5b82356001600160401b03811115610513575f5ffd5b61051f858286016104d7565b92505060208301356001600160401b0381111561053a575f5ffd5b610546858286016104d7565b9150509250929050565b602080825282516060838301528051608084018190525f929190910190829060a08501905b808310156105a05783516001600160a01b031682526020938401936001939093019290910190610575565b50602086810151868303601f1901604088015280518084529082019450828201935090600582901b8301015f5b828110156105fe57601f198483030185526105e9828751610497565b602096870196959095019491506001016105cd565b50604088015163ffffffff811660608901529450979650505050505050565b600181811c9082168061063157607f821691505b6020821081036104e757634e487b7160e01b5f52602260045260245ffd5b5f5f8335601e19843603018112610664575f5ffd5b83016020810192503590506001600160401b03811115610682575f5ffd5b803603821315610690575f5ffd5b9250929050565b81835281816020850137505f828201602090810191909152601f909101601f19169091010190565b5f5f8335601e198436030181126106d4575f5ffd5b83016020810192503590506001600160401b038111156106f2575f5ffd5b8060051b3603821315610690575f5ffd5b6001600160a01b0381168114610717575f5ffd5b50565b63ffffffff81168114610717575f5ffd5b80356104728161071a565b604081525f83356bffffffffffffffffffffffff198116808214610758575f5ffd5b60408401525060208401356001600160a01b03198116808214610779575f5ffd5b60608401525061078c604085018561064f565b606060808501526107a160a085018284610697565b91505082810360208401525f606082016107bb86876106bf565b6060855291829052905f90608085015b818310156107fc5783356107de81610703565b6001600160a01b0316815260209384019360019390930192016107cb565b61080960208a018a6106bf565b94509250858103602087015280915083815260208101915060208460051b820101835f5b8681101561086b57838303601f19018552610848828761064f565b610853858284610697565b6020978801979095509390930192505060010161082d565b505061087960408b0161072b565b63ffffffff8116604089015294509a9950505050505050505050565b5f5f8335601e198436030181126108aa575f5ffd5b8301803591506001600160401b038211156108c3575f5ffd5b602001915036819003821315610690575f5ffd5b634e487b7160e01b5f52604160045260245ffd5b604080519081016001600160401b038111828210171561090d5761090d6108d7565b60405290565b604051601f8201601f191681016001600160401b038111828210171561093b5761093b6108d7565b604052919050565b5f60208284031215610953575f5ffd5b81356001600160401b03811115610968575f5ffd5b820160408185031215610979575f5ffd5b6109816108eb565b61098a8261045c565b815260208201356001600160401b038111156109a4575f5ffd5b80830192505084601f8301126109b8575f5ffd5b81356001600160401b038111156109d1576109d16108d7565b6109e4601f8201601f1916602001610913565b8181528660208386010111156109f8575f5ffd5b816020850160208301375f602092820183015290820152949350505050565b5f5f8335601e19843603018112610a2c575f5ffd5b8301803591506001600160401b03821115610a45575f5ffd5b6020019150600581901b3603821315610690575f5ffd5b5f5b82811015610a73575f82820155600101610a5e565b505050565b601f821115610a735782821115610a7357805f5260205f20601f840160051c6020851015610aa357505f5b610ab781601f860160051c03828401610a5c565b5050505050565b6001600160401b03831115610ad557610ad56108d7565b610ae983610ae3835461061d565b83610a78565b5f601f841160018114610b1a575f8515610b035750838201355b5f19600387901b1c1916600186901b178355610ab7565b5f83815260208120601f198716915b82811015610b495786850135825560209485019460019092019101610b29565b5086821015610b65575f1960f88860031b161c19848701351681555b505060018560011b0183555050505050565b600160401b831115610b8b57610b8b6108d7565b805483825580841015610c1157815f528360205f20018482035f5b81811015610c0d57808301610bbb815461061d565b8015610c0357601f811160018114610bd5575f8355610c01565b5f83815260209020610bf3601f840160051c5f190160018301610a5c565b505f83815260208120818555555b505b5050600101610ba6565b5050505b505f8181526020812083915b85811015610c4f57610c2f8386610895565b610c3a818386610abe565b50506020929092019160019182019101610c1d565b505050505050565b5f8135610c638161071a565b92915050565b610c738283610a17565b6001600160401b03811115610c8a57610c8a6108d7565b600160401b811115610c9e57610c9e6108d7565b825481845580821015610cc257835f528160205f2001610cc083830382610a5c565b505b50825f5260205f205f5b82811015610cf2578335610cdf81610703565b8282015560209390930192600101610ccc565b50505050610d036020830183610a17565b610d11818360018601610b77565b5050610d3d610d2260408401610c57565b6002830163ffffffff821663ffffffff198254161781555050565b5050565b81516001600160401b03811115610d5a57610d5a6108d7565b610d6e81610d68845461061d565b84610a78565b6020601f821160018114610da0575f8315610d895750848201515b5f19600385901b1c1916600184901b178455610ab7565b5f84815260208120601f198516915b82811015610dcf5787850151825560209485019460019092019101610daf565b5084821015610dec57868401515f19600387901b60f8161c191681555b50505050600190811b0190555056fea26469706673582212203445857fcaebd556908532145d1bd2c5580bc3e4bdecdff29f82d851f84f92ae64736f6c63430008250033",
}

// ExampleHandler is an auto generated Go binding around an Ethereum contract.
type ExampleHandler struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ExampleHandler) GetABI() abi.ABI {
	return c.abi
}

// NewExampleHandler creates a new instance of ExampleHandler.
func NewExampleHandler() *ExampleHandler {
	parsed, err := ExampleHandlerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ExampleHandler{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ExampleHandler) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address serviceManager) returns()
func (exampleHandler *ExampleHandler) PackConstructor(serviceManager common.Address) []byte {
	enc, err := exampleHandler.abi.Pack("", serviceManager)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackGetData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa127f188.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getData(uint64 triggerId) view returns(bytes)
func (exampleHandler *ExampleHandler) PackGetData(triggerId uint64) []byte {
	enc, err := exampleHandler.abi.Pack("getData", triggerId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa127f188.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getData(uint64 triggerId) view returns(bytes)
func (exampleHandler *ExampleHandler) TryPackGetData(triggerId uint64) ([]byte, error) {
	return exampleHandler.abi.Pack("getData", triggerId)
}

// UnpackGetData is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa127f188.
//
// Solidity: function getData(uint64 triggerId) view returns(bytes)
func (exampleHandler *ExampleHandler) UnpackGetData(data []byte) ([]byte, error) {
	out, err := exampleHandler.abi.Unpack("getData", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackGetServiceManager is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4dda0b43.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getServiceManager() view returns(address)
func (exampleHandler *ExampleHandler) PackGetServiceManager() []byte {
	enc, err := exampleHandler.abi.Pack("getServiceManager")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetServiceManager is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4dda0b43.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getServiceManager() view returns(address)
func (exampleHandler *ExampleHandler) TryPackGetServiceManager() ([]byte, error) {
	return exampleHandler.abi.Pack("getServiceManager")
}

// UnpackGetServiceManager is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4dda0b43.
//
// Solidity: function getServiceManager() view returns(address)
func (exampleHandler *ExampleHandler) UnpackGetServiceManager(data []byte) (common.Address, error) {
	out, err := exampleHandler.abi.Unpack("getServiceManager", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetSignatureData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb74436a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getSignatureData(uint64 triggerId) view returns((address[],bytes[],uint32))
func (exampleHandler *ExampleHandler) PackGetSignatureData(triggerId uint64) []byte {
	enc, err := exampleHandler.abi.Pack("getSignatureData", triggerId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetSignatureData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb74436a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getSignatureData(uint64 triggerId) view returns((address[],bytes[],uint32))
func (exampleHandler *ExampleHandler) TryPackGetSignatureData(triggerId uint64) ([]byte, error) {
	return exampleHandler.abi.Pack("getSignatureData", triggerId)
}

// UnpackGetSignatureData is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfb74436a.
//
// Solidity: function getSignatureData(uint64 triggerId) view returns((address[],bytes[],uint32))
func (exampleHandler *ExampleHandler) UnpackGetSignatureData(data []byte) (ExampleHandlerSignatureData, error) {
	out, err := exampleHandler.abi.Unpack("getSignatureData", data)
	if err != nil {
		return *new(ExampleHandlerSignatureData), err
	}
	out0 := *abi.ConvertType(out[0], new(ExampleHandlerSignatureData)).(*ExampleHandlerSignatureData)
	return out0, nil
}

// PackHandleSignedEnvelope is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf969ff33.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function handleSignedEnvelope((bytes20,bytes12,bytes) envelope, (address[],bytes[],uint32) signatureData) returns()
func (exampleHandler *ExampleHandler) PackHandleSignedEnvelope(envelope ExampleHandlerEnvelope, signatureData ExampleHandlerSignatureData) []byte {
	enc, err := exampleHandler.abi.Pack("handleSignedEnvelope", envelope, signatureData)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHandleSignedEnvelope is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf969ff33.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function handleSignedEnvelope((bytes20,bytes12,bytes) envelope, (address[],bytes[],uint32) signatureData) returns()
func (exampleHandler *ExampleHandler) TryPackHandleSignedEnvelope(envelope ExampleHandlerEnvelope, signatureData ExampleHandlerSignatureData) ([]byte, error) {
	return exampleHandler.abi.Pack("handleSignedEnvelope", envelope, signatureData)
}

// PackIsValidTriggerId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa32d9f4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isValidTriggerId(uint64 triggerId) view returns(bool)
func (exampleHandler *ExampleHandler) PackIsValidTriggerId(triggerId uint64) []byte {
	enc, err := exampleHandler.abi.Pack("isValidTriggerId", triggerId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsValidTriggerId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa32d9f4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isValidTriggerId(uint64 triggerId) view returns(bool)
func (exampleHandler *ExampleHandler) TryPackIsValidTriggerId(triggerId uint64) ([]byte, error) {
	return exampleHandler.abi.Pack("isValidTriggerId", triggerId)
}

// UnpackIsValidTriggerId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaa32d9f4.
//
// Solidity: function isValidTriggerId(uint64 triggerId) view returns(bool)
func (exampleHandler *ExampleHandler) UnpackIsValidTriggerId(data []byte) (bool, error) {
	out, err := exampleHandler.abi.Unpack("isValidTriggerId", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}
