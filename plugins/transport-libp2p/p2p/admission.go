package p2p

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pubsubpb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	ma "github.com/multiformats/go-multiaddr"

	admdigest "github.com/wavs-go/wavs/internal/admission"
	"github.com/wavs-go/wavs/sdk"
)

// admissionProtocol is the stream protocol on which a node sends its
// attestations to a peer: one JSON admissionHello, then the stream is
// closed. Each side sends its own on every new connection and whenever its
// attestations change.
const admissionProtocol = protocol.ID("/wavs/admission/1.0.0")

// Limits and timings of admission. grace and ban are variables so that
// tests can shorten them.
const (
	helloTimeout            = 10 * time.Second
	maxHelloBytes           = 256 << 10
	maxAttestations         = 256 // per hello, and claims kept per peer
	claimsBuffer            = 1024
	janitorInterval         = time.Second
	reconnectDelay          = 300 * time.Millisecond
	forgetDisconnectedAfter = 2 * time.Minute
)

// admissionGrace is how long, in operators mode, a peer may stay
// connected without being admitted to any topic; admissionBan how long a
// peer cut off for that is refused. Atomics: tests shorten them while
// other nodes' janitors read them.
var admissionGrace, admissionBan atomic.Int64

func init() {
	admissionGrace.Store(int64(20 * time.Second))
	admissionBan.Store(int64(time.Minute))
}

// admissionHello is what a node sends on admissionProtocol.
type admissionHello struct {
	Attestations []helloAttestation `json:"attestations"`
}

type helloAttestation struct {
	Topic     string `json:"topic"`
	Signer    string `json:"signer"`    // 0x + 40 hex digits
	Signature string `json:"signature"` // 0x + 130 hex digits
}

// admissionConfig is what the "p2p" section says of admission.
type admissionConfig struct {
	mode       string
	authorized []peer.ID
}

// parseAdmission reads p2p.admission (default "open", the behaviour of
// transports before admission: the host always sets it) and
// p2p.authorized_peers.
func parseAdmission(p p2pSection) (admissionConfig, error) {
	c := admissionConfig{mode: p.Admission}
	switch c.mode {
	case "":
		c.mode = sdk.AdmissionOpen
	case sdk.AdmissionOpen, sdk.AdmissionOperators:
	default:
		return c, fmt.Errorf("%w: p2p.admission = %q: want %q or %q", sdk.ErrInvalidArgument, p.Admission, sdk.AdmissionOperators, sdk.AdmissionOpen)
	}
	for i, s := range p.AuthorizedPeers {
		id, err := peer.Decode(s)
		if err != nil {
			return c, fmt.Errorf("%w: p2p.authorized_peers[%d] = %q: want a peer id such as 12D3KooW...: %v", sdk.ErrInvalidArgument, i, s, err)
		}
		c.authorized = append(c.authorized, id)
	}
	return c, nil
}

// admission decides which peers may join which topics. In operators mode
// a peer takes part in a topic (is in its mesh, counts among its peers,
// receives and relays its messages) only when the host admitted it to the
// topic or it is an authorized peer; peers admitted to nothing are cut off
// after admissionGrace. In open mode everyone takes part; the handshake
// still runs so that Status shows the verified operators.
type admission struct {
	log hclog.Logger

	mu         sync.Mutex
	host       host.Host
	ps         *pubsub.PubSub
	ctx        context.Context
	mode       string
	configured []peer.ID                          // authorized_peers of the config, always kept
	authorized map[peer.ID]bool                   // configured ∪ SetAdmission's
	bootstrap  map[peer.ID]bool                   // never cut off by the grace rule
	mine       []sdk.Attestation                  // this node's, by SetAdmission
	mineTopics map[string]bool                    //
	claims     map[peer.ID]map[string]sdk.Address // verified, by topic
	admitted   map[peer.ID]map[string]sdk.Address // answered yes
	firstSeen  map[peer.ID]time.Time              // connected, not admitted
	lastSeen   map[peer.ID]time.Time
	banned     map[peer.ID]time.Time // refused until
	reconnect  map[peer.ID]bool      // a reconnect is scheduled
	claimsCh   chan sdk.PeerClaim
	cancelOut  context.CancelFunc
}

