package service

import (
	"bytes"
	"encoding/json"
)

// The decoder's reading of each type. Every function resets its target
// first, fills in what it can and records a FieldError for the rest.

func (d *decoder) service(path string, raw json.RawMessage, s *Service) {
	*s = Service{Status: StatusActive}
	o, ok := d.object(path, raw, "name", "status", "manager", "workflows")
	if !ok {
		return
	}
	if v, p, ok := o.req("name", wantName); ok {
		s.Name, _ = d.str(p, v, wantName)
	}
	if v, p, ok := o.opt("status"); ok {
		st, _ := d.str(p, v, wantStatus)
		s.Status = Status(st)
	}
	if v, p, ok := o.req("manager", wantManager); ok {
		d.manager(p, v, &s.Manager)
	}
	if v, p, ok := o.req("workflows", wantWorkflows); ok {
		ms, ok := d.members(p, v, "want an object of workflows by workflow id")
		if !ok {
			return
		}
		s.Workflows = make(map[string]Workflow, len(ms))
		for _, m := range ms {
			var w Workflow
			d.workflow(child(p, m.key), m.val, &w)
			s.Workflows[m.key] = w
		}
	}
}

func (d *decoder) manager(path string, raw json.RawMessage, m *Manager) {
	*m = Manager{}
	_, v, ok := d.oneOf(path, raw, wantManager, "evm")
	if !ok {
		return
	}
	m.Evm = new(EvmManager)
	d.evmManager(child(path, "evm"), v, m.Evm)
}

func (d *decoder) evmManager(path string, raw json.RawMessage, m *EvmManager) {
	*m = EvmManager{}
	o, ok := d.object(path, raw, "chain", "address")
	if !ok {
		return
	}
	if v, p, ok := o.req("chain", wantChain); ok {
		m.Chain, _ = d.str(p, v, wantChain)
	}
	if v, p, ok := o.req("address", wantAddress); ok {
		m.Address = d.address(p, v)
	}
}

func (d *decoder) workflow(path string, raw json.RawMessage, w *Workflow) {
	*w = Workflow{}
	o, ok := d.object(path, raw, "trigger", "component", "submit")
	if !ok {
		return
	}
	if v, p, ok := o.req("trigger", wantTrigger); ok {
		d.trigger(p, v, &w.Trigger)
	}
	if v, p, ok := o.req("component", wantComponent); ok {
		d.component(p, v, &w.Component)
	}
	if v, p, ok := o.req("submit", wantSubmit); ok {
		d.submit(p, v, &w.Submit)
	}
}

func (d *decoder) trigger(path string, raw json.RawMessage, t *Trigger) {
	*t = Trigger{}
	kind, v, ok := d.oneOf(path, raw, wantTrigger, kindEvmContractEvent, kindBlockInterval, kindCron)
	if !ok {
		return
	}
	p := child(path, kind)
	switch kind {
	case kindEvmContractEvent:
		t.EvmContractEvent = new(EvmContractEvent)
		d.evmContractEvent(p, v, t.EvmContractEvent)
	case kindBlockInterval:
		t.BlockInterval = new(BlockInterval)
		d.blockInterval(p, v, t.BlockInterval)
	case kindCron:
		t.Cron = new(Cron)
		d.cron(p, v, t.Cron)
	}
}

func (d *decoder) evmContractEvent(path string, raw json.RawMessage, e *EvmContractEvent) {
	*e = EvmContractEvent{}
	o, ok := d.object(path, raw, "address", "chain", "event_hash")
	if !ok {
		return
	}
	if v, p, ok := o.req("address", wantAddress); ok {
		e.Address = d.address(p, v)
	}
	if v, p, ok := o.req("chain", wantChain); ok {
		e.Chain, _ = d.str(p, v, wantChain)
	}
	if v, p, ok := o.req("event_hash", wantHash); ok {
		if s, ok := d.str(p, v, wantHash); ok {
			h, err := ParseHash(s)
			if err != nil {
				d.bad(p, v, wantHash)
			}
			e.EventHash = h
		}
	}
}

func (d *decoder) blockInterval(path string, raw json.RawMessage, b *BlockInterval) {
	*b = BlockInterval{}
	o, ok := d.object(path, raw, "chain", "n_blocks", "start_block", "end_block")
	if !ok {
		return
	}
	if v, p, ok := o.req("chain", wantChain); ok {
		b.Chain, _ = d.str(p, v, wantChain)
	}
	if v, p, ok := o.req("n_blocks", wantNBlocks); ok {
		b.NBlocks, _ = d.uint(p, v, wantNBlocks)
	}
	if v, p, ok := o.opt("start_block"); ok {
		b.StartBlock = d.optUint(p, v, wantBlock)
	}
	if v, p, ok := o.opt("end_block"); ok {
		b.EndBlock = d.optUint(p, v, wantBlock)
	}
}

