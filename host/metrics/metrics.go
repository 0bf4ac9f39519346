// Package metrics is the node's Prometheus metrics, served at GET
// /metrics.
//
// Counters of the trigger-to-result path (triggers, executions and their
// duration, failures by cause, signatures made) are counted as it runs;
// what other parts already count (the aggregator's signatures, quorums and
// submissions, the plugins' health and restarts, the transport's peers)
// is read from them at scrape time, so there is one count of each thing.
// Every name starts with wavs_; labels are few and bounded (service ids,
// plugin names, fixed reasons).
package metrics

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wavs-go/wavs/host/aggregator"
	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// Sources are the parts read at scrape time; any may be nil.
type Sources struct {
	Aggregator func(context.Context) aggregator.Stats
	Plugins    func() []plugins.Status
	Transport  func(context.Context) (sdk.TransportStatus, error)
	Store      func() store.Stats
}

// Metrics holds the node's registry and its live counters.
type Metrics struct {
	reg *prometheus.Registry

	triggers   *prometheus.CounterVec
	executions *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	failures   *prometheus.CounterVec
	signatures *prometheus.CounterVec
}

// New returns the metrics of one node, with the Go runtime's and the
// process's own.
func New(src Sources) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		triggers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wavs_triggers_received_total",
			Help: "Trigger events received for a registered service.",
		}, []string{"service"}),
		executions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wavs_component_executions_total",
			Help: "Component executions, by outcome (ok, error).",
		}, []string{"service", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wavs_component_execution_seconds",
			Help:    "Wall time of component executions, failed ones included.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"service"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wavs_component_failures_total",
			Help: "Failed executions by cause: timeout, out_of_memory, trap, denied_host, component_error, output_too_large, ...",
		}, []string{"service", "cause"}),
		signatures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wavs_signatures_made_total",
			Help: "Envelopes this node signed.",
		}, []string{"service"}),
	}
	m.reg.MustRegister(m.triggers, m.executions, m.duration, m.failures, m.signatures,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&scraped{src: src})
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, ErrorHandling: promhttp.ContinueOnError})
}

// Registry is the registry the metrics are in (tests, more collectors).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// TriggerReceived counts a trigger event for a service.
func (m *Metrics) TriggerReceived(serviceID string) { m.triggers.WithLabelValues(serviceID).Inc() }

// Executed counts an execution of a service's component that took d and
// ended with err.
func (m *Metrics) Executed(serviceID string, d time.Duration, err error) {
	m.duration.WithLabelValues(serviceID).Observe(d.Seconds())
	if err == nil {
		m.executions.WithLabelValues(serviceID, "ok").Inc()
		return
	}
	m.executions.WithLabelValues(serviceID, "error").Inc()
	cause := "other"
	if c := engine.CauseOf(err); c != 0 {
		cause = strings.ReplaceAll(c.String(), " ", "_")
	}
	m.failures.WithLabelValues(serviceID, cause).Inc()
}

// Signed counts an envelope signed for a service.
func (m *Metrics) Signed(serviceID string) { m.signatures.WithLabelValues(serviceID).Inc() }

// scrapeTimeout bounds asking the transport for its peers.
const scrapeTimeout = 2 * time.Second

// scraped reads the other parts' counts at scrape time.
type scraped struct{ src Sources }

