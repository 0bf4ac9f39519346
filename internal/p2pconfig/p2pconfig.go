// Package p2pconfig is the node's [wavs.p2p] table: the host reads it from
// wavs.toml (host/config) and hands it to the transport plugin as the
// "p2p" section of its configuration, which the libp2p transport decodes
// into the same types. One declaration, so that the two cannot drift.
package p2pconfig

import "github.com/wavs-go/wavs/sdk"

// P2P is the [wavs.p2p] table. Exactly one of Local and Remote is set.
type P2P struct {
	// Local selects mDNS discovery on the local network.
	Local *Local `toml:"local" json:"local,omitempty"`
	// Remote selects Kademlia DHT discovery.
	Remote *Remote `toml:"remote" json:"remote,omitempty"`
	// ListenAddress is the IP to listen on. Default "0.0.0.0".
	ListenAddress string `toml:"listen_address" json:"listen_address"`
	// Announce are addresses peers can dial this node at, without
	// /p2p/<peer id>, e.g. "/ip4/203.0.113.7/tcp/9000": published to peers
	// and on /p2p/status besides the addresses peers observe (a public
	// address in front of a NAT or a load balancer).
	Announce []string `toml:"announce" json:"announce,omitempty"`
	// Admission is "operators" or "open"; empty means the mode's default.
	Admission string `toml:"admission" json:"admission,omitempty"`
	// AuthorizedPeers are peer ids admitted to every topic without proof.
	AuthorizedPeers []string `toml:"authorized_peers" json:"authorized_peers,omitempty"`
}

// Local configures mDNS discovery.
type Local struct {
	// ListenPort is 0..65535; 0 picks any free port.
	ListenPort int `toml:"listen_port" json:"listen_port"`
}

// Remote configures Kademlia DHT discovery.
type Remote struct {
	// ListenPort is 0..65535; 0 picks any free port.
	ListenPort int `toml:"listen_port" json:"listen_port"`
	// BootstrapNodes are multiaddrs with a peer id, e.g.
	// "/ip4/192.0.2.1/tcp/9000/p2p/12D3KooW...". An empty list means this
	// node is the bootstrap server.
	BootstrapNodes []string `toml:"bootstrap_nodes" json:"bootstrap_nodes"`
}

// AdmissionMode is admission as configured, or its default: "operators"
// in remote mode, where the node listens for peers from anywhere, and
// "open" in local mode, where mDNS reaches only the LAN (a development or
// test network, whose nodes often run no service to attest yet).
func (p *P2P) AdmissionMode() string {
	switch {
	case p.Admission != "":
		return p.Admission
	case p.Local != nil:
		return sdk.AdmissionOpen
	}
	return sdk.AdmissionOperators
}
