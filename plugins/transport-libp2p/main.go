// Command wavs-plugin-transport-libp2p is the transport of a multi-operator
// node: GossipSub over libp2p, one topic per service, with peers found
// through a Kademlia DHT (remote mode) or mDNS (local mode).
package main

import (
	"github.com/wavs-go/wavs/plugins/transport-libp2p/p2p"
	"github.com/wavs-go/wavs/sdk"
)

func main() { sdk.ServeTransport(p2p.New) }
