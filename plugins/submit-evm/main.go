// Command wavs-plugin-submit-evm is the chain-facing plugin of the EVM
// family: it reads WAVS service managers and lands signed envelopes on
// their handlers. See package submit for its configuration.
package main

import (
	"github.com/wavs-go/wavs/plugins/submit-evm/submit"
	"github.com/wavs-go/wavs/sdk"
)

func main() { sdk.ServeSubmitter(submit.New) }
