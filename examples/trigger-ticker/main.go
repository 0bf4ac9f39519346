// Command wavs-plugin-trigger-ticker is an example third-party trigger
// plugin: it fires cron triggers whose schedule is "@every <duration>".
package main

import (
	"example.com/wavs-trigger-ticker/ticker"

	"github.com/wavs-go/wavs/sdk"
)

func main() { sdk.ServeTrigger(ticker.New) }
