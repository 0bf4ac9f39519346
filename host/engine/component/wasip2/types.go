package wasip2

import (
	"fmt"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// The WASI 0.2 types shared by several interfaces, written from the WIT of
// WebAssembly/wasi-{io,clocks,filesystem} (their field, case and label
// order is the ABI).
var (
	tU8List = cabi.ListOf(cabi.U8())

	// wasi:io/streams stream-error.
	tStreamError = cabi.VariantOf(
		cabi.Case{Name: "last-operation-failed", Type: cabi.Own("error")},
		cabi.Case{Name: "closed"},
	)
	// wasi:clocks/wall-clock datetime.
	tDatetime = cabi.RecordOf(
		cabi.Field{Name: "seconds", Type: cabi.U64()},
		cabi.Field{Name: "nanoseconds", Type: cabi.U32()},
	)
)

// Go-side accessors for lifted values. The lifted values have the types of
// the function (cabi checks them), so these only guard against a mismatch
// in this package's own tables: a wrong type is a trap, never a panic.

func argHandle(args []cabi.Value, i int) (uint32, error) {
	if i < len(args) {
		if h, ok := args[i].(cabi.Handle); ok {
			return uint32(h), nil
		}
	}
	return 0, fmt.Errorf("argument %d is not a handle", i)
}

func argU64(args []cabi.Value, i int) (uint64, error) {
	if i < len(args) {
		if v, ok := args[i].(uint64); ok {
			return v, nil
		}
	}
	return 0, fmt.Errorf("argument %d is not a u64", i)
}

func argU8(args []cabi.Value, i int) (uint8, error) {
	if i < len(args) {
		if v, ok := args[i].(uint8); ok {
			return v, nil
		}
	}
	return 0, fmt.Errorf("argument %d is not a u8", i)
}

func argBytes(args []cabi.Value, i int) ([]byte, error) {
	if i < len(args) {
		if v, ok := args[i].([]byte); ok {
			return v, nil
		}
	}
	return nil, fmt.Errorf("argument %d is not a list<u8>", i)
}

func argString(args []cabi.Value, i int) (string, error) {
	if i < len(args) {
		if v, ok := args[i].(string); ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("argument %d is not a string", i)
}

func argFlags(args []cabi.Value, i int) (cabi.Flags, error) {
	if i < len(args) {
		if v, ok := args[i].(cabi.Flags); ok {
			return v, nil
		}
	}
	return 0, fmt.Errorf("argument %d is not flags", i)
}

func one(v cabi.Value) ([]cabi.Value, error) { return []cabi.Value{v}, nil }

func none() ([]cabi.Value, error) { return nil, nil }
