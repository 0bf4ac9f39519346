package aggregator

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// AdmissionNetwork is what admission needs of the transport (the host's
// plugins.Transport).
type AdmissionNetwork interface {
	Status(ctx context.Context) (sdk.TransportStatus, error)
	SetAdmission(ctx context.Context, a sdk.Admission) error
	PeerClaims() <-chan sdk.PeerClaim
	Admit(ctx context.Context, peerID, topic string, ok bool) error
}

// AdmissionService is a registered service this node can attest for: its
// topic's attestation is signed with Route.Key, and a peer's claim is
// checked against the manager behind Route.
type AdmissionService struct {
	ServiceID string
	Route     Route
}

// AdmissionOptions configure RunAdmission.
type AdmissionOptions struct {
	Network AdmissionNetwork
	// Mode is sdk.AdmissionOperators or sdk.AdmissionOpen.
	Mode            string
	AuthorizedPeers []string
	// Services lists the services to attest (those with a signing key
	// and a chain to check their operators on).
	Services func() []AdmissionService
	// Interval is how often the services and the transport's peer id are
	// looked at for changes (default 1 s).
	Interval time.Duration
	// Retry is how often claims the chain could not answer are tried
	// again (default 10 s); Recheck how often admitted peers' weights
	// are checked again (default 5 min): a signer whose weight went to 0
	// is put out.
	Retry, Recheck time.Duration
}

// admissionDecisions bounds the claims checked on chain at once.
const admissionDecisions = 4

// admitKey is one claim: a peer on a topic.
type admitKey struct{ peer, topic string }

// RunAdmission keeps the transport's admission policy and this node's
// attestations (one per service, signed with the service's key over the
// transport's peer id and the service's topic) up to date, and answers
// the peers' verified claims: a peer is admitted to a service's topic when
// its claimed signer has weight in the service's manager, as the
// aggregator reads weights (cached, rate-limited per peer). It returns
// when ctx is done. A transport without admission is logged once.
func (a *Aggregator) RunAdmission(ctx context.Context, o AdmissionOptions) {
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.Retry <= 0 {
		o.Retry = 10 * time.Second
	}
	if o.Recheck <= 0 {
		o.Recheck = 5 * time.Minute
	}
	r := &admitter{a: a, o: o, pending: map[admitKey]sdk.PeerClaim{}, admitted: map[admitKey]sdk.PeerClaim{}}
	r.run(ctx)
}

type admitter struct {
	a       *Aggregator
	o       AdmissionOptions
	applied string // the last state given to the transport
	logged  bool   // "no admission" was logged

	mu       sync.Mutex
	pending  map[admitKey]sdk.PeerClaim // the chain could not answer yet
	admitted map[admitKey]sdk.PeerClaim
}

func (r *admitter) run(ctx context.Context) {
	sem := make(chan struct{}, admissionDecisions)
	var wg sync.WaitGroup
	defer wg.Wait()
	decide := func(c sdk.PeerClaim) {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r.decide(ctx, c)
		}()
	}
	tick := time.NewTicker(r.o.Interval)
	defer tick.Stop()
	retry := time.NewTicker(r.o.Retry)
	defer retry.Stop()
	recheck := time.NewTicker(r.o.Recheck)
	defer recheck.Stop()
	r.apply(ctx)
	claims := r.o.Network.PeerClaims()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			r.apply(ctx)
		case c := <-claims:
			decide(c)
		case <-retry.C:
			for _, c := range r.take(r.pending) {
				decide(c)
			}
		case <-recheck.C:
			for _, c := range r.take(r.admitted) {
				decide(c)
			}
		}
	}
}

// take empties m and returns what it held.
func (r *admitter) take(m map[admitKey]sdk.PeerClaim) []sdk.PeerClaim {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]sdk.PeerClaim, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	clear(m)
	return out
}

