// Package component is the Go helper for writing WAVS components: WASI
// preview 1 modules that speak Component ABI v1 (docs/components.md).
//
// A component is built in one of two shapes. A reactor (the fast one):
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o my.wasm ./my-component
//
// registers its handler from an init function; its main function never
// runs, and stays empty:
//
//	func init() {
//		component.Handle(func(ctx context.Context, in component.Input) ([]component.Response, error) {
//			return []component.Response{{Payload: in.Trigger.Raw}}, nil
//		})
//	}
//
//	func main() {}
//
// The node runs a reactor's initialisation (the Go runtime's start-up and
// every package's init) once, when the component is added, and starts
// each trigger's fresh instance from a snapshot of the memory it left:
// a trigger costs well under a millisecond instead of the several
// milliseconds of a Go runtime starting. The package exports the entry
// the node calls per trigger, wavs_run; when the node is snapshotting,
// Handle also runs the ABI's JSON once, so that work is in the snapshot
// too.
//
// What initialisation computes is therefore shared by every execution,
// and taken under a fixed environment, the same on every node: only the
// environment variable WAVS_SNAPSHOT=1, a clock that starts at
// 2000-01-01T00:00:00Z and a random stream of a fixed seed. Package-level values computed from
// time.Now, os.Getenv or random bytes hold those, not the trigger's; read
// them in the handler instead (os.Getenv and Env see the execution's
// environment there, time.Now the real time, crypto/rand real random
// bytes). Never make a secret during initialisation. math/rand's global
// generator and the map hash seeds come from that stream: they are the
// same in every execution, which keeps executions deterministic across
// operators. Initialisation must not call the host functions (KVGet,
// Fetch, ...), read stdin or write stdout: the node then does not
// snapshot the component, and runs its initialisation in every execution.
//
// A command (the original shape) is built without -buildmode and calls
// Run from main:
//
//	func main() {
//		component.Run(func(ctx context.Context, in component.Input) ([]component.Response, error) {
//			return []component.Response{{Payload: in.Trigger.Raw}}, nil
//		})
//	}
//
// A component that builds in both shapes does both: Handle from init,
// Run from main (the examples under examples/components do).
//
// In either shape a panicking handler fails the execution as a Go program
// exiting with code 2, the panic on stderr; a reactor panicking during
// initialisation traps instead (the Go runtime of a c-shared build
// crashes), on every execution.
//
// The host functions (KVGet, KVSet, KVDelete, Fetch, HTTPGet, Log) work
// only in a wasip1 build; elsewhere they return ErrNoHost, so code using
// this package still builds, vets and unit-tests natively.
//
// The package deliberately avoids net/http: its init and size would add to
// every execution of a command, which starts the Go runtime afresh.
package component
