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

// ServiceManagerEnvelope is an auto generated low-level Go binding around an user-defined struct.
type ServiceManagerEnvelope struct {
	EventId  [20]byte
	Ordering [12]byte
	Payload  []byte
}

// ServiceManagerSignatureData is an auto generated low-level Go binding around an user-defined struct.
type ServiceManagerSignatureData struct {
	Signers        []common.Address
	Signatures     [][]byte
	ReferenceBlock uint32
}

// ServiceManagerMetaData contains all meta data concerning the ServiceManager contract.
var ServiceManagerMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"blockNumber\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"currentBlock\",\"type\":\"uint256\"}],\"name\":\"FutureLookup\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"signerWeight\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"thresholdWeight\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"totalWeight\",\"type\":\"uint256\"}],\"name\":\"InsufficientQuorum\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"numerator\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"denominator\",\"type\":\"uint256\"}],\"name\":\"InvalidQuorum\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignatureBlock\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignatureLength\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignatureOrder\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSigner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"weight\",\"type\":\"uint256\"}],\"name\":\"InvalidWeight\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"OperatorAlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"OperatorNotRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"SigningKeyInUse\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"}],\"name\":\"OperatorDeregistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"weight\",\"type\":\"uint256\"}],\"name\":\"OperatorRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"oldSigningKey\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newSigningKey\",\"type\":\"address\"}],\"name\":\"OperatorSigningKeyUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"oldWeight\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"newWeight\",\"type\":\"uint256\"}],\"name\":\"OperatorWeightUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"numerator\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"denominator\",\"type\":\"uint256\"}],\"name\":\"QuorumUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"string\",\"name\":\"serviceURI\",\"type\":\"string\"}],\"name\":\"ServiceURIUpdated\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_TOTAL_WEIGHT\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"deregisterOperator\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"}],\"name\":\"getLatestOperatorForSigningKey\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"getLatestOperatorSigningKey\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"blockNumber\",\"type\":\"uint256\"}],\"name\":\"getOperatorForSigningKeyAt\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"getOperatorWeight\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"blockNumber\",\"type\":\"uint256\"}],\"name\":\"getOperatorWeightAt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getOperators\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"blockNumber\",\"type\":\"uint256\"}],\"name\":\"getQuorumAt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"numerator\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"denominator\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getServiceURI\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getThresholdWeight\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"blockNumber\",\"type\":\"uint256\"}],\"name\":\"getThresholdWeightAt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getTotalWeight\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"blockNumber\",\"type\":\"uint256\"}],\"name\":\"getTotalWeightAt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"quorumDenominator\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"denominator\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"quorumNumerator\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"numerator\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"weight\",\"type\":\"uint256\"}],\"name\":\"registerOperator\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"numerator\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"denominator\",\"type\":\"uint256\"}],\"name\":\"setQuorum\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"serviceURI\",\"type\":\"string\"}],\"name\":\"setServiceURI\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"signingKey\",\"type\":\"address\"}],\"name\":\"updateOperatorSigningKey\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"weight\",\"type\":\"uint256\"}],\"name\":\"updateOperatorWeight\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes20\",\"name\":\"eventId\",\"type\":\"bytes20\"},{\"internalType\":\"bytes12\",\"name\":\"ordering\",\"type\":\"bytes12\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structServiceManager.Envelope\",\"name\":\"envelope\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address[]\",\"name\":\"signers\",\"type\":\"address[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"},{\"internalType\":\"uint32\",\"name\":\"referenceBlock\",\"type\":\"uint32\"}],\"internalType\":\"structServiceManager.SignatureData\",\"name\":\"signatureData\",\"type\":\"tuple\"}],\"name\":\"validate\",\"outputs\":[],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "ServiceManager",
	Bin: "0x608060405234801561000f575f5ffd5b505f80546001600160a01b0319163390811782556040519091907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a361005a6002600361005f565b610225565b81158061006b57508082115b8061007c57506001600160401b0381115b156100a85760405163158589c560e11b8152600481018390526024810182905260440160405180910390fd5b6100b96008604084901b83176100f6565b60408051838152602081018390527f6784e9bcb845caaa98267d7b0918f97d3d17f7cb35a05b52010f7eb587a0acb0910160405180910390a15050565b81544390801580159061013e575065ffffffffffff8216846101196001846101ec565b8154811061012957610129610211565b5f9182526020909120015465ffffffffffff16145b156101935782846101506001846101ec565b8154811061016057610160610211565b905f5260205f20015f0160066101000a8154816001600160d01b0302191690836001600160d01b031602179055506101e6565b6040805180820190915265ffffffffffff80841682526001600160d01b0380861660208085019182528854600181018a555f8a815291909120945191519092166601000000000000029216919091179101555b50505050565b8181038181111561020b57634e487b7160e01b5f52601160045260245ffd5b92915050565b634e487b7160e01b5f52603260045260245ffd5b611bec806102325f395ff3fe608060405234801561000f575f5ffd5b5060043610610153575f3560e01c806397c3d334116100bf578063cc922c6a11610079578063cc922c6a146102d7578063cd71589e146102ec578063d8cf98ca146102ff578063dec24b1814610312578063e9960dfd14610325578063f2fde38b14610338575f5ffd5b806397c3d3341461026357806398ec1ac91461026b578063a2ce5fd11461027e578063a7713a70146102a9578063ac7cbfd9146102b1578063cbd38f48146102c4575f5ffd5b806350b935431161011057806350b93543146101c5578063567678e4146101f05780635f11301b146102035780637a3d54681461021657806385e59ce2146102295780638da5cb5b14610251575f5ffd5b806306aba0e11461015757806309a3bbe4146101725780631abce1a21461018057806327a099d81461018857806341d8cb911461019d57806350735f6f146101b2575b5f5ffd5b61015f61034b565b6040519081526020015b60405180910390f35b61015f6001600160801b0381565b61015f61035b565b61019061039f565b6040516101699190611583565b6101b06101ab3660046115e9565b6103ff565b005b61015f6101c036600461161a565b610503565b6101d86101d3366004611631565b61051e565b6040516001600160a01b039091168152602001610169565b61015f6101fe366004611631565b610550565b6101b0610211366004611659565b61057b565b6101b06102243660046116c7565b6105f2565b61023c61023736600461161a565b610628565b60408051928352602083019190915201610169565b5f546101d8906001600160a01b031681565b61015f61064a565b61015f6102793660046116e7565b610658565b6101d861028c3660046116e7565b6001600160a01b039081165f908152600460205260409020541690565b61015f610678565b6101d86102bf3660046116e7565b61068c565b61015f6102d236600461161a565b6106ac565b6102df6106e0565b6040516101699190611700565b6101b06102fa366004611745565b610767565b6101b061030d3660046116e7565b610a73565b6101b0610320366004611631565b610c35565b6101b06103333660046117aa565b610ce4565b6101b06103463660046116e7565b610e6f565b5f6103566007610f1b565b905090565b5f5f5f61038061036b6008610f1b565b604081901c9167ffffffffffffffff90911690565b915091506103986103916007610f1b565b8383610f73565b9250505090565b606060028054806020026020016040519081016040528092919081815260200182805480156103f557602002820191905f5260205f20905b81546001600160a01b031681526001909101906020018083116103d7575b5050505050905090565b5f546001600160a01b031633146104305760405163245aecd360e01b81523360048201526024015b60405180910390fd5b61043982610fa0565b6001600160a01b0381166104605760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b038083165f908152600460205260409020548116908216810361048957505050565b6001600160a01b0381165f9081526006602052604081206104a991610fe5565b6104b383836110d8565b816001600160a01b0316816001600160a01b0316846001600160a01b03167fc05080fd447442c3e67d448efd658261f295a7827b151cc246e1faa46c70e2be60405160405180910390a4505b5050565b5f61050d8261117d565b6105186007836111a6565b92915050565b5f6105288261117d565b6001600160a01b0383165f90815260066020526040902061054990836111a6565b9392505050565b5f61055a8261117d565b6001600160a01b0383165f90815260056020526040902061054990836111a6565b5f546001600160a01b031633146105a75760405163245aecd360e01b8152336004820152602401610427565b60016105b4828483611880565b507fd2f056df94c31bdb3b4e16080f2ac6dbd4233c6001058d94afc3ad1242dff48882826040516105e6929190611963565b60405180910390a15050565b5f546001600160a01b0316331461061e5760405163245aecd360e01b8152336004820152602401610427565b6104ff82826112f0565b5f5f6106338361117d565b61064161036b6008856111a6565b91509150915091565b5f61051861036b6008610f1b565b6001600160a01b0381165f90815260056020526040812061051890610f1b565b5f61068661036b6008610f1b565b50919050565b6001600160a01b0381165f90815260066020526040812061051890610f1b565b5f6106b68261117d565b5f5f6106c661036b6008866111a6565b915091506106d86103916007866111a6565b949350505050565b6060600180546106ef906117f8565b80601f016020809104026020016040519081016040528092919081815260200182805461071b906117f8565b80156103f55780601f1061073d576101008083540402835291602001916103f5565b820191905f5260205f20905b81548152906001019060200180831161074957509395945050505050565b365f6107738380611976565b9092509050365f6107876020860186611976565b90925090508215806107995750828114155b156107b757604051634be6321b60e01b815260040160405180910390fd5b5f6107c860608701604088016119c3565b63ffffffff1690504381106107f05760405163898deb1d60e01b815260040160405180910390fd5b5f8760405160200161080291906119e6565b60408051601f198184030181529082905280516020918201207f19457468657265756d205369676e6564204d6573736167653a0a33320000000091830191909152603c820152605c016040516020818303038152906040528051906020012090505f5f5b868110156109e9575f88888381811061088157610881611a97565b905060200201602081019061089691906116e7565b90505f821180156108e9575088886108af600185611abf565b8181106108be576108be611a97565b90506020020160208101906108d391906116e7565b6001600160a01b0316816001600160a01b031611155b15610907576040516309cf9e4960e11b815260040160405180910390fd5b6001600160a01b0381165f90815260066020526040812061092890876111a6565b90506001600160a01b03811661095157604051632057875960e21b815260040160405180910390fd5b816001600160a01b0316610988868a8a8781811061097157610971611a97565b90506020028101906109839190611ad2565b61137d565b6001600160a01b0316146109af57604051638baa579f60e01b815260040160405180910390fd5b6001600160a01b0381165f9081526005602052604090206109d090876111a6565b6109da9085611b15565b93505050806001019050610866565b505f6109f66007856111a6565b90505f5f610a0861036b6008886111a6565b91509150825f1480610a2b5750610a1f8383611b28565b610a298286611b28565b105b15610a655783610a3c848484610f73565b6040516386b1609160e01b81526004810192909252602482015260448101849052606401610427565b505050505050505050505050565b5f546001600160a01b03163314610a9f5760405163245aecd360e01b8152336004820152602401610427565b610aa881610fa0565b6001600160a01b038082165f90815260046020908152604080832080546001600160a01b031981169091559093168083526006909152918120610aea91610fe5565b610af4825f6114e0565b506001600160a01b0382165f90815260036020526040812054610b1990600190611abf565b600280549192505f91610b2e90600190611abf565b81548110610b3e57610b3e611a97565b5f91825260209091200154600280546001600160a01b039092169250829184908110610b6c57610b6c611a97565b5f91825260209091200180546001600160a01b0319166001600160a01b0392909216919091179055610b9f826001611b15565b6001600160a01b0382165f908152600360205260409020556002805480610bc857610bc8611b3f565b5f828152602080822083015f1990810180546001600160a01b03191690559092019092556001600160a01b038681168084526003909252604080842084905551908616927f31e0adfec71bccee37b6e83a90c2fedb17d8f1693fee863c4771e7bfe2aed58091a350505050565b5f546001600160a01b03163314610c615760405163245aecd360e01b8152336004820152602401610427565b610c6a82610fa0565b805f03610c8d57604051630d3f109960e31b815260048101829052602401610427565b5f610c9883836114e0565b60408051828152602081018590529192506001600160a01b038516917f88770dc862e47a7ed586907857eb1b75e4c5ffc8b707c7ee10eb74d6885fe594910160405180910390a2505050565b5f546001600160a01b03163314610d105760405163245aecd360e01b8152336004820152602401610427565b6001600160a01b0383161580610d2d57506001600160a01b038216155b15610d4b5760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b0383165f9081526003602052604090205415610d8c5760405163866b0dcf60e01b81526001600160a01b0384166004820152602401610427565b805f03610daf57604051630d3f109960e31b815260048101829052602401610427565b610db983836110d8565b600280546001810182557f405787fa12a823e0f2b7631cc41b3ba8828b3321ca811111fa75cd3aa3bb5ace0180546001600160a01b0319166001600160a01b03861690811790915590545f9182526003602052604090912055610e1c83826114e0565b50816001600160a01b0316836001600160a01b03167fdcb4af7d57cc106724f816a55242fbe9d45d800af6a574cb2814d7adf23e494083604051610e6291815260200190565b60405180910390a3505050565b5f546001600160a01b03163314610e9b5760405163245aecd360e01b8152336004820152602401610427565b6001600160a01b038116610ec25760405163d92e233d60e01b815260040160405180910390fd5b5f80546040516001600160a01b03808516939216917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e091a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b80545f908015610f615782610f31600183611abf565b81548110610f4157610f41611a97565b5f91825260209091200154600160301b90046001600160d01b0316610f63565b5f5b6001600160d01b03169392505050565b5f81600181610f828688611b28565b610f8c9190611b15565b610f969190611abf565b6106d89190611b53565b6001600160a01b0381165f908152600360205260408120549003610fe25760405163bd62013360e01b81526001600160a01b0382166004820152602401610427565b50565b81544390801580159061102d575065ffffffffffff821684611008600184611abf565b8154811061101857611018611a97565b5f9182526020909120015465ffffffffffff16145b1561108257828461103f600184611abf565b8154811061104f5761104f611a97565b905f5260205f20015f0160066101000a8154816001600160d01b0302191690836001600160d01b031602179055506110d2565b6040805180820190915265ffffffffffff80841682526001600160d01b0380861660208085019182528854600181018a555f8a81529190912094519151909216600160301b029216919091179101555b50505050565b6001600160a01b0381165f9081526006602052604081206110f890610f1b565b90506001600160a01b0381161561113557604051631ae4099960e11b81526001600160a01b03808416600483015282166024820152604401610427565b6001600160a01b038381165f81815260046020908152604080832080546001600160a01b0319169588169586179055938252600690529190912061117891610fe5565b505050565b438110610fe257604051637f07449b60e01b815260048101829052436024820152604401610427565b81545f908082036111ba575f915050610518565b82846111c7600184611abf565b815481106111d7576111d7611a97565b5f9182526020909120015465ffffffffffff161161122f57836111fb600183611abf565b8154811061120b5761120b611a97565b5f91825260209091200154600160301b90046001600160d01b031691506105189050565b5f5b8181101561129a575f60026112468484611b15565b6112509190611b53565b90508486828154811061126557611265611a97565b5f9182526020909120015465ffffffffffff16111561128657809250611294565b611291816001611b15565b91505b50611231565b80156112dc57846112ac600183611abf565b815481106112bc576112bc611a97565b5f91825260209091200154600160301b90046001600160d01b03166112de565b5f5b6001600160d01b031695945050505050565b8115806112fc57508082115b8061130e575067ffffffffffffffff81115b156113365760405163158589c560e11b81526004810183905260248101829052604401610427565b611347600882604085901b17610fe5565b60408051838152602081018390527f6784e9bcb845caaa98267d7b0918f97d3d17f7cb35a05b52010f7eb587a0acb091016105e6565b5f6041821461139f57604051638baa579f60e01b815260040160405180910390fd5b5f6113ad6020828587611b72565b6113b691611b99565b90505f6113c7604060208688611b72565b6113d091611b99565b90505f858560408181106113e6576113e6611a97565b919091013560f81c9150507f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a082118061143257508060ff16601b1415801561143257508060ff16601c14155b1561145057604051638baa579f60e01b815260040160405180910390fd5b604080515f808252602082018084528a905260ff841692820192909252606081018590526080810184905260019060a0016020604051602081039080840390855afa1580156114a1573d5f5f3e3d5ffd5b5050604051601f1901519150506001600160a01b0381166114d557604051638baa579f60e01b815260040160405180910390fd5b979650505050505050565b6001600160a01b0382165f90815260056020526040812061150090610f1b565b90505f828261150f6007610f1b565b6115199190611abf565b6115239190611b15565b90506001600160801b0381111561155057604051630d3f109960e31b815260048101849052602401610427565b6001600160a01b0384165f9081526005602052604090206115719084610fe5565b61157c600782610fe5565b5092915050565b602080825282518282018190525f918401906040840190835b818110156115c35783516001600160a01b031683526020938401939092019160010161159c565b509095945050505050565b80356001600160a01b03811681146115e4575f5ffd5b919050565b5f5f604083850312156115fa575f5ffd5b611603836115ce565b9150611611602084016115ce565b90509250929050565b5f6020828403121561162a575f5ffd5b5035919050565b5f5f60408385031215611642575f5ffd5b61164b836115ce565b946020939093013593505050565b5f5f6020838503121561166a575f5ffd5b823567ffffffffffffffff811115611680575f5ffd5b8301601f81018513611690575f5ffd5b803567ffffffffffffffff8111156116a6575f5ffd5b8560208284010111156116b7575f5ffd5b6020919091019590945092505050565b5f5f604083850312156116d8575f5ffd5b50508035926020909101359150565b5f602082840312156116f7575f5ffd5b610549826115ce565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b5f60608284031215610686575f5ffd5b5f5f60408385031215611756575f5ffd5b823567ffffffffffffffff81111561176c575f5ffd5b61177885828601611735565b925050602083013567ffffffffffffffff811115611794575f5ffd5b6117a085828601611735565b9150509250929050565b5f5f5f606084860312156117bc575f5ffd5b6117c5846115ce565b92506117d3602085016115ce565b929592945050506040919091013590565b634e487b7160e01b5f52604160045260245ffd5b600181811c9082168061180c57607f821691505b60208210810361068657634e487b7160e01b5f52602260045260245ffd5b601f821115611178578282111561117857805f5260205f20601f840160051c602085101561185557505f5b90810190601f840160051c035f5b81811015611878575f83820155600101611863565b505050505050565b67ffffffffffffffff831115611898576118986117e4565b6118ac836118a683546117f8565b8361182a565b5f601f8411600181146118dd575f85156118c65750838201355b5f19600387901b1c1916600186901b178355611934565b5f83815260208120601f198716915b8281101561190c57868501358255602094850194600190920191016118ec565b5086821015611928575f1960f88860031b161c19848701351681555b505060018560011b0183555b5050505050565b81835281816020850137505f828201602090810191909152601f909101601f19169091010190565b602081525f6106d860208301848661193b565b5f5f8335601e1984360301811261198b575f5ffd5b83018035915067ffffffffffffffff8211156119a5575f5ffd5b6020019150600581901b36038213156119bc575f5ffd5b9250929050565b5f602082840312156119d3575f5ffd5b813563ffffffff81168114610549575f5ffd5b602081525f82356bffffffffffffffffffffffff198116808214611a08575f5ffd5b806020850152505060208301356bffffffffffffffffffffffff60a01b8116808214611a32575f5ffd5b80604085015250506040830135601e19843603018112611a50575f5ffd5b830160208101903567ffffffffffffffff811115611a6c575f5ffd5b803603821315611a7a575f5ffd5b606080850152611a8e60808501828461193b565b95945050505050565b634e487b7160e01b5f52603260045260245ffd5b634e487b7160e01b5f52601160045260245ffd5b8181038181111561051857610518611aab565b5f5f8335601e19843603018112611ae7575f5ffd5b83018035915067ffffffffffffffff821115611b01575f5ffd5b6020019150368190038213156119bc575f5ffd5b8082018082111561051857610518611aab565b808202811582820484141761051857610518611aab565b634e487b7160e01b5f52603160045260245ffd5b5f82611b6d57634e487b7160e01b5f52601260045260245ffd5b500490565b5f5f85851115611b80575f5ffd5b83861115611b8c575f5ffd5b5050820193919092039150565b80356020831015610518575f19602084900360031b1b169291505056fea26469706673582212206d04ceecd2bd422ffc30ac94d78da5517ee9f8f79b3777bae38d9c45e46dff0964736f6c63430008250033",
}

