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

// PoaServiceManagerEnvelope is an auto generated low-level Go binding around an user-defined struct.
type PoaServiceManagerEnvelope struct {
	EventId  [20]byte
	Ordering [12]byte
	Payload  []byte
}

// PoaServiceManagerSignatureData is an auto generated low-level Go binding around an user-defined struct.
type PoaServiceManagerSignatureData struct {
	Signers        []common.Address
	Signatures     [][]byte
	ReferenceBlock uint32
}

// PoaServiceManagerMetaData contains all meta data concerning the PoaServiceManager contract.
var PoaServiceManagerMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"signedWeight\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"quorumNumerator\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"totalWeight\",\"type\":\"uint256\"}],\"name\":\"InsufficientQuorum\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InsufficientSignedStake\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidInitialization\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidLength\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidQuorum\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidReferenceBlock\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignedWeight\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidWeight\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotSorted\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"OperatorAlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"OperatorNotRegistered\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"SignerNotRegistered\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"SigningKeyAlreadyUsed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"}],\"name\":\"Initialized\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"OperatorDeregistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"weight\",\"type\":\"uint256\"}],\"name\":\"OperatorRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"oldWeight\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"newWeight\",\"type\":\"uint256\"}],\"name\":\"OperatorWeightUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"numerator\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"denominator\",\"type\":\"uint256\"}],\"name\":\"QuorumThresholdUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"string\",\"name\":\"serviceURI\",\"type\":\"string\"}],\"name\":\"ServiceURIUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"oldSigningKey\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newSigningKey\",\"type\":\"address\"}],\"name\":\"SigningKeyUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"thresholdWeight\",\"type\":\"uint256\"}],\"name\":\"ThresholdWeightUpdated\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"deregisterOperator\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getAllocationManager\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getDelegationManager\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"}],\"name\":\"getLatestOperatorForSigningKey\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"getOperatorWeight\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getServiceURI\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getStakeRegistry\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner_\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"thresholdWeight\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"quorumNumerator\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"quorumDenominator\",\"type\":\"uint256\"}],\"name\":\"initialize\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"weight\",\"type\":\"uint256\"}],\"name\":\"registerOperator\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"serviceURI\",\"type\":\"string\"}],\"name\":\"setServiceURI\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"newSigningKey\",\"type\":\"address\"}],\"name\":\"updateOperatorSigningKey\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"weight\",\"type\":\"uint256\"}],\"name\":\"updateOperatorWeight\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"numerator\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"denominator\",\"type\":\"uint256\"}],\"name\":\"updateQuorum\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"thresholdWeight\",\"type\":\"uint256\"}],\"name\":\"updateStakeThreshold\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes20\",\"name\":\"eventId\",\"type\":\"bytes20\"},{\"internalType\":\"bytes12\",\"name\":\"ordering\",\"type\":\"bytes12\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structPoaServiceManager.Envelope\",\"name\":\"envelope\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address[]\",\"name\":\"signers\",\"type\":\"address[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"},{\"internalType\":\"uint32\",\"name\":\"referenceBlock\",\"type\":\"uint32\"}],\"internalType\":\"structPoaServiceManager.SignatureData\",\"name\":\"signatureData\",\"type\":\"tuple\"}],\"name\":\"validate\",\"outputs\":[],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "PoaServiceManager",
	Bin: "0x6080604052348015600e575f5ffd5b505f80546001600160401b0319166001600160401b039081179091556040519081527fc7f505b2f371ae2175ee4913f4499e1f2633a7b5936321eed1cdaeb6115181d29060200160405180910390a1611a188061006a5f395ff3fe608060405234801561000f575f5ffd5b5060043610610106575f3560e01c8063ac7cbfd91161009e578063cd71589e1161006e578063cd71589e146101ea578063d8cf98ca146101fd578063dec24b1814610210578063e9960dfd14610223578063f2fde38b14610236575f5ffd5b8063ac7cbfd9146101c2578063b24e5a3a146101bc578063bef4c839146101bc578063cc922c6a146101d5575f5ffd5b80635f11301b116100d95780635f11301b146101585780638da5cb5b1461016b57806398ec1ac91461019b578063a28efd6b146101bc575f5ffd5b806341d8cb911461010a5780634ec81af11461011f578063530c74c0146101325780635ef5332914610145575b5f5ffd5b61011d6101183660046113e5565b610249565b005b61011d61012d366004611416565b61035c565b61011d61014036600461144c565b61044e565b61011d61015336600461146c565b610489565b61011d610166366004611483565b6104c6565b5f54600160401b90046001600160a01b03165b6040516001600160a01b0390911681526020015b60405180910390f35b6101ae6101a93660046114f1565b610542565b604051908152602001610192565b5f61017e565b61017e6101d03660046114f1565b610568565b6101dd610588565b6040516101929190611511565b61011d6101f836600461155c565b610618565b61011d61020b3660046114f1565b61093d565b61011d61021e3660046115c1565b610a07565b61011d6102313660046115e9565b610ae7565b61011d6102443660046114f1565b610c35565b5f54600160401b90046001600160a01b0316331461027a576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b0382165f9081526002602052604090205460ff166102b2576040516325ec6c1f60e01b815260040160405180910390fd5b6001600160a01b0381166102d95760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b038083165f908152600360205260409020548116908216810361030257505050565b61030c8383610cfc565b816001600160a01b0316816001600160a01b0316846001600160a01b03167ffc80e2bc2605220dd14f99d9b206609ca693437b68c362d635dde496de56f82c60405160405180910390a4505b5050565b5f5467ffffffffffffffff16156103865760405163f92ee8a960e01b815260040160405180910390fd5b6001600160a01b0384166103ad5760405163d92e233d60e01b815260040160405180910390fd5b5f80546001600160a01b038616600160401b81026001600160e01b03199092169190911760011782556040519091907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a361040a83610e41565b6104148282610eb1565b604051600181527fc7f505b2f371ae2175ee4913f4499e1f2633a7b5936321eed1cdaeb6115181d29060200160405180910390a150505050565b5f54600160401b90046001600160a01b0316331461047f576040516330cd747160e01b815260040160405180910390fd5b6103588282610eb1565b5f54600160401b90046001600160a01b031633146104ba576040516330cd747160e01b815260040160405180910390fd5b6104c381610e41565b50565b5f54600160401b90046001600160a01b031633146104f7576040516330cd747160e01b815260040160405180910390fd5b60016105048284836116c0565b507fd2f056df94c31bdb3b4e16080f2ac6dbd4233c6001058d94afc3ad1242dff48882826040516105369291906117a3565b60405180910390a15050565b6001600160a01b0381165f90815260056020526040812061056290610f2e565b92915050565b6001600160a01b0381165f90815260046020526040812061056290610f2e565b60606001805461059790611637565b80601f01602080910402602001604051908101604052809291908181526020018280546105c390611637565b801561060e5780601f106105e55761010080835404028352916020019161060e565b820191905f5260205f20905b8154815290600101906020018083116105f157829003601f168201915b5050505050905090565b5f61062382806117b6565b9150610634905060208301836117b6565b90508114610658576040516001621398b960e31b0319815260040160405180910390fd5b805f036106785760405163251f56a160e21b815260040160405180910390fd5b5f6106896060840160408501611803565b63ffffffff1690504381106106b15760405163e64f180f60e01b815260040160405180910390fd5b5f846040516020016106c39190611826565b60408051601f198184030181529082905280516020918201207f19457468657265756d205369676e6564204d6573736167653a0a33320000000091830191909152603c820152605c016040516020818303038152906040528051906020012090505f5f5f5b8581101561086f575f61073b88806117b6565b8381811061074b5761074b6118d7565b905060200201602081019061076091906114f1565b6001600160a01b0381165f908152600460205260408120919250906107859088610f7f565b90506001600160a01b0381166107ae57604051633dda173960e01b815260040160405180910390fd5b836001600160a01b0316826001600160a01b0316116107e05760405163ba50f91160e01b815260040160405180910390fd5b61081982876107f260208d018d6117b6565b87818110610802576108026118d7565b905060200281019061081491906118eb565b6110c1565b61083657604051638baa579f60e01b815260040160405180910390fd5b6001600160a01b0381165f9081526005602052604090206108579088610f7f565b6108619086611942565b945090925050600101610728565b505f61087c600686610f7f565b90508083111561089f57604051634b05a0f760e11b815260040160405180910390fd5b826108ab600787610f7f565b11156108ca5760405163e121632f60e01b815260040160405180910390fd5b5f6108d6600887610f7f565b9050604081901c67ffffffffffffffff82166108f28483611955565b6108fc8288611955565b1015610930576040516386b1609160e01b815260048101879052602481018390526044810185905260640160405180910390fd5b5050505050505050505050565b5f54600160401b90046001600160a01b0316331461096e576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b0381165f9081526002602052604090205460ff166109a6576040516325ec6c1f60e01b815260040160405180910390fd5b6001600160a01b0381165f908152600260205260408120805460ff191690556109d0908290611211565b506040516001600160a01b038216907f6dd4ca66565fb3dee8076c654634c6c4ad949022d809d0394308617d6791218d905f90a250565b5f54600160401b90046001600160a01b03163314610a38576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b0382165f9081526002602052604090205460ff16610a70576040516325ec6c1f60e01b815260040160405180910390fd5b805f03610a905760405163585b926360e01b815260040160405180910390fd5b5f610a9b8383611211565b60408051828152602081018590529192506001600160a01b038516917f88770dc862e47a7ed586907857eb1b75e4c5ffc8b707c7ee10eb74d6885fe594910160405180910390a2505050565b5f54600160401b90046001600160a01b03163314610b18576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b0383161580610b3557506001600160a01b038216155b15610b535760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b0383165f9081526002602052604090205460ff1615610b8c576040516342ee68b560e01b815260040160405180910390fd5b805f03610bac5760405163585b926360e01b815260040160405180910390fd5b6001600160a01b0383165f908152600260205260409020805460ff19166001179055610bd88383610cfc565b610be28382611211565b50816001600160a01b0316836001600160a01b03167fdcb4af7d57cc106724f816a55242fbe9d45d800af6a574cb2814d7adf23e494083604051610c2891815260200190565b60405180910390a3505050565b5f54600160401b90046001600160a01b03163314610c66576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b038116610c8d5760405163d92e233d60e01b815260040160405180910390fd5b5f80546040516001600160a01b0380851693600160401b90930416917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e091a35f80546001600160a01b03909216600160401b0268010000000000000000600160e01b0319909216919091179055565b6001600160a01b0381165f908152600460205260408120610d1c90610f2e565b90506001600160a01b03811615801590610d485750826001600160a01b0316816001600160a01b031614155b15610d6657604051633138e8b960e01b815260040160405180910390fd5b6001600160a01b038084165f9081526003602052604090205481169083168103610d905750505050565b6001600160a01b03811615801590610dd357506001600160a01b038181165f90815260046020526040902090851690610dc890610f2e565b6001600160a01b0316145b15610df8576001600160a01b0381165f908152600460205260408120610df8916112da565b6001600160a01b038481165f81815260036020908152604080832080546001600160a01b03191695891695861790559382526004905291909120610e3b916112da565b50505050565b610e7b6007610e586001600160801b036001611942565b8311610e6457826112da565b610e766001600160801b036001611942565b6112da565b6040518181527f9324f7e5a7c0288808a634ccde44b8e979676474b22e29ee9dd569b55e791a4b9060200160405180910390a150565b801580610ec5575067ffffffffffffffff81115b80610ecf57508082115b15610eed5760405163d173577960e01b815260040160405180910390fd5b610efe600882604085901b176112da565b604051819083907fc33728fb6bc64ec1c5596c946e1406ccdfb7369404098c1d6a5f4a7a29c97b63905f90a35050565b80545f90808203610f4157505f92915050565b82610f4d60018361196c565b81548110610f5d57610f5d6118d7565b5f91825260209091200154600160301b90046001600160d01b03169392505050565b81545f90808203610f93575f915050610562565b5f84610fa060018461196c565b81548110610fb057610fb06118d7565b5f918252602090912001805490915065ffffffffffff168410610fe75754600160301b90046001600160d01b031691506105629050565b5f80610ff460018561196c565b90505b80821015611069575f600261100c848461196c565b611016919061197f565b6110209084611942565b905086888281548110611035576110356118d7565b5f9182526020909120015465ffffffffffff161161105f57611058816001611942565b9250611063565b8091505b50610ff7565b81156110ab578661107b60018461196c565b8154811061108b5761108b6118d7565b5f91825260209091200154600160301b90046001600160d01b03166110ad565b5f5b6001600160d01b0316979650505050505050565b5f604182146110d157505f611209565b5f6110df602082858761199e565b6110e8916119c5565b90505f6110f960406020868861199e565b611102916119c5565b90505f85856040818110611118576111186118d7565b919091013560f81c915050601b811480159061113857508060ff16601c14155b15611148575f9350505050611209565b7f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a082111561117b575f9350505050611209565b604080515f808252602082018084528a905260ff841692820192909252606081018590526080810184905260019060a0016020604051602081039080840390855afa1580156111cc573d5f5f3e3d5ffd5b5050604051601f1901519150506001600160a01b038116158015906112025750886001600160a01b0316816001600160a01b0316145b9450505050505b949350505050565b5f6001600160801b0382111561123a5760405163585b926360e01b815260040160405180910390fd5b6001600160a01b0383165f90815260056020526040902061125a90610f2e565b90505f81836112696006610f2e565b6112739190611942565b61127d919061196c565b90506001600160801b038111156112a75760405163585b926360e01b815260040160405180910390fd5b6001600160a01b0384165f9081526005602052604090206112c890846112da565b6112d36006826112da565b5092915050565b815443908015801590611322575065ffffffffffff8216846112fd60018461196c565b8154811061130d5761130d6118d7565b5f9182526020909120015465ffffffffffff16145b1561137857828461133460018461196c565b81548110611344576113446118d7565b905f5260205f20015f0160066101000a8154816001600160d01b0302191690836001600160d01b0316021790555050505050565b506040805180820190915265ffffffffffff91821681526001600160d01b03928316602080830191825285546001810187555f968752952091519051909316600160301b029290911691909117910155565b80356001600160a01b03811681146113e0575f5ffd5b919050565b5f5f604083850312156113f6575f5ffd5b6113ff836113ca565b915061140d602084016113ca565b90509250929050565b5f5f5f5f60808587031215611429575f5ffd5b611432856113ca565b966020860135965060408601359560600135945092505050565b5f5f6040838503121561145d575f5ffd5b50508035926020909101359150565b5f6020828403121561147c575f5ffd5b5035919050565b5f5f60208385031215611494575f5ffd5b823567ffffffffffffffff8111156114aa575f5ffd5b8301601f810185136114ba575f5ffd5b803567ffffffffffffffff8111156114d0575f5ffd5b8560208284010111156114e1575f5ffd5b6020919091019590945092505050565b5f60208284031215611501575f5ffd5b61150a826113ca565b9392505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b5f60608284031215611556575f5ffd5b50919050565b5f5f6040838503121561156d575f5ffd5b823567ffffffffffffffff811115611583575f5ffd5b61158f85828601611546565b925050602083013567ffffffffffffffff8111156115ab575f5ffd5b6115b785828601611546565b9150509250929050565b5f5f604083850312156115d2575f5ffd5b6115db836113ca565b946020939093013593505050565b5f5f5f606084860312156115fb575f5ffd5b611604846113ca565b9250611612602085016113ca565b929592945050506040919091013590565b634e487b7160e01b5f52604160045260245ffd5b600181811c9082168061164b57607f821691505b60208210810361155657634e487b7160e01b5f52602260045260245ffd5b601f8211156116bb57828211156116bb57805f5260205f20601f840160051c602085101561169457505f5b90810190601f840160051c035f5b818110156116b7575f838201556001016116a2565b5050505b505050565b67ffffffffffffffff8311156116d8576116d8611623565b6116ec836116e68354611637565b83611669565b5f601f84116001811461171d575f85156117065750838201355b5f19600387901b1c1916600186901b178355611774565b5f83815260208120601f198716915b8281101561174c578685013582556020948501946001909201910161172c565b5086821015611768575f1960f88860031b161c19848701351681555b505060018560011b0183555b5050505050565b81835281816020850137505f828201602090810191909152601f909101601f19169091010190565b602081525f61120960208301848661177b565b5f5f8335601e198436030181126117cb575f5ffd5b83018035915067ffffffffffffffff8211156117e5575f5ffd5b6020019150600581901b36038213156117fc575f5ffd5b9250929050565b5f60208284031215611813575f5ffd5b813563ffffffff8116811461150a575f5ffd5b602081525f82356bffffffffffffffffffffffff198116808214611848575f5ffd5b806020850152505060208301356bffffffffffffffffffffffff60a01b8116808214611872575f5ffd5b80604085015250506040830135601e19843603018112611890575f5ffd5b830160208101903567ffffffffffffffff8111156118ac575f5ffd5b8036038213156118ba575f5ffd5b6060808501526118ce60808501828461177b565b95945050505050565b634e487b7160e01b5f52603260045260245ffd5b5f5f8335601e19843603018112611900575f5ffd5b83018035915067ffffffffffffffff82111561191a575f5ffd5b6020019150368190038213156117fc575f5ffd5b634e487b7160e01b5f52601160045260245ffd5b808201808211156105625761056261192e565b80820281158282048414176105625761056261192e565b818103818111156105625761056261192e565b5f8261199957634e487b7160e01b5f52601260045260245ffd5b500490565b5f5f858511156119ac575f5ffd5b838611156119b8575f5ffd5b5050820193919092039150565b80356020831015610562575f19602084900360031b1b169291505056fea2646970667358221220da598f18c95161bf279117d5b5ac9b8905e9ea2262e3fd1a4b6ec31e770143ac64736f6c63430008250033",
}

