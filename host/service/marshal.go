package service

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// The MarshalJSON methods write every field, in the order of the WAVS
// 2.x JSON (WAVS's own field order), so that a WAVS node reads what this
// node writes, and Decode of the output gives back an equal value. A
// union (Manager, Trigger, Source, ...) with not exactly one field set
// cannot be written and is an error.

// MarshalJSON writes the service JSON: name, workflows (by id, sorted),
// status and manager, in WAVS's order.
func (s Service) MarshalJSON() ([]byte, error) {
	wf := s.Workflows
	if wf == nil {
		wf = map[string]Workflow{}
	}
	return json.Marshal(struct {
		Name      string              `json:"name"`
		Workflows map[string]Workflow `json:"workflows"`
		Status    Status              `json:"status"`
		Manager   Manager             `json:"manager"`
	}{s.Name, wf, s.Status, s.Manager})
}

// MarshalJSON writes {"evm": {...}} or {"cosmos": {...}}.
func (m Manager) MarshalJSON() ([]byte, error) {
	if count(m.Evm != nil, m.Cosmos != nil, m.Other != nil) != 1 {
		return nil, fmt.Errorf("service: manager: %s", wantManager)
	}
	if o := m.Other; o != nil {
		return json.Marshal(map[string]any{o.Family: struct {
			Chain   string `json:"chain"`
			Address string `json:"address"`
		}{o.Chain, o.Address}})
	}
	return json.Marshal(struct {
		Evm    *EvmManager    `json:"evm,omitempty"`
		Cosmos *CosmosManager `json:"cosmos,omitempty"`
	}{m.Evm, m.Cosmos})
}

// MarshalJSON writes {"chain": ..., "address": ...}.
func (m CosmosManager) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Chain   string `json:"chain"`
		Address string `json:"address"`
	}{m.Chain, m.Address})
}

// MarshalJSON writes {"chain": ..., "address": ...}.
func (m EvmManager) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Chain   string  `json:"chain"`
		Address Address `json:"address"`
	}{m.Chain, m.Address})
}

// MarshalJSON writes {"trigger": ..., "component": ..., "submit": ...}.
func (w Workflow) MarshalJSON() ([]byte, error) {
	type pluginsJSON struct {
		Trigger string `json:"trigger,omitempty"`
		Submit  string `json:"submit,omitempty"`
	}
	var ps *pluginsJSON
	if !w.Plugins.IsZero() {
		ps = &pluginsJSON{w.Plugins.Trigger, w.Plugins.Submit}
	}
	return json.Marshal(struct {
		Trigger   Trigger      `json:"trigger"`
		Component Component    `json:"component"`
		Submit    Submit       `json:"submit"`
		Plugins   *pluginsJSON `json:"plugins,omitempty"`
	}{w.Trigger, w.Component, w.Submit, ps})
}

// MarshalJSON writes "manual", or {"<kind>": {...}} for the one kind set.
func (t Trigger) MarshalJSON() ([]byte, error) {
	type wire struct {
		CosmosContractEvent *CosmosContractEvent `json:"cosmos_contract_event,omitempty"`
		EvmContractEvent    *EvmContractEvent    `json:"evm_contract_event,omitempty"`
		BlockInterval       *BlockInterval       `json:"block_interval,omitempty"`
		Cron                *Cron                `json:"cron,omitempty"`
		AtProtoEvent        *AtProtoEvent        `json:"at_proto_event,omitempty"`
		HypercoreAppend     *HypercoreAppend     `json:"hypercore_append,omitempty"`
		SolanaProgramEvent  *SolanaProgramEvent  `json:"solana_program_event,omitempty"`
	}
	if t.kinds() != 1 {
		return nil, fmt.Errorf("service: trigger: %s", wantTrigger)
	}
	if t.Manual {
		return []byte(`"manual"`), nil
	}
	if p := t.Plugin; p != nil {
		cfg := p.Config
		if len(cfg) == 0 {
			cfg = json.RawMessage("{}")
		}
		return json.Marshal(map[string]json.RawMessage{p.Kind: cfg})
	}
	return json.Marshal(wire{t.CosmosContractEvent, t.EvmContractEvent, t.BlockInterval, t.Cron,
		t.AtProtoEvent, t.HypercoreAppend, t.SolanaProgramEvent})
}

