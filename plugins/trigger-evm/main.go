// Command wavs-plugin-trigger-evm is the trigger plugin of the EVM family:
// contract events, block intervals and cron schedules. See package watch
// for its configuration.
package main

import (
	"github.com/wavs-go/wavs/plugins/trigger-evm/watch"
	"github.com/wavs-go/wavs/sdk"
)

func main() { sdk.ServeTrigger(watch.New) }
