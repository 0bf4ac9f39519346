package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/sdk"
)

// statusTimeout bounds the transport's answer to /p2p/status.
const statusTimeout = 5 * time.Second

// Health is the body of GET /health.
type Health struct {
	Status string `json:"status"` // "ok" or "degraded"
	// Problems names each plugin that is not running and healthy.
	Problems []string `json:"problems,omitempty"`
}

func (s *server) health(w http.ResponseWriter, _ *http.Request) {
	h := Health{Status: "ok"}
	for _, p := range s.b.Plugins() {
		if p.State != plugins.StateRunning || !p.Healthy {
			msg := p.Name + ": " + string(p.State)
			if p.Message != "" {
				msg += ": " + p.Message
			}
			h.Problems = append(h.Problems, msg)
		}
	}
	code := http.StatusOK
	if len(h.Problems) > 0 {
		h.Status = "degraded"
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, h)
}

// Info is the body of GET /info.
type Info struct {
	Version         string       `json:"version"`
	ProtocolVersion int          `json:"plugin_protocol_version"`
	OperatorAddress string       `json:"operator_address,omitempty"`
	Plugins         []PluginInfo `json:"plugins"`
}

// PluginInfo describes one loaded plugin.
type PluginInfo struct {
	Name         string    `json:"name"`
	Kind         string    `json:"kind"`
	Version      string    `json:"version"`
	Capabilities []string  `json:"capabilities,omitempty"`
	State        string    `json:"state"`
	Healthy      bool      `json:"healthy"`
	Message      string    `json:"message,omitempty"`
	Restarts     int       `json:"restarts"`
	PID          int       `json:"pid,omitempty"`
	Since        time.Time `json:"since"`
}

func (s *server) info(w http.ResponseWriter, _ *http.Request) {
	info := Info{
		Version:         s.b.Version(),
		ProtocolVersion: sdk.ProtocolVersion,
		OperatorAddress: s.b.OperatorAddress(),
		Plugins:         []PluginInfo{},
	}
	for _, p := range s.b.Plugins() {
		info.Plugins = append(info.Plugins, PluginInfo{
			Name: p.Name, Kind: string(p.Kind), Version: p.Version, Capabilities: p.Capabilities,
			State: string(p.State), Healthy: p.Healthy, Message: p.Message, Restarts: p.Restarts,
			PID: p.PID, Since: p.Since.UTC(),
		})
	}
	writeJSON(w, http.StatusOK, info)
}

// P2PStatus is the body of GET /p2p/status.
type P2PStatus struct {
	Enabled           bool           `json:"enabled"`
	LocalPeerID       string         `json:"local_peer_id"`
	ListenAddresses   []string       `json:"listen_addresses"`
	ExternalAddresses []string       `json:"external_addresses"`
	ConnectedPeers    int            `json:"connected_peers"`
	PeerIDs           []string       `json:"peer_ids"`
	SubscribedTopics  []string       `json:"subscribed_topics"`
	TopicPeerCounts   map[string]int `json:"topic_peer_counts"`
	// MaxMessageBytes is the largest message the transport sends (omitted
	// when the transport does not say).
	MaxMessageBytes int `json:"max_message_bytes,omitempty"`
	// Admission is "operators" or "open" (absent when the transport does
	// not admit peers); Peers each connected peer's standing (p2p_admission.go).
	Admission string    `json:"admission,omitempty"`
	Peers     []P2PPeer `json:"peers,omitempty"`
	// PeerScores are the router's scores of the peers it knows;
	// GraylistedPeers counts those it ignores for a low score.
	PeerScores      []PeerScore `json:"peer_scores"`
	GraylistedPeers int         `json:"graylisted_peers"`
}

// PeerScore is a peer's GossipSub score.
type PeerScore struct {
	PeerID     string  `json:"peer_id"`
	Score      float64 `json:"score"`
	Graylisted bool    `json:"graylisted"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func (s *server) p2pStatus(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), statusTimeout)
	defer cancel()
	st, err := s.b.TransportStatus(ctx)
	if err != nil {
		writeError(w, statusFor(err), "transport: "+err.Error())
		return
	}
	counts := st.TopicPeerCounts
	if counts == nil {
		counts = map[string]int{}
	}
	scores := make([]PeerScore, 0, len(st.PeerScores))
	for _, p := range st.PeerScores {
		scores = append(scores, PeerScore(p))
	}
	writeJSON(w, http.StatusOK, P2PStatus{
		PeerScores:        scores,
		GraylistedPeers:   st.GraylistedPeers,
		Enabled:           st.Enabled,
		LocalPeerID:       st.LocalPeerID,
		ListenAddresses:   nonNil(st.ListenAddresses),
		ExternalAddresses: nonNil(st.ExternalAddresses),
		ConnectedPeers:    len(st.PeerIDs),
		PeerIDs:           nonNil(st.PeerIDs),
		SubscribedTopics:  nonNil(st.SubscribedTopics),
		TopicPeerCounts:   counts,
		MaxMessageBytes:   st.MaxMessageBytes,
		Admission:         st.Admission,
		Peers:             p2pPeers(st),
	})
}

func (s *server) aggregatorStatus(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), statusTimeout)
	defer cancel()
	st, err := s.b.AggregatorStatus(ctx)
	if err != nil {
		writeError(w, statusFor(err), "aggregator: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *server) dropPending(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("event_id")
	if err := s.b.DropPending(r.Context(), id); err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"dropped": id})
}

func (s *server) restartPlugin(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if err := s.b.RestartPlugin(name); err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"plugin": name, "status": "restarting"})
}
