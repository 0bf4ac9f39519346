package p2p

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

func newPeerID(t *testing.T) peer.ID {
	t.Helper()
	_, pub, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPeersFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), peersFile)
	now := time.Now().Truncate(time.Second)
	a, b := newPeerID(t), newPeerID(t)
	in := map[peer.ID]*knownPeer{
		a: {addrs: []ma.Multiaddr{ma.StringCast("/ip4/192.0.2.1/tcp/9000"), ma.StringCast("/dns4/op.example.org/tcp/9000")}, lastSeen: now, topicPeer: true},
		b: {addrs: []ma.Multiaddr{ma.StringCast("/ip6/2001:db8::1/tcp/9001")}, lastSeen: now.Add(-time.Hour)},
	}
	if err := savePeers(path, in); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	out, err := loadPeers(path, newPeerID(t), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("loaded %d peers, want 2", len(out))
	}
	for id, want := range in {
		got := out[id]
		if got == nil || !sameAddrs(got.addrs, want.addrs) || !got.lastSeen.Equal(want.lastSeen) || got.topicPeer != want.topicPeer {
			t.Errorf("peer %s: got %+v, want %+v", id, got, want)
		}
	}
	// Self, stale peers and undialable addresses are dropped on load.
	in[newPeerID(t)] = &knownPeer{addrs: []ma.Multiaddr{ma.StringCast("/ip4/192.0.2.3/tcp/1")}, lastSeen: now.Add(-forgetAfter - time.Hour)}
	in[newPeerID(t)] = &knownPeer{addrs: []ma.Multiaddr{ma.StringCast("/ip4/0.0.0.0/tcp/1")}, lastSeen: now}
	if err := savePeers(path, in); err != nil {
		t.Fatal(err)
	}
	out, err = loadPeers(path, a, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[b] == nil {
		t.Errorf("loaded %v, want only %s", out, b)
	}
}

func TestPeersFileCorruptIgnored(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, peersFile)
	if err := os.WriteFile(path, []byte(`{"version":1,"peers":[{"id":`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadPeers(path, "", time.Now()); err == nil {
		t.Fatal("loadPeers of a truncated file: no error")
	}
	h, err := libp2p.New(libp2p.NoListenAddrs)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var logged []string
	log := hclog.New(&hclog.LoggerOptions{Output: writerFunc(func(p []byte) { logged = append(logged, string(p)) })})
	b := newPeerBook(log, h, dir, settings{discoveryInterval: time.Second, targetPeers: 8}, nil)
	if b.known() != 0 {
		t.Errorf("a corrupt file gave %d peers", b.known())
	}
	if len(logged) != 1 {
		t.Errorf("logged %q, want one warning", logged)
	}
	// The next save replaces it.
	b.save(true)
	if _, err := loadPeers(path, "", time.Now()); err != nil {
		t.Errorf("after a save: %v", err)
	}
	if err := os.WriteFile(path, []byte(`{"version":99,"peers":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadPeers(path, "", time.Now()); err == nil {
		t.Error("loadPeers of an unknown version: no error")
	}
}

type writerFunc func([]byte)

func (f writerFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }

func TestPeersBounded(t *testing.T) {
	now := time.Now()
	peers := make(map[peer.ID]*knownPeer)
	var topic []peer.ID
	for i := range maxKnownPeers + 50 {
		id := newPeerID(t)
		p := &knownPeer{addrs: []ma.Multiaddr{ma.StringCast(fmt.Sprintf("/ip4/192.0.2.1/tcp/%d", 1000+i))}, lastSeen: now.Add(-time.Duration(i) * time.Minute)}
		if i%10 == 9 { // the oldest of every ten met on a topic
			p.topicPeer = true
			topic = append(topic, id)
		}
		peers[id] = p
	}
	prune(peers, now)
	if len(peers) != maxKnownPeers {
		t.Fatalf("%d peers after prune, want %d", len(peers), maxKnownPeers)
	}
	for _, id := range topic {
		if peers[id] == nil {
			t.Errorf("topic peer %s pruned before DHT-only peers", id)
		}
	}
	// Those pruned are the DHT-only peers seen longest ago.
	var oldestKept time.Time
	for _, p := range peers {
		if !p.topicPeer && (oldestKept.IsZero() || p.lastSeen.Before(oldestKept)) {
			oldestKept = p.lastSeen
		}
	}
	if want := now.Add(-time.Duration(maxKnownPeers+50-1) * time.Minute); !oldestKept.After(want) {
		t.Errorf("oldest DHT-only peer kept was seen at %v", oldestKept)
	}

	many := make([]ma.Multiaddr, 0, 20)
	many = append(many, ma.StringCast("/ip4/127.0.0.1/tcp/1"))
	for i := range 19 {
		many = append(many, ma.StringCast(fmt.Sprintf("/ip4/192.0.2.1/tcp/%d", 2+i)))
	}
	got := limitAddrs(many)
	if len(got) != maxPeerAddrs || got[0].String() != "/ip4/192.0.2.1/tcp/2" {
		t.Errorf("limitAddrs = %v", got)
	}
}
