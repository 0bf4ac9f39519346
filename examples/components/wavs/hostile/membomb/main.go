// Command membomb is a hostile WAVS component: its run export allocates
// and keeps 1 MiB blocks, touching every page, until linear memory cannot
// grow (the engine's memory limit). Built like square-go; see
// ../README.md.
package main

// A reactor has no main work; the node calls the exports.
func main() {}