func newAdmission(log hclog.Logger) *admission {
	return &admission{
		log: log, mode: sdk.AdmissionOpen,
		authorized: map[peer.ID]bool{}, bootstrap: map[peer.ID]bool{}, mineTopics: map[string]bool{},
		claims: map[peer.ID]map[string]sdk.Address{}, admitted: map[peer.ID]map[string]sdk.Address{},
		firstSeen: map[peer.ID]time.Time{}, lastSeen: map[peer.ID]time.Time{}, banned: map[peer.ID]time.Time{},
		reconnect: map[peer.ID]bool{}, claimsCh: make(chan sdk.PeerClaim, claimsBuffer),
	}
}

// configure applies the config's admission settings and returns the
// hooks that put admission into the node being started.
func (a *admission) configure(c admissionConfig, s settings) nodeHooks {
	a.mu.Lock()
	a.mode = c.mode
	a.configured = c.authorized
	for _, id := range c.authorized {
		a.authorized[id] = true
	}
	for _, b := range s.bootstrap {
		a.bootstrap[b.ID] = true
	}
	a.mu.Unlock()
	return nodeHooks{
		hostOptions: []libp2p.Option{libp2p.ConnectionGater(gater{a})},
		pubsubOptions: []pubsub.Option{
			pubsub.WithPeerFilter(a.allows),
			pubsub.WithSubscriptionFilter(subFilter{a}),
			pubsub.WithDefaultValidator(pubsub.ValidatorEx(a.validate)),
		},
		started: a.start,
	}
}

// start attaches admission to the running host: the handshake protocol,
// the connection notifications and the janitor, until ctx ends.
func (a *admission) start(ctx context.Context, h host.Host, ps *pubsub.PubSub) {
	a.mu.Lock()
	a.host, a.ps, a.ctx = h, ps, ctx
	a.mu.Unlock()
	h.SetStreamHandler(admissionProtocol, a.handleHello)
	h.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) {
			go a.sendHello(ctx, c.RemotePeer())
		},
	})
	go a.janitor(ctx)
}

// running returns the host, or an error wrapping sdk.ErrUnavailable
// before Configure and after Shutdown.
func (a *admission) running() (host.Host, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.host == nil || a.ctx.Err() != nil {
		return nil, fmt.Errorf("%w: transport is not configured or shut down", sdk.ErrUnavailable)
	}
	return a.host, nil
}

// nodeHooks are what startNode adds to the host and pubsub it starts:
// options, and started, called once both run (ctx ends when the node
// closes).
type nodeHooks struct {
	hostOptions   []libp2p.Option
	pubsubOptions []pubsub.Option
	started       func(ctx context.Context, h host.Host, ps *pubsub.PubSub)
}

// allows is the pubsub peer filter: may p take part in topic?
func (a *admission) allows(p peer.ID, topic string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.allowsLocked(p, topic)
}

func (a *admission) allowsLocked(p peer.ID, topic string) bool {
	if a.mode != sdk.AdmissionOperators || a.authorized[p] || (a.host != nil && p == a.host.ID()) {
		return true
	}
	_, ok := a.admitted[p][topic]
	return ok
}

// validate ignores messages relayed by a peer not admitted to their topic.
func (a *admission) validate(_ context.Context, from peer.ID, msg *pubsub.Message) pubsub.ValidationResult {
	if !a.allows(from, msg.GetTopic()) {
		return pubsub.ValidationIgnore
	}
	return pubsub.ValidationAccept
}

// subFilter drops the subscriptions of peers not admitted to their topic,
// so that such a peer never counts among the topic's peers and is never
// sent its messages.
type subFilter struct{ a *admission }

func (subFilter) CanSubscribe(string) bool { return true }

func (f subFilter) FilterIncomingSubscriptions(p peer.ID, subs []*pubsubpb.RPC_SubOpts) ([]*pubsubpb.RPC_SubOpts, error) {
	f.a.mu.Lock()
	defer f.a.mu.Unlock()
	out := subs[:0:0]
	for _, s := range subs {
		if f.a.allowsLocked(p, s.GetTopicid()) {
			out = append(out, s)
		}
	}
	return out, nil
}

