// Command wavs-plugin-trigger-webhook is an example third-party trigger
// plugin: it declares the trigger kind "webhook" and fires it for each
// HTTP POST to /hooks/<path> on a loopback address.
package main

import (
	"example.com/wavs-trigger-webhook/webhook"

	"github.com/wavs-go/wavs/sdk"
)

func main() { sdk.ServeTrigger(webhook.New) }
