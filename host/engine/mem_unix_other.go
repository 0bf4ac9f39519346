//go:build unix && !linux

package engine

// mapNoReserve: other systems reserve lazily without a flag.
const mapNoReserve = 0
