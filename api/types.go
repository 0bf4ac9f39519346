// Package api is the node's HTTP API as its clients see it: the request
// and response bodies, declared once for the node that writes them and
// for the CLI, the examples and the tests that read them, and Client,
// which calls a node. docs/operator-guide.md describes the endpoints.
//
// It imports only the standard library.
package api

import (
	"encoding/json"
	"time"
)

// Error is the body of every error response.
type Error struct {
	Error string `json:"error"`
}

// Health is the body of GET /health.
type Health struct {
	Status string `json:"status"` // "ok" or "degraded"
	// Problems names each plugin that is not running and healthy.
	Problems []string `json:"problems,omitempty"`
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

// P2PPeer is one connected peer in GET /p2p/status, as admission sees it.
type P2PPeer struct {
	PeerID string `json:"peer_id"`
	// Operator: the peer proved it holds the signing key of an operator
	// of the Services (checked on chain).
	Operator bool `json:"operator"`
	// Authorized: listed in [wavs.p2p] authorized_peers.
	Authorized bool     `json:"authorized"`
	Services   []string `json:"services"`
	// Topics are the topics the peer is admitted to (the services' and
	// any other).
	Topics []string `json:"topics"`
}

// Service describes a registered service: GET /services (a list) and
// GET /services/{id}.
type Service struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Status         string    `json:"status"`
	LastError      string    `json:"last_error,omitempty"`
	SigningAddress string    `json:"signing_address,omitempty"`
	SigningIndex   uint32    `json:"signing_index"`
	Topic          string    `json:"topic"`
	RegisteredAt   time.Time `json:"registered_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Workflows      []string  `json:"workflows"`
	// FaultsInARow counts the executions that failed with a fault since
	// the last that did not; Skipped the events not run while the
	// service is marked failed (since the node started).
	FaultsInARow int             `json:"faults_in_a_row"`
	Skipped      uint64          `json:"skipped"`
	Service      json.RawMessage `json:"service"`
}

// Result is a signed result of a service.
type Result struct {
	EventID    string `json:"event_id"`
	ServiceID  string `json:"service_id"`
	WorkflowID string `json:"workflow_id"`
	// Payload is omitted from a listing unless asked for (see ResultsPage).
	Payload       string    `json:"payload,omitempty"`
	Signer        string    `json:"signer"`
	Signature     string    `json:"signature"`
	TriggerCursor string    `json:"trigger_cursor"`
	Status        string    `json:"status"`
	Error         string    `json:"error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	// QuorumAt is when the signatures met the quorum, Signers whose
	// signatures counted; TxHash and BlockNumber the transaction that
	// landed it (this node's or another operator's, checked on chain; ""
	// when the handler named the event handled), and Proof how the
	// landing was proven; Final that the landing's block is final (no
	// reorg can undo it).
	QuorumAt    *time.Time `json:"quorum_at,omitempty"`
	Signers     []string   `json:"signers,omitempty"`
	TxHash      string     `json:"tx_hash,omitempty"`
	BlockNumber uint64     `json:"block_number,omitempty"`
	Proof       string     `json:"proof,omitempty"`
	Final       bool       `json:"final,omitempty"`
	// Quorum is the progress toward the quorum as last counted.
	Quorum *QuorumProgress `json:"quorum,omitempty"`
}

// QuorumProgress is a result's signed weight against what the service
// manager shows of its thresholds, and what its validate said. A manager
// with only the WAVS interface shows no total or threshold (omitted):
// validate's verdict is then all there is.
type QuorumProgress struct {
	SignedWeight    string `json:"signed_weight"`
	TotalWeight     string `json:"total_weight,omitempty"`
	Threshold       string `json:"threshold,omitempty"`
	ThresholdWeight string `json:"threshold_weight,omitempty"`
	Verdict         string `json:"verdict,omitempty"`
}

