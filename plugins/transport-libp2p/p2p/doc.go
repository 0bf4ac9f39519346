// Package p2p is the libp2p transport of a wavs node.
//
// The host passes the [wavs.p2p] block as the "p2p" section of Configure.
// {"remote":{"listen_port":N,"bootstrap_nodes":[...]}} selects a Kademlia
// DHT (protocol prefix "/wavs", server mode) whose members are reached
// through the bootstrap nodes, dialled on start and again every discovery
// round while disconnected; an empty list makes this node a bootstrap
// node. "listen_address" is the IP the TCP listener binds (default
// 0.0.0.0); TCP is the only transport, and neither relays nor NAT port
// mapping are enabled. {"local":{...}} (mDNS discovery) is refused with
// sdk.ErrUnimplemented: this build does not include go-libp2p's mdns
// package.
//
// The node's identity is an Ed25519 key kept in identity.key inside the
// plugin's data folder (created with mode 0600 on first start), so the peer
// id survives restarts.
//
// Each subscribed topic is a GossipSub topic. In remote mode the node
// advertises every subscribed topic in the DHT under the rendezvous string
// "wavs/rendezvous/v1/<topic>" and looks for other peers under it, on
// Subscribe and then every discovery_interval, connecting to what it
// finds. A validator drops messages larger than max_message_bytes and
// messages on topics the host did not subscribe. A node never receives
// its own messages.
//
// Optional keys of the plugin's own table ([plugins.transport-libp2p.config]):
//
//	max_message_bytes   largest message accepted or published (default 1048576)
//	discovery_interval  how often topic peers are looked for, as a Go
//	                    duration (default "10s", at least "100ms")
package p2p
