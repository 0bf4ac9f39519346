package p2p

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/wavs-go/wavs/internal/atomicfile"
	"github.com/wavs-go/wavs/internal/backoff"
)

// Remembered peers. A node keeps the peers it met in peers.json inside
// the plugin's data folder, so that it finds them again after a restart
// without any bootstrap node: the peers it saw on a subscribed topic
// (operators of the same services) in either mode, and in remote mode
// also every connected peer of the wavs DHT (each can answer DHT lookups,
// so each is a way back into the network). On start the node dials them
// all; then, every discovery_interval while fewer than target_peers are
// connected, it dials those not connected, each failing peer less often
// (up to every maxRedialPause).
const (
	peersFile = "peers.json"
	// peersFileVersion is the version of peers.json's format.
	peersFileVersion = 1
	// maxKnownPeers bounds peers.json: beyond it, peers met only in the
	// DHT go first, then those seen longest ago.
	maxKnownPeers = 128
	// maxPeerAddrs bounds the addresses kept of one peer.
	maxPeerAddrs = 8
	// forgetAfter: a peer not seen for this long is forgotten.
	forgetAfter = 30 * 24 * time.Hour
	// saveEvery bounds how often peers.json is written when only the
	// times peers were last seen changed; a new peer or new addresses are
	// written at the next round.
	saveEvery = time.Minute
	// maxRedialPause bounds the pause between dials of a peer that keeps
	// failing.
	maxRedialPause = 2 * time.Minute
	// redialParallel bounds the dials made at once.
	redialParallel = 8
	// observeEvery bounds the pause between looks at the connected peers.
	observeEvery = time.Second
)

// dhtProtocol is the wavs DHT's protocol (see dhtPrefix).
var dhtProtocol = protocol.ID(dhtPrefix + "/kad/1.0.0")

// knownPeerJSON is one peer in peers.json.
type knownPeerJSON struct {
	ID       string    `json:"id"`
	Addrs    []string  `json:"addrs"`
	LastSeen time.Time `json:"last_seen"`
	// TopicPeer: the peer was seen on a subscribed topic.
	TopicPeer bool `json:"topic_peer,omitempty"`
}

type peersFileJSON struct {
	Version int             `json:"version"`
	Peers   []knownPeerJSON `json:"peers"`
}

// knownPeer is a remembered peer.
type knownPeer struct {
	addrs     []ma.Multiaddr
	lastSeen  time.Time
	topicPeer bool
}

// peerBook remembers peers (see the constants above) and dials them.
type peerBook struct {
	log      hclog.Logger
	host     host.Host
	path     string // "": nothing is read or written
	remote   bool
	interval time.Duration
	target   int
	// topicPeers returns the peers seen on the subscribed topics.
	topicPeers func() map[peer.ID]bool

	mu      sync.Mutex
	peers   map[peer.ID]*knownPeer
	changed bool
	savedAt time.Time
	// fails and next pace the dials of each peer that failed.
	fails map[peer.ID]int
	next  map[peer.ID]time.Time
}

// newPeerBook reads the peers remembered in dir (none if dir is empty). A
// file that cannot be read or parsed is logged and ignored: it is
// replaced at the next save.
func newPeerBook(log hclog.Logger, h host.Host, dir string, s settings, topicPeers func() map[peer.ID]bool) *peerBook {
	b := &peerBook{
		log: log, host: h, remote: s.mode == modeRemote, interval: s.discoveryInterval, target: s.targetPeers,
		topicPeers: topicPeers,
		peers:      make(map[peer.ID]*knownPeer), fails: make(map[peer.ID]int), next: make(map[peer.ID]time.Time),
	}
	if dir == "" {
		return b
	}
	b.path = filepath.Join(dir, peersFile)
	peers, err := loadPeers(b.path, h.ID(), time.Now())
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		log.Warn("remembered peers ignored", "file", b.path, "error", err)
	default:
		b.peers = peers
		log.Info("remembered peers loaded", "file", b.path, "peers", len(peers))
	}
	return b
}

