package p2p_test

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// freePort returns a TCP port free on 127.0.0.1 now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// configAt is configFor with a fixed port, so that a restarted node is
// where its peers remember it.
func configAt(t *testing.T, port int, bootstrap []string) json.RawMessage {
	t.Helper()
	if bootstrap == nil {
		bootstrap = []string{}
	}
	raw, err := json.Marshal(map[string]any{
		"p2p": map[string]any{
			"remote":         map[string]any{"listen_port": port, "bootstrap_nodes": bootstrap},
			"listen_address": "127.0.0.1",
		},
		"plugin": json.RawMessage(`{"discovery_interval":"200ms"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// stop shuts an instance down.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	if err := in.impl.Shutdown(ctxFor(t, 10*time.Second)); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

// TestRememberedPeersWithoutBootstrap: B and C meet through the bootstrap
// node A; A goes away for good and B and C restart on their data folders.
// They find each other from the peers they remembered, and gossip.
func TestRememberedPeersWithoutBootstrap(t *testing.T) {
	a := start(t, "a", configFor(t, nil, ""), "")
	dirB, dirC := t.TempDir(), t.TempDir()
	portB, portC := freePort(t), freePort(t)
	b := start(t, "b", configAt(t, portB, []string{a.addr}), dirB)
	c := start(t, "c", configAt(t, portC, []string{a.addr}), dirC)
	subscribe(t, testTopic, a, b, c)
	waitMesh(t, testTopic, a, b, c)
	a.stop(t)
	b.stop(t)
	c.stop(t)

	for _, f := range []struct{ dir, other string }{{dirB, c.id}, {dirC, b.id}} {
		path := filepath.Join(f.dir, "peers.json")
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatalf("no remembered peers: %v", err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
		}
		if raw, _ := os.ReadFile(path); !strings.Contains(string(raw), f.other) {
			t.Errorf("%s does not remember %s:\n%s", path, f.other, raw)
		}
	}

	b2 := start(t, "b2", configAt(t, portB, []string{a.addr}), dirB)
	c2 := start(t, "c2", configAt(t, portC, []string{a.addr}), dirC)
	if b2.id != b.id || c2.id != c.id {
		t.Fatalf("identities changed across the restart")
	}
	subscribe(t, testTopic, b2, c2)
	inC := inbound(t, c2)
	waitMesh(t, testTopic, b2, c2)
	settle(t, testTopic, b2, map[*instance]<-chan sdk.Message{c2: inC})
}

// TestEveryNodeServesAsBootstrap: C's only bootstrap node is B, itself
// started from A; C still finds A's topic through B's DHT.
func TestEveryNodeServesAsBootstrap(t *testing.T) {
	a := start(t, "a", configFor(t, nil, ""), "")
	b := start(t, "b", configFor(t, []string{a.addr}, ""), "")
	c := start(t, "c", configFor(t, []string{b.addr}, ""), "")
	subscribe(t, testTopic, a, b, c)
	waitMesh(t, testTopic, a, b, c)
}

// TestBootstrapListIncludingSelf: every node may list every node,
// itself included, as it does in examples/cluster.
func TestBootstrapListIncludingSelf(t *testing.T) {
	ports := []int{freePort(t), freePort(t)}
	dirs := []string{t.TempDir(), t.TempDir()}
	// First starts learn the peer ids.
	var ids []string
	for i := range 2 {
		in := start(t, fmt.Sprint("probe", i), configAt(t, ports[i], nil), dirs[i])
		ids = append(ids, in.id)
		in.stop(t)
	}
	var all []string
	for i := range 2 {
		all = append(all, fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", ports[i], ids[i]))
	}
	x := start(t, "x", configAt(t, ports[0], all), dirs[0])
	y := start(t, "y", configAt(t, ports[1], all), dirs[1])
	subscribe(t, testTopic, x, y)
	waitMesh(t, testTopic, x, y)
}

// TestStatusAddresses: the listen addresses carry the peer id and are
// dialable; external addresses are the announce ones, then what peers
// observed (none on loopback), never interface addresses. Tests bind
// 127.0.0.1 only: the expansion of 0.0.0.0 into interface addresses is
// TestExpandListen's (addrs_internal_test.go, with given interfaces).
func TestStatusAddresses(t *testing.T) {
	cfg, err := json.Marshal(map[string]any{
		"p2p": map[string]any{
			"remote":         map[string]any{"listen_port": 0, "bootstrap_nodes": []string{}},
			"listen_address": "127.0.0.1",
			"announce":       []string{"/ip4/203.0.113.7/tcp/4001", "/dns4/op.example.org/tcp/4001"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := start(t, "a", cfg, "")
	st, err := a.Status(ctxFor(t, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	// B dials A on loopback, so that A is observed at no other address.
	b := start(t, "b", configFor(t, []string{st.ListenAddresses[len(st.ListenAddresses)-1]}, ""), "")
	subscribe(t, testTopic, a, b)
	waitMesh(t, testTopic, a, b)
	st, err = a.Status(ctxFor(t, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	loopSeen := false
	for _, l := range st.ListenAddresses {
		if strings.Contains(l, "/0.0.0.0/") || strings.Contains(l, "/::/") {
			t.Errorf("listen address %s is unspecified", l)
		}
		if !strings.HasSuffix(l, "/p2p/"+a.id) {
			t.Errorf("listen address %s has no /p2p/%s", l, a.id)
		}
		isLoop := strings.HasPrefix(l, "/ip4/127.") || strings.HasPrefix(l, "/ip6/::1/")
		if loopSeen && !isLoop {
			t.Errorf("listen addresses %q: loopback before %s", st.ListenAddresses, l)
		}
		loopSeen = loopSeen || isLoop
	}
	if !loopSeen {
		t.Errorf("listen addresses %q: no loopback address", st.ListenAddresses)
	}
	want := []string{"/ip4/203.0.113.7/tcp/4001/p2p/" + a.id, "/dns4/op.example.org/tcp/4001/p2p/" + a.id}
	if !slices.Equal(st.ExternalAddresses, want) {
		t.Errorf("external addresses = %q, want %q (the announce ones; the peer observed loopback)", st.ExternalAddresses, want)
	}
	if st.MaxMessageBytes != 2<<20+4096 {
		t.Errorf("MaxMessageBytes = %d", st.MaxMessageBytes)
	}
}
