// Package engine runs WASM components: WASI preview 1 command modules that
// speak Component ABI v1 (docs/components.md).
//
// One wazero Runtime serves every execution. WASI and the host module
// "wavs" are instantiated in it once; each execution instantiates the
// component's compiled module afresh with its own stdin, stdout, stderr,
// environment and memory, runs _start and closes the instance, so nothing
// a component does survives into the next execution except what it stores
// through kv_set.
//
// Limits hold per execution: wall time (a context deadline, enforced inside
// guest code by wazero's WithCloseOnContextDone), memory (an allocator that
// refuses growth past Options.MaxMemoryPages), output size (stdout is
// bounded and the execution stops when it overflows) and concurrency (at
// most Options.MaxConcurrent executions at once; Execute waits for a slot).
// Failures come back as *ExecError whose Cause says which limit or fault
// ended the execution.
package engine