// MarshalJSON writes {"address": ..., "chain": ..., "event_type": ...}.
func (e CosmosContractEvent) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Address   string `json:"address"`
		Chain     string `json:"chain"`
		EventType string `json:"event_type"`
	}{e.Address, e.Chain, e.EventType})
}

// MarshalJSON writes {"collection": ..., "repo_did": ..., "action": ...},
// null for an unset repo_did or action.
func (e AtProtoEvent) MarshalJSON() ([]byte, error) {
	var action *AtProtoAction
	if e.Action != "" {
		action = &e.Action
	}
	return json.Marshal(struct {
		Collection string         `json:"collection"`
		RepoDID    *string        `json:"repo_did"`
		Action     *AtProtoAction `json:"action"`
	}{e.Collection, e.RepoDID, action})
}

// MarshalJSON writes {"feed_key": ...}.
func (h HypercoreAppend) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		FeedKey string `json:"feed_key"`
	}{h.FeedKey})
}

// MarshalJSON writes {"chain": ..., "program_id": ..., "filter": ...,
// "commitment": ...}; an unset commitment is written "confirmed".
func (e SolanaProgramEvent) MarshalJSON() ([]byte, error) {
	c := e.Commitment
	if c == "" {
		c = SolanaConfirmed
	}
	return json.Marshal(struct {
		Chain      string            `json:"chain"`
		ProgramID  string            `json:"program_id"`
		Filter     SolanaEventFilter `json:"filter"`
		Commitment SolanaCommitment  `json:"commitment"`
	}{e.Chain, e.ProgramID, e.Filter, c})
}

// MarshalJSON writes {"discriminator": "0x…"} or {"log_contains": ...}.
func (f SolanaEventFilter) MarshalJSON() ([]byte, error) {
	if count(len(f.Discriminator) > 0, f.LogContains != nil) != 1 {
		return nil, fmt.Errorf("service: solana filter: %s", wantSolanaFilter)
	}
	if f.LogContains != nil {
		return json.Marshal(struct {
			LogContains string `json:"log_contains"`
		}{*f.LogContains})
	}
	return json.Marshal(struct {
		Discriminator string `json:"discriminator"`
	}{"0x" + hex.EncodeToString(f.Discriminator)})
}

// MarshalJSON writes {"address": ..., "chain": ..., "event_hash": ...}.
func (e EvmContractEvent) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Address   Address `json:"address"`
		Chain     string  `json:"chain"`
		EventHash Hash    `json:"event_hash"`
	}{e.Address, e.Chain, e.EventHash})
}

// MarshalJSON writes {"chain": ..., "n_blocks": ..., "start_block": ...,
// "end_block": ...}, null for an unset block.
func (b BlockInterval) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Chain      string  `json:"chain"`
		NBlocks    uint64  `json:"n_blocks"`
		StartBlock *uint64 `json:"start_block"`
		EndBlock   *uint64 `json:"end_block"`
	}{b.Chain, b.NBlocks, b.StartBlock, b.EndBlock})
}

// MarshalJSON writes {"schedule": ..., "start_time": ..., "end_time": ...},
// null for an unset time.
func (c Cron) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Schedule  string  `json:"schedule"`
		StartTime *uint64 `json:"start_time"`
		EndTime   *uint64 `json:"end_time"`
	}{c.Schedule, c.StartTime, c.EndTime})
}

// MarshalJSON writes every field of the component; config is {} and
// env_keys [] when empty.
func (c Component) MarshalJSON() ([]byte, error) {
	cfg, env := c.Config, c.EnvKeys
	if cfg == nil {
		cfg = map[string]string{}
	}
	if env == nil {
		env = []string{}
	}
	return json.Marshal(struct {
		Source           Source            `json:"source"`
		Permissions      Permissions       `json:"permissions"`
		FuelLimit        *uint64           `json:"fuel_limit"`
		TimeLimitSeconds *uint64           `json:"time_limit_seconds"`
		Config           map[string]string `json:"config"`
		EnvKeys          []string          `json:"env_keys"`
	}{c.Source, c.Permissions, c.FuelLimit, c.TimeLimitSeconds, cfg, env})
}

