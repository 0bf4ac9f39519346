// Package cabi implements the WebAssembly component model's Canonical ABI
// (design/mvp/CanonicalABI.md in WebAssembly/component-model) in pure Go,
// driven by types given at run time: the host builds or parses a *Type and the
// package derives alignment, element size, flattening and the memory layout
// from the spec's rules, so no layout is written by hand per WIT version.
//
// The pieces:
//   - Type (types.go, layout.go): bool, s8..u64, f32, f64, char, string,
//     list, record, tuple, variant, enum, option, result, flags, own, borrow;
//     tuple/enum/option/result are laid out as their despecialized
//     record/variant.
//   - Value (value.go): the Go form of each type's values.
//   - Guest (guest.go): the guest's Memory, its realloc and the canonical
//     options; it lifts and lowers single values (Load, Store, LiftFlat,
//     LowerFlat) and whole calls described by a Func (LowerParams and
//     LiftResults to call a guest export; LiftParams and LowerResults to serve
//     a guest's import, including spilled params and return pointers).
//   - wazero.go: the small adapter to wazero's api.Memory and a cabi_realloc
//     export; nothing else depends on wazero.
//
// Everything read from guest memory or core values is checked: alignment and
// bounds of every pointer, list and string lengths (in 64-bit arithmetic),
// discriminants, chars, string encodings, and the total bytes one lift may
// copy (Guest.MaxBytes). A failure is an *Error naming the path to the bad part
// (e.g. "trigger-action.data.evm-contract-event.log.topics[2]") and wrapping
// one of the Err* kinds; nothing here panics on guest-controlled input.
//
// Handles (own/borrow) pass through as their i32 table index: the resource
// tables and borrow accounting of the spec belong to the caller.
package cabi
