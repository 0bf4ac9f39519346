// Command wavs-plugin-submit-ledger is an example third-party submit
// plugin for a chain family that is not EVM: it lands WAVS results on the
// stand-in ledger of this module (cmd/ledger), chain keys "ledger:<id>".
package main

import (
	"example.com/wavs-submit-ledger/submit"

	"github.com/wavs-go/wavs/sdk"
)

func main() { sdk.ServeSubmitter(submit.New) }
