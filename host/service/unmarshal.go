package service

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
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
	kind, v, ok := d.single(path, raw, wantManager)
	if !ok {
		return
	}
	p := child(path, kind)
	switch kind {
	case "evm":
		m.Evm = new(EvmManager)
		d.evmManager(p, v, m.Evm)
	case "cosmos":
		m.Cosmos = new(CosmosManager)
		d.cosmosManager(p, v, m.Cosmos)
	default:
		if !validFamily(kind) {
			d.ps.add(path, "keys "+quote(kind), wantManager)
			return
		}
		m.Other = &FamilyManager{Family: kind}
		d.familyManager(p, v, m.Other)
	}
}

func (d *decoder) familyManager(path string, raw json.RawMessage, m *FamilyManager) {
	o, ok := d.object(path, raw, "chain", "address")
	if !ok {
		return
	}
	if v, p, ok := o.req("chain", wantChain); ok {
		m.Chain, _ = d.str(p, v, wantChain)
	}
	if v, p, ok := o.req("address", wantFamilyAddress); ok {
		m.Address, _ = d.str(p, v, wantFamilyAddress)
	}
}

func (d *decoder) cosmosManager(path string, raw json.RawMessage, m *CosmosManager) {
	*m = CosmosManager{}
	o, ok := d.object(path, raw, "chain", "address")
	if !ok {
		return
	}
	if v, p, ok := o.req("chain", wantChain); ok {
		m.Chain, _ = d.str(p, v, wantChain)
	}
	if v, p, ok := o.req("address", wantCosmosAddress); ok {
		m.Address, _ = d.str(p, v, wantCosmosAddress)
	}
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
	o, ok := d.object(path, raw, "trigger", "component", "submit", "plugins")
	if !ok {
		return
	}
	if v, p, ok := o.opt("plugins"); ok && !isNull(v) {
		d.plugins(p, v, &w.Plugins)
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
	if str, ok := jsonString(raw); ok {
		if str != KindManual {
			d.bad(path, raw, wantTrigger)
		}
		t.Manual = str == KindManual
		return
	}
	kind, v, ok := d.single(path, raw, wantTrigger)
	if !ok {
		return
	}
	if kind == KindManual || !slices.Contains(triggerKinds, kind) {
		if !validPluginKind(kind) {
			d.ps.add(path, "keys "+quote(kind), wantTrigger)
			return
		}
		t.Plugin = &PluginTrigger{Kind: kind}
		var cfg bytes.Buffer
		if err := json.Compact(&cfg, v); err != nil || !bytes.HasPrefix(cfg.Bytes(), []byte("{")) {
			d.bad(child(path, kind), v, wantPluginConfig)
			return
		}
		t.Plugin.Config = cfg.Bytes()
		return
	}
	p := child(path, kind)
	switch kind {
	case KindEvmContractEvent:
		t.EvmContractEvent = new(EvmContractEvent)
		d.evmContractEvent(p, v, t.EvmContractEvent)
	case KindBlockInterval:
		t.BlockInterval = new(BlockInterval)
		d.blockInterval(p, v, t.BlockInterval)
	case KindCron:
		t.Cron = new(Cron)
		d.cron(p, v, t.Cron)
	case KindCosmosContractEvent:
		t.CosmosContractEvent = new(CosmosContractEvent)
		d.cosmosContractEvent(p, v, t.CosmosContractEvent)
	case KindAtProtoEvent:
		t.AtProtoEvent = new(AtProtoEvent)
		d.atProtoEvent(p, v, t.AtProtoEvent)
	case KindHypercoreAppend:
		t.HypercoreAppend = new(HypercoreAppend)
		d.hypercoreAppend(p, v, t.HypercoreAppend)
	case KindSolanaProgramEvent:
		t.SolanaProgramEvent = new(SolanaProgramEvent)
		d.solanaProgramEvent(p, v, t.SolanaProgramEvent)
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

func (d *decoder) cosmosContractEvent(path string, raw json.RawMessage, e *CosmosContractEvent) {
	*e = CosmosContractEvent{}
	o, ok := d.object(path, raw, "address", "chain", "event_type")
	if !ok {
		return
	}
	if v, p, ok := o.req("address", wantCosmosAddress); ok {
		e.Address, _ = d.str(p, v, wantCosmosAddress)
	}
	if v, p, ok := o.req("chain", wantChain); ok {
		e.Chain, _ = d.str(p, v, wantChain)
	}
	if v, p, ok := o.req("event_type", wantString); ok {
		e.EventType, _ = d.str(p, v, wantString)
	}
}

func (d *decoder) atProtoEvent(path string, raw json.RawMessage, e *AtProtoEvent) {
	*e = AtProtoEvent{}
	o, ok := d.object(path, raw, "collection", "repo_did", "action")
	if !ok {
		return
	}
	if v, p, ok := o.req("collection", wantString); ok {
		e.Collection, _ = d.str(p, v, wantString)
	}
	if v, p, ok := o.opt("repo_did"); ok {
		if s, ok := d.str(p, v, wantStringOrNull); ok {
			e.RepoDID = &s
		}
	}
	if v, p, ok := o.opt("action"); ok {
		s, _ := d.enum(p, v, wantAtProtoAction, string(AtProtoCreate), string(AtProtoUpdate), string(AtProtoDelete))
		e.Action = AtProtoAction(s)
	}
}

func (d *decoder) hypercoreAppend(path string, raw json.RawMessage, h *HypercoreAppend) {
	*h = HypercoreAppend{}
	o, ok := d.object(path, raw, "feed_key")
	if !ok {
		return
	}
	if v, p, ok := o.req("feed_key", wantString); ok {
		h.FeedKey, _ = d.str(p, v, wantString)
	}
}

func (d *decoder) solanaProgramEvent(path string, raw json.RawMessage, e *SolanaProgramEvent) {
	*e = SolanaProgramEvent{Commitment: SolanaConfirmed}
	o, ok := d.object(path, raw, "chain", "program_id", "filter", "commitment")
	if !ok {
		return
	}
	if v, p, ok := o.req("chain", wantChain); ok {
		e.Chain, _ = d.str(p, v, wantChain)
	}
	if v, p, ok := o.req("program_id", wantSolanaAddress); ok {
		e.ProgramID, _ = d.str(p, v, wantSolanaAddress)
	}
	if v, p, ok := o.req("filter", wantSolanaFilter); ok {
		d.solanaFilter(p, v, &e.Filter)
	}
	// WAVS defaults an absent commitment (serde default) but not a null.
	if v, ok := o.vals["commitment"]; ok {
		p := child(path, "commitment")
		s, _ := d.enum(p, v, wantCommitment, string(SolanaProcessed), string(SolanaConfirmed), string(SolanaFinalized))
		e.Commitment = SolanaCommitment(s)
	}
}

func (d *decoder) solanaFilter(path string, raw json.RawMessage, f *SolanaEventFilter) {
	*f = SolanaEventFilter{}
	kind, v, ok := d.oneOf(path, raw, wantSolanaFilter, "discriminator", "log_contains")
	if !ok {
		return
	}
	p := child(path, kind)
	defer func() {
		if f.Discriminator == nil && f.LogContains == nil {
			d.quiet = append(d.quiet, path) // the value's problem is reported
		}
	}()
	switch kind {
	case "discriminator":
		s, ok := d.str(p, v, wantDiscriminator)
		if !ok {
			return
		}
		b, ok := decodeAnyHex(s)
		if !ok || len(b) == 0 {
			d.bad(p, v, wantDiscriminator)
			return
		}
		f.Discriminator = b
	case "log_contains":
		if s, ok := d.str(p, v, wantString); ok {
			f.LogContains = &s
		}
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
	kind, v, ok := d.oneOf(path, raw, wantSource, "digest", "download", "registry")
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
	case "registry":
		s.Registry = new(RegistrySource)
		d.registrySource(p, v, s.Registry)
	}
}

func (d *decoder) download(path string, raw json.RawMessage, dl *Download) {
	*dl = Download{}
	o, ok := d.objectRenamed(path, raw, map[string]string{"url": "uri"}, "uri", "digest")
	if !ok {
		return
	}
	if v, p, ok := o.req("uri", wantURL); ok {
		dl.URI, _ = d.str(p, v, wantURL)
	}
	if v, p, ok := o.req("digest", wantDigest); ok {
		dl.Digest = d.digest(p, v)
	}
}

func (d *decoder) registrySource(path string, raw json.RawMessage, r *RegistrySource) {
	*r = RegistrySource{}
	o, ok := d.object(path, raw, "digest", "domain", "version", "package")
	if !ok {
		return
	}
	if v, p, ok := o.req("digest", wantDigest); ok {
		r.Digest = d.digest(p, v)
	}
	if v, p, ok := o.opt("domain"); ok {
		if s, ok := d.str(p, v, wantDomain); ok {
			r.Domain = &s
		}
	}
	if v, p, ok := o.opt("version"); ok {
		if s, ok := d.str(p, v, wantVersion); ok {
			r.Version = &s
		}
	}
	if v, p, ok := o.req("package", wantPackage); ok {
		r.Package, _ = d.str(p, v, wantPackage)
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
	p := child(path, "aggregator")
	ms, ok := d.members(p, v, wantAggregator)
	if !ok {
		return
	}
	var shortcut, component []string
	for _, m := range ms {
		switch m.key {
		case "chain", "address":
			shortcut = append(shortcut, quote(m.key))
		case "component", "signature_kind":
			component = append(component, quote(m.key))
		}
	}
	switch {
	case len(shortcut) > 0 && len(component) > 0:
		d.ps.add(p, "keys "+strings.Join(append(component, shortcut...), ", ")+" mix two shapes", wantAggregator)
	case len(component) > 0:
		s.AggregatorComponent = new(AggregatorComponent)
		d.aggregatorComponent(p, v, s.AggregatorComponent)
	case len(shortcut) > 0:
		s.Aggregator = new(Aggregator)
		d.aggregator(p, v, s.Aggregator)
	default:
		d.bad(p, v, wantAggregator)
	}
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
	v, p, ok := o.req("address", wantAddress)
	if !ok {
		return
	}
	// The address is read in the form of the chain's family.
	if f := ChainFamily(a.Chain); f != "" && f != chainFamilyEVM {
		a.Account, _ = d.str(p, v, wantFamilyAddress)
		return
	}
	a.Address = d.address(p, v)
}

func (d *decoder) plugins(path string, raw json.RawMessage, ps *Plugins) {
	o, ok := d.object(path, raw, "trigger", "submit")
	if !ok {
		return
	}
	if v, p, ok := o.opt("trigger"); ok {
		ps.Trigger, _ = d.str(p, v, wantPluginName)
	}
	if v, p, ok := o.opt("submit"); ok {
		ps.Submit, _ = d.str(p, v, wantPluginName)
	}
}

func (d *decoder) aggregatorComponent(path string, raw json.RawMessage, a *AggregatorComponent) {
	*a = AggregatorComponent{}
	o, ok := d.object(path, raw, "component", "signature_kind")
	if !ok {
		return
	}
	if v, p, ok := o.req("component", wantComponent); ok {
		d.component(p, v, &a.Component)
	}
	if v, p, ok := o.req("signature_kind", wantSignatureKind); ok {
		d.signatureKind(p, v, &a.SignatureKind)
	}
}

func (d *decoder) signatureKind(path string, raw json.RawMessage, k *SignatureKind) {
	*k = SignatureKind{}
	o, ok := d.object(path, raw, "algorithm", "prefix")
	if !ok {
		return
	}
	if v, p, ok := o.req("algorithm", wantAlgorithm); ok {
		s, _ := d.enum(p, v, wantAlgorithm, string(AlgorithmSecp256k1))
		k.Algorithm = SignatureAlgorithm(s)
	}
	// prefix is an Option without a serde default: it must be present,
	// null for none.
	if v, p, ok := o.req("prefix", wantPrefix); ok && !isNull(v) {
		s, _ := d.enum(p, v, wantPrefix, string(PrefixEIP191))
		k.Prefix = SignaturePrefix(s)
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

// UnmarshalJSON reads {"evm": {"chain": ..., "address": ...}} or
// {"cosmos": {"chain": ..., "address": ...}}.
func (m *Manager) UnmarshalJSON(b []byte) error { return unmarshal(b, m, (*decoder).manager) }

// UnmarshalJSON reads {"chain": ..., "address": ...}.
func (m *EvmManager) UnmarshalJSON(b []byte) error { return unmarshal(b, m, (*decoder).evmManager) }

// UnmarshalJSON reads {"trigger": ..., "component": ..., "submit": ...}.
func (w *Workflow) UnmarshalJSON(b []byte) error { return unmarshal(b, w, (*decoder).workflow) }

// UnmarshalJSON reads "manual" or an object with exactly one trigger kind
// (see [Trigger]).
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

// UnmarshalJSON reads {"digest": "<sha256 hex>"}, {"download": {"uri":
// ..., "digest": ...}} or {"registry": {"digest": ..., "domain": ...,
// "version": ..., "package": ...}}.
func (s *Source) UnmarshalJSON(b []byte) error { return unmarshal(b, s, (*decoder).source) }

// UnmarshalJSON reads {"uri": ..., "digest": ...}.
func (dl *Download) UnmarshalJSON(b []byte) error { return unmarshal(b, dl, (*decoder).download) }

// UnmarshalJSON reads {"allowed_http_hosts": ..., "file_system": ...,
// "raw_sockets": ..., "dns_resolution": ...}.
func (p *Permissions) UnmarshalJSON(b []byte) error {
	return unmarshal(b, p, (*decoder).permissions)
}

// UnmarshalJSON reads "all", "none" or {"only": [host, ...]}.
func (h *HostPolicy) UnmarshalJSON(b []byte) error { return unmarshal(b, h, (*decoder).hostPolicy) }

// UnmarshalJSON reads "none", {"aggregator": {"component": ...,
// "signature_kind": ...}} or {"aggregator": {"chain": ..., "address":
// ...}}.
func (s *Submit) UnmarshalJSON(b []byte) error { return unmarshal(b, s, (*decoder).submit) }

// UnmarshalJSON reads {"chain": ..., "address": ...}.
func (a *Aggregator) UnmarshalJSON(b []byte) error { return unmarshal(b, a, (*decoder).aggregator) }

// UnmarshalJSON reads {"chain": ..., "address": ...}.
func (m *CosmosManager) UnmarshalJSON(b []byte) error {
	return unmarshal(b, m, (*decoder).cosmosManager)
}

// UnmarshalJSON reads {"address": ..., "chain": ..., "event_type": ...}.
func (e *CosmosContractEvent) UnmarshalJSON(b []byte) error {
	return unmarshal(b, e, (*decoder).cosmosContractEvent)
}

// UnmarshalJSON reads {"collection": ..., "repo_did": ..., "action": ...}.
func (e *AtProtoEvent) UnmarshalJSON(b []byte) error { return unmarshal(b, e, (*decoder).atProtoEvent) }

// UnmarshalJSON reads {"feed_key": ...}.
func (h *HypercoreAppend) UnmarshalJSON(b []byte) error {
	return unmarshal(b, h, (*decoder).hypercoreAppend)
}

// UnmarshalJSON reads {"chain": ..., "program_id": ..., "filter": ...,
// "commitment": ...}.
func (e *SolanaProgramEvent) UnmarshalJSON(b []byte) error {
	return unmarshal(b, e, (*decoder).solanaProgramEvent)
}

// UnmarshalJSON reads {"discriminator": "0x…"} or {"log_contains": ...}.
func (f *SolanaEventFilter) UnmarshalJSON(b []byte) error {
	return unmarshal(b, f, (*decoder).solanaFilter)
}

// UnmarshalJSON reads {"digest": ..., "domain": ..., "version": ...,
// "package": ...}.
func (r *RegistrySource) UnmarshalJSON(b []byte) error {
	return unmarshal(b, r, (*decoder).registrySource)
}

// UnmarshalJSON reads {"component": ..., "signature_kind": ...}.
func (a *AggregatorComponent) UnmarshalJSON(b []byte) error {
	return unmarshal(b, a, (*decoder).aggregatorComponent)
}

// UnmarshalJSON reads {"algorithm": ..., "prefix": ...}.
func (k *SignatureKind) UnmarshalJSON(b []byte) error {
	return unmarshal(b, k, (*decoder).signatureKind)
}
