package deploy

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/wavs-go/wavs/contracts/bindings"
)

// DeployWAVS deploys the wavs pair and waits for it: PoaServiceManager,
// an UpgradeableProxy to it whose admin and manager owner is s.From(),
// initialized with o's threshold weight (nil: 0) and quorum (both zero:
// 2/3), ExampleHandler bound to the proxy, and SimpleTrigger. It registers
// no operator and sets no service URI (Configure does; o.Pair is not
// looked at).
func DeployWAVS(ctx context.Context, s *Sender, o Options) (Addresses, error) {
	o.Pair = PairWAVS
	if err := o.Validate(); err != nil {
		return Addresses{}, err
	}
	threshold := o.ThresholdWeight
	if threshold == nil {
		threshold = new(big.Int)
	}
	num, den := o.quorum()
	a := Addresses{Pair: PairWAVS}
	// The proxy's constructor checks the implementation's code and runs
	// initialize on it, so the implementation must exist before the
	// proxy's gas is estimated: two rounds.
	first := []creation{
		{"deploy PoaServiceManager", &bindings.PoaServiceManagerMetaData, func() []byte { return nil }, &a.ServiceManagerImplementation},
		{"deploy SimpleTrigger", &bindings.SimpleTriggerMetaData, func() []byte { return nil }, &a.SimpleTrigger},
	}
	if err := create(ctx, s, first); err != nil {
		return Addresses{}, err
	}
	init := bindings.NewPoaServiceManager().PackInitialize(s.From(), threshold, num, den)
	second := []creation{
		{"deploy UpgradeableProxy", &bindings.UpgradeableProxyMetaData, func() []byte {
			return bindings.NewUpgradeableProxy().PackConstructor(a.ServiceManagerImplementation, s.From(), init)
		}, &a.ServiceManager},
		// The handler's constructor only stores the proxy's address.
		{"deploy ExampleHandler", &bindings.ExampleHandlerMetaData, func() []byte {
			return bindings.NewExampleHandler().PackConstructor(a.ServiceManager)
		}, &a.ServiceHandler},
	}
	if err := create(ctx, s, second); err != nil {
		return Addresses{}, err
	}
	return a, nil
}

// dataWithIDArgs is abi.encode's view of ExampleHandler.DataWithId: ONE
// tuple argument (starting with the 0x20 offset word).
var dataWithIDArgs = func() abi.Arguments {
	t, err := abi.NewType("tuple", "struct ExampleHandler.DataWithId", []abi.ArgumentMarshaling{
		{Name: "triggerId", Type: "uint64"},
		{Name: "data", Type: "bytes"},
	})
	if err != nil {
		panic("deploy: DataWithId ABI type: " + err.Error()) // constant input
	}
	return abi.Arguments{{Name: "dataWithId", Type: t}}
}()

// dataWithID has the field names accounts/abi gives the tuple.
type dataWithID struct {
	TriggerId uint64
	Data      []byte
}

// EncodeDataWithID returns abi.encode(DataWithId{triggerId, data}): the
// payload ExampleHandler (like WAVS's SimpleSubmit) takes.
func EncodeDataWithID(triggerID uint64, data []byte) []byte {
	if data == nil {
		data = []byte{}
	}
	b, err := dataWithIDArgs.Pack(dataWithID{TriggerId: triggerID, Data: data})
	if err != nil {
		panic("deploy: encode DataWithId: " + err.Error()) // the fields match the tuple
	}
	return b
}

// DecodeDataWithID decodes an ExampleHandler payload.
func DecodeDataWithID(payload []byte) (triggerID uint64, data []byte, err error) {
	out, err := dataWithIDArgs.Unpack(payload)
	if err != nil {
		return 0, nil, fmt.Errorf("deploy: decode DataWithId: %w", err)
	}
	v, ok := abi.ConvertType(out[0], new(dataWithID)).(*dataWithID)
	if !ok {
		return 0, nil, fmt.Errorf("deploy: decode DataWithId: unexpected %T", out[0])
	}
	return v.TriggerId, v.Data, nil
}

// ERC-1967 storage slots of UpgradeableProxy.
var (
	// ImplementationSlot is bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1).
	ImplementationSlot = common.HexToHash("0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc")
	// AdminSlot is bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1).
	AdminSlot = common.HexToHash("0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103")
)
