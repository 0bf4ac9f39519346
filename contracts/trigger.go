package contracts

import (
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// TriggerInfo is what SimpleTrigger's NewTrigger(bytes triggerData) event
// carries: triggerData = abi.encode(TriggerInfo), one dynamic tuple.
type TriggerInfo struct {
	TriggerID uint64         `abi:"triggerId"`
	Creator   common.Address `abi:"creator"`
	Data      []byte         `abi:"data"`
}

// triggerInfoArgs is abi.encode's view of TriggerInfo: ONE tuple argument
// (starting with the 0x20 offset word), not three flat ones.
var triggerInfoArgs = func() abi.Arguments {
	t, err := abi.NewType("tuple", "struct SimpleTrigger.TriggerInfo", []abi.ArgumentMarshaling{
		{Name: "triggerId", Type: "uint64"},
		{Name: "creator", Type: "address"},
		{Name: "data", Type: "bytes"},
	})
	if err != nil {
		panic("contracts: TriggerInfo ABI type: " + err.Error()) // constant input
	}
	return abi.Arguments{{Name: "info", Type: t}}
}()

// DecodeTriggerInfo decodes the triggerData of a NewTrigger event.
func DecodeTriggerInfo(triggerData []byte) (TriggerInfo, error) {
	out, err := triggerInfoArgs.Unpack(triggerData)
	if err != nil {
		return TriggerInfo{}, fmt.Errorf("contracts: decode trigger info: %w", err)
	}
	// Unpack gives an anonymous struct with abi's field names; a struct
	// with the same names and types converts to it.
	v, ok := abi.ConvertType(out[0], new(triggerInfoFields)).(*triggerInfoFields)
	if !ok {
		return TriggerInfo{}, fmt.Errorf("contracts: decode trigger info: unexpected %T", out[0])
	}
	return TriggerInfo{TriggerID: v.TriggerId, Creator: v.Creator, Data: v.Data}, nil
}

// triggerInfoFields has the field names accounts/abi gives the tuple.
type triggerInfoFields struct {
	TriggerId uint64
	Creator   common.Address
	Data      []byte
}

// EncodeTriggerInfo returns abi.encode(info) as SimpleTrigger emits it.
func EncodeTriggerInfo(info TriggerInfo) []byte {
	if info.Data == nil {
		info.Data = []byte{}
	}
	b, err := triggerInfoArgs.Pack(info)
	if err != nil {
		// The Go fields match the tuple's types one for one.
		panic("contracts: encode trigger info: " + err.Error())
	}
	return b
}
