// Command wavs-plugin-transport-none is the transport of a single-operator
// node: it keeps track of subscriptions, publishes to no one and opens no
// sockets.
package main

import (
	"github.com/wavs-go/wavs/plugins/transport-none/none"
	"github.com/wavs-go/wavs/sdk"
)

func main() { sdk.ServeTransport(none.New) }