// loadPeers reads a peers file, skipping malformed entries, self and
// peers not seen for forgetAfter.
func loadPeers(path string, self peer.ID, now time.Time) (map[peer.ID]*knownPeer, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f peersFileJSON
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("corrupt: %w", err)
	}
	if f.Version != peersFileVersion {
		return nil, fmt.Errorf("version %d: want %d", f.Version, peersFileVersion)
	}
	out := make(map[peer.ID]*knownPeer)
	for _, p := range f.Peers {
		id, err := peer.Decode(p.ID)
		if err != nil || id == self || now.Sub(p.LastSeen) > forgetAfter {
			continue
		}
		var addrs []ma.Multiaddr
		for _, s := range p.Addrs {
			if a, err := ma.NewMultiaddr(s); err == nil && dialable(a) {
				addrs = append(addrs, a)
			}
		}
		if len(addrs) == 0 {
			continue
		}
		out[id] = &knownPeer{addrs: limitAddrs(addrs), lastSeen: p.LastSeen, topicPeer: p.TopicPeer}
	}
	prune(out, now)
	return out, nil
}

// prune forgets peers not seen for forgetAfter and bounds the book to
// maxKnownPeers, keeping topic peers first, then the latest seen.
func prune(peers map[peer.ID]*knownPeer, now time.Time) {
	for id, p := range peers {
		if now.Sub(p.lastSeen) > forgetAfter {
			delete(peers, id)
		}
	}
	if len(peers) <= maxKnownPeers {
		return
	}
	ids := make([]peer.ID, 0, len(peers))
	for id := range peers {
		ids = append(ids, id)
	}
	sortPeers(ids, peers)
	for _, id := range ids[maxKnownPeers:] {
		delete(peers, id)
	}
}

// sortPeers orders ids topic peers first, then latest seen first.
func sortPeers(ids []peer.ID, peers map[peer.ID]*knownPeer) {
	slices.SortFunc(ids, func(a, b peer.ID) int {
		pa, pb := peers[a], peers[b]
		switch {
		case pa.topicPeer != pb.topicPeer:
			if pa.topicPeer {
				return -1
			}
			return 1
		case !pa.lastSeen.Equal(pb.lastSeen):
			return pb.lastSeen.Compare(pa.lastSeen)
		}
		return compareStrings(string(a), string(b))
	})
}

// limitAddrs keeps maxPeerAddrs addresses, loopback ones after the others.
func limitAddrs(addrs []ma.Multiaddr) []ma.Multiaddr {
	addrs = dedupe(addrs)
	slices.SortStableFunc(addrs, func(a, b ma.Multiaddr) int {
		la, lb := manet.IsIPLoopback(a), manet.IsIPLoopback(b)
		switch {
		case la == lb:
			return 0
		case lb:
			return -1
		}
		return 1
	})
	return addrs[:min(len(addrs), maxPeerAddrs)]
}

// savePeers writes peers to path atomically with mode 0600.
func savePeers(path string, peers map[peer.ID]*knownPeer) error {
	f := peersFileJSON{Version: peersFileVersion, Peers: make([]knownPeerJSON, 0, len(peers))}
	for id, p := range peers {
		e := knownPeerJSON{ID: id.String(), LastSeen: p.lastSeen.UTC(), TopicPeer: p.topicPeer}
		for _, a := range p.addrs {
			e.Addrs = append(e.Addrs, a.String())
		}
		f.Peers = append(f.Peers, e)
	}
	slices.SortFunc(f.Peers, func(a, b knownPeerJSON) int { return compareStrings(a.ID, b.ID) })
	raw, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(raw, '\n'), 0o600)
}

// run dials the remembered peers at once, then notes the connected peers
// worth remembering whenever a peer is identified and every observeEvery
// (or interval, if shorter), dials remembered ones every interval while
// fewer than target are connected, and saves the book; it saves once more
// when ctx ends.
func (b *peerBook) run(ctx context.Context) {
	idents, err := b.host.EventBus().Subscribe(new(event.EvtPeerIdentificationCompleted))
	if err != nil {
		b.log.Warn("peers are remembered only every round", "error", err)
	} else {
		defer idents.Close()
	}
	var identified <-chan any
	if idents != nil {
		identified = idents.Out()
	}
	b.redial(ctx)
	lastRedial := time.Now()
	ticker := time.NewTicker(min(b.interval, observeEvery))
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			b.observe(time.Now())
			b.save(true)
			return
		case <-identified:
			b.observe(time.Now())
			continue
		case <-ticker.C:
		}
		now := time.Now()
		b.observe(now)
		if now.Sub(lastRedial) >= b.interval && len(b.host.Network().Peers()) < b.target {
			b.redial(ctx)
			lastRedial = time.Now()
		}
		b.save(false)
	}
}

// flush notes the connected peers and saves the book now: the transport
// calls it before it leaves its topics on shutdown.
func (b *peerBook) flush() {
	b.observe(time.Now())
	b.save(true)
}

