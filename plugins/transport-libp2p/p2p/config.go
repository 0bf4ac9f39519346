package p2p

import (
	"fmt"
	"net"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/wavs-go/wavs/internal/p2pconfig"
	"github.com/wavs-go/wavs/sdk"
)

// Defaults of the plugin's own settings.
const (
	// DefaultMaxMessageBytes fits the largest message the host gossips: a
	// signature over the largest result it keeps (1 MiB, the store's
	// limit on a payload, which also caps max_output_kib), hex-encoded
	// (2 MiB) in JSON with its other fields (under 4 KiB). It equals the
	// host's aggregator.MaxGossipBytes; a test keeps them in step.
	DefaultMaxMessageBytes   = 2<<20 + 4096
	DefaultDiscoveryInterval = 10 * time.Second
	// DefaultTargetPeers is how many connected peers a node wants before
	// it stops redialling the peers it remembers.
	DefaultTargetPeers   = 8
	maxTargetPeers       = 1000
	maxAnnounce          = 16
	minDiscoveryInterval = 100 * time.Millisecond
	defaultListenAddress = "0.0.0.0"
)

// p2pSection is the "p2p" section: the host's [wavs.p2p] block, as the
// host declares it.
type p2pSection = p2pconfig.P2P

// ownSection is the "plugin" section: [plugins.transport-libp2p.config].
type ownSection struct {
	MaxMessageBytes   *int   `json:"max_message_bytes"`
	DiscoveryInterval string `json:"discovery_interval"`
	TargetPeers       *int   `json:"target_peers"`
}

// mode is how a node finds its peers.
type mode int

const (
	// modeRemote finds peers through the Kademlia DHT, reached through
	// bootstrap nodes ([wavs.p2p.remote]).
	modeRemote mode = iota
	// modeLocal finds peers on the local network by mDNS
	// ([wavs.p2p.local]).
	modeLocal
)

func (m mode) String() string {
	if m == modeLocal {
		return "local"
	}
	return "remote"
}

// settings is the validated configuration.
type settings struct {
	mode              mode
	listen            ma.Multiaddr
	bootstrap         []peer.AddrInfo
	maxMessageBytes   int
	discoveryInterval time.Duration
	// announce are the [wavs.p2p] announce addresses, without /p2p/<id>.
	announce []ma.Multiaddr
	// targetPeers: below it, remembered peers are redialled.
	targetPeers int
	// dataDir is the plugin's data folder ("": nothing is kept).
	dataDir   string
	admission admissionConfig
	// hooks are set by the Transport before startNode, not by the config.
	hooks nodeHooks
}

// parseConfig reads and validates both sections of req. Errors wrap
// sdk.ErrInvalidArgument and name the key.
func parseConfig(req sdk.ConfigureRequest) (settings, error) {
	var p p2pSection
	ok, err := req.Section("p2p", &p)
	if err != nil {
		return settings{}, err
	}
	if !ok {
		return settings{}, fmt.Errorf("%w: config section \"p2p\" is missing: transport-libp2p needs a [wavs.p2p] block", sdk.ErrInvalidArgument)
	}
	var own ownSection
	if _, err := req.Section("plugin", &own); err != nil {
		return settings{}, err
	}

	s := settings{maxMessageBytes: DefaultMaxMessageBytes, discoveryInterval: DefaultDiscoveryInterval, targetPeers: DefaultTargetPeers, dataDir: req.DataDir}
	var port int
	switch {
	case p.Local != nil && p.Remote != nil:
		return settings{}, fmt.Errorf("%w: p2p: set exactly one of \"local\" and \"remote\", not both", sdk.ErrInvalidArgument)
	case p.Local != nil:
		s.mode = modeLocal
		port = p.Local.ListenPort
	case p.Remote != nil:
		s.mode = modeRemote
		port = p.Remote.ListenPort
		for i, addr := range p.Remote.BootstrapNodes {
			info, err := peer.AddrInfoFromString(addr)
			if err != nil {
				return settings{}, fmt.Errorf("%w: p2p.remote.bootstrap_nodes[%d] = %q: want a multiaddr ending in /p2p/<peer id>: %v", sdk.ErrInvalidArgument, i, addr, err)
			}
			s.bootstrap = append(s.bootstrap, *info)
		}
	default:
		return settings{}, fmt.Errorf("%w: p2p: set one of \"local\" and \"remote\"", sdk.ErrInvalidArgument)
	}
	if port < 0 || port > 65535 {
		return settings{}, fmt.Errorf("%w: p2p.%s.listen_port = %d: want 0..65535", sdk.ErrInvalidArgument, s.mode, port)
	}
	listenIP := p.ListenAddress
	if listenIP == "" {
		listenIP = defaultListenAddress
	}
	ip := net.ParseIP(listenIP)
	if ip == nil {
		return settings{}, fmt.Errorf("%w: p2p.listen_address = %q: want an IP address", sdk.ErrInvalidArgument, listenIP)
	}
	proto := "ip4"
	if ip.To4() == nil {
		proto = "ip6"
	}
	s.listen, err = ma.NewMultiaddr(fmt.Sprintf("/%s/%s/tcp/%d", proto, ip, port))
	if err != nil {
		return settings{}, fmt.Errorf("%w: p2p.listen_address = %q: %v", sdk.ErrInvalidArgument, listenIP, err)
	}

	if len(p.Announce) > maxAnnounce {
		return settings{}, fmt.Errorf("%w: p2p.announce has %d addresses: want at most %d", sdk.ErrInvalidArgument, len(p.Announce), maxAnnounce)
	}
	for i, a := range p.Announce {
		addr, err := parseAnnounce(a)
		if err != nil {
			return settings{}, fmt.Errorf("%w: p2p.announce[%d] = %q: %v", sdk.ErrInvalidArgument, i, a, err)
		}
		s.announce = append(s.announce, addr)
	}

	if s.admission, err = parseAdmission(p); err != nil {
		return settings{}, err
	}
	if own.MaxMessageBytes != nil {
		if n := *own.MaxMessageBytes; n < 1 || n > 64<<20 {
			return settings{}, fmt.Errorf("%w: plugin.max_message_bytes = %d: want 1..%d", sdk.ErrInvalidArgument, n, 64<<20)
		}
		s.maxMessageBytes = *own.MaxMessageBytes
	}
	if own.DiscoveryInterval != "" {
		d, err := time.ParseDuration(own.DiscoveryInterval)
		if err != nil || d < minDiscoveryInterval {
			return settings{}, fmt.Errorf("%w: plugin.discovery_interval = %q: want a Go duration of at least %s", sdk.ErrInvalidArgument, own.DiscoveryInterval, minDiscoveryInterval)
		}
		s.discoveryInterval = d
	}
	if own.TargetPeers != nil {
		if n := *own.TargetPeers; n < 0 || n > maxTargetPeers {
			return settings{}, fmt.Errorf("%w: plugin.target_peers = %d: want 0..%d", sdk.ErrInvalidArgument, n, maxTargetPeers)
		}
		s.targetPeers = *own.TargetPeers
	}
	return s, nil
}