// gater refuses the connections of banned peers, both ways.
type gater struct{ a *admission }

func (g gater) InterceptPeerDial(p peer.ID) bool           { return !g.a.isBanned(p) }
func (gater) InterceptAddrDial(peer.ID, ma.Multiaddr) bool { return true }
func (gater) InterceptAccept(network.ConnMultiaddrs) bool  { return true }
func (g gater) InterceptSecured(_ network.Direction, p peer.ID, _ network.ConnMultiaddrs) bool {
	return !g.a.isBanned(p)
}
func (gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }

func (a *admission) isBanned(p peer.ID) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	until, ok := a.banned[p]
	if ok && time.Now().After(until) {
		delete(a.banned, p)
		return false
	}
	return ok
}

// sendHello sends this node's attestations to p.
func (a *admission) sendHello(ctx context.Context, p peer.ID) {
	a.mu.Lock()
	h, mine := a.host, a.mine
	a.mu.Unlock()
	if h == nil || len(mine) == 0 {
		return
	}
	hello := admissionHello{Attestations: make([]helloAttestation, 0, len(mine))}
	for _, at := range mine {
		hello.Attestations = append(hello.Attestations, helloAttestation{
			Topic: at.Topic, Signer: at.Signer.Hex(), Signature: "0x" + hex.EncodeToString(at.Signature),
		})
	}
	data, err := json.Marshal(hello)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, helloTimeout)
	defer cancel()
	s, err := h.NewStream(ctx, p, admissionProtocol)
	if err != nil {
		a.log.Debug("admission: cannot open a stream", "peer", p.String(), "error", err)
		return
	}
	defer s.Close()
	_ = s.SetDeadline(time.Now().Add(helloTimeout))
	if _, err := s.Write(data); err != nil {
		a.log.Debug("admission: cannot send attestations", "peer", p.String(), "error", err)
		_ = s.Reset()
		return
	}
	_ = s.CloseWrite()
}

// handleHello reads a peer's attestations, keeps those whose signature
// recovers their signer for (the peer's id, topic) and reports the new
// ones on the topics this node attests.
func (a *admission) handleHello(s network.Stream) {
	defer s.Close()
	from := s.Conn().RemotePeer()
	_ = s.SetDeadline(time.Now().Add(helloTimeout))
	data, err := io.ReadAll(io.LimitReader(s, maxHelloBytes+1))
	if err != nil || len(data) > maxHelloBytes {
		a.log.Debug("admission: unreadable hello", "peer", from.String(), "bytes", len(data), "error", err)
		_ = s.Reset()
		return
	}
	var hello admissionHello
	if err := json.Unmarshal(data, &hello); err != nil {
		a.log.Debug("admission: malformed hello", "peer", from.String(), "error", err)
		return
	}
	if len(hello.Attestations) > maxAttestations {
		hello.Attestations = hello.Attestations[:maxAttestations]
	}
	verified := map[string]sdk.Address{}
	for _, at := range hello.Attestations {
		who, err := verifyAttestation(from, at)
		if err != nil {
			a.log.Debug("admission: attestation rejected", "peer", from.String(), "topic", clip(at.Topic), "error", err)
			continue
		}
		verified[at.Topic] = who
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.claims[from] = verified
	for topic, who := range verified {
		a.reportLocked(from, topic, who)
	}
}

// reportLocked queues the claim for the host unless this node does not
// attest topic or already admitted the peer on this signer.
func (a *admission) reportLocked(p peer.ID, topic string, who sdk.Address) {
	if !a.mineTopics[topic] {
		return
	}
	if prev, ok := a.admitted[p][topic]; ok && prev == who {
		return
	}
	select {
	case a.claimsCh <- sdk.PeerClaim{PeerID: p.String(), Topic: topic, Signer: who}:
	default:
		a.log.Warn("admission: claims queue full; the claim waits for the next claims stream", "peer", p.String(), "topic", topic)
	}
}

// verifyAttestation returns the attestation's signer if its signature
// recovers it for (from, topic).
func verifyAttestation(from peer.ID, at helloAttestation) (sdk.Address, error) {
	if err := sdk.CheckTopic(at.Topic); err != nil {
		return sdk.Address{}, err
	}
	var signer sdk.Address
	if err := decodeHex(signer[:], at.Signer); err != nil {
		return sdk.Address{}, fmt.Errorf("signer: %w", err)
	}
	var sig [65]byte
	if err := decodeHex(sig[:], at.Signature); err != nil {
		return sdk.Address{}, fmt.Errorf("signature: %w", err)
	}
	return signer, checkAttestation(from.String(), at.Topic, signer, sig[:])
}

// checkAttestation checks an EIP-191 signature by signer over
// AdmissionDigest(peerID, topic).
func checkAttestation(peerID, topic string, signer sdk.Address, sig []byte) error {
	got, err := admdigest.Recover(peerID, topic, sig)
	if err != nil {
		return err
	}
	if got != signer {
		return fmt.Errorf("the signature recovers %s, not the claimed %s", got.Hex(), signer.Hex())
	}
	return nil
}

func decodeHex(dst []byte, s string) error {
	if len(s) != 2+2*len(dst) || (s[:2] != "0x" && s[:2] != "0X") {
		return fmt.Errorf("want 0x and %d hex digits", 2*len(dst))
	}
	if _, err := hex.Decode(dst, []byte(s[2:])); err != nil {
		return fmt.Errorf("not hex: %v", err)
	}
	return nil
}

// janitor cuts off, in operators mode, peers admitted to no topic within
// admissionGrace, and forgets peers gone for a while.
func (a *admission) janitor(ctx context.Context) {
	t := time.NewTicker(janitorInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.sweep()
		}
	}
}

