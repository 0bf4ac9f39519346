package service

import (
	"github.com/wavs-go/wavs/sdk/cron"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What each value allows, as error messages say it.
const (
	wantName          = "want a name of 1..128 characters without control characters"
	wantStatus        = `want "active" or "paused"`
	wantManager       = `want {"evm": {"chain": "<chain key>", "address": "0x…"}}, {"cosmos": {"chain": "<chain key>", "address": "<bech32>"}} or {"<family>": {"chain": "<family>:<id>", "address": "…"}} for a family a submit plugin serves`
	wantFamilyAddress = "want the address in its chain family's text form: 1..128 printable ASCII characters without spaces"
	wantFamilyChain   = "want a chain key of the manager's family"
	wantPluginConfig  = "want a JSON object: the config of a trigger kind a plugin declares"
	wantPluginName    = "want the name of a loaded plugin, e.g. \"trigger-evm\""
	wantChain         = `want a chain key "<namespace>:<id>" matching ^([-a-z0-9]{1,32}):([-_a-zA-Z0-9]{1,32})$, e.g. "evm:31337"`
	wantWorkflows     = "want at least one workflow"
	wantWorkflowID    = "want a workflow id matching ^[A-Za-z0-9_-]{1,64}$"
	wantTrigger       = `want "manual" or an object with exactly one key: evm_contract_event, block_interval, cron, cosmos_contract_event, at_proto_event, hypercore_append, solana_program_event, or a kind a trigger plugin declares (^[a-z][a-z0-9_]{0,63}$)`
	wantComponent     = "want an object with source and optionally permissions, fuel_limit, time_limit_seconds, config, env_keys"
	wantSubmit        = `want "none" or {"aggregator": {…}}`
	wantAggregator    = `want {"component": {…}, "signature_kind": {"algorithm": "secp256k1", "prefix": "eip191" | null}} (WAVS), or {"chain": "<chain key>", "address": "0x…"} (this node's shortcut: it submits to that handler itself)`
	wantSignatureKind = `want {"algorithm": "secp256k1", "prefix": "eip191" | null}`
	wantAlgorithm     = `want "secp256k1"`
	wantPrefix        = `want "eip191" or null`
	wantNonZero       = "want a non-zero address"
	wantNonZeroHash   = "want a non-zero hash"
	wantNBlocks       = "want a whole number 1..4294967295"
	wantBlock         = "want a block number ≥ 1, or null"
	wantEndBlock      = "want end_block ≥ start_block"
	wantSchedule      = cron.Want
	wantTime          = "want a unix time in nanoseconds (a whole number), or null"
	wantTimeNanos     = "want a unix time in nanoseconds (this looks like seconds or milliseconds), or null"
	wantEndTime       = "want end_time ≥ start_time"
	wantSource        = "want exactly one of digest, download, registry"
	wantURL           = "want an http:// or https:// URL with a host"
	wantDomain        = "want a registry host name such as \"wa.dev\", or null"
	wantVersion       = `want a semver version such as "0.1.0", or null`
	wantPackage       = `want a package "<namespace>:<name>", both kebab-case, e.g. "wavs:echo"`
	wantHostPolicy    = `want "all", "none" or {"only": ["host", …]}`
	wantHosts         = `want a list of at least one host, or "none"`
	wantFuel          = "want a whole number ≥ 1, or null"
	wantTimeLimit     = "want 1..3600 seconds, or null"
	wantConfig        = "want an object of string values"
	wantConfigKey     = "want a non-empty key"
	wantConfigValue   = "want a string"
	wantEnvKeys       = `want a list of names starting with WAVS_ENV_, e.g. ["WAVS_ENV_API_KEY"]`
	wantEnvKey        = "want a name starting with WAVS_ENV_"
	wantEnvKeyChars   = "want WAVS_ENV_ followed by letters, digits and _"
	wantUnique        = "want each name once"
	wantString        = "want a string"
	wantStringOrNull  = "want a string or null"
	wantCosmosAddress = `want a bech32 address such as "neutron1…" (lowercase, valid checksum)`
	wantAtProtoAction = `want "create", "update", "delete" or null`
	wantSolanaAddress = "want a base58 Solana address of 32 bytes"
	wantSolanaFilter  = `want {"discriminator": "0x<hex>"} or {"log_contains": "<text>"}`
	wantDiscriminator = "want at least one byte of hex, e.g. \"0x1a2b3c4d5e6f7a8b\""
	wantCommitment    = `want "processed", "confirmed" or "finalized"`
)

// Limits on values.
const (
	maxNameLen   = 128
	maxTimeLimit = 3600
	maxNBlocks   = 1<<32 - 1
	// minNanos is the smallest non-zero cron time taken: below it a time
	// was almost surely written in seconds or milliseconds (1e15 ns is
	// 1970-01-12).
	minNanos       = 1_000_000_000_000_000
	envKeyPrefix   = "WAVS_ENV_"
	chainFamilyEVM = "evm"
)

// Validate checks every value of s and returns all problems, joined with
// errors.Join and sorted by path; each is a [*FieldError]. nil means s is
// a service the node can run.
func (s *Service) Validate() error { return s.validate().join() }

func (s *Service) validate() problems {
	var ps problems
	if s.Name == "" || utf8.RuneCountInString(s.Name) > maxNameLen || strings.ContainsFunc(s.Name, unicode.IsControl) {
		ps.add("name", quote(s.Name), wantName)
	}
	if s.Status != StatusActive && s.Status != StatusPaused {
		ps.add("status", quote(string(s.Status)), wantStatus)
	}
	switch m := s.Manager; {
	case count(m.Evm != nil, m.Cosmos != nil, m.Other != nil) != 1:
		ps.add("manager", "", wantManager)
	case m.Other != nil:
		p := "manager." + m.Other.Family
		if !validFamily(m.Other.Family) {
			ps.add("manager", "key "+quote(m.Other.Family), wantManager)
		}
		ps.chain(p+".chain", m.Other.Chain)
		if f := ChainFamily(m.Other.Chain); f != "" && f != m.Other.Family {
			ps.add(p+".chain", quote(m.Other.Chain), wantFamilyChain+" ("+m.Other.Family+":<id>)")
		}
		if !ValidFamilyAddress(m.Other.Address) {
			ps.add(p+".address", quote(m.Other.Address), wantFamilyAddress)
		}
	case m.Evm != nil:
		ps.chain("manager.evm.chain", m.Evm.Chain)
		ps.nonZero("manager.evm.address", m.Evm.Address)
	case m.Cosmos != nil:
		ps.chain("manager.cosmos.chain", m.Cosmos.Chain)
		ps.cosmosAddress("manager.cosmos.address", m.Cosmos.Address)
	}
	if len(s.Workflows) == 0 {
		ps.add("workflows", "", wantWorkflows)
	}
	for id, w := range s.Workflows {
		path := child("workflows", id)
		if !ValidWorkflowID(id) {
			ps.add(path, quote(id), wantWorkflowID)
		}
		ps.workflow(path, &w)
	}
	return ps
}

// ValidWorkflowID reports whether id is a valid workflow id:
// ^[A-Za-z0-9_-]{1,64}$. This is wider than WAVS's (3..36 characters of
// a-z, 0-9, _ and -): a service whose ids WAVS would refuse still runs
// here.
func ValidWorkflowID(id string) bool { return len(id) <= 64 && plainKey(id) }

func (ps *problems) chain(path, key string) {
	if !ValidChainKey(key) {
		ps.add(path, quote(key), wantChain)
	}
}

func (ps *problems) cosmosAddress(path, a string) {
	if _, ok := bech32Decode(a); !ok {
		ps.add(path, quote(a), wantCosmosAddress)
	}
}

func (ps *problems) nonZero(path string, a Address) {
	if a.IsZero() {
		ps.add(path, quote(a.String()), wantNonZero)
	}
}

// validFamily reports whether f may name a chain family: the family part
// of a chain key.
func validFamily(f string) bool { return ValidChainKey(f + ":x") }

// validPluginKind reports whether k may name a trigger kind a plugin
// declares: ^[a-z][a-z0-9_]{0,63}$ and not a WAVS kind.
func validPluginKind(k string) bool {
	if len(k) == 0 || len(k) > 64 || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for _, c := range k {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	for _, w := range triggerKinds {
		if k == w {
			return false
		}
	}
	return true
}

// ValidFamilyAddress reports whether a is an address this package keeps
// as written for a chain family it does not know: 1..128 printable ASCII
// characters without spaces. The family's submit plugin checks the rest.
func ValidFamilyAddress(a string) bool {
	if len(a) == 0 || len(a) > 128 {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] <= ' ' || a[i] > '~' {
			return false
		}
	}
	return true
}

func (ps *problems) workflow(path string, w *Workflow) {
	for _, f := range []struct{ name, v string }{{"trigger", w.Plugins.Trigger}, {"submit", w.Plugins.Submit}} {
		if f.v != "" && !ValidFamilyAddress(f.v) {
			ps.add(path+".plugins."+f.name, quote(f.v), wantPluginName)
		}
	}
	ps.trigger(path+".trigger", &w.Trigger)
	ps.component(path+".component", &w.Component)
	switch sub := w.Submit; {
	case sub.Aggregator != nil && sub.AggregatorComponent != nil:
		ps.add(path+".submit.aggregator", "", wantAggregator)
	case sub.Aggregator != nil:
		ps.chain(path+".submit.aggregator.chain", sub.Aggregator.Chain)
		if f := ChainFamily(sub.Aggregator.Chain); f != "" && f != chainFamilyEVM {
			if !ValidFamilyAddress(sub.Aggregator.Account) {
				ps.add(path+".submit.aggregator.address", quote(sub.Aggregator.Account), wantFamilyAddress)
			}
		} else {
			ps.nonZero(path+".submit.aggregator.address", sub.Aggregator.Address)
		}
	case sub.AggregatorComponent != nil:
		p := path + ".submit.aggregator"
		ps.component(p+".component", &sub.AggregatorComponent.Component)
		k := sub.AggregatorComponent.SignatureKind
		if k.Algorithm != AlgorithmSecp256k1 {
			ps.add(p+".signature_kind.algorithm", quote(string(k.Algorithm)), wantAlgorithm)
		}
		if k.Prefix != "" && k.Prefix != PrefixEIP191 {
			ps.add(p+".signature_kind.prefix", quote(string(k.Prefix)), wantPrefix)
		}
	}
}

func (ps *problems) trigger(path string, t *Trigger) {
	if t.kinds() != 1 {
		ps.add(path, "", wantTrigger)
		return
	}
	p := path + "." + t.Kind()
	switch {
	case t.Plugin != nil:
		if !validPluginKind(t.Plugin.Kind) {
			ps.add(path, "key "+quote(t.Plugin.Kind), wantTrigger)
		}
	case t.EvmContractEvent != nil:
		e := t.EvmContractEvent
		ps.nonZero(p+".address", e.Address)
		ps.chain(p+".chain", e.Chain)
		if e.EventHash == (Hash{}) {
			ps.add(p+".event_hash", quote(e.EventHash.String()), wantNonZeroHash)
		}
	case t.BlockInterval != nil:
		b := t.BlockInterval
		ps.chain(p+".chain", b.Chain)
		if b.NBlocks < 1 || b.NBlocks > maxNBlocks {
			ps.add(p+".n_blocks", showUint(b.NBlocks), wantNBlocks)
		}
		for _, f := range []struct {
			name string
			v    *uint64
		}{{"start_block", b.StartBlock}, {"end_block", b.EndBlock}} {
			if f.v != nil && *f.v < 1 {
				ps.add(p+"."+f.name, "0", wantBlock)
			}
		}
		if b.StartBlock != nil && b.EndBlock != nil && *b.EndBlock < *b.StartBlock {
			ps.add(p+".end_block", showUint(*b.EndBlock)+" < start_block "+showUint(*b.StartBlock), wantEndBlock)
		}
	case t.Cron != nil:
		c := t.Cron
		if err := cron.Problem(c.Schedule); err != "" {
			ps.add(p+".schedule", quote(c.Schedule), err)
		}
		for _, f := range []struct {
			name string
			v    *uint64
		}{{"start_time", c.StartTime}, {"end_time", c.EndTime}} {
			if f.v != nil && *f.v != 0 && *f.v < minNanos {
				ps.add(p+"."+f.name, showUint(*f.v), wantTimeNanos)
			}
		}
		if c.StartTime != nil && c.EndTime != nil && *c.EndTime < *c.StartTime {
			ps.add(p+".end_time", showUint(*c.EndTime)+" < start_time "+showUint(*c.StartTime), wantEndTime)
		}
	case t.CosmosContractEvent != nil:
		e := t.CosmosContractEvent
		ps.cosmosAddress(p+".address", e.Address)
		ps.chain(p+".chain", e.Chain)
	case t.AtProtoEvent != nil:
		switch a := t.AtProtoEvent.Action; a {
		case "", AtProtoCreate, AtProtoUpdate, AtProtoDelete:
		default:
			ps.add(p+".action", quote(string(a)), wantAtProtoAction)
		}
	case t.SolanaProgramEvent != nil:
		e := t.SolanaProgramEvent
		ps.chain(p+".chain", e.Chain)
		if !validSolanaAddress(e.ProgramID) {
			ps.add(p+".program_id", quote(e.ProgramID), wantSolanaAddress)
		}
		if count(len(e.Filter.Discriminator) > 0, e.Filter.LogContains != nil) != 1 {
			ps.add(p+".filter", "", wantSolanaFilter)
		}
		switch e.Commitment {
		case SolanaProcessed, SolanaConfirmed, SolanaFinalized:
		default:
			ps.add(p+".commitment", quote(string(e.Commitment)), wantCommitment)
		}
	}
}

func (ps *problems) component(path string, c *Component) {
	src := &c.Source
	switch {
	case count(src.Digest != nil, src.Download != nil, src.Registry != nil) != 1:
		ps.add(path+".source", "", wantSource)
	case src.Download != nil:
		if !validURL(src.Download.URI) {
			ps.add(path+".source.download.uri", quote(src.Download.URI), wantURL)
		}
	case src.Registry != nil:
		r, p := src.Registry, path+".source.registry"
		if r.Domain != nil && !validDomain(*r.Domain) {
			ps.add(p+".domain", quote(*r.Domain), wantDomain)
		}
		if r.Version != nil && !semverRE.MatchString(*r.Version) {
			ps.add(p+".version", quote(*r.Version), wantVersion)
		}
		if !packageRE.MatchString(r.Package) {
			ps.add(p+".package", quote(r.Package), wantPackage)
		}
	}
	ps.hostPolicy(path+".permissions.allowed_http_hosts", &c.Permissions.AllowedHTTPHosts)
	if c.FuelLimit != nil && *c.FuelLimit < 1 {
		ps.add(path+".fuel_limit", "0", wantFuel)
	}
	if t := c.TimeLimitSeconds; t != nil && (*t < 1 || *t > maxTimeLimit) {
		ps.add(path+".time_limit_seconds", showUint(*t), wantTimeLimit)
	}
	if _, ok := c.Config[""]; ok {
		ps.add(child(path+".config", ""), "empty key", wantConfigKey)
	}
	seen := make(map[string]bool, len(c.EnvKeys))
	for i, k := range c.EnvKeys {
		p := index(path+".env_keys", i)
		switch rest, ok := strings.CutPrefix(k, envKeyPrefix); {
		case !ok:
			ps.add(p, quote(k), wantEnvKey)
		case rest == "" || strings.ContainsFunc(rest, notEnvChar):
			ps.add(p, quote(k), wantEnvKeyChars)
		case seen[k]:
			ps.add(p, quote(k), wantUnique)
		}
		seen[k] = true
	}
}

// validDomain reports whether s is a registry host, optionally with a
// port ("localhost:8090").
func validDomain(s string) bool {
	host, port, found := strings.Cut(s, ":")
	if found {
		if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 || port[0] == '0' {
			return false
		}
	}
	return validHost(host)
}

func (ps *problems) hostPolicy(path string, h *HostPolicy) {
	switch h.Kind {
	case HostsAll, HostsNone:
	case HostsOnly:
		p := path + ".only"
		if len(h.Hosts) == 0 {
			ps.add(p, "[]", wantHosts)
		}
		for i, host := range h.Hosts {
			if !validHost(host) {
				ps.add(index(p, i), quote(host), wantHost)
			}
		}
	default:
		ps.add(path, "kind "+strconv.Itoa(int(h.Kind)), wantHostPolicy)
	}
}

// validURL reports whether s is an absolute http(s) URL with a host.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Hostname() != ""
}

// notEnvChar reports a rune that may not follow WAVS_ENV_ in an env key.
func notEnvChar(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
}

func showUint(n uint64) string { return strconv.FormatUint(n, 10) }
