package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/aggregator"
	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/sdk"
)

func TestMetricsExposition(t *testing.T) {
	m := New(Sources{
		Aggregator: func(context.Context) aggregator.Stats {
			return aggregator.Stats{
				Pending: 2, Published: 7, Received: 9, Accepted: 5, Late: 1, PublishFailed: 1,
				Rejected:       map[string]uint64{aggregator.RejectNotOperator: 2, aggregator.RejectEquivocation: 1},
				QuorumsReached: 4, Sent: 3, Submitted: 3, AlreadyHandled: 1,
				Watching: 6, LandingsFinal: 11, LandingsUndone: 2, TriggersReorged: 1,
				SignerLookups: 8,
				RejectedPeers: []aggregator.PeerRejections{
					{Peer: "12D3rogue", Total: 2, ByReason: map[string]uint64{aggregator.RejectNotOperator: 2}},
					{Peer: aggregator.OtherPeers, Total: 1, ByReason: map[string]uint64{aggregator.RejectEquivocation: 1}},
				},
			}
		},
		Plugins: func() []plugins.Status {
			return []plugins.Status{{Name: "submit-evm", Kind: sdk.KindSubmit, Healthy: true, Restarts: 2,
				Calls: map[plugins.CallKey]uint64{{Method: "Quorum"}: 12, {Method: "Submit", Failed: true}: 1}}}
		},
		Transport: func(context.Context) (sdk.TransportStatus, error) {
			return sdk.TransportStatus{PeerIDs: []string{"a", "b"}, TopicPeerCounts: map[string]int{"wavs/x/topic/v1": 2}, GraylistedPeers: 1}, nil
		},
	})
	m.TriggerReceived("svc")
	m.TriggerReceived("svc")
	m.Executed("svc", 12*time.Millisecond, nil)
	m.Executed("svc", time.Second, fmt.Errorf("workflow w: %w", &engine.ExecError{Cause: engine.CauseTimeout, Msg: "1s"}))
	m.Executed("svc", time.Millisecond, errors.New("no cause"))
	m.Signed("svc")

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	for _, want := range []string{
		`wavs_triggers_received_total{service="svc"} 2`,
		`wavs_component_executions_total{outcome="ok",service="svc"} 1`,
		`wavs_component_executions_total{outcome="error",service="svc"} 2`,
		`wavs_component_failures_total{cause="timeout",service="svc"} 1`,
		`wavs_component_failures_total{cause="other",service="svc"} 1`,
		`wavs_component_execution_seconds_count{service="svc"} 3`,
		`wavs_signatures_made_total{service="svc"} 1`,
		`wavs_signatures_published_total 7`,
		`wavs_signatures_received_total 9`,
		`wavs_signatures_accepted_total 5`,
		`wavs_signatures_rejected_total{reason="not_operator"} 2`,
		`wavs_gossip_messages_total{direction="dropped"} 5`,
		`wavs_quorum_queues_open 2`,
		`wavs_quorums_reached_total 4`,
		`wavs_submissions_total{outcome="sent"} 3`,
		`wavs_submissions_total{outcome="confirmed"} 3`,
		`wavs_duplicates_avoided_total 1`,
		`wavs_landings_total{outcome="final"} 11`,
		`wavs_landings_total{outcome="undone"} 2`,
		`wavs_landings_total{outcome="trigger_reorged"} 1`,
		`wavs_landings_watched 6`,
		`wavs_plugin_restarts_total{kind="submit",plugin="submit-evm"} 2`,
		`wavs_plugin_healthy{kind="submit",plugin="submit-evm"} 1`,
		`wavs_plugin_calls_total{kind="submit",method="Quorum",outcome="ok",plugin="submit-evm"} 12`,
		`wavs_plugin_calls_total{kind="submit",method="Submit",outcome="error",plugin="submit-evm"} 1`,
		`wavs_p2p_connected_peers 2`,
		`wavs_p2p_topic_peers{topic="wavs/x/topic/v1"} 2`,
		`wavs_gossip_rejected_by_peer_total{peer="12D3rogue",reason="not_operator"} 2`,
		`wavs_gossip_rejected_by_peer_total{peer="other",reason="equivocation"} 1`,
		`wavs_signer_lookups_total 8`,
		`wavs_p2p_graylisted_peers 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", text)
	}
}