// ServiceManager is an auto generated Go binding around an Ethereum contract.
type ServiceManager struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ServiceManager) GetABI() abi.ABI {
	return c.abi
}

// NewServiceManager creates a new instance of ServiceManager.
func NewServiceManager() *ServiceManager {
	parsed, err := ServiceManagerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ServiceManager{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ServiceManager) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackMAXTOTALWEIGHT is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x09a3bbe4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_TOTAL_WEIGHT() view returns(uint256)
func (serviceManager *ServiceManager) PackMAXTOTALWEIGHT() []byte {
	enc, err := serviceManager.abi.Pack("MAX_TOTAL_WEIGHT")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXTOTALWEIGHT is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x09a3bbe4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_TOTAL_WEIGHT() view returns(uint256)
func (serviceManager *ServiceManager) TryPackMAXTOTALWEIGHT() ([]byte, error) {
	return serviceManager.abi.Pack("MAX_TOTAL_WEIGHT")
}

// UnpackMAXTOTALWEIGHT is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x09a3bbe4.
//
// Solidity: function MAX_TOTAL_WEIGHT() view returns(uint256)
func (serviceManager *ServiceManager) UnpackMAXTOTALWEIGHT(data []byte) (*big.Int, error) {
	out, err := serviceManager.abi.Unpack("MAX_TOTAL_WEIGHT", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDeregisterOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd8cf98ca.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deregisterOperator(address operator) returns()
func (serviceManager *ServiceManager) PackDeregisterOperator(operator common.Address) []byte {
	enc, err := serviceManager.abi.Pack("deregisterOperator", operator)
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
func (serviceManager *ServiceManager) TryPackDeregisterOperator(operator common.Address) ([]byte, error) {
	return serviceManager.abi.Pack("deregisterOperator", operator)
}

// PackGetLatestOperatorForSigningKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xac7cbfd9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getLatestOperatorForSigningKey(address signingKey) view returns(address)
func (serviceManager *ServiceManager) PackGetLatestOperatorForSigningKey(signingKey common.Address) []byte {
	enc, err := serviceManager.abi.Pack("getLatestOperatorForSigningKey", signingKey)
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
func (serviceManager *ServiceManager) TryPackGetLatestOperatorForSigningKey(signingKey common.Address) ([]byte, error) {
	return serviceManager.abi.Pack("getLatestOperatorForSigningKey", signingKey)
}

// UnpackGetLatestOperatorForSigningKey is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xac7cbfd9.
//
// Solidity: function getLatestOperatorForSigningKey(address signingKey) view returns(address)
func (serviceManager *ServiceManager) UnpackGetLatestOperatorForSigningKey(data []byte) (common.Address, error) {
	out, err := serviceManager.abi.Unpack("getLatestOperatorForSigningKey", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetLatestOperatorSigningKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa2ce5fd1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getLatestOperatorSigningKey(address operator) view returns(address)
func (serviceManager *ServiceManager) PackGetLatestOperatorSigningKey(operator common.Address) []byte {
	enc, err := serviceManager.abi.Pack("getLatestOperatorSigningKey", operator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetLatestOperatorSigningKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa2ce5fd1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getLatestOperatorSigningKey(address operator) view returns(address)
func (serviceManager *ServiceManager) TryPackGetLatestOperatorSigningKey(operator common.Address) ([]byte, error) {
	return serviceManager.abi.Pack("getLatestOperatorSigningKey", operator)
}

// UnpackGetLatestOperatorSigningKey is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa2ce5fd1.
//
// Solidity: function getLatestOperatorSigningKey(address operator) view returns(address)
func (serviceManager *ServiceManager) UnpackGetLatestOperatorSigningKey(data []byte) (common.Address, error) {
	out, err := serviceManager.abi.Unpack("getLatestOperatorSigningKey", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetOperatorForSigningKeyAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x50b93543.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getOperatorForSigningKeyAt(address signingKey, uint256 blockNumber) view returns(address)
func (serviceManager *ServiceManager) PackGetOperatorForSigningKeyAt(signingKey common.Address, blockNumber *big.Int) []byte {
	enc, err := serviceManager.abi.Pack("getOperatorForSigningKeyAt", signingKey, blockNumber)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetOperatorForSigningKeyAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x50b93543.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getOperatorForSigningKeyAt(address signingKey, uint256 blockNumber) view returns(address)
func (serviceManager *ServiceManager) TryPackGetOperatorForSigningKeyAt(signingKey common.Address, blockNumber *big.Int) ([]byte, error) {
	return serviceManager.abi.Pack("getOperatorForSigningKeyAt", signingKey, blockNumber)
}

// UnpackGetOperatorForSigningKeyAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x50b93543.
//
// Solidity: function getOperatorForSigningKeyAt(address signingKey, uint256 blockNumber) view returns(address)
func (serviceManager *ServiceManager) UnpackGetOperatorForSigningKeyAt(data []byte) (common.Address, error) {
	out, err := serviceManager.abi.Unpack("getOperatorForSigningKeyAt", data)
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
func (serviceManager *ServiceManager) PackGetOperatorWeight(operator common.Address) []byte {
	enc, err := serviceManager.abi.Pack("getOperatorWeight", operator)
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
func (serviceManager *ServiceManager) TryPackGetOperatorWeight(operator common.Address) ([]byte, error) {
	return serviceManager.abi.Pack("getOperatorWeight", operator)
}

// UnpackGetOperatorWeight is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x98ec1ac9.
//
// Solidity: function getOperatorWeight(address operator) view returns(uint256)
func (serviceManager *ServiceManager) UnpackGetOperatorWeight(data []byte) (*big.Int, error) {
	out, err := serviceManager.abi.Unpack("getOperatorWeight", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetOperatorWeightAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x567678e4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getOperatorWeightAt(address operator, uint256 blockNumber) view returns(uint256)
func (serviceManager *ServiceManager) PackGetOperatorWeightAt(operator common.Address, blockNumber *big.Int) []byte {
	enc, err := serviceManager.abi.Pack("getOperatorWeightAt", operator, blockNumber)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetOperatorWeightAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x567678e4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getOperatorWeightAt(address operator, uint256 blockNumber) view returns(uint256)
func (serviceManager *ServiceManager) TryPackGetOperatorWeightAt(operator common.Address, blockNumber *big.Int) ([]byte, error) {
	return serviceManager.abi.Pack("getOperatorWeightAt", operator, blockNumber)
}

// UnpackGetOperatorWeightAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x567678e4.
//
// Solidity: function getOperatorWeightAt(address operator, uint256 blockNumber) view returns(uint256)
func (serviceManager *ServiceManager) UnpackGetOperatorWeightAt(data []byte) (*big.Int, error) {
	out, err := serviceManager.abi.Unpack("getOperatorWeightAt", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetOperators is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x27a099d8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getOperators() view returns(address[])
func (serviceManager *ServiceManager) PackGetOperators() []byte {
	enc, err := serviceManager.abi.Pack("getOperators")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetOperators is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x27a099d8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getOperators() view returns(address[])
func (serviceManager *ServiceManager) TryPackGetOperators() ([]byte, error) {
	return serviceManager.abi.Pack("getOperators")
}

// UnpackGetOperators is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x27a099d8.
//
// Solidity: function getOperators() view returns(address[])
func (serviceManager *ServiceManager) UnpackGetOperators(data []byte) ([]common.Address, error) {
	out, err := serviceManager.abi.Unpack("getOperators", data)
	if err != nil {
		return *new([]common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	return out0, nil
}

// PackGetQuorumAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x85e59ce2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getQuorumAt(uint256 blockNumber) view returns(uint256 numerator, uint256 denominator)
func (serviceManager *ServiceManager) PackGetQuorumAt(blockNumber *big.Int) []byte {
	enc, err := serviceManager.abi.Pack("getQuorumAt", blockNumber)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetQuorumAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x85e59ce2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getQuorumAt(uint256 blockNumber) view returns(uint256 numerator, uint256 denominator)
func (serviceManager *ServiceManager) TryPackGetQuorumAt(blockNumber *big.Int) ([]byte, error) {
	return serviceManager.abi.Pack("getQuorumAt", blockNumber)
}

// GetQuorumAtOutput serves as a container for the return parameters of contract
// method GetQuorumAt.
type GetQuorumAtOutput struct {
	Numerator   *big.Int
	Denominator *big.Int
}

// UnpackGetQuorumAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x85e59ce2.
//
// Solidity: function getQuorumAt(uint256 blockNumber) view returns(uint256 numerator, uint256 denominator)
func (serviceManager *ServiceManager) UnpackGetQuorumAt(data []byte) (GetQuorumAtOutput, error) {
	out, err := serviceManager.abi.Unpack("getQuorumAt", data)
	outstruct := new(GetQuorumAtOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Numerator = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Denominator = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackGetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc922c6a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getServiceURI() view returns(string)
func (serviceManager *ServiceManager) PackGetServiceURI() []byte {
	enc, err := serviceManager.abi.Pack("getServiceURI")
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
func (serviceManager *ServiceManager) TryPackGetServiceURI() ([]byte, error) {
	return serviceManager.abi.Pack("getServiceURI")
}

// UnpackGetServiceURI is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcc922c6a.
//
// Solidity: function getServiceURI() view returns(string)
func (serviceManager *ServiceManager) UnpackGetServiceURI(data []byte) (string, error) {
	out, err := serviceManager.abi.Unpack("getServiceURI", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackGetThresholdWeight is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1abce1a2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getThresholdWeight() view returns(uint256)
func (serviceManager *ServiceManager) PackGetThresholdWeight() []byte {
	enc, err := serviceManager.abi.Pack("getThresholdWeight")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetThresholdWeight is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1abce1a2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getThresholdWeight() view returns(uint256)
func (serviceManager *ServiceManager) TryPackGetThresholdWeight() ([]byte, error) {
	return serviceManager.abi.Pack("getThresholdWeight")
}

// UnpackGetThresholdWeight is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1abce1a2.
//
// Solidity: function getThresholdWeight() view returns(uint256)
func (serviceManager *ServiceManager) UnpackGetThresholdWeight(data []byte) (*big.Int, error) {
	out, err := serviceManager.abi.Unpack("getThresholdWeight", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetThresholdWeightAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcbd38f48.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getThresholdWeightAt(uint256 blockNumber) view returns(uint256)
func (serviceManager *ServiceManager) PackGetThresholdWeightAt(blockNumber *big.Int) []byte {
	enc, err := serviceManager.abi.Pack("getThresholdWeightAt", blockNumber)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetThresholdWeightAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcbd38f48.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getThresholdWeightAt(uint256 blockNumber) view returns(uint256)
func (serviceManager *ServiceManager) TryPackGetThresholdWeightAt(blockNumber *big.Int) ([]byte, error) {
	return serviceManager.abi.Pack("getThresholdWeightAt", blockNumber)
}

// UnpackGetThresholdWeightAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcbd38f48.
//
// Solidity: function getThresholdWeightAt(uint256 blockNumber) view returns(uint256)
func (serviceManager *ServiceManager) UnpackGetThresholdWeightAt(data []byte) (*big.Int, error) {
	out, err := serviceManager.abi.Unpack("getThresholdWeightAt", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetTotalWeight is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06aba0e1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getTotalWeight() view returns(uint256)
func (serviceManager *ServiceManager) PackGetTotalWeight() []byte {
	enc, err := serviceManager.abi.Pack("getTotalWeight")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetTotalWeight is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06aba0e1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getTotalWeight() view returns(uint256)
func (serviceManager *ServiceManager) TryPackGetTotalWeight() ([]byte, error) {
	return serviceManager.abi.Pack("getTotalWeight")
}

// UnpackGetTotalWeight is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06aba0e1.
//
// Solidity: function getTotalWeight() view returns(uint256)
func (serviceManager *ServiceManager) UnpackGetTotalWeight(data []byte) (*big.Int, error) {
	out, err := serviceManager.abi.Unpack("getTotalWeight", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetTotalWeightAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x50735f6f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getTotalWeightAt(uint256 blockNumber) view returns(uint256)
func (serviceManager *ServiceManager) PackGetTotalWeightAt(blockNumber *big.Int) []byte {
	enc, err := serviceManager.abi.Pack("getTotalWeightAt", blockNumber)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetTotalWeightAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x50735f6f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getTotalWeightAt(uint256 blockNumber) view returns(uint256)
func (serviceManager *ServiceManager) TryPackGetTotalWeightAt(blockNumber *big.Int) ([]byte, error) {
	return serviceManager.abi.Pack("getTotalWeightAt", blockNumber)
}

// UnpackGetTotalWeightAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x50735f6f.
//
// Solidity: function getTotalWeightAt(uint256 blockNumber) view returns(uint256)
func (serviceManager *ServiceManager) UnpackGetTotalWeightAt(data []byte) (*big.Int, error) {
	out, err := serviceManager.abi.Unpack("getTotalWeightAt", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (serviceManager *ServiceManager) PackOwner() []byte {
	enc, err := serviceManager.abi.Pack("owner")
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
func (serviceManager *ServiceManager) TryPackOwner() ([]byte, error) {
	return serviceManager.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (serviceManager *ServiceManager) UnpackOwner(data []byte) (common.Address, error) {
	out, err := serviceManager.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackQuorumDenominator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x97c3d334.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function quorumDenominator() view returns(uint256 denominator)
func (serviceManager *ServiceManager) PackQuorumDenominator() []byte {
	enc, err := serviceManager.abi.Pack("quorumDenominator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackQuorumDenominator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x97c3d334.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function quorumDenominator() view returns(uint256 denominator)
func (serviceManager *ServiceManager) TryPackQuorumDenominator() ([]byte, error) {
	return serviceManager.abi.Pack("quorumDenominator")
}

// UnpackQuorumDenominator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x97c3d334.
//
// Solidity: function quorumDenominator() view returns(uint256 denominator)
func (serviceManager *ServiceManager) UnpackQuorumDenominator(data []byte) (*big.Int, error) {
	out, err := serviceManager.abi.Unpack("quorumDenominator", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackQuorumNumerator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa7713a70.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function quorumNumerator() view returns(uint256 numerator)
func (serviceManager *ServiceManager) PackQuorumNumerator() []byte {
	enc, err := serviceManager.abi.Pack("quorumNumerator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackQuorumNumerator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa7713a70.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function quorumNumerator() view returns(uint256 numerator)
func (serviceManager *ServiceManager) TryPackQuorumNumerator() ([]byte, error) {
	return serviceManager.abi.Pack("quorumNumerator")
}

// UnpackQuorumNumerator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa7713a70.
//
// Solidity: function quorumNumerator() view returns(uint256 numerator)
func (serviceManager *ServiceManager) UnpackQuorumNumerator(data []byte) (*big.Int, error) {
	out, err := serviceManager.abi.Unpack("quorumNumerator", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRegisterOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe9960dfd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerOperator(address operator, address signingKey, uint256 weight) returns()
func (serviceManager *ServiceManager) PackRegisterOperator(operator common.Address, signingKey common.Address, weight *big.Int) []byte {
	enc, err := serviceManager.abi.Pack("registerOperator", operator, signingKey, weight)
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
func (serviceManager *ServiceManager) TryPackRegisterOperator(operator common.Address, signingKey common.Address, weight *big.Int) ([]byte, error) {
	return serviceManager.abi.Pack("registerOperator", operator, signingKey, weight)
}

// PackSetQuorum is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7a3d5468.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setQuorum(uint256 numerator, uint256 denominator) returns()
func (serviceManager *ServiceManager) PackSetQuorum(numerator *big.Int, denominator *big.Int) []byte {
	enc, err := serviceManager.abi.Pack("setQuorum", numerator, denominator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetQuorum is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7a3d5468.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setQuorum(uint256 numerator, uint256 denominator) returns()
func (serviceManager *ServiceManager) TryPackSetQuorum(numerator *big.Int, denominator *big.Int) ([]byte, error) {
	return serviceManager.abi.Pack("setQuorum", numerator, denominator)
}

// PackSetServiceURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5f11301b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setServiceURI(string serviceURI) returns()
func (serviceManager *ServiceManager) PackSetServiceURI(serviceURI string) []byte {
	enc, err := serviceManager.abi.Pack("setServiceURI", serviceURI)
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
func (serviceManager *ServiceManager) TryPackSetServiceURI(serviceURI string) ([]byte, error) {
	return serviceManager.abi.Pack("setServiceURI", serviceURI)
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (serviceManager *ServiceManager) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := serviceManager.abi.Pack("transferOwnership", newOwner)
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
func (serviceManager *ServiceManager) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return serviceManager.abi.Pack("transferOwnership", newOwner)
}

// PackUpdateOperatorSigningKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x41d8cb91.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateOperatorSigningKey(address operator, address signingKey) returns()
func (serviceManager *ServiceManager) PackUpdateOperatorSigningKey(operator common.Address, signingKey common.Address) []byte {
	enc, err := serviceManager.abi.Pack("updateOperatorSigningKey", operator, signingKey)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateOperatorSigningKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x41d8cb91.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateOperatorSigningKey(address operator, address signingKey) returns()
func (serviceManager *ServiceManager) TryPackUpdateOperatorSigningKey(operator common.Address, signingKey common.Address) ([]byte, error) {
	return serviceManager.abi.Pack("updateOperatorSigningKey", operator, signingKey)
}

// PackUpdateOperatorWeight is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdec24b18.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateOperatorWeight(address operator, uint256 weight) returns()
func (serviceManager *ServiceManager) PackUpdateOperatorWeight(operator common.Address, weight *big.Int) []byte {
	enc, err := serviceManager.abi.Pack("updateOperatorWeight", operator, weight)
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
func (serviceManager *ServiceManager) TryPackUpdateOperatorWeight(operator common.Address, weight *big.Int) ([]byte, error) {
	return serviceManager.abi.Pack("updateOperatorWeight", operator, weight)
}

// PackValidate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcd71589e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function validate((bytes20,bytes12,bytes) envelope, (address[],bytes[],uint32) signatureData) view returns()
func (serviceManager *ServiceManager) PackValidate(envelope ServiceManagerEnvelope, signatureData ServiceManagerSignatureData) []byte {
	enc, err := serviceManager.abi.Pack("validate", envelope, signatureData)
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
func (serviceManager *ServiceManager) TryPackValidate(envelope ServiceManagerEnvelope, signatureData ServiceManagerSignatureData) ([]byte, error) {
	return serviceManager.abi.Pack("validate", envelope, signatureData)
}

// ServiceManagerOperatorDeregistered represents a OperatorDeregistered event raised by the ServiceManager contract.
type ServiceManagerOperatorDeregistered struct {
	Operator   common.Address
	SigningKey common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const ServiceManagerOperatorDeregisteredEventName = "OperatorDeregistered"

// ContractEventName returns the user-defined event name.
func (ServiceManagerOperatorDeregistered) ContractEventName() string {
	return ServiceManagerOperatorDeregisteredEventName
}

// UnpackOperatorDeregisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OperatorDeregistered(address indexed operator, address indexed signingKey)
func (serviceManager *ServiceManager) UnpackOperatorDeregisteredEvent(log *types.Log) (*ServiceManagerOperatorDeregistered, error) {
	event := "OperatorDeregistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != serviceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ServiceManagerOperatorDeregistered)
	if len(log.Data) > 0 {
		if err := serviceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range serviceManager.abi.Events[event].Inputs {
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

// ServiceManagerOperatorRegistered represents a OperatorRegistered event raised by the ServiceManager contract.
type ServiceManagerOperatorRegistered struct {
	Operator   common.Address
	SigningKey common.Address
	Weight     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const ServiceManagerOperatorRegisteredEventName = "OperatorRegistered"

// ContractEventName returns the user-defined event name.
func (ServiceManagerOperatorRegistered) ContractEventName() string {
	return ServiceManagerOperatorRegisteredEventName
}

// UnpackOperatorRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OperatorRegistered(address indexed operator, address indexed signingKey, uint256 weight)
func (serviceManager *ServiceManager) UnpackOperatorRegisteredEvent(log *types.Log) (*ServiceManagerOperatorRegistered, error) {
	event := "OperatorRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != serviceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ServiceManagerOperatorRegistered)
	if len(log.Data) > 0 {
		if err := serviceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range serviceManager.abi.Events[event].Inputs {
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

// ServiceManagerOperatorSigningKeyUpdated represents a OperatorSigningKeyUpdated event raised by the ServiceManager contract.
type ServiceManagerOperatorSigningKeyUpdated struct {
	Operator      common.Address
	OldSigningKey common.Address
	NewSigningKey common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const ServiceManagerOperatorSigningKeyUpdatedEventName = "OperatorSigningKeyUpdated"

// ContractEventName returns the user-defined event name.
func (ServiceManagerOperatorSigningKeyUpdated) ContractEventName() string {
	return ServiceManagerOperatorSigningKeyUpdatedEventName
}

// UnpackOperatorSigningKeyUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OperatorSigningKeyUpdated(address indexed operator, address indexed oldSigningKey, address indexed newSigningKey)
func (serviceManager *ServiceManager) UnpackOperatorSigningKeyUpdatedEvent(log *types.Log) (*ServiceManagerOperatorSigningKeyUpdated, error) {
	event := "OperatorSigningKeyUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != serviceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ServiceManagerOperatorSigningKeyUpdated)
	if len(log.Data) > 0 {
		if err := serviceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range serviceManager.abi.Events[event].Inputs {
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

// ServiceManagerOperatorWeightUpdated represents a OperatorWeightUpdated event raised by the ServiceManager contract.
type ServiceManagerOperatorWeightUpdated struct {
	Operator  common.Address
	OldWeight *big.Int
	NewWeight *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const ServiceManagerOperatorWeightUpdatedEventName = "OperatorWeightUpdated"

// ContractEventName returns the user-defined event name.
func (ServiceManagerOperatorWeightUpdated) ContractEventName() string {
	return ServiceManagerOperatorWeightUpdatedEventName
}

// UnpackOperatorWeightUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OperatorWeightUpdated(address indexed operator, uint256 oldWeight, uint256 newWeight)
func (serviceManager *ServiceManager) UnpackOperatorWeightUpdatedEvent(log *types.Log) (*ServiceManagerOperatorWeightUpdated, error) {
	event := "OperatorWeightUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != serviceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ServiceManagerOperatorWeightUpdated)
	if len(log.Data) > 0 {
		if err := serviceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range serviceManager.abi.Events[event].Inputs {
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

// ServiceManagerOwnershipTransferred represents a OwnershipTransferred event raised by the ServiceManager contract.
type ServiceManagerOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const ServiceManagerOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (ServiceManagerOwnershipTransferred) ContractEventName() string {
	return ServiceManagerOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (serviceManager *ServiceManager) UnpackOwnershipTransferredEvent(log *types.Log) (*ServiceManagerOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != serviceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ServiceManagerOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := serviceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range serviceManager.abi.Events[event].Inputs {
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

// ServiceManagerQuorumUpdated represents a QuorumUpdated event raised by the ServiceManager contract.
type ServiceManagerQuorumUpdated struct {
	Numerator   *big.Int
	Denominator *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const ServiceManagerQuorumUpdatedEventName = "QuorumUpdated"

// ContractEventName returns the user-defined event name.
func (ServiceManagerQuorumUpdated) ContractEventName() string {
	return ServiceManagerQuorumUpdatedEventName
}

// UnpackQuorumUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event QuorumUpdated(uint256 numerator, uint256 denominator)
func (serviceManager *ServiceManager) UnpackQuorumUpdatedEvent(log *types.Log) (*ServiceManagerQuorumUpdated, error) {
	event := "QuorumUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != serviceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ServiceManagerQuorumUpdated)
	if len(log.Data) > 0 {
		if err := serviceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range serviceManager.abi.Events[event].Inputs {
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

// ServiceManagerServiceURIUpdated represents a ServiceURIUpdated event raised by the ServiceManager contract.
type ServiceManagerServiceURIUpdated struct {
	ServiceURI string
	Raw        *types.Log // Blockchain specific contextual infos
}

const ServiceManagerServiceURIUpdatedEventName = "ServiceURIUpdated"

// ContractEventName returns the user-defined event name.
func (ServiceManagerServiceURIUpdated) ContractEventName() string {
	return ServiceManagerServiceURIUpdatedEventName
}

// UnpackServiceURIUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ServiceURIUpdated(string serviceURI)
func (serviceManager *ServiceManager) UnpackServiceURIUpdatedEvent(log *types.Log) (*ServiceManagerServiceURIUpdated, error) {
	event := "ServiceURIUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != serviceManager.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ServiceManagerServiceURIUpdated)
	if len(log.Data) > 0 {
		if err := serviceManager.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range serviceManager.abi.Events[event].Inputs {
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
func (serviceManager *ServiceManager) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["FutureLookup"].ID.Bytes()[:4]) {
		return serviceManager.UnpackFutureLookupError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["InsufficientQuorum"].ID.Bytes()[:4]) {
		return serviceManager.UnpackInsufficientQuorumError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["InvalidQuorum"].ID.Bytes()[:4]) {
		return serviceManager.UnpackInvalidQuorumError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return serviceManager.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["InvalidSignatureBlock"].ID.Bytes()[:4]) {
		return serviceManager.UnpackInvalidSignatureBlockError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["InvalidSignatureLength"].ID.Bytes()[:4]) {
		return serviceManager.UnpackInvalidSignatureLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["InvalidSignatureOrder"].ID.Bytes()[:4]) {
		return serviceManager.UnpackInvalidSignatureOrderError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["InvalidSigner"].ID.Bytes()[:4]) {
		return serviceManager.UnpackInvalidSignerError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["InvalidWeight"].ID.Bytes()[:4]) {
		return serviceManager.UnpackInvalidWeightError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return serviceManager.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["OperatorAlreadyRegistered"].ID.Bytes()[:4]) {
		return serviceManager.UnpackOperatorAlreadyRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["OperatorNotRegistered"].ID.Bytes()[:4]) {
		return serviceManager.UnpackOperatorNotRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["SigningKeyInUse"].ID.Bytes()[:4]) {
		return serviceManager.UnpackSigningKeyInUseError(raw[4:])
	}
	if bytes.Equal(raw[:4], serviceManager.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return serviceManager.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// ServiceManagerFutureLookup represents a FutureLookup error raised by the ServiceManager contract.
type ServiceManagerFutureLookup struct {
	BlockNumber  *big.Int
	CurrentBlock *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error FutureLookup(uint256 blockNumber, uint256 currentBlock)
func ServiceManagerFutureLookupErrorID() common.Hash {
	return common.HexToHash("0x7f07449b3b3a44142945a73fcdeff3a3bb02d9688659424b3db7f27f9003814b")
}

// UnpackFutureLookupError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error FutureLookup(uint256 blockNumber, uint256 currentBlock)
func (serviceManager *ServiceManager) UnpackFutureLookupError(raw []byte) (*ServiceManagerFutureLookup, error) {
	out := new(ServiceManagerFutureLookup)
	if err := serviceManager.abi.UnpackIntoInterface(out, "FutureLookup", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerInsufficientQuorum represents a InsufficientQuorum error raised by the ServiceManager contract.
type ServiceManagerInsufficientQuorum struct {
	SignerWeight    *big.Int
	ThresholdWeight *big.Int
	TotalWeight     *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientQuorum(uint256 signerWeight, uint256 thresholdWeight, uint256 totalWeight)
func ServiceManagerInsufficientQuorumErrorID() common.Hash {
	return common.HexToHash("0x86b1609168b610e519d7243268419b5971873578531d87e7310456557fa8d053")
}

// UnpackInsufficientQuorumError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientQuorum(uint256 signerWeight, uint256 thresholdWeight, uint256 totalWeight)
func (serviceManager *ServiceManager) UnpackInsufficientQuorumError(raw []byte) (*ServiceManagerInsufficientQuorum, error) {
	out := new(ServiceManagerInsufficientQuorum)
	if err := serviceManager.abi.UnpackIntoInterface(out, "InsufficientQuorum", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerInvalidQuorum represents a InvalidQuorum error raised by the ServiceManager contract.
type ServiceManagerInvalidQuorum struct {
	Numerator   *big.Int
	Denominator *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidQuorum(uint256 numerator, uint256 denominator)
func ServiceManagerInvalidQuorumErrorID() common.Hash {
	return common.HexToHash("0x2b0b138a64912ef2e139663172a155809b9933260a484efa5dda674b8e1112d2")
}

// UnpackInvalidQuorumError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidQuorum(uint256 numerator, uint256 denominator)
func (serviceManager *ServiceManager) UnpackInvalidQuorumError(raw []byte) (*ServiceManagerInvalidQuorum, error) {
	out := new(ServiceManagerInvalidQuorum)
	if err := serviceManager.abi.UnpackIntoInterface(out, "InvalidQuorum", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerInvalidSignature represents a InvalidSignature error raised by the ServiceManager contract.
type ServiceManagerInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func ServiceManagerInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (serviceManager *ServiceManager) UnpackInvalidSignatureError(raw []byte) (*ServiceManagerInvalidSignature, error) {
	out := new(ServiceManagerInvalidSignature)
	if err := serviceManager.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerInvalidSignatureBlock represents a InvalidSignatureBlock error raised by the ServiceManager contract.
type ServiceManagerInvalidSignatureBlock struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignatureBlock()
func ServiceManagerInvalidSignatureBlockErrorID() common.Hash {
	return common.HexToHash("0x898deb1dfdced0cda2b6a0b53f6338190f95ccc7f37f426b680571272cc764a8")
}

// UnpackInvalidSignatureBlockError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignatureBlock()
func (serviceManager *ServiceManager) UnpackInvalidSignatureBlockError(raw []byte) (*ServiceManagerInvalidSignatureBlock, error) {
	out := new(ServiceManagerInvalidSignatureBlock)
	if err := serviceManager.abi.UnpackIntoInterface(out, "InvalidSignatureBlock", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerInvalidSignatureLength represents a InvalidSignatureLength error raised by the ServiceManager contract.
type ServiceManagerInvalidSignatureLength struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignatureLength()
func ServiceManagerInvalidSignatureLengthErrorID() common.Hash {
	return common.HexToHash("0x4be6321b1c5c52e8bf12be29c94fdc79660cce8a7886a11425ece4c2331dafa7")
}

// UnpackInvalidSignatureLengthError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignatureLength()
func (serviceManager *ServiceManager) UnpackInvalidSignatureLengthError(raw []byte) (*ServiceManagerInvalidSignatureLength, error) {
	out := new(ServiceManagerInvalidSignatureLength)
	if err := serviceManager.abi.UnpackIntoInterface(out, "InvalidSignatureLength", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerInvalidSignatureOrder represents a InvalidSignatureOrder error raised by the ServiceManager contract.
type ServiceManagerInvalidSignatureOrder struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignatureOrder()
func ServiceManagerInvalidSignatureOrderErrorID() common.Hash {
	return common.HexToHash("0x139f3c92ecbf82caa33386e2a893044581ddb46444e9ad8e5fc0423ce343a8d5")
}

// UnpackInvalidSignatureOrderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignatureOrder()
func (serviceManager *ServiceManager) UnpackInvalidSignatureOrderError(raw []byte) (*ServiceManagerInvalidSignatureOrder, error) {
	out := new(ServiceManagerInvalidSignatureOrder)
	if err := serviceManager.abi.UnpackIntoInterface(out, "InvalidSignatureOrder", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerInvalidSigner represents a InvalidSigner error raised by the ServiceManager contract.
type ServiceManagerInvalidSigner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSigner()
func ServiceManagerInvalidSignerErrorID() common.Hash {
	return common.HexToHash("0x815e1d64efb74fbe314c20a2b8a2335d18bce12a19165e447fa36bcb35959528")
}

// UnpackInvalidSignerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSigner()
func (serviceManager *ServiceManager) UnpackInvalidSignerError(raw []byte) (*ServiceManagerInvalidSigner, error) {
	out := new(ServiceManagerInvalidSigner)
	if err := serviceManager.abi.UnpackIntoInterface(out, "InvalidSigner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerInvalidWeight represents a InvalidWeight error raised by the ServiceManager contract.
type ServiceManagerInvalidWeight struct {
	Weight *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidWeight(uint256 weight)
func ServiceManagerInvalidWeightErrorID() common.Hash {
	return common.HexToHash("0x69f884c816f08da1fe7b099dda8f46d425a7b4fa719e5b8091c4967a49a6d93f")
}

// UnpackInvalidWeightError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidWeight(uint256 weight)
func (serviceManager *ServiceManager) UnpackInvalidWeightError(raw []byte) (*ServiceManagerInvalidWeight, error) {
	out := new(ServiceManagerInvalidWeight)
	if err := serviceManager.abi.UnpackIntoInterface(out, "InvalidWeight", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerNotOwner represents a NotOwner error raised by the ServiceManager contract.
type ServiceManagerNotOwner struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner(address caller)
func ServiceManagerNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x245aecd3fabbd17d6c3c92dc7f0ab916ea8cbf6fc1862c8b56893090ac3fff4c")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner(address caller)
func (serviceManager *ServiceManager) UnpackNotOwnerError(raw []byte) (*ServiceManagerNotOwner, error) {
	out := new(ServiceManagerNotOwner)
	if err := serviceManager.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerOperatorAlreadyRegistered represents a OperatorAlreadyRegistered error raised by the ServiceManager contract.
type ServiceManagerOperatorAlreadyRegistered struct {
	Operator common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OperatorAlreadyRegistered(address operator)
func ServiceManagerOperatorAlreadyRegisteredErrorID() common.Hash {
	return common.HexToHash("0x866b0dcfbdccbaea4b156b85087ed83b0f84b0efe2354deabde4ae47f1506107")
}

// UnpackOperatorAlreadyRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OperatorAlreadyRegistered(address operator)
func (serviceManager *ServiceManager) UnpackOperatorAlreadyRegisteredError(raw []byte) (*ServiceManagerOperatorAlreadyRegistered, error) {
	out := new(ServiceManagerOperatorAlreadyRegistered)
	if err := serviceManager.abi.UnpackIntoInterface(out, "OperatorAlreadyRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerOperatorNotRegistered represents a OperatorNotRegistered error raised by the ServiceManager contract.
type ServiceManagerOperatorNotRegistered struct {
	Operator common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OperatorNotRegistered(address operator)
func ServiceManagerOperatorNotRegisteredErrorID() common.Hash {
	return common.HexToHash("0xbd620133456739f24e9007207e9d2a5a7f533ceae442e1960f88df7284be155a")
}

// UnpackOperatorNotRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OperatorNotRegistered(address operator)
func (serviceManager *ServiceManager) UnpackOperatorNotRegisteredError(raw []byte) (*ServiceManagerOperatorNotRegistered, error) {
	out := new(ServiceManagerOperatorNotRegistered)
	if err := serviceManager.abi.UnpackIntoInterface(out, "OperatorNotRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerSigningKeyInUse represents a SigningKeyInUse error raised by the ServiceManager contract.
type ServiceManagerSigningKeyInUse struct {
	SigningKey common.Address
	Operator   common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SigningKeyInUse(address signingKey, address operator)
func ServiceManagerSigningKeyInUseErrorID() common.Hash {
	return common.HexToHash("0x35c813323889a37c800c4cf0f6cd0755a5bd90fcd5cd04e8bc7be73163b4f429")
}

// UnpackSigningKeyInUseError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SigningKeyInUse(address signingKey, address operator)
func (serviceManager *ServiceManager) UnpackSigningKeyInUseError(raw []byte) (*ServiceManagerSigningKeyInUse, error) {
	out := new(ServiceManagerSigningKeyInUse)
	if err := serviceManager.abi.UnpackIntoInterface(out, "SigningKeyInUse", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ServiceManagerZeroAddress represents a ZeroAddress error raised by the ServiceManager contract.
type ServiceManagerZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func ServiceManagerZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (serviceManager *ServiceManager) UnpackZeroAddressError(raw []byte) (*ServiceManagerZeroAddress, error) {
	out := new(ServiceManagerZeroAddress)
	if err := serviceManager.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}
