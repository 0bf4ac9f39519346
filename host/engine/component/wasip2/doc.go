// Package wasip2 serves the WASI 0.2 imports of a component as host
// functions for the component linker: wasi:cli, wasi:io (error, streams,
// poll), wasi:clocks, wasi:random and wasi:filesystem, at any 0.2.x
// version, and wasi:http's outgoing requests (over the node's guarded
// client, under the workflow's host policy: http_handler.go).
// wasi:sockets and wasi:tls are refused by name.
//
// Resolve maps a lowered import to its implementation once, at compile
// time, after checking that the component's function type is the one this
// package implements (so layouts always agree with the component's own
// types). At run time an implementation finds its per-execution State in
// the context (WithState), lifts its parameters and lowers its results
// with the cabi package, and keeps the resources it hands out (streams,
// pollables, descriptors, errors) in the State's bounded handle table.
//
// Guest input never panics the host: a bad handle, a handle of the wrong
// resource type, a malformed argument or a cancelled context traps the
// guest with an error naming the import and function. wasi:cli/exit ends
// the execution with a *sys.ExitError (wazero's), which wazero returns
// unwrapped; ExitCode tells it apart.
package wasip2