func (a *admission) sweep() {
	a.mu.Lock()
	h := a.host
	if h == nil {
		a.mu.Unlock()
		return
	}
	now := time.Now()
	connected := map[peer.ID]bool{}
	for _, p := range h.Network().Peers() {
		connected[p] = true
		a.lastSeen[p] = now
	}
	for p, seen := range a.lastSeen {
		if !connected[p] && now.Sub(seen) > forgetDisconnectedAfter {
			delete(a.lastSeen, p)
			delete(a.claims, p)
			delete(a.admitted, p)
			delete(a.firstSeen, p)
		}
	}
	for p, until := range a.banned {
		if now.After(until) {
			delete(a.banned, p)
		}
	}
	// A node that attests nothing cannot judge anyone (and needs its
	// connections to find its services' peers): it cuts no one off.
	enforce := a.mode == sdk.AdmissionOperators && len(a.mine) > 0
	var cut []peer.ID
	for p := range connected {
		if !enforce || a.authorized[p] || a.bootstrap[p] || len(a.admitted[p]) > 0 {
			delete(a.firstSeen, p)
			continue
		}
		first, ok := a.firstSeen[p]
		if !ok {
			a.firstSeen[p] = now
			continue
		}
		if now.Sub(first) >= time.Duration(admissionGrace.Load()) {
			delete(a.firstSeen, p)
			a.banned[p] = now.Add(time.Duration(admissionBan.Load()))
			cut = append(cut, p)
		}
	}
	a.mu.Unlock()
	for _, p := range cut {
		a.log.Info("peer not admitted to any topic in time; disconnected and refused for a while", "peer", p.String(), "grace", time.Duration(admissionGrace.Load()), "refused_for", time.Duration(admissionBan.Load()))
		_ = h.Network().ClosePeer(p)
	}
}

