//go:build linux

package p2p_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/plugins/transport-libp2p/p2p"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// Local mode (mDNS) multicasts on every interface it can see, so it is
// only ever run inside network namespaces this test creates: two
// namespaces joined by a veth pair, with one helper process (this test
// binary, re-executed under "ip netns exec") in each. The parent process
// never configures a local-mode transport.

const (
	// mdnsHelperEnv carries a helper's mdnsHelperConfig as JSON; it marks
	// the process as a helper.
	mdnsHelperEnv = "WAVS_P2P_MDNS_HELPER"
	// mdnsLinePrefix starts every line a helper writes for the parent, so
	// the parent can ignore the test framework's own output.
	mdnsLinePrefix = "mdns-helper-event "
	// mdnsIface is the veth end's name in each namespace.
	mdnsIface = "veth0"
	// mdnsDeadline bounds the whole test once the helpers run.
	mdnsDeadline = 30 * time.Second
	// mdnsReplyTimeout bounds a helper's answer to one command.
	mdnsReplyTimeout = 5 * time.Second
)

// mdnsRun makes namespace names unique within one process (-count=N).
var mdnsRun atomic.Int64

// mdnsHelperConfig is what the parent tells a helper.
type mdnsHelperConfig struct {
	Netns   string `json:"netns"`
	Iface   string `json:"iface"`
	IP      string `json:"ip"`
	DataDir string `json:"data_dir"`
	Topic   string `json:"topic"`
}

// mdnsEvent is one line from a helper: "ready" once (peer id and listen
// addresses), "status" and "published" in answer to commands, "message"
// for every inbound message, "error" when a command failed.
type mdnsEvent struct {
	Event      string         `json:"event"`
	PeerID     string         `json:"peer_id,omitempty"`
	Listen     []string       `json:"listen,omitempty"`
	Peers      []string       `json:"peers,omitempty"`
	Topics     []string       `json:"topics,omitempty"`
	TopicPeers map[string]int `json:"topic_peers,omitempty"`
	From       string         `json:"from,omitempty"`
	Topic      string         `json:"topic,omitempty"`
	Data       string         `json:"data,omitempty"`
	Error      string         `json:"error,omitempty"`
}