// MarshalJSON writes {"digest": ...}, {"download": {...}} or
// {"registry": {...}}.
func (s Source) MarshalJSON() ([]byte, error) {
	type wire struct {
		Download *Download       `json:"download,omitempty"`
		Registry *RegistrySource `json:"registry,omitempty"`
		Digest   *Digest         `json:"digest,omitempty"`
	}
	if count(s.Digest != nil, s.Download != nil, s.Registry != nil) != 1 {
		return nil, fmt.Errorf("service: component source: %s", wantSource)
	}
	return json.Marshal(wire{s.Download, s.Registry, s.Digest})
}

// MarshalJSON writes {"uri": ..., "digest": ...}.
func (dl Download) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		URI    string `json:"uri"`
		Digest Digest `json:"digest"`
	}{dl.URI, dl.Digest})
}

// MarshalJSON writes {"digest": ..., "domain": ..., "version": ...,
// "package": ...}, null for an unset domain or version.
func (r RegistrySource) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Digest  Digest  `json:"digest"`
		Domain  *string `json:"domain"`
		Version *string `json:"version"`
		Package string  `json:"package"`
	}{r.Digest, r.Domain, r.Version, r.Package})
}

// MarshalJSON writes {"allowed_http_hosts": ..., "file_system": ...,
// "raw_sockets": ..., "dns_resolution": ...}, as WAVS does.
func (p Permissions) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		AllowedHTTPHosts HostPolicy `json:"allowed_http_hosts"`
		FileSystem       bool       `json:"file_system"`
		RawSockets       bool       `json:"raw_sockets"`
		DNSResolution    bool       `json:"dns_resolution"`
	}{p.AllowedHTTPHosts, p.FileSystem, p.RawSockets, p.DNSResolution})
}

// MarshalJSON writes "all", "none" or {"only": [...]}.
func (h HostPolicy) MarshalJSON() ([]byte, error) {
	switch h.Kind {
	case HostsAll:
		return []byte(`"all"`), nil
	case HostsNone:
		return []byte(`"none"`), nil
	case HostsOnly:
		hosts := h.Hosts
		if hosts == nil {
			hosts = []string{}
		}
		return json.Marshal(struct {
			Only []string `json:"only"`
		}{hosts})
	default:
		return nil, fmt.Errorf("service: host policy kind %d: %s", h.Kind, wantHostPolicy)
	}
}

// MarshalJSON writes "none", or {"aggregator": {...}} in the shape of
// the field set: WAVS's component and signature kind, or this node's
// chain and address shortcut.
func (s Submit) MarshalJSON() ([]byte, error) {
	switch {
	case s.Aggregator != nil && s.AggregatorComponent != nil:
		return nil, fmt.Errorf("service: submit: %s", wantAggregator)
	case s.Aggregator != nil:
		return json.Marshal(struct {
			Aggregator *Aggregator `json:"aggregator"`
		}{s.Aggregator})
	case s.AggregatorComponent != nil:
		return json.Marshal(struct {
			Aggregator *AggregatorComponent `json:"aggregator"`
		}{s.AggregatorComponent})
	default:
		return []byte(`"none"`), nil
	}
}

// MarshalJSON writes {"component": ..., "signature_kind": ...}.
func (a AggregatorComponent) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Component     Component     `json:"component"`
		SignatureKind SignatureKind `json:"signature_kind"`
	}{a.Component, a.SignatureKind})
}

// MarshalJSON writes {"algorithm": ..., "prefix": ...}, null for no
// prefix.
func (k SignatureKind) MarshalJSON() ([]byte, error) {
	var prefix *SignaturePrefix
	if k.Prefix != "" {
		prefix = &k.Prefix
	}
	return json.Marshal(struct {
		Algorithm SignatureAlgorithm `json:"algorithm"`
		Prefix    *SignaturePrefix   `json:"prefix"`
	}{k.Algorithm, prefix})
}

// MarshalJSON writes {"chain": ..., "address": ...}.
func (a Aggregator) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Chain   string `json:"chain"`
		Address string `json:"address"`
	}{a.Chain, a.Handler()})
}

// count is how many of the conditions hold.
func count(conds ...bool) int {
	n := 0
	for _, c := range conds {
		if c {
			n++
		}
	}
	return n
}
