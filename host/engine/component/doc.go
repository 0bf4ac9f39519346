// Package component reads WebAssembly component binaries (the component
// model's binary format, layer 1) and runs their core modules on wazero.
//
// It is the structural half of the component-model host: Parse decodes a
// component and tracks every index space; Resolve turns it into a Model
// (imports with parsed versions, exports, and an ordered plan of core
// instances); Compile and Instantiate link the plan's core modules on a
// wazero runtime, one fresh set of instances per execution. Lifting and
// lowering values (the canonical ABI) is the cabi package's job: this
// package hands host functions raw core values and the caller's memory.
//
// Input is untrusted: every count and length is checked against the bytes
// left before anything is allocated, nesting is bounded, and errors name
// the section and byte offset where decoding failed. Nothing here panics on
// input.
package component