var (
	descPublished  = prometheus.NewDesc("wavs_signatures_published_total", "This node's signatures sent to peers, re-sends included.", nil, nil)
	descReceived   = prometheus.NewDesc("wavs_signatures_received_total", "Signature messages received from peers.", nil, nil)
	descAccepted   = prometheus.NewDesc("wavs_signatures_accepted_total", "Peer signatures verified and kept.", nil, nil)
	descRejected   = prometheus.NewDesc("wavs_signatures_rejected_total", "Peer signatures refused, by reason.", []string{"reason"}, nil)
	descGossip     = prometheus.NewDesc("wavs_gossip_messages_total", "Gossip messages: in (received), out (published), dropped (rejected, late, or refused by the transport on publish).", []string{"direction"}, nil)
	descQueues     = prometheus.NewDesc("wavs_quorum_queues_open", "Signed results not landed yet.", nil, nil)
	descQuorums    = prometheus.NewDesc("wavs_quorums_reached_total", "Events whose signatures met the quorum.", nil, nil)
	descSubmitted  = prometheus.NewDesc("wavs_submissions_total", "Submissions by outcome: sent (transactions sent), confirmed (landed by this node), dropped (removed by the operator before landing).", []string{"outcome"}, nil)
	descDuplicates = prometheus.NewDesc("wavs_duplicates_avoided_total", "Events proven landed by another operator (or named handled by the handler) before this node sent anything.", nil, nil)
	descLandings   = prometheus.NewDesc("wavs_landings_total", "Landings after they were proven: final (its block can no longer be reorged away), undone (a reorg took it; the result was queued again), trigger_reorged (a reorg took the trigger's block; the result is not sent).", []string{"outcome"}, nil)
	descWatched    = prometheus.NewDesc("wavs_landings_watched", "Landings watched until their block is final.", nil, nil)
	descRestarts   = prometheus.NewDesc("wavs_plugin_restarts_total", "Restarts of a plugin process.", []string{"plugin", "kind"}, nil)
	descCalls      = prometheus.NewDesc("wavs_plugin_calls_total", "Calls the node made to a plugin, by method and outcome (ok or error).", []string{"plugin", "kind", "method", "outcome"}, nil)
	descHealthy    = prometheus.NewDesc("wavs_plugin_healthy", "1 when the plugin is running and reports healthy.", []string{"plugin", "kind"}, nil)
	descPeers      = prometheus.NewDesc("wavs_p2p_connected_peers", "Peers the transport is connected to.", nil, nil)
	descTopicPeers = prometheus.NewDesc("wavs_p2p_topic_peers", "Peers seen on each subscribed topic.", []string{"topic"}, nil)
	// Per-peer rejections: the aggregator's top peers by rejected
	// messages (at most 10, the rest as peer="other"), so the labels stay
	// bounded whatever the peers send.
	descPeerRejected = prometheus.NewDesc("wavs_gossip_rejected_by_peer_total", "Messages rejected, by the peer that forwarded them (the 10 peers with the most; the rest as peer=\"other\") and reason.", []string{"peer", "reason"}, nil)
	descLookups      = prometheus.NewDesc("wavs_signer_lookups_total", "Chain reads of signers not known as operators, as the lookup budgets allowed.", nil, nil)
	descStoreWrites  = prometheus.NewDesc("wavs_store_writes_total", "Writes to the node's store, by operation.", []string{"op"}, nil)
	descStoreCommits = prometheus.NewDesc("wavs_store_commits_total", "Transactions committed to the node's store (each a sync to disk; writes that wait together share one).", nil, nil)
	descGraylisted   = prometheus.NewDesc("wavs_p2p_graylisted_peers", "Peers the transport's router ignores for a low score.", nil, nil)
)

func (s *scraped) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPublished, descReceived, descAccepted, descRejected, descGossip, descQueues,
		descQuorums, descSubmitted, descDuplicates, descLandings, descWatched, descRestarts, descCalls, descHealthy, descPeers, descTopicPeers,
		descPeerRejected, descLookups, descGraylisted, descStoreWrites, descStoreCommits} {
		ch <- d
	}
}

func (s *scraped) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	if s.src.Aggregator != nil {
		st := s.src.Aggregator(ctx)
		counter(descPublished, st.Published)
		counter(descReceived, st.Received)
		counter(descAccepted, st.Accepted)
		var rejected uint64
		for reason, n := range st.Rejected {
			counter(descRejected, n, reason)
			rejected += n
		}
		counter(descGossip, st.Received, "in")
		counter(descGossip, st.Published, "out")
		counter(descGossip, rejected+st.Late+st.PublishFailed, "dropped")
		gauge(descQueues, float64(st.Pending))
		counter(descQuorums, st.QuorumsReached)
		counter(descSubmitted, st.Sent, "sent")
		counter(descSubmitted, st.Submitted, "confirmed")
		counter(descSubmitted, st.Dropped, "dropped")
		counter(descDuplicates, st.AlreadyHandled+st.LandedElsewhere)
		counter(descLandings, st.LandingsFinal, "final")
		counter(descLandings, st.LandingsUndone, "undone")
		counter(descLandings, st.TriggersReorged, "trigger_reorged")
		gauge(descWatched, float64(st.Watching))
		for _, p := range st.RejectedPeers {
			for reason, n := range p.ByReason {
				counter(descPeerRejected, n, p.Peer, reason)
			}
		}
		counter(descLookups, st.SignerLookups)
	}
	if s.src.Plugins != nil {
		for _, p := range s.src.Plugins() {
			counter(descRestarts, uint64(p.Restarts), p.Name, string(p.Kind))
			up := 0.0
			if p.Healthy {
				up = 1
			}
			gauge(descHealthy, up, p.Name, string(p.Kind))
			for k, n := range p.Calls {
				outcome := "ok"
				if k.Failed {
					outcome = "error"
				}
				counter(descCalls, n, p.Name, string(p.Kind), k.Method, outcome)
			}
		}
	}
	if s.src.Store != nil {
		st := s.src.Store()
		for op, n := range st.Writes {
			counter(descStoreWrites, n, op)
		}
		counter(descStoreCommits, st.Commits)
	}
	if s.src.Transport != nil {
		if st, err := s.src.Transport(ctx); err == nil {
			gauge(descPeers, float64(len(st.PeerIDs)))
			gauge(descGraylisted, float64(st.GraylistedPeers))
			for topic, n := range st.TopicPeerCounts {
				gauge(descTopicPeers, float64(n), topic)
			}
		}
	}
}