// PoaServiceManager is an auto generated Go binding around an Ethereum contract.
type PoaServiceManager struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *PoaServiceManager) GetABI() abi.ABI {
	return c.abi
}

// NewPoaServiceManager creates a new instance of PoaServiceManager.
func NewPoaServiceManager() *PoaServiceManager {
	parsed, err := PoaServiceManagerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &PoaServiceManager{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *PoaServiceManager) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackDeregisterOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd8cf98ca.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deregisterOperator(address operator) returns()
func (poaServiceManager *PoaServiceManager) PackDeregisterOperator(operator common.Address) []byte {
	enc, err := poaServiceManager.abi.Pack("deregisterOperator", operator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeregisterOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd8cf98ca.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deregisterOperator(address operator) returns()
func (poaServiceManager *PoaServiceManager) TryPackDeregisterOperator(operator common.Address) ([]byte, error) {
	return poaServiceManager.abi.Pack("deregisterOperator", operator)
}

// PackGetAllocationManager is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa28efd6b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getAllocationManager() pure returns(address)
func (poaServiceManager *PoaServiceManager) PackGetAllocationManager() []byte {
	enc, err := poaServiceManager.abi.Pack("getAllocationManager")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetAllocationManager is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa28efd6b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getAllocationManager() pure returns(address)
func (poaServiceManager *PoaServiceManager) TryPackGetAllocationManager() ([]byte, error) {
	return poaServiceManager.abi.Pack("getAllocationManager")
}

// UnpackGetAllocationManager is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa28efd6b.
//
// Solidity: function getAllocationManager() pure returns(address)
func (poaServiceManager *PoaServiceManager) UnpackGetAllocationManager(data []byte) (common.Address, error) {
	out, err := poaServiceManager.abi.Unpack("getAllocationManager", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetDelegationManager is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb24e5a3a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getDelegationManager() pure returns(address)
func (poaServiceManager *PoaServiceManager) PackGetDelegationManager() []byte {
	enc, err := poaServiceManager.abi.Pack("getDelegationManager")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetDelegationManager is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb24e5a3a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getDelegationManager() pure returns(address)
func (poaServiceManager *PoaServiceManager) TryPackGetDelegationManager() ([]byte, error) {
	return poaServiceManager.abi.Pack("getDelegationManager")
}

// UnpackGetDelegationManager is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb24e5a3a.
//
// Solidity: function getDelegationManager() pure returns(address)
func (poaServiceManager *PoaServiceManager) UnpackGetDelegationManager(data []byte) (common.Address, error) {
	out, err := poaServiceManager.abi.Unpack("getDelegationManager", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetLatestOperatorForSigningKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xac7cbfd9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getLatestOperatorForSigningKey(address signingKey) view returns(address)
func (poaServiceManager *PoaServiceManager) PackGetLatestOperatorForSigningKey(signingKey common.Address) []byte {
	enc, err := poaServiceManager.abi.Pack("getLatestOperatorForSigningKey", signingKey)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetLatestOperatorForSigningKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xac7cbfd9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getLatestOperatorForSigningKey(address signingKey) view returns(address)
func (poaServiceManager *PoaServiceManager) TryPackGetLatestOperatorForSigningKey(signingKey common.Address) ([]byte, error) {
	return poaServiceManager.abi.Pack("getLatestOperatorForSigningKey", signingKey)
}

// UnpackGetLatestOperatorForSigningKey is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xac7cbfd9.
//
// Solidity: function getLatestOperatorForSigningKey(address signingKey) view returns(address)
func (poaServiceManager *PoaServiceManager) UnpackGetLatestOperatorForSigningKey(data []byte) (common.Address, error) {
	out, err := poaServiceManager.abi.Unpack("getLatestOperatorForSigningKey", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetOperatorWeight is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x98ec1ac9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getOperatorWeight(address operator) view returns(uint256)
func (poaServiceManager *PoaServiceManager) PackGetOperatorWeight(operator common.Address) []byte {
	enc, err := poaServiceManager.abi.Pack("getOperatorWeight", operator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetOperatorWeight is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x98ec1ac9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getOperatorWeight(address operator) view returns(uint256)
func (poaServiceManager *PoaServiceManager) TryPackGetOperatorWeight(operator common.Address) ([]byte, error) {
	return poaServiceManager.abi.Pack("getOperatorWeight", operator)
}

// UnpackGetOperatorWeight is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x98ec1ac9.
//
// Solidity: function getOperatorWeight(address operator) view returns(uint256)
func (poaServiceManager *PoaServiceManager) UnpackGetOperatorWeight(data []byte) (*big.Int, error) {
	out, err := poaServiceManager.abi.Unpack("getOperatorWeight", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc922c6a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getServiceURI() view returns(string)
func (poaServiceManager *PoaServiceManager) PackGetServiceURI() []byte {
	enc, err := poaServiceManager.abi.Pack("getServiceURI")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc922c6a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getServiceURI() view returns(string)
func (poaServiceManager *PoaServiceManager) TryPackGetServiceURI() ([]byte, error) {
	return poaServiceManager.abi.Pack("getServiceURI")
}

// UnpackGetServiceURI is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcc922c6a.
//
// Solidity: function getServiceURI() view returns(string)
func (poaServiceManager *PoaServiceManager) UnpackGetServiceURI(data []byte) (string, error) {
	out, err := poaServiceManager.abi.Unpack("getServiceURI", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackGetStakeRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbef4c839.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getStakeRegistry() pure returns(address)
func (poaServiceManager *PoaServiceManager) PackGetStakeRegistry() []byte {
	enc, err := poaServiceManager.abi.Pack("getStakeRegistry")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetStakeRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbef4c839.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getStakeRegistry() pure returns(address)
func (poaServiceManager *PoaServiceManager) TryPackGetStakeRegistry() ([]byte, error) {
	return poaServiceManager.abi.Pack("getStakeRegistry")
}

// UnpackGetStakeRegistry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbef4c839.
//
// Solidity: function getStakeRegistry() pure returns(address)
func (poaServiceManager *PoaServiceManager) UnpackGetStakeRegistry(data []byte) (common.Address, error) {
	out, err := poaServiceManager.abi.Unpack("getStakeRegistry", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackInitialize is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4ec81af1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function initialize(address owner_, uint256 thresholdWeight, uint256 quorumNumerator, uint256 quorumDenominator) returns()
func (poaServiceManager *PoaServiceManager) PackInitialize(owner common.Address, thresholdWeight *big.Int, quorumNumerator *big.Int, quorumDenominator *big.Int) []byte {
	enc, err := poaServiceManager.abi.Pack("initialize", owner, thresholdWeight, quorumNumerator, quorumDenominator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackInitialize is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4ec81af1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function initialize(address owner_, uint256 thresholdWeight, uint256 quorumNumerator, uint256 quorumDenominator) returns()
func (poaServiceManager *PoaServiceManager) TryPackInitialize(owner common.Address, thresholdWeight *big.Int, quorumNumerator *big.Int, quorumDenominator *big.Int) ([]byte, error) {
	return poaServiceManager.abi.Pack("initialize", owner, thresholdWeight, quorumNumerator, quorumDenominator)
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (poaServiceManager *PoaServiceManager) PackOwner() []byte {
	enc, err := poaServiceManager.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (poaServiceManager *PoaServiceManager) TryPackOwner() ([]byte, error) {
	return poaServiceManager.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (poaServiceManager *PoaServiceManager) UnpackOwner(data []byte) (common.Address, error) {
	out, err := poaServiceManager.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRegisterOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe9960dfd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerOperator(address operator, address signingKey, uint256 weight) returns()
func (poaServiceManager *PoaServiceManager) PackRegisterOperator(operator common.Address, signingKey common.Address, weight *big.Int) []byte {
	enc, err := poaServiceManager.abi.Pack("registerOperator", operator, signingKey, weight)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegisterOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe9960dfd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registerOperator(address operator, address signingKey, uint256 weight) returns()
func (poaServiceManager *PoaServiceManager) TryPackRegisterOperator(operator common.Address, signingKey common.Address, weight *big.Int) ([]byte, error) {
	return poaServiceManager.abi.Pack("registerOperator", operator, signingKey, weight)
}

// PackSetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5f11301b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setServiceURI(string serviceURI) returns()
func (poaServiceManager *PoaServiceManager) PackSetServiceURI(serviceURI string) []byte {
	enc, err := poaServiceManager.abi.Pack("setServiceURI", serviceURI)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5f11301b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setServiceURI(string serviceURI) returns()
func (poaServiceManager *PoaServiceManager) TryPackSetServiceURI(serviceURI string) ([]byte, error) {
	return poaServiceManager.abi.Pack("setServiceURI", serviceURI)
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (poaServiceManager *PoaServiceManager) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := poaServiceManager.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (poaServiceManager *PoaServiceManager) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return poaServiceManager.abi.Pack("transferOwnership", newOwner)
}

// PackUpdateOperatorSigningKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x41d8cb91.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateOperatorSigningKey(address operator, address newSigningKey) returns()
func (poaServiceManager *PoaServiceManager) PackUpdateOperatorSigningKey(operator common.Address, newSigningKey common.Address) []byte {
	enc, err := poaServiceManager.abi.Pack("updateOperatorSigningKey", operator, newSigningKey)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateOperatorSigningKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x41d8cb91.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateOperatorSigningKey(address operator, address newSigningKey) returns()
func (poaServiceManager *PoaServiceManager) TryPackUpdateOperatorSigningKey(operator common.Address, newSigningKey common.Address) ([]byte, error) {
	return poaServiceManager.abi.Pack("updateOperatorSigningKey", operator, newSigningKey)
}

// PackUpdateOperatorWeight is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdec24b18.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateOperatorWeight(address operator, uint256 weight) returns()
func (poaServiceManager *PoaServiceManager) PackUpdateOperatorWeight(operator common.Address, weight *big.Int) []byte {
	enc, err := poaServiceManager.abi.Pack("updateOperatorWeight", operator, weight)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateOperatorWeight is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdec24b18.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateOperatorWeight(address operator, uint256 weight) returns()
func (poaServiceManager *PoaServiceManager) TryPackUpdateOperatorWeight(operator common.Address, weight *big.Int) ([]byte, error) {
	return poaServiceManager.abi.Pack("updateOperatorWeight", operator, weight)
}

// PackUpdateQuorum is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x530c74c0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateQuorum(uint256 numerator, uint256 denominator) returns()
func (poaServiceManager *PoaServiceManager) PackUpdateQuorum(numerator *big.Int, denominator *big.Int) []byte {
	enc, err := poaServiceManager.abi.Pack("updateQuorum", numerator, denominator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateQuorum is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x530c74c0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateQuorum(uint256 numerator, uint256 denominator) returns()
func (poaServiceManager *PoaServiceManager) TryPackUpdateQuorum(numerator *big.Int, denominator *big.Int) ([]byte, error) {
	return poaServiceManager.abi.Pack("updateQuorum", numerator, denominator)
}

// PackUpdateStakeThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5ef53329.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateStakeThreshold(uint256 thresholdWeight) returns()
func (poaServiceManager *PoaServiceManager) PackUpdateStakeThreshold(thresholdWeight *big.Int) []byte {
	enc, err := poaServiceManager.abi.Pack("updateStakeThreshold", thresholdWeight)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateStakeThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5ef53329.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateStakeThreshold(uint256 thresholdWeight) returns()
func (poaServiceManager *PoaServiceManager) TryPackUpdateStakeThreshold(thresholdWeight *big.Int) ([]byte, error) {
	return poaServiceManager.abi.Pack("updateStakeThreshold", thresholdWeight)
}

// PackValidate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcd71589e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function validate((bytes20,bytes12,bytes) envelope, (address[],bytes[],uint32) signatureData) view returns()
func (poaServiceManager *PoaServiceManager) PackValidate(envelope PoaServiceManagerEnvelope, signatureData PoaServiceManagerSignatureData) []byte {
	enc, err := poaServiceManager.abi.Pack("validate", envelope, signatureData)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackValidate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcd71589e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function validate((bytes20,bytes12,bytes) envelope, (address[],bytes[],uint32) signatureData) view returns()
func (poaServiceManager *PoaServiceManager) TryPackValidate(envelope PoaServiceManagerEnvelope, signatureData PoaServiceManagerSignatureData) ([]byte, error) {
	return poaServiceManager.abi.Pack("validate", envelope, signatureData)
}

// PoaServiceManagerInitialized represents a Initialized event raised by the PoaServiceManager contract.
type PoaServiceManagerInitialized struct {
	Version uint64
	Raw     *types.Log // Blockchain specific contextual infos
}

const PoaServiceManagerInitializedEventName = "Initialized"

// ContractEventName returns the user-defined event name.
func (PoaServiceManagerInitialized) ContractEventName() string {
	return PoaServiceManagerInitializedEventName
}

// UnpackInitializedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Initialized(uint64 version)
func (poaServiceManager *PoaServiceManager) UnpackInitializedEvent(log *types.Log) (*PoaServiceManagerInitialized, error) {
	event := "Initialized"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != poaServiceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PoaServiceManagerInitialized)
	if len(log.Data) > 0 {
		if err := poaServiceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range poaServiceManager.abi.Events[event].Inputs {
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

// PoaServiceManagerOperatorDeregistered represents a OperatorDeregistered event raised by the PoaServiceManager contract.
type PoaServiceManagerOperatorDeregistered struct {
	Operator common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const PoaServiceManagerOperatorDeregisteredEventName = "OperatorDeregistered"

// ContractEventName returns the user-defined event name.
func (PoaServiceManagerOperatorDeregistered) ContractEventName() string {
	return PoaServiceManagerOperatorDeregisteredEventName
}

// UnpackOperatorDeregisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OperatorDeregistered(address indexed operator)
func (poaServiceManager *PoaServiceManager) UnpackOperatorDeregisteredEvent(log *types.Log) (*PoaServiceManagerOperatorDeregistered, error) {
	event := "OperatorDeregistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != poaServiceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PoaServiceManagerOperatorDeregistered)
	if len(log.Data) > 0 {
		if err := poaServiceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range poaServiceManager.abi.Events[event].Inputs {
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

// PoaServiceManagerOperatorRegistered represents a OperatorRegistered event raised by the PoaServiceManager contract.
type PoaServiceManagerOperatorRegistered struct {
	Operator   common.Address
	SigningKey common.Address
	Weight     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const PoaServiceManagerOperatorRegisteredEventName = "OperatorRegistered"

// ContractEventName returns the user-defined event name.
func (PoaServiceManagerOperatorRegistered) ContractEventName() string {
	return PoaServiceManagerOperatorRegisteredEventName
}

// UnpackOperatorRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OperatorRegistered(address indexed operator, address indexed signingKey, uint256 weight)
func (poaServiceManager *PoaServiceManager) UnpackOperatorRegisteredEvent(log *types.Log) (*PoaServiceManagerOperatorRegistered, error) {
	event := "OperatorRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != poaServiceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PoaServiceManagerOperatorRegistered)
	if len(log.Data) > 0 {
		if err := poaServiceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range poaServiceManager.abi.Events[event].Inputs {
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

// PoaServiceManagerOperatorWeightUpdated represents a OperatorWeightUpdated event raised by the PoaServiceManager contract.
type PoaServiceManagerOperatorWeightUpdated struct {
	Operator  common.Address
	OldWeight *big.Int
	NewWeight *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const PoaServiceManagerOperatorWeightUpdatedEventName = "OperatorWeightUpdated"

// ContractEventName returns the user-defined event name.
func (PoaServiceManagerOperatorWeightUpdated) ContractEventName() string {
	return PoaServiceManagerOperatorWeightUpdatedEventName
}

// UnpackOperatorWeightUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OperatorWeightUpdated(address indexed operator, uint256 oldWeight, uint256 newWeight)
func (poaServiceManager *PoaServiceManager) UnpackOperatorWeightUpdatedEvent(log *types.Log) (*PoaServiceManagerOperatorWeightUpdated, error) {
	event := "OperatorWeightUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != poaServiceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PoaServiceManagerOperatorWeightUpdated)
	if len(log.Data) > 0 {
		if err := poaServiceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range poaServiceManager.abi.Events[event].Inputs {
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

// PoaServiceManagerOwnershipTransferred represents a OwnershipTransferred event raised by the PoaServiceManager contract.
type PoaServiceManagerOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const PoaServiceManagerOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (PoaServiceManagerOwnershipTransferred) ContractEventName() string {
	return PoaServiceManagerOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (poaServiceManager *PoaServiceManager) UnpackOwnershipTransferredEvent(log *types.Log) (*PoaServiceManagerOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != poaServiceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PoaServiceManagerOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := poaServiceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range poaServiceManager.abi.Events[event].Inputs {
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

// PoaServiceManagerQuorumThresholdUpdated represents a QuorumThresholdUpdated event raised by the PoaServiceManager contract.
type PoaServiceManagerQuorumThresholdUpdated struct {
	Numerator   *big.Int
	Denominator *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const PoaServiceManagerQuorumThresholdUpdatedEventName = "QuorumThresholdUpdated"

// ContractEventName returns the user-defined event name.
func (PoaServiceManagerQuorumThresholdUpdated) ContractEventName() string {
	return PoaServiceManagerQuorumThresholdUpdatedEventName
}

// UnpackQuorumThresholdUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event QuorumThresholdUpdated(uint256 indexed numerator, uint256 indexed denominator)
func (poaServiceManager *PoaServiceManager) UnpackQuorumThresholdUpdatedEvent(log *types.Log) (*PoaServiceManagerQuorumThresholdUpdated, error) {
	event := "QuorumThresholdUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != poaServiceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PoaServiceManagerQuorumThresholdUpdated)
	if len(log.Data) > 0 {
		if err := poaServiceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range poaServiceManager.abi.Events[event].Inputs {
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

// PoaServiceManagerServiceURIUpdated represents a ServiceURIUpdated event raised by the PoaServiceManager contract.
type PoaServiceManagerServiceURIUpdated struct {
	ServiceURI string
	Raw        *types.Log // Blockchain specific contextual infos
}

const PoaServiceManagerServiceURIUpdatedEventName = "ServiceURIUpdated"

// ContractEventName returns the user-defined event name.
func (PoaServiceManagerServiceURIUpdated) ContractEventName() string {
	return PoaServiceManagerServiceURIUpdatedEventName
}

// UnpackServiceURIUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ServiceURIUpdated(string serviceURI)
func (poaServiceManager *PoaServiceManager) UnpackServiceURIUpdatedEvent(log *types.Log) (*PoaServiceManagerServiceURIUpdated, error) {
	event := "ServiceURIUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != poaServiceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PoaServiceManagerServiceURIUpdated)
	if len(log.Data) > 0 {
		if err := poaServiceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range poaServiceManager.abi.Events[event].Inputs {
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

// PoaServiceManagerSigningKeyUpdated represents a SigningKeyUpdated event raised by the PoaServiceManager contract.
type PoaServiceManagerSigningKeyUpdated struct {
	Operator      common.Address
	OldSigningKey common.Address
	NewSigningKey common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const PoaServiceManagerSigningKeyUpdatedEventName = "SigningKeyUpdated"

// ContractEventName returns the user-defined event name.
func (PoaServiceManagerSigningKeyUpdated) ContractEventName() string {
	return PoaServiceManagerSigningKeyUpdatedEventName
}

// UnpackSigningKeyUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SigningKeyUpdated(address indexed operator, address indexed oldSigningKey, address indexed newSigningKey)
func (poaServiceManager *PoaServiceManager) UnpackSigningKeyUpdatedEvent(log *types.Log) (*PoaServiceManagerSigningKeyUpdated, error) {
	event := "SigningKeyUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != poaServiceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PoaServiceManagerSigningKeyUpdated)
	if len(log.Data) > 0 {
		if err := poaServiceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range poaServiceManager.abi.Events[event].Inputs {
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

// PoaServiceManagerThresholdWeightUpdated represents a ThresholdWeightUpdated event raised by the PoaServiceManager contract.
type PoaServiceManagerThresholdWeightUpdated struct {
	ThresholdWeight *big.Int
	Raw             *types.Log // Blockchain specific contextual infos
}

const PoaServiceManagerThresholdWeightUpdatedEventName = "ThresholdWeightUpdated"

// ContractEventName returns the user-defined event name.
func (PoaServiceManagerThresholdWeightUpdated) ContractEventName() string {
	return PoaServiceManagerThresholdWeightUpdatedEventName
}

// UnpackThresholdWeightUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ThresholdWeightUpdated(uint256 thresholdWeight)
func (poaServiceManager *PoaServiceManager) UnpackThresholdWeightUpdatedEvent(log *types.Log) (*PoaServiceManagerThresholdWeightUpdated, error) {
	event := "ThresholdWeightUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != poaServiceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PoaServiceManagerThresholdWeightUpdated)
	if len(log.Data) > 0 {
		if err := poaServiceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range poaServiceManager.abi.Events[event].Inputs {
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
func (poaServiceManager *PoaServiceManager) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["InsufficientQuorum"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackInsufficientQuorumError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["InsufficientSignedStake"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackInsufficientSignedStakeError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["InvalidInitialization"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackInvalidInitializationError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["InvalidLength"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackInvalidLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["InvalidQuorum"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackInvalidQuorumError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["InvalidReferenceBlock"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackInvalidReferenceBlockError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["InvalidSignedWeight"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackInvalidSignedWeightError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["InvalidWeight"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackInvalidWeightError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["LengthMismatch"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackLengthMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["NotSorted"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackNotSortedError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["OperatorAlreadyRegistered"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackOperatorAlreadyRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["OperatorNotRegistered"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackOperatorNotRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["SignerNotRegistered"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackSignerNotRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["SigningKeyAlreadyUsed"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackSigningKeyAlreadyUsedError(raw[4:])
	}
	if bytes.Equal(raw[:4], poaServiceManager.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return poaServiceManager.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// PoaServiceManagerInsufficientQuorum represents a InsufficientQuorum error raised by the PoaServiceManager contract.
type PoaServiceManagerInsufficientQuorum struct {
	SignedWeight    *big.Int
	QuorumNumerator *big.Int
	TotalWeight     *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientQuorum(uint256 signedWeight, uint256 quorumNumerator, uint256 totalWeight)
func PoaServiceManagerInsufficientQuorumErrorID() common.Hash {
	return common.HexToHash("0x86b1609168b610e519d7243268419b5971873578531d87e7310456557fa8d053")
}

// UnpackInsufficientQuorumError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientQuorum(uint256 signedWeight, uint256 quorumNumerator, uint256 totalWeight)
func (poaServiceManager *PoaServiceManager) UnpackInsufficientQuorumError(raw []byte) (*PoaServiceManagerInsufficientQuorum, error) {
	out := new(PoaServiceManagerInsufficientQuorum)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "InsufficientQuorum", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerInsufficientSignedStake represents a InsufficientSignedStake error raised by the PoaServiceManager contract.
type PoaServiceManagerInsufficientSignedStake struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientSignedStake()
func PoaServiceManagerInsufficientSignedStakeErrorID() common.Hash {
	return common.HexToHash("0xe121632f8446e233298baa25901c188344db4e2c5e3974fecda0f29b5449a2a4")
}

// UnpackInsufficientSignedStakeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientSignedStake()
func (poaServiceManager *PoaServiceManager) UnpackInsufficientSignedStakeError(raw []byte) (*PoaServiceManagerInsufficientSignedStake, error) {
	out := new(PoaServiceManagerInsufficientSignedStake)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "InsufficientSignedStake", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerInvalidInitialization represents a InvalidInitialization error raised by the PoaServiceManager contract.
type PoaServiceManagerInvalidInitialization struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidInitialization()
func PoaServiceManagerInvalidInitializationErrorID() common.Hash {
	return common.HexToHash("0xf92ee8a957075833165f68c320933b1a1294aafc84ee6e0dd3fb178008f9aaf5")
}

// UnpackInvalidInitializationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidInitialization()
func (poaServiceManager *PoaServiceManager) UnpackInvalidInitializationError(raw []byte) (*PoaServiceManagerInvalidInitialization, error) {
	out := new(PoaServiceManagerInvalidInitialization)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "InvalidInitialization", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerInvalidLength represents a InvalidLength error raised by the PoaServiceManager contract.
type PoaServiceManagerInvalidLength struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidLength()
func PoaServiceManagerInvalidLengthErrorID() common.Hash {
	return common.HexToHash("0x947d5a8466b7bcfb56468ee05345bfacfb6c28f016a57c192dadee0d8affb197")
}

// UnpackInvalidLengthError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidLength()
func (poaServiceManager *PoaServiceManager) UnpackInvalidLengthError(raw []byte) (*PoaServiceManagerInvalidLength, error) {
	out := new(PoaServiceManagerInvalidLength)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "InvalidLength", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerInvalidQuorum represents a InvalidQuorum error raised by the PoaServiceManager contract.
type PoaServiceManagerInvalidQuorum struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidQuorum()
func PoaServiceManagerInvalidQuorumErrorID() common.Hash {
	return common.HexToHash("0xd17357795ecba19dd63be269e91083e3977c3fb4c3a1d8b197d4a64adaf0dc22")
}

// UnpackInvalidQuorumError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidQuorum()
func (poaServiceManager *PoaServiceManager) UnpackInvalidQuorumError(raw []byte) (*PoaServiceManagerInvalidQuorum, error) {
	out := new(PoaServiceManagerInvalidQuorum)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "InvalidQuorum", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerInvalidReferenceBlock represents a InvalidReferenceBlock error raised by the PoaServiceManager contract.
type PoaServiceManagerInvalidReferenceBlock struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidReferenceBlock()
func PoaServiceManagerInvalidReferenceBlockErrorID() common.Hash {
	return common.HexToHash("0xe64f180fc584c680c98ed87fdf61df022de09f7c441a0f4f23630797497d7c51")
}

// UnpackInvalidReferenceBlockError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidReferenceBlock()
func (poaServiceManager *PoaServiceManager) UnpackInvalidReferenceBlockError(raw []byte) (*PoaServiceManagerInvalidReferenceBlock, error) {
	out := new(PoaServiceManagerInvalidReferenceBlock)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "InvalidReferenceBlock", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerInvalidSignature represents a InvalidSignature error raised by the PoaServiceManager contract.
type PoaServiceManagerInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func PoaServiceManagerInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (poaServiceManager *PoaServiceManager) UnpackInvalidSignatureError(raw []byte) (*PoaServiceManagerInvalidSignature, error) {
	out := new(PoaServiceManagerInvalidSignature)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerInvalidSignedWeight represents a InvalidSignedWeight error raised by the PoaServiceManager contract.
type PoaServiceManagerInvalidSignedWeight struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignedWeight()
func PoaServiceManagerInvalidSignedWeightErrorID() common.Hash {
	return common.HexToHash("0x960b41ee47bc9c163c94bac497269aa9e64788feedfb28c3ed3d12ba4848d786")
}

// UnpackInvalidSignedWeightError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignedWeight()
func (poaServiceManager *PoaServiceManager) UnpackInvalidSignedWeightError(raw []byte) (*PoaServiceManagerInvalidSignedWeight, error) {
	out := new(PoaServiceManagerInvalidSignedWeight)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "InvalidSignedWeight", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerInvalidWeight represents a InvalidWeight error raised by the PoaServiceManager contract.
type PoaServiceManagerInvalidWeight struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidWeight()
func PoaServiceManagerInvalidWeightErrorID() common.Hash {
	return common.HexToHash("0x585b9263ad9f4d0671ff6140f6eb6d73574bb3ec73f65f90119923abcc334e1f")
}

// UnpackInvalidWeightError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidWeight()
func (poaServiceManager *PoaServiceManager) UnpackInvalidWeightError(raw []byte) (*PoaServiceManagerInvalidWeight, error) {
	out := new(PoaServiceManagerInvalidWeight)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "InvalidWeight", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerLengthMismatch represents a LengthMismatch error raised by the PoaServiceManager contract.
type PoaServiceManagerLengthMismatch struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error LengthMismatch()
func PoaServiceManagerLengthMismatchErrorID() common.Hash {
	return common.HexToHash("0xff633a3803c58b9bc21e58efecee59f27e033cc0b1883fccb4969c76146fe60f")
}

// UnpackLengthMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error LengthMismatch()
func (poaServiceManager *PoaServiceManager) UnpackLengthMismatchError(raw []byte) (*PoaServiceManagerLengthMismatch, error) {
	out := new(PoaServiceManagerLengthMismatch)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "LengthMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerNotOwner represents a NotOwner error raised by the PoaServiceManager contract.
type PoaServiceManagerNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func PoaServiceManagerNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (poaServiceManager *PoaServiceManager) UnpackNotOwnerError(raw []byte) (*PoaServiceManagerNotOwner, error) {
	out := new(PoaServiceManagerNotOwner)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerNotSorted represents a NotSorted error raised by the PoaServiceManager contract.
type PoaServiceManagerNotSorted struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotSorted()
func PoaServiceManagerNotSortedErrorID() common.Hash {
	return common.HexToHash("0xba50f911bcee6515ba6b7c6c51e77a66c0832d63ca24d4b5e29951fad43ddf1e")
}

// UnpackNotSortedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotSorted()
func (poaServiceManager *PoaServiceManager) UnpackNotSortedError(raw []byte) (*PoaServiceManagerNotSorted, error) {
	out := new(PoaServiceManagerNotSorted)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "NotSorted", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerOperatorAlreadyRegistered represents a OperatorAlreadyRegistered error raised by the PoaServiceManager contract.
type PoaServiceManagerOperatorAlreadyRegistered struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OperatorAlreadyRegistered()
func PoaServiceManagerOperatorAlreadyRegisteredErrorID() common.Hash {
	return common.HexToHash("0x42ee68b54ebe37e9aacd10d870799e107689104ec10d2e4935552afad781f8a3")
}

// UnpackOperatorAlreadyRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OperatorAlreadyRegistered()
func (poaServiceManager *PoaServiceManager) UnpackOperatorAlreadyRegisteredError(raw []byte) (*PoaServiceManagerOperatorAlreadyRegistered, error) {
	out := new(PoaServiceManagerOperatorAlreadyRegistered)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "OperatorAlreadyRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerOperatorNotRegistered represents a OperatorNotRegistered error raised by the PoaServiceManager contract.
type PoaServiceManagerOperatorNotRegistered struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OperatorNotRegistered()
func PoaServiceManagerOperatorNotRegisteredErrorID() common.Hash {
	return common.HexToHash("0x25ec6c1f77e850aa9e1124f4be82cbef24bcf83ea515b3f64e50a84b4846419a")
}

// UnpackOperatorNotRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OperatorNotRegistered()
func (poaServiceManager *PoaServiceManager) UnpackOperatorNotRegisteredError(raw []byte) (*PoaServiceManagerOperatorNotRegistered, error) {
	out := new(PoaServiceManagerOperatorNotRegistered)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "OperatorNotRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerSignerNotRegistered represents a SignerNotRegistered error raised by the PoaServiceManager contract.
type PoaServiceManagerSignerNotRegistered struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SignerNotRegistered()
func PoaServiceManagerSignerNotRegisteredErrorID() common.Hash {
	return common.HexToHash("0x3dda17398b4fe419afbb83bea2ca5ff5cce579b1b7d0dc69273e7d64ceb8ac0f")
}

// UnpackSignerNotRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SignerNotRegistered()
func (poaServiceManager *PoaServiceManager) UnpackSignerNotRegisteredError(raw []byte) (*PoaServiceManagerSignerNotRegistered, error) {
	out := new(PoaServiceManagerSignerNotRegistered)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "SignerNotRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerSigningKeyAlreadyUsed represents a SigningKeyAlreadyUsed error raised by the PoaServiceManager contract.
type PoaServiceManagerSigningKeyAlreadyUsed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SigningKeyAlreadyUsed()
func PoaServiceManagerSigningKeyAlreadyUsedErrorID() common.Hash {
	return common.HexToHash("0x3138e8b90912e75be1949a9f00d56763ff0ce9a5be703804fcf2a78efd627ea0")
}

// UnpackSigningKeyAlreadyUsedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SigningKeyAlreadyUsed()
func (poaServiceManager *PoaServiceManager) UnpackSigningKeyAlreadyUsedError(raw []byte) (*PoaServiceManagerSigningKeyAlreadyUsed, error) {
	out := new(PoaServiceManagerSigningKeyAlreadyUsed)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "SigningKeyAlreadyUsed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PoaServiceManagerZeroAddress represents a ZeroAddress error raised by the PoaServiceManager contract.
type PoaServiceManagerZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func PoaServiceManagerZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (poaServiceManager *PoaServiceManager) UnpackZeroAddressError(raw []byte) (*PoaServiceManagerZeroAddress, error) {
	out := new(PoaServiceManagerZeroAddress)
	if err := poaServiceManager.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}