// apply gives the transport the policy and attestations for the current
// services and peer id, when they changed.
func (r *admitter) apply(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, r.a.o.CallTimeout)
	defer cancel()
	st, err := r.o.Network.Status(cctx)
	if err != nil || st.LocalPeerID == "" {
		return // the transport is restarting; next tick
	}
	services := r.o.Services()
	slices.SortFunc(services, func(x, y AdmissionService) int { return strings.Compare(x.ServiceID, y.ServiceID) })
	var state strings.Builder
	state.WriteString(st.LocalPeerID)
	for _, s := range services {
		if s.Route.Key != nil {
			state.WriteString(" " + s.ServiceID + "=" + s.Route.Key.AddressHex())
		}
	}
	if state.String() == r.applied {
		return
	}
	adm := sdk.Admission{Mode: r.o.Mode, AuthorizedPeers: r.o.AuthorizedPeers}
	for _, s := range services {
		if s.Route.Key == nil {
			continue
		}
		topic := topicOf(s.ServiceID)
		sig, err := s.Route.Key.SignAdmission(st.LocalPeerID, topic)
		if err != nil {
			r.a.log.Error("cannot sign the admission attestation", "service", s.ServiceID, "error", err)
			continue
		}
		adm.Attestations = append(adm.Attestations, sdk.Attestation{Topic: topic, Signer: s.Route.Key.Address(), Signature: sig})
	}
	err = r.o.Network.SetAdmission(cctx, adm)
	switch {
	case errors.Is(err, sdk.ErrUnimplemented):
		if !r.logged {
			r.logged = true
			r.a.log.Warn("the transport plugin does not admit peers: any peer can join the service topics and read the signatures ([wavs.p2p] admission has no effect)", "admission", r.o.Mode)
		}
		r.applied = state.String()
	case err != nil:
		r.a.log.Warn("set admission; retrying", "error", err)
	default:
		r.applied = state.String()
		r.a.log.Debug("admission set", "mode", r.o.Mode, "attestations", len(adm.Attestations), "peer_id", st.LocalPeerID)
	}
}

// decide checks a claim on chain and answers it: admitted when the signer
// has weight in the service's manager. A claim the chain cannot answer
// now is tried again later.
func (r *admitter) decide(ctx context.Context, c sdk.PeerClaim) {
	k := admitKey{c.PeerID, c.Topic}
	log := r.a.log.With("peer", c.PeerID, "topic", c.Topic, "signer", c.Signer.Hex())
	ok, err := r.isOperator(ctx, c)
	if err != nil {
		log.Debug("admission: cannot check the claim yet", "error", err)
		r.mu.Lock()
		r.pending[k] = c
		r.mu.Unlock()
		return
	}
	r.mu.Lock()
	_, was := r.admitted[k]
	if ok {
		r.admitted[k] = c
	} else {
		delete(r.admitted, k)
	}
	r.mu.Unlock()
	actx, cancel := context.WithTimeout(ctx, r.a.o.CallTimeout)
	defer cancel()
	if err := r.o.Network.Admit(actx, c.PeerID, c.Topic, ok); err != nil {
		log.Debug("admission: admit", "error", err)
		r.mu.Lock()
		r.pending[k] = c
		r.mu.Unlock()
		return
	}
	switch {
	case ok && !was:
		log.Info("peer admitted: its signer is an operator of the service")
	case !ok:
		log.Info("peer refused: its signer has no weight in the service's manager")
	}
}

// isOperator reports whether the claim's signer has weight in its
// service's manager; an error when the service is unknown or the chain
// cannot be asked.
func (r *admitter) isOperator(ctx context.Context, c sdk.PeerClaim) (bool, error) {
	sid, ok := sdk.ParseServiceTopic(c.Topic)
	if !ok {
		return false, nil
	}
	var route *Route
	for _, s := range r.o.Services() {
		if s.ServiceID == sid {
			route = &s.Route
			break
		}
	}
	if route == nil {
		return false, nil // not a service this node runs (any more)
	}
	w, err := r.a.member(ctx, *route, c.Signer, c.PeerID, false)
	if err != nil {
		return false, err
	}
	return w.Sign() > 0, nil
}