// setAdmission implements SetAdmission.
func (a *admission) setAdmission(adm sdk.Admission) error {
	switch adm.Mode {
	case "", sdk.AdmissionOpen, sdk.AdmissionOperators:
	default:
		return fmt.Errorf("%w: admission mode %q: want %q or %q", sdk.ErrInvalidArgument, adm.Mode, sdk.AdmissionOperators, sdk.AdmissionOpen)
	}
	authorized := map[peer.ID]bool{}
	for i, s := range adm.AuthorizedPeers {
		id, err := peer.Decode(s)
		if err != nil {
			return fmt.Errorf("%w: authorized_peers[%d] = %q: not a peer id: %v", sdk.ErrInvalidArgument, i, s, err)
		}
		authorized[id] = true
	}
	mine := map[string]sdk.Attestation{}
	h, err := a.running()
	if err != nil {
		return err
	}
	for i, at := range adm.Attestations {
		if err := sdk.CheckTopic(at.Topic); err != nil {
			return fmt.Errorf("attestations[%d]: %w", i, err)
		}
		if err := checkAttestation(h.ID().String(), at.Topic, at.Signer, at.Signature); err != nil {
			return fmt.Errorf("%w: attestations[%d] (topic %q, signer %s) is not a signature over this node's peer id %s: %v",
				sdk.ErrInvalidArgument, i, at.Topic, at.Signer.Hex(), h.ID(), err)
		}
		mine[at.Topic] = at
	}

	a.mu.Lock()
	tighten := adm.Mode == sdk.AdmissionOperators && a.mode != sdk.AdmissionOperators
	if adm.Mode != "" {
		a.mode = adm.Mode
	}
	for _, id := range a.configured {
		authorized[id] = true
	}
	a.authorized = authorized
	changed := len(mine) != len(a.mine)
	for _, at := range a.mine {
		if m, ok := mine[at.Topic]; !ok || m.Signer != at.Signer {
			changed = true
		}
	}
	var added []string
	a.mine = a.mine[:0]
	for topic, at := range mine {
		a.mine = append(a.mine, at)
		if !a.mineTopics[topic] {
			added = append(added, topic)
		}
	}
	a.mineTopics = map[string]bool{}
	for topic := range mine {
		a.mineTopics[topic] = true
	}
	// Claims already verified on topics this node attests from now on.
	for _, topic := range added {
		for p, byTopic := range a.claims {
			if who, ok := byTopic[topic]; ok {
				a.reportLocked(p, topic, who)
			}
		}
	}
	if changed {
		// Peers judged against the old topics get a fresh chance.
		clear(a.banned)
		clear(a.firstSeen)
	}
	ctx := a.ctx
	var cut []peer.ID
	if tighten {
		for _, p := range h.Network().Peers() {
			if !a.authorized[p] && len(a.admitted[p]) == 0 {
				cut = append(cut, p)
			}
		}
	}
	a.mu.Unlock()
	// Peers let in under open mode are dropped from every topic: they
	// reconnect and are judged afresh.
	for _, p := range cut {
		_ = h.Network().ClosePeer(p)
	}
	if changed {
		for _, p := range h.Network().Peers() {
			go a.sendHello(ctx, p)
		}
	}
	return nil
}

