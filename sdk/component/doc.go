// Package component is the Go helper for writing WAVS components: WASI
// preview 1 command modules that speak Component ABI v1
// (docs/components.md). Build one with the standard toolchain:
//
//	GOOS=wasip1 GOARCH=wasm go build -o my.wasm ./my-component
//
// A component's main is one call:
//
//	func main() {
//		component.Run(func(ctx context.Context, in component.Input) ([]component.Response, error) {
//			return []component.Response{{Payload: in.Trigger.Raw}}, nil
//		})
//	}
//
// The host functions (KVGet, KVSet, KVDelete, Fetch, HTTPGet, Log) work
// only in a wasip1 build; elsewhere they return ErrNoHost, so code using
// this package still builds, vets and unit-tests natively.
//
// The package deliberately avoids net/http: its init and size would add to
// every execution's start-up, which is paid once per trigger.
package component
