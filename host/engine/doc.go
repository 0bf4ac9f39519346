// Package engine runs WASM components: WASI preview 1 modules (commands
// and reactors) that speak Component ABI v1 (docs/components.md), and WAVS components
// (component-model binaries of the wavs:operator@2.x world), told apart by
// their preamble (component.IsComponent).
//
// A WAVS component is parsed and its imports checked when it is added
// (cm_imports.go: sockets, TLS and unknown interfaces are refused by
// name; WASI goes to Options.WASI, package wasip2), compiled once per
// digest into the same cache as modules, and run in a fresh instance of
// all its core modules per execution under the same limits (cm_run.go).
// The node serves its `host` interface and wasi:keyvalue draft2
// (cm_host.go, cm_kv.go). Values are shaped by WIT name to the
// component's own types (cm_values.go, cm_tree.go), so every 2.x version
// whose names agree loads without a per-version table.
//
// One wazero Runtime serves every execution. WASI and the host module
// "wavs" are instantiated in it once; each execution instantiates the
// component's compiled module afresh with its own stdin, stdout, stderr,
// environment and memory, runs _start and closes the instance, so nothing
// a component does survives into the next execution except what it stores
// through kv_set.
//
// A module of the reactor shape (it exports _initialize and wavs_run, as
// a Go component built with -buildmode=c-shared does) is snapshotted when
// it is added (snapshot.go): its _initialize runs once under a
// deterministic environment in wazero's interpreter, and the engine
// compiles, instead of the module, the module rewritten to start from the
// memory and globals _initialize left (snapmod.go, wasmbin.go). Each
// execution instantiates that afresh and calls wavs_run, so a Go
// component no longer pays the Go runtime's start-up per trigger; on
// Linux its memory is mapped copy-on-write from a sealed memfd, and once
// an execution is over the pages its guest wrote are copied back from the
// image and the memory kept for the next execution, which then starts
// from exactly the image without a page fault (mem_image_linux.go). A reactor that cannot be snapshotted runs
// _initialize and wavs_run in every execution (reactor.go).
//
// Limits hold per execution: wall time (a context deadline, enforced inside
// guest code by wazero's WithCloseOnContextDone), memory (an allocator that
// refuses growth past Options.MaxMemoryPages), output size (stdout is
// bounded and the execution stops when it overflows) and concurrency (at
// most Options.MaxConcurrent executions at once; Execute waits for a slot).
// Failures come back as *ExecError whose Cause says which limit or fault
// ended the execution.
package engine
