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

// ServiceHandlerEnvelope is an auto generated low-level Go binding around an user-defined struct.
type ServiceHandlerEnvelope struct {
	EventId  [20]byte
	Ordering [12]byte
	Payload  []byte
}

// ServiceHandlerSignatureData is an auto generated low-level Go binding around an user-defined struct.
type ServiceHandlerSignatureData struct {
	Signers        []common.Address
	Signatures     [][]byte
	ReferenceBlock uint32
}

// ServiceHandlerMetaData contains all meta data concerning the ServiceHandler contract.
var ServiceHandlerMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"serviceManager\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes20\",\"name\":\"eventId\",\"type\":\"bytes20\"}],\"name\":\"EventAlreadyHandled\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes20\",\"name\":\"eventId\",\"type\":\"bytes20\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"name\":\"SignedEnvelopeHandled\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"getServiceManager\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes20\",\"name\":\"eventId\",\"type\":\"bytes20\"},{\"internalType\":\"bytes12\",\"name\":\"ordering\",\"type\":\"bytes12\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structServiceHandler.Envelope\",\"name\":\"envelope\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address[]\",\"name\":\"signers\",\"type\":\"address[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"},{\"internalType\":\"uint32\",\"name\":\"referenceBlock\",\"type\":\"uint32\"}],\"internalType\":\"structServiceHandler.SignatureData\",\"name\":\"signatureData\",\"type\":\"tuple\"}],\"name\":\"handleSignedEnvelope\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"handledCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes20\",\"name\":\"eventId\",\"type\":\"bytes20\"}],\"name\":\"isHandled\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes20\",\"name\":\"eventId\",\"type\":\"bytes20\"}],\"name\":\"payloadOf\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "ServiceHandler",
	Bin: "0x60a0604052348015600e575f5ffd5b50604051610931380380610931833981016040819052602b916061565b6001600160a01b03811660515760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b0316608052608c565b5f602082840312156070575f5ffd5b81516001600160a01b03811681146085575f5ffd5b9392505050565b6080516108876100aa5f395f81816082015261023901526108875ff3fe608060405234801561000f575f5ffd5b5060043610610055575f3560e01c80631b09d06f146100595780634dda0b43146100755780636c842570146100ac578063f969ff33146100cc578063fe5aa85b146100e1575b5f5ffd5b61006260025481565b6040519081526020015b60405180910390f35b6040516001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016815260200161006c565b6100bf6100ba366004610374565b61011d565b60405161006c9190610394565b6100df6100da3660046103df565b6101c7565b005b61010d6100ef366004610374565b6001600160601b0319165f9081526020819052604090205460ff1690565b604051901515815260200161006c565b6001600160601b031981165f90815260016020526040902080546060919061014490610444565b80601f016020809104026020016040519081016040528092919081815260200182805461017090610444565b80156101bb5780601f10610192576101008083540402835291602001916101bb565b820191905f5260205f20905b81548152906001019060200180831161019e57829003601f168201915b50505050509050919050565b5f6101d56020840184610374565b6001600160601b031981165f9081526020819052604090205490915060ff16156102225760405163810b1fdd60e01b81526001600160601b03198216600482015260240160405180910390fd5b6040516366b8ac4f60e11b81526001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000169063cd71589e9061027090869086906004016105a0565b5f6040518083038186803b158015610286575f5ffd5b505afa158015610298573d5f5f3e3d5ffd5b5050506001600160601b031982165f9081526020819052604090819020805460ff191660011790556102cd91508401846106a9565b6001600160601b031983165f908152600160205260409020916102f1919083610757565b5060025f815461030090610812565b909155506001600160601b031981167fccc10e389ea95a20e531a2aff2fc126d41735dbf18ebf5e79d7568385334f0d061033d60408601866106a9565b60405161034b929190610836565b60405180910390a2505050565b80356001600160601b03198116811461036f575f5ffd5b919050565b5f60208284031215610384575f5ffd5b61038d82610358565b9392505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b5f606082840312156103d9575f5ffd5b50919050565b5f5f604083850312156103f0575f5ffd5b823567ffffffffffffffff811115610406575f5ffd5b610412858286016103c9565b925050602083013567ffffffffffffffff81111561042e575f5ffd5b61043a858286016103c9565b9150509250929050565b600181811c9082168061045857607f821691505b6020821081036103d957634e487b7160e01b5f52602260045260245ffd5b5f5f8335601e1984360301811261048b575f5ffd5b830160208101925035905067ffffffffffffffff8111156104aa575f5ffd5b8036038213156104b8575f5ffd5b9250929050565b81835281816020850137505f828201602090810191909152601f909101601f19169091010190565b5f5f8335601e198436030181126104fc575f5ffd5b830160208101925035905067ffffffffffffffff81111561051b575f5ffd5b8060051b36038213156104b8575f5ffd5b5f8383855260208501945060208460051b820101835f5b8681101561058157838303601f1901885261055e8287610476565b6105698582846104bf565b60209a8b019a90955093909301925050600101610543565b50909695505050505050565b803563ffffffff8116811461036f575f5ffd5b604081526001600160601b03196105b684610358565b1660408201525f60208401356001600160a01b031981168082146105d8575f5ffd5b6060840152506105eb6040850185610476565b6060608085015261060060a0850182846104bf565b91505082810360208401526060810161061985866104e7565b6060845291829052905f90608084015b8183101561065e5783356001600160a01b038116808214610648575f5ffd5b8252506020938401936001939093019201610629565b61066b60208901896104e7565b94509250848103602086015261068281858561052c565b93505050506106936040860161058d565b63ffffffff811660408401525095945050505050565b5f5f8335601e198436030181126106be575f5ffd5b83018035915067ffffffffffffffff8211156106d8575f5ffd5b6020019150368190038213156104b8575f5ffd5b634e487b7160e01b5f52604160045260245ffd5b601f821115610752578282111561075257805f5260205f20601f840160051c602085101561072b57505f5b90810190601f840160051c035f5b8181101561074e575f83820155600101610739565b5050505b505050565b67ffffffffffffffff83111561076f5761076f6106ec565b6107838361077d8354610444565b83610700565b5f601f8411600181146107b4575f851561079d5750838201355b5f19600387901b1c1916600186901b17835561080b565b5f83815260208120601f198716915b828110156107e357868501358255602094850194600190920191016107c3565b50868210156107ff575f1960f88860031b161c19848701351681555b505060018560011b0183555b5050505050565b5f6001820161082f57634e487b7160e01b5f52601160045260245ffd5b5060010190565b602081525f6108496020830184866104bf565b94935050505056fea26469706673582212203cf018b33de4531e4c27e16ed80589745e54667e6519681390ab8a2c1ffe148164736f6c63430008250033",
}

