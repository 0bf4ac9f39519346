// Command trap is a hostile WAVS component: its run export reads far
// past the end of linear memory, a WebAssembly trap (out of bounds memory
// access) rather than a Go panic (which exits with code 2). Built like
// square-go; see ../README.md.
package main

// A reactor has no main work; the node calls the exports.
func main() {}
