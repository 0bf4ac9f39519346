// Package p2p is the libp2p transport of a wavs node.
//
// The host passes the [wavs.p2p] block as the "p2p" section of Configure;
// it must set exactly one of "remote" and "local". "listen_address" is
// the IP the TCP listener binds (default 0.0.0.0) in either mode; TCP is
// the only transport, and neither relays nor NAT port mapping are
// enabled.
//
// Remote mode, {"remote":{"listen_port":N,"bootstrap_nodes":[...]}},
// selects a Kademlia DHT (protocol prefix "/wavs", server mode) whose
// members are reached through the bootstrap nodes, dialled on start and
// again every discovery round while disconnected. Every node runs the DHT
// in server mode, so any node can be another's bootstrap node, and a list
// may name the node itself (skipped). The node advertises every subscribed
// topic in the DHT under the rendezvous string "wavs/rendezvous/v1/<topic>"
// and looks for other peers under it, on Subscribe and then every
// discovery_interval, connecting to what it finds.
//
// Local mode, {"local":{"listen_port":N}}, finds peers by mDNS (multicast
// DNS-SD) instead: the node announces its listen addresses under the
// service "_wavs-p2p._udp" in the "local" domain, browses for other
// nodes under that service and connects to each one it finds. Local mode
// starts no DHT and takes no bootstrap nodes (mDNS queries on its own
// schedule, at most a minute apart); every wavs node found is connected
// whatever its topics, and GossipSub then works
// as in remote mode. mDNS sends and listens for multicast on UDP port 5353
// on every multicast-capable interface of the machine (or of its network
// namespace), not only the one listen_address is on, and multicast does
// not cross routers: local mode is for operators on one LAN, such as a
// development or test network. Listening on 0.0.0.0 announces the
// addresses of all interfaces; set listen_address to the LAN address to
// announce only that one. Configure fails when no interface is up with
// multicast. A found peer is dialled at once (up to three tries, from an
// ephemeral port, as both sides usually dial each other at the same
// moment) and again whenever mDNS reports it anew.
//
// The node's identity is an Ed25519 key kept in identity.key inside the
// plugin's data folder (created with mode 0600 on first start), so the peer
// id survives restarts. Next to it, peers.json remembers the peers met
// (see peerstore.go): dialled on start and, while fewer than target_peers
// are connected, every discovery_interval, so restarted nodes find each
// other without any bootstrap node.
//
// Status lists dialable listen addresses (an unspecified listen IP
// expanded into the interfaces' addresses, loopback last) and, as
// external addresses, the [wavs.p2p] "announce" addresses, then those
// peers observed (see addrs.go).
//
// Each subscribed topic is a GossipSub topic. A validator drops messages
// larger than max_message_bytes, messages on topics the host did not
// subscribe, and, on a service's topic (wavs/<64 hex digits>/topic/v1),
// anything but a JSON object with a "v" and the topic's own "service_id":
// a dropped message is neither delivered nor forwarded. (The signatures
// inside are the host's to verify.) A node never receives its own
// messages. Status reports the
// same fields in both modes: connected peers, subscribed topics and the
// peers seen on each topic.
//
// Admission (admission.go): the "p2p" section's "admission" is
// "operators" or "open" (the default when absent; the wavs host always
// sets it), and "authorized_peers" lists peer ids admitted to every topic.
// The host gives the node one attestation per topic (SetAdmission); the
// node sends them to each peer on "/wavs/admission/1.0.0" when they
// connect, verifies the peers' (an EIP-191 signature over
// internal/admission.Digest of the sender's own peer id and the topic) and
// streams the verified claims to the host (PeerClaims), which answers with
// Admit after reading the chain. In operators mode a pubsub peer filter,
// a subscription filter and a validator keep peers not admitted to a
// topic out of its mesh, its peer list and its messages both ways; a
// newly admitted peer is reconnected once so that subscriptions are
// exchanged again; and peers admitted to nothing within 20 s (bootstrap
// nodes, authorized peers and a node attesting nothing excepted) are
// disconnected and refused by a connection gater for a minute.
//
// Optional keys of the plugin's own table ([plugins.transport-libp2p.config]):
//
//	max_message_bytes   largest message accepted or published (default
//	                    2101248: the host's largest signature message)
//	discovery_interval  how often topic peers are looked for (remote mode)
//	                    and remembered peers redialled, as a Go duration
//	                    (default "10s", at least "100ms")
//	target_peers        below this many connected peers, remembered peers
//	                    are redialled (default 8)
package p2p