// ServiceHandler is an auto generated Go binding around an Ethereum contract.
type ServiceHandler struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ServiceHandler) GetABI() abi.ABI {
	return c.abi
}

// NewServiceHandler creates a new instance of ServiceHandler.
func NewServiceHandler() *ServiceHandler {
	parsed, err := ServiceHandlerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ServiceHandler{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ServiceHandler) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address serviceManager) returns()
func (serviceHandler *ServiceHandler) PackConstructor(serviceManager common.Address) []byte {
	enc, err := serviceHandler.abi.Pack("", serviceManager)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackGetServiceManager is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4dda0b43.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getServiceManager() view returns(address)
func (serviceHandler *ServiceHandler) PackGetServiceManager() []byte {
	enc, err := serviceHandler.abi.Pack("getServiceManager")
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
func (serviceHandler *ServiceHandler) TryPackGetServiceManager() ([]byte, error) {
	return serviceHandler.abi.Pack("getServiceManager")
}

// UnpackGetServiceManager is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4dda0b43.
//
// Solidity: function getServiceManager() view returns(address)
func (serviceHandler *ServiceHandler) UnpackGetServiceManager(data []byte) (common.Address, error) {
	out, err := serviceHandler.abi.Unpack("getServiceManager", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackHandleSignedEnvelope is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf969ff33.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function handleSignedEnvelope((bytes20,bytes12,bytes) envelope, (address[],bytes[],uint32) signatureData) returns()
func (serviceHandler *ServiceHandler) PackHandleSignedEnvelope(envelope ServiceHandlerEnvelope, signatureData ServiceHandlerSignatureData) []byte {
	enc, err := serviceHandler.abi.Pack("handleSignedEnvelope", envelope, signatureData)
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
func (serviceHandler *ServiceHandler) TryPackHandleSignedEnvelope(envelope ServiceHandlerEnvelope, signatureData ServiceHandlerSignatureData) ([]byte, error) {
	return serviceHandler.abi.Pack("handleSignedEnvelope", envelope, signatureData)
}

// PackHandledCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b09d06f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function handledCount() view returns(uint256)
func (serviceHandler *ServiceHandler) PackHandledCount() []byte {
	enc, err := serviceHandler.abi.Pack("handledCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHandledCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b09d06f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function handledCount() view returns(uint256)
func (serviceHandler *ServiceHandler) TryPackHandledCount() ([]byte, error) {
	return serviceHandler.abi.Pack("handledCount")
}

// UnpackHandledCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1b09d06f.
//
// Solidity: function handledCount() view returns(uint256)
func (serviceHandler *ServiceHandler) UnpackHandledCount(data []byte) (*big.Int, error) {
	out, err := serviceHandler.abi.Unpack("handledCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackIsHandled is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe5aa85b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isHandled(bytes20 eventId) view returns(bool)
func (serviceHandler *ServiceHandler) PackIsHandled(eventId [20]byte) []byte {
	enc, err := serviceHandler.abi.Pack("isHandled", eventId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsHandled is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe5aa85b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isHandled(bytes20 eventId) view returns(bool)
func (serviceHandler *ServiceHandler) TryPackIsHandled(eventId [20]byte) ([]byte, error) {
	return serviceHandler.abi.Pack("isHandled", eventId)
}

// UnpackIsHandled is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfe5aa85b.
//
// Solidity: function isHandled(bytes20 eventId) view returns(bool)
func (serviceHandler *ServiceHandler) UnpackIsHandled(data []byte) (bool, error) {
	out, err := serviceHandler.abi.Unpack("isHandled", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackPayloadOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6c842570.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function payloadOf(bytes20 eventId) view returns(bytes)
func (serviceHandler *ServiceHandler) PackPayloadOf(eventId [20]byte) []byte {
	enc, err := serviceHandler.abi.Pack("payloadOf", eventId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPayloadOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6c842570.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function payloadOf(bytes20 eventId) view returns(bytes)
func (serviceHandler *ServiceHandler) TryPackPayloadOf(eventId [20]byte) ([]byte, error) {
	return serviceHandler.abi.Pack("payloadOf", eventId)
}

// UnpackPayloadOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6c842570.
//
// Solidity: function payloadOf(bytes20 eventId) view returns(bytes)
func (serviceHandler *ServiceHandler) UnpackPayloadOf(data []byte) ([]byte, error) {
	out, err := serviceHandler.abi.Unpack("payloadOf", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// ServiceHandlerSignedEnvelopeHandled represents a SignedEnvelopeHandled event raised by the ServiceHandler contract.
type ServiceHandlerSignedEnvelopeHandled struct {
	EventId [20]byte
	Payload []byte
	Raw     *types.Log // Blockchain specific contextual infos
}

const ServiceHandlerSignedEnvelopeHandledEventName = "SignedEnvelopeHandled"

// ContractEventName returns the user-defined event name.
func (ServiceHandlerSignedEnvelopeHandled) ContractEventName() string {
	return ServiceHandlerSignedEnvelopeHandledEventName
}

// UnpackSignedEnvelopeHandledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SignedEnvelopeHandled(bytes20 indexed eventId, bytes payload)
func (serviceHandler *ServiceHandler) UnpackSignedEnvelopeHandledEvent(log *types.Log) (*ServiceHandlerSignedEnvelopeHandled, error) {
	event := "SignedEnvelopeHandled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != serviceHandler.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ServiceHandlerSignedEnvelopeHandled)
	if len(log.Data) > 0 {
		if err := serviceHandler.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range serviceHandler.abi.Events[event].Inputs {
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
func (serviceHandler *ServiceHandler) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], serviceHandler.abi.Errors["EventAlreadyHandled"].ID.Bytes()[:4]) {
		return serviceHandler.UnpackEventAlreadyHandledError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceHandler.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return serviceHandler.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// ServiceHandlerEventAlreadyHandled represents a EventAlreadyHandled error raised by the ServiceHandler contract.
type ServiceHandlerEventAlreadyHandled struct {
	EventId [20]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EventAlreadyHandled(bytes20 eventId)
func ServiceHandlerEventAlreadyHandledErrorID() common.Hash {
	return common.HexToHash("0x810b1fdd7171b512723885f152fd0fefa79980f5f3f010ec48c47b661a92b86d")
}

// UnpackEventAlreadyHandledError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EventAlreadyHandled(bytes20 eventId)
func (serviceHandler *ServiceHandler) UnpackEventAlreadyHandledError(raw []byte) (*ServiceHandlerEventAlreadyHandled, error) {
	out := new(ServiceHandlerEventAlreadyHandled)
	if err := serviceHandler.abi.UnpackIntoInterface(out, "EventAlreadyHandled", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceHandlerZeroAddress represents a ZeroAddress error raised by the ServiceHandler contract.
type ServiceHandlerZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func ServiceHandlerZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (serviceHandler *ServiceHandler) UnpackZeroAddressError(raw []byte) (*ServiceHandlerZeroAddress, error) {
	out := new(ServiceHandlerZeroAddress)
	if err := serviceHandler.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}