// ResultsPage is one page of a service's results, newest first.
type ResultsPage struct {
	Results []Result `json:"results"`
	// NextCursor continues the listing (?cursor=); omitted on the last
	// page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// PendingEvent is one event whose landing is not proven yet, and how far
// it got: an entry of GET /aggregator's pending_events.
type PendingEvent struct {
	EventID    string    `json:"event_id"`
	ServiceID  string    `json:"service_id"`
	WorkflowID string    `json:"workflow_id"`
	Chain      string    `json:"chain"`
	Handler    string    `json:"handler"`
	Since      time.Time `json:"since"`
	Attempts   int       `json:"attempts"`
	NextTry    time.Time `json:"next_try"`
	// Waiting says what it waits for, or its last error.
	Waiting string `json:"waiting,omitempty"`
	// Signers and their SignedWeight, against what the manager shows of
	// its TotalWeight, Threshold ("2/3") and ThresholdWeight; Verdict is
	// what validate said last.
	Signers         []string `json:"signers"`
	SignedWeight    string   `json:"signed_weight,omitempty"`
	TotalWeight     string   `json:"total_weight,omitempty"`
	Threshold       string   `json:"threshold,omitempty"`
	ThresholdWeight string   `json:"threshold_weight,omitempty"`
	Verdict         string   `json:"verdict,omitempty"`
}

// Evidence is one equivocation, hex-encoded: an entry of GET
// /aggregator's evidence.
type Evidence struct {
	EventID    string    `json:"event_id"`
	Signer     string    `json:"signer"`
	ServiceID  string    `json:"service_id"`
	Payloads   [2]string `json:"payloads"`
	Signatures [2]string `json:"signatures"`
	RecordedAt time.Time `json:"recorded_at"`
}

// AggregatorStatus is the body of GET /aggregator: the counters, the
// oldest pending events and the latest evidence.
type AggregatorStatus struct {
	AggregatorStats
	// PendingEvents are the oldest submissions not landed yet (at most
	// 50; Pending counts them all).
	PendingEvents []PendingEvent `json:"pending_events"`
	// Evidence is the latest equivocations recorded, newest first.
	Evidence []Evidence `json:"evidence"`
}

// AggregatorStats counts what a node's aggregator did since the node
// started: the counters of GET /aggregator.
type AggregatorStats struct {
	// Mode is "single-operator" or "operators" (signatures gossiped).
	Mode string `json:"mode"`
	// Pending is the submissions whose landing is not proven yet.
	Pending int `json:"pending"`
	// Published counts this node's signatures sent to peers, re-sends
	// included; PublishFailed the sends the transport refused.
	Published     uint64 `json:"signatures_published"`
	PublishFailed uint64 `json:"signatures_publish_failed"`
	// Received counts the messages taken in; each signature ends as one
	// of Accepted, Duplicate, Late or a Rejected reason.
	Received  uint64 `json:"signatures_received"`
	Accepted  uint64 `json:"signatures_accepted"`
	Duplicate uint64 `json:"signatures_duplicate"`
	Late      uint64 `json:"signatures_late"`
	// Rejected counts refused messages by reason (the aggregator's
	// Reject* constants: "malformed", "not_operator", ...).
	Rejected map[string]uint64 `json:"signatures_rejected"`
	// RejectedPeers are the peers that forwarded the most rejected
	// messages, by reason (the top ones, the rest as "other").
	RejectedPeers []PeerRejections `json:"rejected_by_peer"`
	// SignerLookups counts the chain reads of signers not known as
	// operators that the budgets allowed.
	SignerLookups uint64 `json:"signer_lookups"`
	// QuorumsReached counts events whose signatures passed validate.
	QuorumsReached uint64 `json:"quorums_reached"`
	// Sent counts the submissions this node made at its turn (a call that
	// may send a transaction).
	Sent uint64 `json:"submissions_sent"`
	// Claims counts this node's claims published; ClaimsReceived the
	// peers' claims that verified.
	Claims         uint64 `json:"claims_published"`
	ClaimsReceived uint64 `json:"claims_received"`
	// LandedNotices counts the peers' notices that they landed an event.
	LandedNotices uint64 `json:"landed_notices"`
	// Submitted counts the events this node landed with its own
	// transaction; AlreadyHandled those whose handler named them handled
	// before; LandedElsewhere those proven landed by another operator's
	// transaction (a notice checked, or found on chain); Dropped those the
	// operator removed.
	Submitted       uint64 `json:"submitted"`
	AlreadyHandled  uint64 `json:"already_handled"`
	LandedElsewhere uint64 `json:"landed_elsewhere"`
	Dropped         uint64 `json:"dropped"`
	// Watching is the landings watched until final; LandingsFinal counts
	// those that became final, LandingsUndone those a reorg undid (queued
	// again), TriggersReorged the results not sent (or not sent again)
	// because a reorg replaced their trigger's block.
	Watching        int    `json:"landings_watched"`
	LandingsFinal   uint64 `json:"landings_final"`
	LandingsUndone  uint64 `json:"landings_undone"`
	TriggersReorged uint64 `json:"triggers_reorged"`
}

// PeerRejections is one peer's rejected messages, by reason.
type PeerRejections struct {
	Peer     string            `json:"peer"`
	Total    uint64            `json:"total"`
	ByReason map[string]uint64 `json:"by_reason"`
}