// TestMDNSNetns: two local-mode nodes in two namespaces, given no
// bootstrap address, find each other by mDNS, see each other on the topic
// in Status, and gossip a message each way without echo.
func TestMDNSNetns(t *testing.T) {
	nsA, nsB := makeNetnsPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), mdnsDeadline)
	t.Cleanup(cancel)

	a := startMDNSHelper(ctx, t, "A", nsA, "10.77.0.1")
	b := startMDNSHelper(ctx, t, "B", nsB, "10.77.0.2")
	if a.id == b.id {
		t.Fatalf("both helpers have peer id %s", a.id)
	}
	for _, p := range []*mdnsHelper{a, b} {
		if len(p.listen) != 1 || !strings.HasPrefix(p.listen[0], "/ip4/"+p.ip+"/tcp/") {
			t.Fatalf("%s listens on %q, want only /ip4/%s/tcp/...", p.name, p.listen, p.ip)
		}
	}

	// Discovery: only mDNS can connect them, as neither config names the
	// other and local mode has no DHT.
	start := time.Now()
	var why string
	for connected := false; !connected; {
		connected = true
		for _, pair := range [][2]*mdnsHelper{{a, b}, {b, a}} {
			p, other := pair[0], pair[1]
			st := p.command(ctx, t, "status", "status")
			switch {
			case !slices.Equal(st.Peers, []string{other.id}):
				connected, why = false, fmt.Sprintf("%s's peers are %q, want only %s", p.name, st.Peers, other.id)
			case !slices.Equal(st.Topics, []string{testTopic}):
				t.Fatalf("%s's topics are %q, want [%q]", p.name, st.Topics, testTopic)
			case st.TopicPeers[testTopic] != 1:
				connected, why = false, fmt.Sprintf("%s sees %d peers on %q, want 1", p.name, st.TopicPeers[testTopic], testTopic)
			}
		}
		if !connected {
			select {
			case <-ctx.Done():
				t.Fatalf("no mDNS discovery within %s: %s", mdnsDeadline, why)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	t.Logf("A and B found each other by mDNS and share the topic after %s", time.Since(start).Round(time.Millisecond))

	mdnsGossip(ctx, t, a, b)
	mdnsGossip(ctx, t, b, a)
}

// mdnsGossip publishes probes from "from" until "to" takes one (GossipSub
// may not forward right after peers meet), then a payload that "to" must
// receive exactly once and "from" never.
func mdnsGossip(ctx context.Context, t *testing.T, from, to *mdnsHelper) {
	t.Helper()
	for i := 0; ; i++ {
		from.command(ctx, t, fmt.Sprintf("publish %s%d", probePrefix, i), "published")
		if got := to.messages(ctx, 200*time.Millisecond); slices.ContainsFunc(got, func(m mdnsEvent) bool {
			return strings.HasPrefix(m.Data, probePrefix)
		}) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("probes from %s never reached %s", from.name, to.name)
		}
	}
	payload := "hello from " + from.name
	from.command(ctx, t, "publish "+payload, "published")
	got := to.messages(ctx, 1500*time.Millisecond)
	n := 0
	for _, m := range got {
		if m.Data == payload {
			n++
			if m.From != from.id || m.Topic != testTopic {
				t.Errorf("%s received %+v, want from %s on %q", to.name, m, from.id, testTopic)
			}
		}
	}
	if n != 1 {
		t.Errorf("%s received %q %d times, want once (got %+v)", to.name, payload, n, got)
	}
	for _, m := range from.messages(ctx, 0) {
		if m.From == from.id || m.Data == payload {
			t.Errorf("%s received its own message %+v", from.name, m)
		}
	}
}

// makeNetnsPair creates two namespaces joined by a veth pair, 10.77.0.1/24
// and 10.77.0.2/24, and deletes them when the test ends. The veth ends are
// created directly inside the namespaces, never on the host. It skips the
// test when namespaces cannot be made.
func makeNetnsPair(t *testing.T) (nsA, nsB string) {
	t.Helper()
	const why = "; local mode (mDNS) is only tested inside network namespaces the test creates, never on the machine's interfaces"
	if os.Geteuid() != 0 {
		t.Skip("not root, so network namespaces cannot be created" + why)
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("no ip binary (iproute2) to create network namespaces" + why)
	}
	run := mdnsRun.Add(1)
	nsA = fmt.Sprintf("wavs-mdns-%d-%d-a", os.Getpid(), run)
	nsB = fmt.Sprintf("wavs-mdns-%d-%d-b", os.Getpid(), run)
	for _, ns := range []string{nsA, nsB} {
		if out, err := ipCmd("netns", "add", ns); err != nil {
			t.Skipf("cannot create network namespace %s (%v: %s)%s", ns, err, out, why)
		}
		t.Cleanup(func() {
			if out, err := ipCmd("netns", "delete", ns); err != nil {
				t.Errorf("delete network namespace %s: %v: %s", ns, err, out)
			}
		})
	}
	if out, err := ipCmd("link", "add", mdnsIface, "netns", nsA, "type", "veth", "peer", "name", mdnsIface, "netns", nsB); err != nil {
		t.Skipf("cannot create a veth pair between namespaces (%v: %s)%s", err, out, why)
	}
	for _, c := range []struct{ ns, cidr string }{{nsA, "10.77.0.1/24"}, {nsB, "10.77.0.2/24"}} {
		for _, args := range [][]string{
			{"-n", c.ns, "link", "set", "lo", "up"},
			{"-n", c.ns, "addr", "add", c.cidr, "dev", mdnsIface},
			{"-n", c.ns, "link", "set", mdnsIface, "multicast", "on", "up"},
		} {
			if out, err := ipCmd(args...); err != nil {
				t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
			}
		}
	}
	return nsA, nsB
}

// ipCmd runs ip with args, with a timeout, and returns its output.
func ipCmd(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// mdnsHelper is the parent's handle on one helper process.
type mdnsHelper struct {
	name, ip string
	id       string
	listen   []string
	stdin    io.WriteCloser
	// replies carries every event but "message"; msgs carries those.
	replies chan mdnsEvent
	msgs    chan mdnsEvent
	// output is the helper's stderr and its stdout lines that are not
	// events.
	output *syncBuffer
}

// startMDNSHelper starts this test binary as a helper inside ns with
// listen_address ip and waits for it to report ready. The helper is
// stopped (stdin closed, then killed) when the test ends, and at once when
// ctx ends.
func startMDNSHelper(ctx context.Context, t *testing.T, name, ns, ip string) *mdnsHelper {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("find the test binary: %v", err)
	}
	cfg, err := json.Marshal(mdnsHelperConfig{Netns: ns, Iface: mdnsIface, IP: ip, DataDir: t.TempDir(), Topic: testTopic})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", ns, exe,
		"-test.run=^TestMDNSHelperProcess$", "-test.count=1", "-test.timeout=60s")
	cmd.Env = append(os.Environ(), mdnsHelperEnv+"="+string(cfg))
	cmd.WaitDelay = 5 * time.Second
	h := &mdnsHelper{name: name, ip: ip, replies: make(chan mdnsEvent, 16), msgs: make(chan mdnsEvent, 256), output: &syncBuffer{}}
	cmd.Stderr = h.output
	if h.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start helper %s: %v", name, err)
	}
	exited := make(chan struct{})
	go func() {
		defer close(h.replies)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line, ok := strings.CutPrefix(sc.Text(), mdnsLinePrefix)
			if !ok {
				// The test framework's output, such as the helper's
				// own failure: keep it with the logs.
				fmt.Fprintf(h.output, "%s\n", sc.Text())
				continue
			}
			var ev mdnsEvent
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				ev = mdnsEvent{Event: "error", Error: fmt.Sprintf("bad event line %q: %v", line, err)}
			}
			if ev.Event == "message" {
				select {
				case h.msgs <- ev:
				default: // the test never lets this many pile up
				}
				continue
			}
			h.replies <- ev
		}
	}()
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = h.stdin.Close() // the helper shuts down on EOF
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("helper %s (namespace %s) output:\n%s", name, ns, h.output.String())
		}
	})

	ready := h.await(ctx, t, "ready")
	h.id, h.listen = ready.PeerID, ready.Listen
	return h
}

