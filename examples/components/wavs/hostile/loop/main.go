// Command loop is a hostile WAVS component: its run export spins
// forever. Built like square-go; see ../README.md.
package main

// A reactor has no main work; the node calls the exports.
func main() {}
