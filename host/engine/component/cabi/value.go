package cabi

// Value is a component-model value held by the host. The Go type of a Value is
// fixed by its Type:
//
//	bool                  bool
//	s8 s16 s32 s64        int8 int16 int32 int64
//	u8 u16 u32 u64        uint8 uint16 uint32 uint64
//	f32 f64               float32 float64 (NaNs canonicalized on lift and lower)
//	char                  rune (a Unicode scalar value: no surrogates, <= 0x10FFFF)
//	string                string (valid UTF-8)
//	list<u8>              []byte (lowering also accepts []Value of uint8)
//	list<T>               []Value
//	record, tuple         Record (Fields in declaration order)
//	variant               Variant (Case index, payload Value or nil)
//	enum                  Enum (case index)
//	option<T>             Option (Some, Value)
//	result<T, E>          Result (IsErr, Value; nil for an absent ok/err type)
//	flags                 Flags (bit i set = label i set)
//	own<R>, borrow<R>     Handle (the i32 handle-table index, passed through)
type Value = any

// Record is the value of a record or tuple: one Value per field, in order.
type Record struct {
	Fields []Value
}

// Variant is the value of a variant: the case index and its payload (nil when
// the case has none).
type Variant struct {
	Case  uint32
	Value Value
}

// Enum is the value of an enum: the case index.
type Enum uint32

// Option is the value of option<T>.
type Option struct {
	Some  bool
	Value Value
}

// Result is the value of result<T, E>: Value is the ok or the error payload
// (nil when that side has no type).
type Result struct {
	IsErr bool
	Value Value
}

// Flags is the value of a flags type: bit i is label i.
type Flags uint64

// Handle is the value of own<R> or borrow<R>: the handle-table index as the
// guest sees it. This package moves handles across the boundary unchanged; the
// resource table that gives them meaning belongs to the caller.
type Handle uint32

// Some is shorthand for Option{Some: true, Value: v}.
func Some(v Value) Option { return Option{Some: true, Value: v} }

// None is shorthand for the empty Option.
func None() Option { return Option{} }

// Ok is shorthand for Result{Value: v}.
func Ok(v Value) Result { return Result{Value: v} }

// Err is shorthand for Result{IsErr: true, Value: v}.
func Err(v Value) Result { return Result{IsErr: true, Value: v} }

// Fields is shorthand for Record{Fields: vs}.
func Fields(vs ...Value) Record { return Record{Fields: vs} }
