package p2p

import (
	"context"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/libp2p/go-libp2p/core/discovery"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Timeouts of one discovery round's steps.
const (
	connectTimeout   = 5 * time.Second
	advertiseTimeout = 10 * time.Second
	findTimeout      = 10 * time.Second
	// findLimit bounds how many peers one lookup returns.
	findLimit = 64
	// minReadvertise bounds how often a topic is advertised again.
	minReadvertise = time.Minute
)

// discoverer keeps the node connected to its bootstrap nodes and to the
// peers that advertise the node's topics in the DHT.
type discoverer struct {
	log       hclog.Logger
	host      host.Host
	disc      discovery.Discovery
	bootstrap []peer.AddrInfo
	interval  time.Duration
	topics    func() []string
	kick      <-chan struct{}
}

// run does a discovery round at once, then every interval and whenever
// kicked, until ctx ends.
func (d *discoverer) run(ctx context.Context) {
	// nextAdvert is when each rendezvous string is due to be advertised
	// again; a topic that was never advertised successfully is due now.
	nextAdvert := make(map[string]time.Time)
	ticker := time.NewTicker(d.interval)
	defer ticker.Stop()
	for {
		d.round(ctx, nextAdvert)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-d.kick:
		}
	}
}

// round connects to unconnected bootstrap nodes, advertises the topics
// that are due and connects to the topics' other peers.
func (d *discoverer) round(ctx context.Context, nextAdvert map[string]time.Time) {
	for _, info := range d.bootstrap {
		d.connect(ctx, info, "bootstrap node")
	}
	wanted := make(map[string]bool)
	for _, topic := range d.topics() {
		ns := rendezvousPfx + topic
		wanted[ns] = true
		if ctx.Err() != nil {
			return
		}
		if time.Now().After(nextAdvert[ns]) {
			actx, cancel := context.WithTimeout(ctx, advertiseTimeout)
			ttl, err := d.disc.Advertise(actx, ns)
			cancel()
			if err != nil {
				d.log.Debug("advertise topic failed; retrying next round", "topic", topic, "error", err)
			} else {
				nextAdvert[ns] = time.Now().Add(max(ttl/2, minReadvertise))
			}
		}
		d.find(ctx, topic, ns)
	}
	for ns := range nextAdvert {
		if !wanted[ns] {
			delete(nextAdvert, ns)
		}
	}
}

// find connects to the peers advertising ns.
func (d *discoverer) find(ctx context.Context, topic, ns string) {
	fctx, cancel := context.WithTimeout(ctx, findTimeout)
	defer cancel()
	peers, err := d.disc.FindPeers(fctx, ns, discovery.Limit(findLimit))
	if err != nil {
		d.log.Debug("find topic peers failed; retrying next round", "topic", topic, "error", err)
		return
	}
	for info := range peers {
		d.connect(ctx, info, "topic peer")
	}
}

// connect dials info unless it is this node or already connected.
func (d *discoverer) connect(ctx context.Context, info peer.AddrInfo, what string) {
	if info.ID == d.host.ID() {
		return
	}
	if d.host.Network().Connectedness(info.ID) == network.Connected {
		return
	}
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := d.host.Connect(cctx, info); err != nil {
		d.log.Debug("connect failed", "what", what, "peer", info.ID.String(), "error", err)
		return
	}
	d.log.Debug("connected", "what", what, "peer", info.ID.String())
}