// command sends line to the helper and returns its answer, which must be
// an event named want.
func (h *mdnsHelper) command(ctx context.Context, t *testing.T, line, want string) mdnsEvent {
	t.Helper()
	if _, err := io.WriteString(h.stdin, line+"\n"); err != nil {
		t.Fatalf("helper %s: send %q: %v", h.name, line, err)
	}
	return h.await(ctx, t, want)
}

// await returns the helper's next non-message event, which must be want.
func (h *mdnsHelper) await(ctx context.Context, t *testing.T, want string) mdnsEvent {
	t.Helper()
	select {
	case ev, ok := <-h.replies:
		switch {
		case !ok:
			t.Fatalf("helper %s exited while %q was awaited", h.name, want)
		case ev.Event != want:
			t.Fatalf("helper %s answered %+v, want %q", h.name, ev, want)
		}
		return ev
	case <-time.After(mdnsReplyTimeout):
		t.Fatalf("helper %s: no %q within %s", h.name, want, mdnsReplyTimeout)
	case <-ctx.Done():
		t.Fatalf("helper %s: test deadline passed awaiting %q", h.name, want)
	}
	return mdnsEvent{}
}

// messages returns the messages that the helper has received or receives
// within d.
func (h *mdnsHelper) messages(ctx context.Context, d time.Duration) []mdnsEvent {
	var got []mdnsEvent
	timeout := time.After(d)
	for {
		select {
		case m := <-h.msgs:
			got = append(got, m)
			continue
		default:
		}
		select {
		case m := <-h.msgs:
			got = append(got, m)
		case <-timeout:
			return got
		case <-ctx.Done():
			return got
		}
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and other readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestMDNSHelperProcess is the helper TestMDNSNetns runs inside each
// namespace; on its own it skips. It refuses to start unless it is in the
// namespace it was given and sees no interface but lo and the veth end.
// It starts a local-mode transport on the namespace's address, subscribes
// the topic, reports "ready" and every inbound message, and answers the
// commands "status" and "publish <data>" read from stdin until EOF.
func TestMDNSHelperProcess(t *testing.T) {
	raw := os.Getenv(mdnsHelperEnv)
	if raw == "" {
		t.Skip("helper process of TestMDNSNetns; it runs only when that test starts it inside a network namespace")
	}
	var cfg mdnsHelperConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatalf("%s: %v", mdnsHelperEnv, err)
	}
	if err := checkInNetns(cfg); err != nil {
		t.Fatalf("refusing to start mDNS: %v", err)
	}

	var outMu sync.Mutex
	emit := func(ev mdnsEvent) {
		line, err := json.Marshal(ev)
		if err != nil {
			panic(err)
		}
		outMu.Lock()
		defer outMu.Unlock()
		fmt.Fprintf(os.Stdout, "%s%s\n", mdnsLinePrefix, line)
	}

	impl := p2p.New(hclog.New(&hclog.LoggerOptions{Name: cfg.Netns, Level: hclog.Debug, Output: os.Stderr}))
	t.Cleanup(func() { _ = impl.Shutdown(context.Background()) })
	tr := plugintest.ConnectTransport(t, impl)
	config := fmt.Sprintf(`{"p2p":{"local":{"listen_port":0},"listen_address":%q}}`, cfg.IP)
	if err := tr.Configure(ctxFor(t, 10*time.Second), sdk.ConfigureRequest{DataDir: cfg.DataDir, Config: []byte(config), HostVersion: "test"}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if err := tr.Subscribe(ctxFor(t, 5*time.Second), cfg.Topic); err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	inCtx, inCancel := context.WithCancel(context.Background())
	t.Cleanup(inCancel)
	in, err := tr.Inbound(inCtx)
	if err != nil {
		t.Fatalf("Inbound: %v", err)
	}
	go func() {
		for m := range in {
			emit(mdnsEvent{Event: "message", From: m.From, Topic: m.Topic, Data: string(m.Data)})
		}
	}()
	st, err := tr.Status(ctxFor(t, 5*time.Second))
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	emit(mdnsEvent{Event: "ready", PeerID: st.LocalPeerID, Listen: st.ListenAddresses})

	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		cmd, arg, _ := strings.Cut(sc.Text(), " ")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		switch cmd {
		case "status":
			st, err := tr.Status(ctx)
			if err != nil {
				emit(mdnsEvent{Event: "error", Error: err.Error()})
				break
			}
			emit(mdnsEvent{Event: "status", PeerID: st.LocalPeerID, Peers: st.PeerIDs, Topics: st.SubscribedTopics, TopicPeers: st.TopicPeerCounts})
		case "publish":
			if err := tr.Publish(ctx, cfg.Topic, []byte(arg)); err != nil {
				emit(mdnsEvent{Event: "error", Error: err.Error()})
				break
			}
			emit(mdnsEvent{Event: "published"})
		default:
			emit(mdnsEvent{Event: "error", Error: fmt.Sprintf("unknown command %q", cmd)})
		}
		cancel()
	}
}

// checkInNetns reports an error unless this process is in the network
// namespace cfg.Netns and its only interfaces are lo and cfg.Iface: the
// guard that keeps mDNS off the machine's real interfaces.
func checkInNetns(cfg mdnsHelperConfig) error {
	if cfg.Netns == "" || strings.ContainsAny(cfg.Netns, "/.") {
		return fmt.Errorf("bad namespace name %q", cfg.Netns)
	}
	var self, named syscall.Stat_t
	if err := syscall.Stat("/proc/self/ns/net", &self); err != nil {
		return fmt.Errorf("stat own network namespace: %w", err)
	}
	if err := syscall.Stat(filepath.Join("/run/netns", cfg.Netns), &named); err != nil {
		return fmt.Errorf("stat network namespace %s: %w", cfg.Netns, err)
	}
	if self.Dev != named.Dev || self.Ino != named.Ino {
		return fmt.Errorf("this process is not in network namespace %s", cfg.Netns)
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return fmt.Errorf("list interfaces: %w", err)
	}
	var errs []error
	for _, ifi := range ifaces {
		if ifi.Name != "lo" && ifi.Name != cfg.Iface {
			errs = append(errs, fmt.Errorf("unexpected interface %s in namespace %s", ifi.Name, cfg.Netns))
		}
	}
	return errors.Join(errs...)
}
