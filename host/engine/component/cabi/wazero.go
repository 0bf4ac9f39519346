package cabi

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/api"
)

// wazero's memory is a Memory as is.
var _ Memory = api.Memory(nil)

// WazeroRealloc adapts a guest's cabi_realloc export, (i32 i32 i32 i32) -> i32.
func WazeroRealloc(fn api.Function) ReallocFunc {
	return func(ctx context.Context, oldPtr, oldSize, align, newSize uint32) (uint32, error) {
		res, err := fn.Call(ctx, uint64(oldPtr), uint64(oldSize), uint64(align), uint64(newSize))
		if err != nil {
			return 0, err
		}
		if len(res) != 1 {
			return 0, fmt.Errorf("cabi_realloc returned %d values", len(res))
		}
		return uint32(res[0]), nil
	}
}

// WazeroCoreType is the wazero value type of a core type.
func WazeroCoreType(c CoreType) api.ValueType {
	switch c {
	case I64:
		return api.ValueTypeI64
	case F32Core:
		return api.ValueTypeF32
	case F64Core:
		return api.ValueTypeF64
	}
	return api.ValueTypeI32
}