// peerClaims implements PeerClaims: a new stream ends the previous one and
// starts with the claims not answered yet.
func (a *admission) peerClaims(ctx context.Context) <-chan sdk.PeerClaim {
	ctx, cancel := context.WithCancel(ctx)
	a.mu.Lock()
	if a.cancelOut != nil {
		a.cancelOut()
	}
	a.cancelOut = cancel
	for p, byTopic := range a.claims {
		for topic, who := range byTopic {
			a.reportLocked(p, topic, who)
		}
	}
	a.mu.Unlock()
	out := make(chan sdk.PeerClaim)
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case c := <-a.claimsCh:
				select {
				case out <- c:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// admit implements Admit.
func (a *admission) admit(peerID, topic string, ok bool) error {
	p, err := peer.Decode(peerID)
	if err != nil {
		return fmt.Errorf("%w: peer id %q: %v", sdk.ErrInvalidArgument, peerID, err)
	}
	if err := sdk.CheckTopic(topic); err != nil {
		return err
	}
	if _, err := a.running(); err != nil {
		return err
	}
	a.mu.Lock()
	h, ps, ctx := a.host, a.ps, a.ctx
	_, was := a.admitted[p][topic]
	if ok {
		if a.admitted[p] == nil {
			a.admitted[p] = map[string]sdk.Address{}
		}
		a.admitted[p][topic] = a.claims[p][topic]
		delete(a.firstSeen, p)
	} else {
		delete(a.admitted[p], topic)
		if len(a.admitted[p]) == 0 {
			delete(a.admitted, p)
		}
	}
	gating := a.mode == sdk.AdmissionOperators && !a.authorized[p]
	schedule := ok && !was && gating && !a.reconnect[p]
	if schedule {
		a.reconnect[p] = true
	}
	a.mu.Unlock()
	switch {
	case schedule:
		go a.refresh(ctx, h, ps, p)
	case !ok && was && gating:
		// Out of the topic's mesh at once: its subscription is forgotten
		// with the connection, and the next one is judged afresh.
		a.log.Info("peer no longer admitted; disconnected", "peer", p.String(), "topic", topic)
		_ = h.Network().ClosePeer(p)
	}
	return nil
}

// refresh makes pubsub exchange subscriptions with a newly admitted peer
// again: its subscriptions were dropped while it was not admitted, and
// pubsub sends them only when a connection starts. Unless the peer's
// subscriptions of every topic it is admitted to and this node subscribes
// already arrived, the connection is closed and dialled again.
func (a *admission) refresh(ctx context.Context, h host.Host, ps *pubsub.PubSub, p peer.ID) {
	defer func() {
		a.mu.Lock()
		delete(a.reconnect, p)
		a.mu.Unlock()
	}()
	select {
	case <-ctx.Done():
		return
	case <-time.After(reconnectDelay):
	}
	a.mu.Lock()
	var topics []string
	for topic := range a.admitted[p] {
		topics = append(topics, topic)
	}
	a.mu.Unlock()
	joined := ps.GetTopics()
	stale := false
	for _, topic := range topics {
		if slices.Contains(joined, topic) && !slices.Contains(ps.ListPeers(topic), p) {
			stale = true
		}
	}
	if !stale || h.Network().Connectedness(p) != network.Connected {
		return
	}
	a.log.Debug("admission: reconnecting to an admitted peer so that pubsub exchanges subscriptions again", "peer", p.String())
	info := h.Peerstore().PeerInfo(p)
	_ = h.Network().ClosePeer(p)
	if len(info.Addrs) == 0 {
		return // it dials back, or discovery finds it again
	}
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := h.Connect(cctx, info); err != nil {
		a.log.Debug("admission: redial failed; discovery will reconnect", "peer", p.String(), "error", err)
	}
}

// status adds the admission mode and the connected peers' standing.
func (a *admission) status(h host.Host, st *sdk.TransportStatus) {
	a.mu.Lock()
	defer a.mu.Unlock()
	st.Admission = a.mode
	st.Peers = []sdk.PeerStatus{}
	for _, p := range h.Network().Peers() {
		ps := sdk.PeerStatus{PeerID: p.String(), Authorized: a.authorized[p], Topics: []string{}}
		for topic := range a.admitted[p] {
			ps.Topics = append(ps.Topics, topic)
		}
		slices.Sort(ps.Topics)
		ps.Operator = len(ps.Topics) > 0
		st.Peers = append(st.Peers, ps)
	}
	slices.SortFunc(st.Peers, func(x, y sdk.PeerStatus) int {
		switch {
		case x.PeerID < y.PeerID:
			return -1
		case x.PeerID > y.PeerID:
			return 1
		}
		return 0
	})
}

var _ sdk.AdmissionTransport = (*Transport)(nil)

// SetAdmission implements sdk.AdmissionTransport. Each attestation must be
// a valid signature over this node's own peer id.
func (t *Transport) SetAdmission(_ context.Context, adm sdk.Admission) error {
	return t.adm.setAdmission(adm)
}

// PeerClaims implements sdk.AdmissionTransport.
func (t *Transport) PeerClaims(ctx context.Context) (<-chan sdk.PeerClaim, error) {
	t.mu.Lock()
	_, err := t.running()
	t.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return t.adm.peerClaims(ctx), nil
}

// Admit implements sdk.AdmissionTransport.
func (t *Transport) Admit(_ context.Context, peerID, topic string, ok bool) error {
	return t.adm.admit(peerID, topic, ok)
}