// observe remembers the connected peers seen on a subscribed topic, and
// in remote mode those of the wavs DHT, with their addresses.
func (b *peerBook) observe(now time.Time) {
	topic := b.topicPeers()
	ps := b.host.Peerstore()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, id := range b.host.Network().Peers() {
		onTopic := topic[id]
		if !onTopic && !(b.remote && b.inDHT(id)) {
			continue
		}
		var addrs []ma.Multiaddr
		for _, a := range ps.Addrs(id) {
			if dialable(a) {
				addrs = append(addrs, a)
			}
		}
		if len(addrs) == 0 {
			continue
		}
		addrs = limitAddrs(addrs)
		p := b.peers[id]
		if p == nil {
			p = &knownPeer{}
			b.peers[id] = p
			b.changed = true
			b.log.Debug("peer remembered", "peer", id.String(), "topic_peer", onTopic)
		}
		if !sameAddrs(p.addrs, addrs) {
			p.addrs = addrs
			b.changed = true
		}
		if onTopic && !p.topicPeer {
			p.topicPeer = true
			b.changed = true
		}
		p.lastSeen = now
	}
	n := len(b.peers)
	prune(b.peers, now)
	if len(b.peers) != n {
		b.changed = true
	}
}

func (b *peerBook) inDHT(id peer.ID) bool {
	ok, err := b.host.Peerstore().SupportsProtocols(id, dhtProtocol)
	return err == nil && len(ok) > 0
}

func sameAddrs(a, b []ma.Multiaddr) bool {
	return slices.EqualFunc(a, b, func(x, y ma.Multiaddr) bool { return x.Equal(y) })
}

// save writes the book if peers or addresses changed, or if force or
// saveEvery passed since the last write.
func (b *peerBook) save(force bool) {
	if b.path == "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.changed && !force && time.Since(b.savedAt) < saveEvery {
		return
	}
	if err := savePeers(b.path, b.peers); err != nil {
		b.log.Warn("save remembered peers", "file", b.path, "error", err)
		return
	}
	b.changed, b.savedAt = false, time.Now()
}

// redial dials the remembered peers that are not connected and due,
// topic peers first, at most redialParallel at once.
func (b *peerBook) redial(ctx context.Context) {
	now := time.Now()
	net := b.host.Network()
	b.mu.Lock()
	var due []peer.ID
	for id := range b.peers {
		if id != b.host.ID() && net.Connectedness(id) != network.Connected && !b.next[id].After(now) {
			due = append(due, id)
		}
	}
	sortPeers(due, b.peers)
	infos := make([]peer.AddrInfo, len(due))
	for i, id := range due {
		infos[i] = peer.AddrInfo{ID: id, Addrs: slices.Clone(b.peers[id].addrs)}
	}
	b.mu.Unlock()

	sem := make(chan struct{}, redialParallel)
	var wg sync.WaitGroup
	for _, info := range infos {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			// The swarm's own backoff would hold a peer that was down
			// for minutes after it is back; this book paces its dials.
			if sw, ok := net.(*swarm.Swarm); ok {
				sw.Backoff().Clear(info.ID)
			}
			cctx, cancel := context.WithTimeout(ctx, connectTimeout)
			err := b.host.Connect(cctx, info)
			cancel()
			b.mu.Lock()
			defer b.mu.Unlock()
			if err != nil {
				b.fails[info.ID]++
				b.next[info.ID] = time.Now().Add(backoff.Doubling(b.interval, maxRedialPause, b.fails[info.ID]-1))
				b.log.Debug("remembered peer not reached", "peer", info.ID.String(), "error", err)
				return
			}
			delete(b.fails, info.ID)
			delete(b.next, info.ID)
			b.log.Debug("connected", "what", "remembered peer", "peer", info.ID.String())
		}()
	}
	wg.Wait()
}

// known returns how many peers the book holds.
func (b *peerBook) known() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.peers)
}

// topicPeerSet returns a function listing the peers pubsub sees on the
// topics topics names.
func topicPeerSet(n *node, topics func() []string) func() map[peer.ID]bool {
	return func() map[peer.ID]bool {
		out := make(map[peer.ID]bool)
		for _, t := range topics() {
			for _, p := range n.ps.ListPeers(t) {
				out[p] = true
			}
		}
		return out
	}
}

// startBook starts remembering and redialling peers (see peerBook); it
// runs until the node closes.
func (n *node) startBook(ctx context.Context, log hclog.Logger, s settings, topics func() []string) {
	n.book = newPeerBook(log, n.host, s.dataDir, s, topicPeerSet(n, topics))
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		n.book.run(ctx)
	}()
}
