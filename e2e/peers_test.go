package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRememberedPeersAfterBootstrapDown: three operators (quorum 2/3),
// node 0 the only bootstrap node of the others. Nodes 1 and 2 meet and
// land results; then node 0 stops for good and nodes 1 and 2 restart on
// their data folders and ports. With no bootstrap node reachable they
// find each other from the peers they remembered, and land new results
// on their 2 of 3 weight.
func TestRememberedPeersAfterBootstrapDown(t *testing.T) {
	c := startCluster(t, clusterOptions{lazy: true})
	for i := range c.ops {
		c.startPinned(t, i, freeTCPPort(t))
	}
	c.meshed(t, 0, 1, 2)
	c.fire(t, 1, 3)
	c.landed(t, 3, 60*time.Second)

	c.ops[0].stop(t)
	c.ops[1].stop(t)
	c.ops[2].stop(t)
	for _, i := range []int{1, 2} {
		raw, err := os.ReadFile(filepath.Join(c.ops[i].opts.data, "plugins", "transport-libp2p", "peers.json"))
		if err != nil {
			t.Fatalf("node %d remembers no peers: %v", i, err)
		}
		if other := c.ops[3-i].peerID; !strings.Contains(string(raw), other) {
			t.Fatalf("node %d does not remember node %d (%s):\n%s", i, 3-i, other, raw)
		}
	}

	for _, i := range []int{1, 2} {
		op := c.ops[i]
		op.node = startNode(t, op.opts)
		var st p2pStatus
		if code := op.get("/p2p/status", &st); code != 200 || st.LocalPeerID == nil || *st.LocalPeerID != op.peerID {
			t.Fatalf("node %d after the restart: /p2p/status = %d %+v", i, code, st)
		}
	}
	c.meshed(t, 1, 2)
	c.fire(t, 3, 5)
	c.landed(t, 5, 90*time.Second)
}

// startPinned is startOperator with the node's P2P port fixed, so that
// after a restart it is where its peers remember it.
func (c *quorumCluster) startPinned(t *testing.T, i, port int) {
	t.Helper()
	c.startOperator(t, i)
	op := c.ops[i]
	op.stop(t)
	op.opts.config = strings.Replace(op.opts.config, "listen_port = 0", fmt.Sprintf("listen_port = %d", port), 1)
	if !strings.Contains(op.opts.config, fmt.Sprintf("listen_port = %d", port)) {
		t.Fatalf("node %d's config has no listen_port = 0 to pin:\n%s", i, op.opts.config)
	}
	op.node = startNode(t, op.opts)
	if i == 0 {
		c.bootstrap = fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", port, op.peerID)
	}
}

// freeTCPPort returns a TCP port free on 127.0.0.1 now.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
