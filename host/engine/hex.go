package engine

import "github.com/wavs-go/wavs/sdk/component/abi"

// abbrev shortens s for an error message.
func abbrev(s string) string { return abi.Abbrev(s) }
