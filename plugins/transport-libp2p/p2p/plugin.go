package p2p

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/wavs-go/wavs/internal/version"
	"github.com/wavs-go/wavs/sdk"
)

// Capability is the capability the plugin lists in its Info.
const Capability = "transport:libp2p"

// inboundBuffer is how many received messages wait for the host's
// Inbound stream before the subscriptions' readers block.
const inboundBuffer = 256

// Transport is the libp2p transport. Create it with New; it does nothing
// until Configure.
type Transport struct {
	log hclog.Logger
	// msgs carries every subscription's messages to the Inbound stream;
	// control the claims and landed notices judged by the host, which the
	// stream sends first.
	msgs, control chan sdk.Message

	// allowMu guards allowed, which the pubsub validator reads: the set of
	// topics the host subscribed.
	allowMu sync.RWMutex
	allowed map[string]bool
	// maxMessage is max_message_bytes, read by the validator.
	maxMessage atomic.Int64
	// verdicts are the messages waiting for the host's verdict; dropped
	// counts those dropped for want of one (noteDropped).
	verdicts      verdicts
	dropped       atomic.Uint64
	droppedLogged atomic.Int64
	// scores are the peers' scores as the router last showed them.
	scores scoreboard

	mu            sync.Mutex
	node          *node
	closed        bool
	topics        map[string]*subscription
	cancelInbound context.CancelFunc

	// adm admits peers to topics (admission.go).
	adm *admission
}

var _ sdk.Transport = (*Transport)(nil)

// New returns an unconfigured transport that logs to log.
func New(log hclog.Logger) *Transport {
	t := &Transport{
		log:     log,
		msgs:    make(chan sdk.Message, inboundBuffer),
		control: make(chan sdk.Message, inboundBuffer),
		allowed: make(map[string]bool),
		topics:  make(map[string]*subscription),
		adm:     newAdmission(log),
	}
	t.verdicts.pending = make(map[string]chan sdk.Verdict)
	t.verdicts.perPeer = make(map[peerKind]int)
	return t
}

// Info implements sdk.Plugin.
func (t *Transport) Info() sdk.Info {
	return sdk.Info{
		Name:            "transport-libp2p",
		Version:         version.Version,
		Kind:            sdk.KindTransport,
		ProtocolVersion: sdk.ProtocolVersion,
		Capabilities:    []string{Capability},
		Description:     "libp2p GossipSub between operators, peers found through a Kademlia DHT or, on one LAN, mDNS",
	}
}

// Configure implements sdk.Plugin: it validates the config, loads or
// creates the identity and starts listening. It may be called once.
func (t *Transport) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	s, err := parseConfig(req)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.node != nil || t.closed {
		return fmt.Errorf("%w: configure: already configured or shut down", sdk.ErrInvalidArgument)
	}
	key, err := loadIdentity(req.DataDir)
	if err != nil {
		return fmt.Errorf("%w: configure: %v", sdk.ErrUnavailable, err)
	}
	t.maxMessage.Store(int64(s.maxMessageBytes))
	s.hooks = t.adm.configure(s.admission, s)
	if self, err := peer.IDFromPrivateKey(key); err == nil {
		t.verdicts.self.Store(&self)
	}
	n, err := startNode(t.log, key, s, t.validate, t.topicNames, scoreOptions(&t.scores)...)
	if err != nil {
		return fmt.Errorf("%w: configure: %v", sdk.ErrUnavailable, err)
	}
	t.node = n
	t.log.Info("libp2p transport listening", "peer_id", n.host.ID().String(), "mode", s.mode.String(),
		"addresses", fmt.Sprint(n.listenAddrs()), "bootstrap_nodes", len(s.bootstrap))
	return nil
}

// Health implements sdk.Plugin: healthy once the node listens.
func (t *Transport) Health(context.Context) sdk.Health {
	t.mu.Lock()
	n := t.node
	t.mu.Unlock()
	if n == nil {
		return sdk.Health{Message: "not configured"}
	}
	if len(n.host.Network().ListenAddresses()) == 0 {
		return sdk.Health{Message: "not listening"}
	}
	return sdk.Health{Healthy: true, Message: fmt.Sprintf("listening; %d peers connected", len(n.host.Network().Peers()))}
}

// Shutdown implements sdk.Plugin: it ends the Inbound stream, every
// subscription, discovery (DHT or mDNS), pubsub and the host.
func (t *Transport) Shutdown(context.Context) error {
	t.mu.Lock()
	if n := t.node; n != nil && n.book != nil {
		// Remember the topics' peers while the topics are still joined.
		t.mu.Unlock()
		n.book.flush()
		t.mu.Lock()
	}
	n := t.node
	subs := t.topics
	t.node, t.closed, t.topics = nil, true, make(map[string]*subscription)
	if t.cancelInbound != nil {
		t.cancelInbound()
		t.cancelInbound = nil
	}
	t.mu.Unlock()
	t.allowMu.Lock()
	clear(t.allowed)
	t.allowMu.Unlock()
	for _, s := range subs {
		s.close(t.log)
	}
	if n == nil {
		return nil
	}
	return n.close()
}

// running returns the node, or an error wrapping sdk.ErrUnavailable when
// the transport is not configured. The caller holds t.mu.
func (t *Transport) running() (*node, error) {
	if t.node == nil {
		return nil, fmt.Errorf("%w: transport is not configured or shut down", sdk.ErrUnavailable)
	}
	return t.node, nil
}
