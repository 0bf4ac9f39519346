package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	wavsapi "github.com/wavs-go/wavs/api"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/sdk"
)

// statusTimeout bounds the transport's answer to /p2p/status.
const statusTimeout = 5 * time.Second

// The bodies this package writes are package api's (wavsapi).
type (
	Health     = wavsapi.Health
	Info       = wavsapi.Info
	PluginInfo = wavsapi.PluginInfo
	P2PStatus  = wavsapi.P2PStatus
	PeerScore  = wavsapi.PeerScore
	P2PPeer    = wavsapi.P2PPeer
	Error      = wavsapi.Error
)

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
