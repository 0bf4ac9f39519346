package e2e

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestP2PNodesFindEachOther starts two nodes in remote (DHT) mode on
// loopback, the second bootstrapping from the first, and checks what
// /p2p/status reports on both.
func TestP2PNodesFindEachOther(t *testing.T) {
	p2pConfig := func(bootstrap string) string {
		return fmt.Sprintf("[wavs.p2p]\nlisten_address = \"127.0.0.1\"\nremote = { listen_port = 0, bootstrap_nodes = [%s] }\n", bootstrap)
	}
	a := startNode(t, nodeOptions{plugins: []string{"transport-libp2p"}, config: p2pConfig("")})
	var sa p2pStatus
	if code := a.get("/p2p/status", &sa); code != 200 || sa.Enabled == nil || !*sa.Enabled || *sa.LocalPeerID == "" || len(sa.ListenAddresses) == 0 {
		t.Fatalf("bootstrap node /p2p/status = %d %+v", code, sa)
	}
	b := startNode(t, nodeOptions{plugins: []string{"transport-libp2p"}, config: p2pConfig(fmt.Sprintf("%q", sa.ListenAddresses[0]))})
	var sb p2pStatus
	ok := eventually(20*time.Second, func() bool {
		a.get("/p2p/status", &sa)
		b.get("/p2p/status", &sb)
		return slices.Contains(sa.PeerIDs, *sb.LocalPeerID) && slices.Contains(sb.PeerIDs, *sa.LocalPeerID)
	})
	if !ok {
		t.Fatalf("nodes did not connect:\nA %+v\nB %+v", sa, sb)
	}
	if *sa.ConnectedPeers != len(sa.PeerIDs) || *sb.ConnectedPeers < 1 {
		t.Errorf("connected_peers %d/%d does not match peer_ids", *sa.ConnectedPeers, *sb.ConnectedPeers)
	}
}