func (d *decoder) cron(path string, raw json.RawMessage, c *Cron) {
	*c = Cron{}
	o, ok := d.object(path, raw, "schedule", "start_time", "end_time")
	if !ok {
		return
	}
	if v, p, ok := o.req("schedule", wantSchedule); ok {
		c.Schedule, _ = d.str(p, v, wantSchedule)
	}
	if v, p, ok := o.opt("start_time"); ok {
		c.StartTime = d.optUint(p, v, wantTime)
	}
	if v, p, ok := o.opt("end_time"); ok {
		c.EndTime = d.optUint(p, v, wantTime)
	}
}

func (d *decoder) component(path string, raw json.RawMessage, c *Component) {
	*c = Component{}
	o, ok := d.object(path, raw, "source", "permissions", "fuel_limit", "time_limit_seconds", "config", "env_keys")
	if !ok {
		return
	}
	if v, p, ok := o.req("source", wantSource); ok {
		d.source(p, v, &c.Source)
	}
	if v, p, ok := o.opt("permissions"); ok {
		d.permissions(p, v, &c.Permissions)
	}
	if v, p, ok := o.opt("fuel_limit"); ok {
		c.FuelLimit = d.optUint(p, v, wantFuel)
	}
	if v, p, ok := o.opt("time_limit_seconds"); ok {
		c.TimeLimitSeconds = d.optUint(p, v, wantTimeLimit)
	}
	if v, p, ok := o.opt("config"); ok {
		ms, _ := d.members(p, v, wantConfig)
		for _, m := range ms {
			if s, ok := d.str(child(p, m.key), m.val, wantConfigValue); ok {
				if c.Config == nil {
					c.Config = make(map[string]string, len(ms))
				}
				c.Config[m.key] = s
			}
		}
	}
	if v, p, ok := o.opt("env_keys"); ok {
		for i, e := range d.array(p, v, wantEnvKeys) {
			if s, ok := d.str(index(p, i), e, wantEnvKey); ok {
				c.EnvKeys = append(c.EnvKeys, s)
			}
		}
	}
}

func (d *decoder) source(path string, raw json.RawMessage, s *Source) {
	*s = Source{}
	kind, v, ok := d.oneOf(path, raw, wantSource, "digest", "download")
	if !ok {
		return
	}
	p := child(path, kind)
	switch kind {
	case "digest":
		dg := d.digest(p, v)
		s.Digest = &dg
	case "download":
		s.Download = new(Download)
		d.download(p, v, s.Download)
	}
}

func (d *decoder) download(path string, raw json.RawMessage, dl *Download) {
	*dl = Download{}
	o, ok := d.object(path, raw, "url", "digest")
	if !ok {
		return
	}
	if v, p, ok := o.req("url", wantURL); ok {
		dl.URL, _ = d.str(p, v, wantURL)
	}
	if v, p, ok := o.req("digest", wantDigest); ok {
		dl.Digest = d.digest(p, v)
	}
}

func (d *decoder) permissions(path string, raw json.RawMessage, p *Permissions) {
	*p = Permissions{}
	o, ok := d.object(path, raw, "allowed_http_hosts", "file_system", "raw_sockets", "dns_resolution")
	if !ok {
		return
	}
	if v, vp, ok := o.opt("allowed_http_hosts"); ok {
		d.hostPolicy(vp, v, &p.AllowedHTTPHosts)
	}
	for _, f := range []struct {
		key  string
		flag *bool
	}{{"file_system", &p.FileSystem}, {"raw_sockets", &p.RawSockets}, {"dns_resolution", &p.DNSResolution}} {
		if v, vp, ok := o.opt(f.key); ok {
			*f.flag, _ = d.boolean(vp, v)
		}
	}
}

func (d *decoder) hostPolicy(path string, raw json.RawMessage, h *HostPolicy) {
	*h = HostPolicy{}
	if s, ok := jsonString(raw); ok {
		switch s {
		case "all":
			h.Kind = HostsAll
		case "none":
			h.Kind = HostsNone
		default:
			d.bad(path, raw, wantHostPolicy)
		}
		return
	}
	_, v, ok := d.oneOf(path, raw, wantHostPolicy, "only")
	if !ok {
		return
	}
	h.Kind = HostsOnly
	p := child(path, "only")
	for i, e := range d.array(p, v, wantHosts) {
		if s, ok := d.str(index(p, i), e, wantHost); ok {
			h.Hosts = append(h.Hosts, s)
		}
	}
}

func (d *decoder) submit(path string, raw json.RawMessage, s *Submit) {
	*s = Submit{}
	if str, ok := jsonString(raw); ok {
		if str != "none" {
			d.bad(path, raw, wantSubmit)
		}
		return
	}
	_, v, ok := d.oneOf(path, raw, wantSubmit, "aggregator")
	if !ok {
		return
	}
	s.Aggregator = new(Aggregator)
	d.aggregator(child(path, "aggregator"), v, s.Aggregator)
}

func (d *decoder) aggregator(path string, raw json.RawMessage, a *Aggregator) {
	*a = Aggregator{}
	o, ok := d.object(path, raw, "chain", "address")
	if !ok {
		return
	}
	if v, p, ok := o.req("chain", wantChain); ok {
		a.Chain, _ = d.str(p, v, wantChain)
	}
	if v, p, ok := o.req("address", wantAddress); ok {
		a.Address = d.address(p, v)
	}
}

