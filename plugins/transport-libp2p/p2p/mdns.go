package p2p

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
)

// mdnsServiceName is the DNS-SD service wavs nodes announce and browse in
// local mode. It differs from go-libp2p's default "_p2p._udp", so a wavs
// node neither finds nor is found by other libp2p applications on the LAN.
const mdnsServiceName = "_wavs-p2p._udp"

// A peer mDNS reports is dialled up to mdnsConnectAttempts times,
// mdnsRetryDelay apart; after that, only when mDNS reports it again.
const (
	mdnsConnectAttempts = 3
	mdnsRetryDelay      = time.Second
)

// mdnsDiscovery announces the node by mDNS and connects to the wavs peers
// the browser reports.
type mdnsDiscovery struct {
	log  hclog.Logger
	host host.Host
	ctx  context.Context
	svc  mdns.Service

	// mu guards closed and the Add of wg: go-libp2p calls HandlePeerFound
	// in goroutines of its own, which close must wait for.
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// startMDNS starts announcing h and connecting to the peers found, until
// ctx ends and close is called. It multicasts on every multicast-capable
// interface of the machine.
func startMDNS(ctx context.Context, log hclog.Logger, h host.Host) (*mdnsDiscovery, error) {
	d := &mdnsDiscovery{log: log, host: h, ctx: ctx}
	d.svc = mdns.NewMdnsService(h, mdnsServiceName, d)
	if err := d.svc.Start(); err != nil {
		_ = d.svc.Close()
		return nil, fmt.Errorf("start mDNS service %s: %w", mdnsServiceName, err)
	}
	return d, nil
}

// HandlePeerFound implements mdns.Notifee: it dials info unless it is this
// node, is already connected or discovery is closed.
func (d *mdnsDiscovery) HandlePeerFound(info peer.AddrInfo) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.wg.Add(1)
	d.mu.Unlock()
	defer d.wg.Done()

	if info.ID == d.host.ID() {
		return
	}
	for attempt := 1; ; attempt++ {
		if d.host.Network().Connectedness(info.ID) == network.Connected {
			return
		}
		err := d.connect(info)
		if err == nil {
			d.log.Debug("connected", "what", "mDNS peer", "peer", info.ID.String())
			return
		}
		if attempt == mdnsConnectAttempts {
			d.log.Debug("connect to mDNS peer failed; waiting for its next announcement", "peer", info.ID.String(), "error", err)
			return
		}
		d.log.Debug("connect to mDNS peer failed; retrying", "peer", info.ID.String(), "attempt", attempt, "error", err)
		select {
		case <-d.ctx.Done():
			return
		case <-time.After(mdnsRetryDelay):
		}
	}
}

// connect dials info once, within connectTimeout.
func (d *mdnsDiscovery) connect(info peer.AddrInfo) error {
	ctx, cancel := context.WithTimeout(d.ctx, connectTimeout)
	defer cancel()
	return d.host.Connect(ctx, info)
}

// close stops announcing and browsing and waits for connects in progress.
// The context given to startMDNS must be cancelled first, or close waits
// for those connects to time out.
func (d *mdnsDiscovery) close() error {
	err := d.svc.Close()
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.wg.Wait()
	if err != nil {
		return fmt.Errorf("close mDNS service: %w", err)
	}
	return nil
}
