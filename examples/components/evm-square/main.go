// Command evm-square is the demo's component: it reads the NewTrigger
// event of contracts/src/SimpleTrigger.sol, takes the number the trigger
// carries (decimal text or a 32-byte uint256) and returns its square as a
// 32-byte big-endian uint256, ready for abi.decode(payload, (uint256)).
// Fired by a block_interval trigger, it squares the block's number; by
// a cron trigger, the tick's unix second.
//
// With the config var payload = "data_with_id" it answers the way WAVS's
// example handler reads its payloads instead: abi.encode(DataWithId{uint64
// triggerId; bytes data}), the trigger's id with the 32-byte square as
// data (trigger id 0 for raw input).
//
// It builds as a reactor (as the Makefile builds it; the node snapshots it
// after initialisation, so a trigger does not pay the Go runtime's
// start-up) or as a command:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o evm-square.wasm ./examples/components/evm-square
//	GOOS=wasip1 GOARCH=wasm go build -o evm-square.wasm ./examples/components/evm-square
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/wavs-go/wavs/sdk/component"
)

// The handler, for a reactor build (whose main does not run).
func init() { component.Handle(handle) }

// main runs only in a command build.
func main() { component.Run(handle) }

// Payload formats, chosen by the config var "payload".
const (
	formatUint256    = "uint256"
	formatDataWithID = "data_with_id"
)

func handle(_ context.Context, in component.Input) ([]component.Response, error) {
	format := in.Config["payload"]
	switch format {
	case "":
		format = formatUint256
	case formatUint256, formatDataWithID:
	default:
		return nil, fmt.Errorf("evm-square: config payload = %q: want %q or %q", format, formatUint256, formatDataWithID)
	}
	var data []byte
	var triggerID uint64
	switch t := in.Trigger; {
	case t.EvmLog != nil:
		id, creator, d, err := decodeNewTrigger(t.EvmLog.Data)
		if err != nil {
			return nil, fmt.Errorf("evm-square: %w", err)
		}
		component.Logf(component.LevelInfo, "trigger %d from 0x%x", id, creator)
		data, triggerID = d, id
	case t.Block != nil:
		// A block_interval firing: the block's number is the number, and
		// the trigger id of a DataWithId.
		data, triggerID = new(big.Int).SetUint64(t.Block.BlockNumber).FillBytes(make([]byte, 32)), t.Block.BlockNumber
	case t.Cron != nil && t.Cron.UnixNano >= 0:
		// The tick's unix second, the same for every operator.
		sec := uint64(t.Cron.UnixNano / 1e9)
		data, triggerID = new(big.Int).SetUint64(sec).FillBytes(make([]byte, 32)), sec
	case t.Raw != nil:
		data = t.Raw
	default:
		return nil, errors.New("evm-square: want an EVM log, a block, a cron tick (or raw data for wavs exec)")
	}
	n, err := number(data)
	if err != nil {
		return nil, fmt.Errorf("evm-square: %w", err)
	}
	sq := new(big.Int).Mul(n, n)
	if sq.BitLen() > 256 {
		return nil, errors.New("evm-square: the square does not fit in a uint256")
	}
	square := sq.FillBytes(make([]byte, 32))
	if format == formatDataWithID {
		return []component.Response{{Payload: encodeDataWithID(triggerID, square)}}, nil
	}
	return []component.Response{{Payload: square}}, nil
}

// encodeDataWithID is abi.encode(DataWithId{uint64 triggerId; bytes data}):
// one dynamic tuple, so an offset word first.
func encodeDataWithID(id uint64, data []byte) []byte {
	padded := (len(data) + 31) / 32 * 32
	out := make([]byte, 32*4+padded)
	out[31] = 0x20                                                // the tuple's offset
	binary.BigEndian.PutUint64(out[32+24:64], id)                 // triggerId
	out[64+31] = 0x40                                             // data's offset in the tuple
	binary.BigEndian.PutUint64(out[96+24:128], uint64(len(data))) // data's length
	copy(out[128:], data)
	return out
}

// number reads decimal text or a 32-byte big-endian uint256.
func number(b []byte) (*big.Int, error) {
	if len(b) == 32 {
		return new(big.Int).SetBytes(b), nil
	}
	s := strings.TrimSpace(string(b))
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.Sign() < 0 || n.BitLen() > 256 {
		return nil, fmt.Errorf("trigger data %q is not a non-negative decimal number or a 32-byte uint256", s)
	}
	return n, nil
}

// decodeNewTrigger reads NewTrigger(bytes triggerData)'s log data:
// abi.encode(bytes) around abi.encode((uint64 triggerId, address creator,
// bytes data)).
func decodeNewTrigger(logData []byte) (id uint64, creator [20]byte, data []byte, err error) {
	outer, err := abiBytes(logData, 0)
	if err != nil {
		return 0, creator, nil, fmt.Errorf("NewTrigger data: %w", err)
	}
	// A dynamic tuple: its head starts at the offset in word 0.
	start, err := word(outer, 0)
	if err != nil || start > uint64(len(outer)) {
		return 0, creator, nil, errors.New("NewTrigger data: bad tuple offset")
	}
	tuple := outer[start:]
	idWord, err1 := word(tuple, 0)
	if err1 != nil || len(tuple) < 64 {
		return 0, creator, nil, errors.New("NewTrigger data: short tuple")
	}
	copy(creator[:], tuple[32+12:64])
	data, err = abiBytes(tuple, 64)
	if err != nil {
		return 0, creator, nil, fmt.Errorf("NewTrigger data: data: %w", err)
	}
	return idWord, creator, data, nil
}

// word reads the 32-byte word at byte offset off as a uint64 (the high
// bytes must be zero).
func word(b []byte, off int) (uint64, error) {
	if off < 0 || off+32 > len(b) {
		return 0, errors.New("out of range")
	}
	for _, x := range b[off : off+24] {
		if x != 0 {
			return 0, errors.New("value too large")
		}
	}
	return binary.BigEndian.Uint64(b[off+24 : off+32]), nil
}

// abiBytes reads a dynamic bytes value whose offset is in the word at
// headOff, relative to the start of b.
func abiBytes(b []byte, headOff int) ([]byte, error) {
	off, err := word(b, headOff)
	if err != nil {
		return nil, err
	}
	n, err := word(b, int(off))
	if err != nil || off > uint64(len(b)) {
		return nil, errors.New("bad offset")
	}
	end := off + 32 + n
	if n > uint64(len(b)) || end > uint64(len(b)) {
		return nil, errors.New("length out of range")
	}
	return b[off+32 : end], nil
}