// address reads a hex address string.
func (d *decoder) address(path string, raw json.RawMessage) Address {
	s, ok := d.str(path, raw, wantAddress)
	if !ok {
		return Address{}
	}
	a, err := ParseAddress(s)
	if err != nil {
		d.bad(path, raw, wantAddress)
	}
	return a
}

// digest reads a sha256 hex string.
func (d *decoder) digest(path string, raw json.RawMessage) Digest {
	s, ok := d.str(path, raw, wantDigest)
	if !ok {
		return Digest{}
	}
	dg, err := ParseDigest(s)
	if err != nil {
		d.bad(path, raw, wantDigest)
	}
	return dg
}

// array reads a JSON array; nil (after recording a problem) when raw is
// not one.
func (d *decoder) array(path string, raw json.RawMessage, want string) []json.RawMessage {
	raw = bytes.TrimSpace(raw)
	var out []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &out) != nil {
		d.bad(path, raw, want)
		return nil
	}
	return out
}

// jsonString returns raw's value when it is a JSON string.
func jsonString(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// unmarshal runs one of the decoder's functions on b, for the UnmarshalJSON
// methods; paths in its errors are relative to b.
func unmarshal[T any](b []byte, v *T, read func(*decoder, string, json.RawMessage, *T)) error {
	if err := checkSyntax(b); err != nil {
		return err
	}
	var d decoder
	read(&d, "", b, v)
	return d.err()
}

// UnmarshalJSON reads a service strictly, without validating it; see
// [Decode] for the shape.
func (s *Service) UnmarshalJSON(b []byte) error { return unmarshal(b, s, (*decoder).service) }

// UnmarshalJSON reads {"evm": {"chain": ..., "address": ...}}.
func (m *Manager) UnmarshalJSON(b []byte) error { return unmarshal(b, m, (*decoder).manager) }

// UnmarshalJSON reads {"chain": ..., "address": ...}.
func (m *EvmManager) UnmarshalJSON(b []byte) error { return unmarshal(b, m, (*decoder).evmManager) }

// UnmarshalJSON reads {"trigger": ..., "component": ..., "submit": ...}.
func (w *Workflow) UnmarshalJSON(b []byte) error { return unmarshal(b, w, (*decoder).workflow) }

// UnmarshalJSON reads an object with exactly one of evm_contract_event,
// block_interval or cron.
func (t *Trigger) UnmarshalJSON(b []byte) error { return unmarshal(b, t, (*decoder).trigger) }

// UnmarshalJSON reads {"address": ..., "chain": ..., "event_hash": ...}.
func (e *EvmContractEvent) UnmarshalJSON(b []byte) error {
	return unmarshal(b, e, (*decoder).evmContractEvent)
}

// UnmarshalJSON reads {"chain": ..., "n_blocks": ..., "start_block": ...,
// "end_block": ...}.
func (bi *BlockInterval) UnmarshalJSON(b []byte) error {
	return unmarshal(b, bi, (*decoder).blockInterval)
}

// UnmarshalJSON reads {"schedule": ..., "start_time": ..., "end_time": ...}.
func (c *Cron) UnmarshalJSON(b []byte) error { return unmarshal(b, c, (*decoder).cron) }

// UnmarshalJSON reads {"source": ..., "permissions": ..., "fuel_limit": ...,
// "time_limit_seconds": ..., "config": ..., "env_keys": ...}.
func (c *Component) UnmarshalJSON(b []byte) error { return unmarshal(b, c, (*decoder).component) }

// UnmarshalJSON reads {"digest": "<sha256 hex>"} or {"download": {"url":
// ..., "digest": ...}}.
func (s *Source) UnmarshalJSON(b []byte) error { return unmarshal(b, s, (*decoder).source) }

// UnmarshalJSON reads {"url": ..., "digest": ...}.
func (dl *Download) UnmarshalJSON(b []byte) error { return unmarshal(b, dl, (*decoder).download) }

// UnmarshalJSON reads {"allowed_http_hosts": ..., "file_system": ...,
// "raw_sockets": ..., "dns_resolution": ...}.
func (p *Permissions) UnmarshalJSON(b []byte) error {
	return unmarshal(b, p, (*decoder).permissions)
}

// UnmarshalJSON reads "all", "none" or {"only": [host, ...]}.
func (h *HostPolicy) UnmarshalJSON(b []byte) error { return unmarshal(b, h, (*decoder).hostPolicy) }

// UnmarshalJSON reads "none" or {"aggregator": {"chain": ..., "address":
// ...}}.
func (s *Submit) UnmarshalJSON(b []byte) error { return unmarshal(b, s, (*decoder).submit) }

// UnmarshalJSON reads {"chain": ..., "address": ...}.
func (a *Aggregator) UnmarshalJSON(b []byte) error { return unmarshal(b, a, (*decoder).aggregator) }
