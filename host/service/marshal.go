package service

import (
	"encoding/json"
	"fmt"
)

// The MarshalJSON methods write every field, in the order of the WAVS
// JSON, so that Decode of the output gives back an equal value. A union
// (Manager, Trigger, Source) with not exactly one field set cannot be
// written and is an error.

// MarshalJSON writes the service JSON.
func (s Service) MarshalJSON() ([]byte, error) {
	wf := s.Workflows
	if wf == nil {
		wf = map[string]Workflow{}
	}
	return json.Marshal(struct {
		Name      string              `json:"name"`
		Status    Status              `json:"status"`
		Manager   Manager             `json:"manager"`
		Workflows map[string]Workflow `json:"workflows"`
	}{s.Name, s.Status, s.Manager, wf})
}

// MarshalJSON writes {"evm": {...}}.
func (m Manager) MarshalJSON() ([]byte, error) {
	if m.Evm == nil {
		return nil, fmt.Errorf("service: manager: %s", wantManager)
	}
	return json.Marshal(struct {
		Evm *EvmManager `json:"evm"`
	}{m.Evm})
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
	return json.Marshal(struct {
		Trigger   Trigger   `json:"trigger"`
		Component Component `json:"component"`
		Submit    Submit    `json:"submit"`
	}{w.Trigger, w.Component, w.Submit})
}

// MarshalJSON writes {"<kind>": {...}} for the one kind set.
func (t Trigger) MarshalJSON() ([]byte, error) {
	type wire struct {
		EvmContractEvent *EvmContractEvent `json:"evm_contract_event,omitempty"`
		BlockInterval    *BlockInterval    `json:"block_interval,omitempty"`
		Cron             *Cron             `json:"cron,omitempty"`
	}
	if count(t.EvmContractEvent != nil, t.BlockInterval != nil, t.Cron != nil) != 1 {
		return nil, fmt.Errorf("service: trigger: %s", wantTrigger)
	}
	return json.Marshal(wire{t.EvmContractEvent, t.BlockInterval, t.Cron})
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

// MarshalJSON writes {"digest": ...} or {"download": {...}}.
func (s Source) MarshalJSON() ([]byte, error) {
	type wire struct {
		Digest   *Digest   `json:"digest,omitempty"`
		Download *Download `json:"download,omitempty"`
	}
	if count(s.Digest != nil, s.Download != nil) != 1 {
		return nil, fmt.Errorf("service: component source: %s", wantSource)
	}
	return json.Marshal(wire{s.Digest, s.Download})
}

// MarshalJSON writes {"url": ..., "digest": ...}.
func (dl Download) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		URL    string `json:"url"`
		Digest Digest `json:"digest"`
	}{dl.URL, dl.Digest})
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

// MarshalJSON writes "none" or {"aggregator": {...}}.
func (s Submit) MarshalJSON() ([]byte, error) {
	if s.Aggregator == nil {
		return []byte(`"none"`), nil
	}
	return json.Marshal(struct {
		Aggregator *Aggregator `json:"aggregator"`
	}{s.Aggregator})
}

// MarshalJSON writes {"chain": ..., "address": ...}.
func (a Aggregator) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Chain   string  `json:"chain"`
		Address Address `json:"address"`
	}{a.Chain, a.Address})
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
