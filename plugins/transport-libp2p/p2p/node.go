package p2p

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	drouting "github.com/libp2p/go-libp2p/p2p/discovery/routing"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
)

// Network constants. They keep wavs nodes apart from every other libp2p
// network: the DHT speaks /wavs/kad/1.0.0, never the public IPFS one.
const (
	dhtPrefix     = "/wavs"
	rendezvousPfx = "wavs/rendezvous/v1/"
	// pubsubOverhead is room for a message's envelope (signature, key,
	// topic, seqno) beyond its data, when sizing pubsub's frame limit.
	pubsubOverhead = 64 << 10
)

// node is a running libp2p host with its pubsub router and discovery.
type node struct {
	host host.Host
	ps   *pubsub.PubSub
	// dht is set in remote mode, mdns in local mode.
	dht    *dht.IpfsDHT
	mdns   *mdnsDiscovery
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// kick asks the discovery loop for a round now; nothing reads it in
	// local mode, where mDNS runs on its own schedule.
	kick chan struct{}
	// book remembers peers (peerstore.go); observed and announce make the
	// external addresses (addrs.go).
	book     *peerBook
	observed *observedAddrs
	announce []ma.Multiaddr
}

// startNode starts listening on s.listen with key, then pubsub with
// validate as the validator of every topic, then discovery: in remote mode
// the DHT and the loop that advertises and looks up topics (topics lists
// the subscribed ones), in local mode mDNS. The host never uses relays or
// NAT port mapping. opts are more pubsub options (peer scoring).
func startNode(log hclog.Logger, key crypto.PrivKey, s settings, validate pubsub.ValidatorEx, topics func() []string, opts ...pubsub.Option) (_ *node, err error) {
	// Dial from ephemeral ports, not from the listen port: two nodes that
	// find each other at the same moment (by mDNS, or by a DHT lookup)
	// dial each other within milliseconds, and with SO_REUSEPORT both
	// dials use the same address pair, which TCP joins into one
	// connection on which both sides start the handshake as client, so
	// both fail. Reusing the port only helps NAT traversal, which this
	// transport does not do.
	tcpOpts := []any{tcp.DisableReuseport()}
	h, err := libp2p.New(append([]libp2p.Option{
		libp2p.Identity(key),
		libp2p.ListenAddrs(s.listen),
		libp2p.Transport(tcp.NewTCPTransport, tcpOpts...),
		libp2p.DisableRelay(),
		libp2p.AddrsFactory(announceFirst(s.announce)),
	}, s.hooks.hostOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", s.listen, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &node{host: h, cancel: cancel, kick: make(chan struct{}, 1), announce: s.announce}
	defer func() {
		if err != nil {
			_ = n.close()
		}
	}()
	if n.observed, err = watchObserved(h); err != nil {
		return nil, fmt.Errorf("watch observed addresses: %w", err)
	}
	// Every node may be listed as a bootstrap node, itself included.
	s.bootstrap = slices.DeleteFunc(slices.Clone(s.bootstrap), func(i peer.AddrInfo) bool { return i.ID == h.ID() })

	if s.mode == modeRemote {
		n.dht, err = dht.New(h,
			dht.Mode(dht.ModeServer),
			dht.ProtocolPrefix(dhtPrefix),
			dht.BootstrapPeers(s.bootstrap...),
		)
		if err != nil {
			return nil, fmt.Errorf("start DHT: %w", err)
		}
	}
	n.ps, err = pubsub.NewGossipSub(ctx, h, append([]pubsub.Option{
		pubsub.WithDefaultValidator(validate, pubsub.WithValidatorConcurrency(validatorConcurrency)),
		pubsub.WithMaxMessageSize(s.maxMessageBytes + pubsubOverhead),
	}, append(s.hooks.pubsubOptions, opts...)...)...)
	if err != nil {
		return nil, fmt.Errorf("start gossipsub: %w", err)
	}
	if s.hooks.started != nil {
		s.hooks.started(ctx, h, n.ps)
	}

	if s.mode == modeLocal {
		n.mdns, err = startMDNS(ctx, log, h)
		if err != nil {
			return nil, err
		}
		n.startBook(ctx, log, s, topics)
		return n, nil
	}
	if err := n.dht.Bootstrap(ctx); err != nil {
		return nil, fmt.Errorf("bootstrap DHT: %w", err)
	}
	d := &discoverer{
		log:       log,
		host:      h,
		disc:      drouting.NewRoutingDiscovery(n.dht),
		bootstrap: s.bootstrap,
		interval:  s.discoveryInterval,
		topics:    topics,
		kick:      n.kick,
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		d.run(ctx)
	}()
	n.startBook(ctx, log, s, topics)
	return n, nil
}

// discoverNow asks for a discovery round without waiting for it.
func (n *node) discoverNow() {
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

// listenAddrs returns the bound listen addresses with /p2p/<id>, an
// unspecified IP expanded into the interfaces' addresses (addrs.go).
func (n *node) listenAddrs() []string {
	ifaces, _ := n.host.Network().InterfaceListenAddresses()
	return withPeerID(expandListen(n.host.Network().ListenAddresses(), ifaces), n.host.ID())
}

// externalAddrs returns the announce addresses, then those peers
// observed, with /p2p/<id>.
func (n *node) externalAddrs() []string {
	addrs := append(slices.Clone(n.announce), n.observed.addrs(n.host.Network().ListenAddresses())...)
	return withPeerID(dedupe(addrs), n.host.ID())
}

// close stops discovery (the DHT or mDNS), pubsub and the host.
func (n *node) close() error {
	n.cancel()
	n.wg.Wait()
	var errs []error
	if n.mdns != nil {
		if err := n.mdns.close(); err != nil {
			errs = append(errs, err)
		}
	}
	if n.dht != nil {
		if err := n.dht.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close DHT: %w", err))
		}
	}
	if err := n.host.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close host: %w", err))
	}
	return errors.Join(errs...)
}
