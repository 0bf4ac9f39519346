package service

import (
	"github.com/wavs-go/wavs/internal/cron"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What each value allows, as error messages say it.
const (
	wantName        = "want a name of 1..128 characters without control characters"
	wantStatus      = `want "active" or "paused"`
	wantManager     = `want {"evm": {"chain": "evm:<chain id>", "address": "0x…"}}`
	wantChain       = `want a chain key "evm:<decimal chain id>" without leading zeros, e.g. "evm:31337"`
	wantWorkflows   = "want at least one workflow"
	wantWorkflowID  = "want a workflow id matching ^[A-Za-z0-9_-]{1,64}$"
	wantTrigger     = "want exactly one of evm_contract_event, block_interval, cron"
	wantComponent   = "want an object with source and optionally permissions, fuel_limit, time_limit_seconds, config, env_keys"
	wantSubmit      = `want "none" or {"aggregator": {"chain": "evm:<chain id>", "address": "0x…"}}`
	wantNonZero     = "want a non-zero address"
	wantNonZeroHash = "want a non-zero hash"
	wantNBlocks     = "want a whole number ≥ 1"
	wantBlock       = "want a block number ≥ 1, or null"
	wantEndBlock    = "want end_block ≥ start_block"
	wantSchedule    = cron.Want
	wantTime        = "want unix seconds 0..253402300799, or null"
	wantEndTime     = "want end_time ≥ start_time"
	wantSource      = "want exactly one of digest, download"
	wantURL         = "want an http:// or https:// URL with a host"
	wantHostPolicy  = `want "all", "none" or {"only": ["host", …]}`
	wantHosts       = `want a list of at least one host, or "none"`
	wantFuel        = "want a whole number ≥ 1, or null"
	wantTimeLimit   = "want 1..3600 seconds, or null"
	wantConfig      = "want an object of string values"
	wantConfigKey   = "want a non-empty key"
	wantConfigValue = "want a string"
	wantEnvKeys     = `want a list of names starting with WAVS_ENV_, e.g. ["WAVS_ENV_API_KEY"]`
	wantEnvKey      = "want a name starting with WAVS_ENV_"
	wantEnvKeyChars = "want WAVS_ENV_ followed by letters, digits and _"
	wantUnique      = "want each name once"
)

// Limits on values.
const (
	maxNameLen     = 128
	maxTimeLimit   = 3600
	maxUnixTime    = 253402300799 // 9999-12-31T23:59:59Z
	envKeyPrefix   = "WAVS_ENV_"
	chainFamilyEVM = "evm"
	chainKeySep    = ":"
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
	if s.Manager.Evm == nil {
		ps.add("manager", "", wantManager)
	} else {
		ps.chain("manager.evm.chain", s.Manager.Evm.Chain)
		ps.nonZero("manager.evm.address", s.Manager.Evm.Address)
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
// ^[A-Za-z0-9_-]{1,64}$.
func ValidWorkflowID(id string) bool { return len(id) <= 64 && plainKey(id) }

// ValidChainKey reports whether key is a canonical EVM chain key:
// "evm:" and a decimal chain id 1..2^64-1 without leading zeros.
func ValidChainKey(key string) bool {
	id, ok := strings.CutPrefix(key, chainFamilyEVM+chainKeySep)
	if !ok || id == "" || id[0] == '0' {
		return false
	}
	_, err := strconv.ParseUint(id, 10, 64)
	return err == nil
}

func (ps *problems) chain(path, key string) {
	if !ValidChainKey(key) {
		ps.add(path, quote(key), wantChain)
	}
}

func (ps *problems) nonZero(path string, a Address) {
	if a.IsZero() {
		ps.add(path, quote(a.String()), wantNonZero)
	}
}

func (ps *problems) workflow(path string, w *Workflow) {
	ps.trigger(path+".trigger", &w.Trigger)
	ps.component(path+".component", &w.Component)
	if a := w.Submit.Aggregator; a != nil {
		ps.chain(path+".submit.aggregator.chain", a.Chain)
		ps.nonZero(path+".submit.aggregator.address", a.Address)
	}
}

func (ps *problems) trigger(path string, t *Trigger) {
	if count(t.EvmContractEvent != nil, t.BlockInterval != nil, t.Cron != nil) != 1 {
		ps.add(path, "", wantTrigger)
		return
	}
	switch {
	case t.EvmContractEvent != nil:
		e, p := t.EvmContractEvent, path+"."+kindEvmContractEvent
		ps.nonZero(p+".address", e.Address)
		ps.chain(p+".chain", e.Chain)
		if e.EventHash == (Hash{}) {
			ps.add(p+".event_hash", quote(e.EventHash.String()), wantNonZeroHash)
		}
	case t.BlockInterval != nil:
		b, p := t.BlockInterval, path+"."+kindBlockInterval
		ps.chain(p+".chain", b.Chain)
		if b.NBlocks < 1 {
			ps.add(p+".n_blocks", "0", wantNBlocks)
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
		c, p := t.Cron, path+"."+kindCron
		if err := cron.Problem(c.Schedule); err != "" {
			ps.add(p+".schedule", quote(c.Schedule), err)
		}
		for _, f := range []struct {
			name string
			v    *uint64
		}{{"start_time", c.StartTime}, {"end_time", c.EndTime}} {
			if f.v != nil && *f.v > maxUnixTime {
				ps.add(p+"."+f.name, showUint(*f.v), wantTime)
			}
		}
		if c.StartTime != nil && c.EndTime != nil && *c.EndTime < *c.StartTime {
			ps.add(p+".end_time", showUint(*c.EndTime)+" < start_time "+showUint(*c.StartTime), wantEndTime)
		}
	}
}

func (ps *problems) component(path string, c *Component) {
	src := &c.Source
	switch {
	case count(src.Digest != nil, src.Download != nil) != 1:
		ps.add(path+".source", "", wantSource)
	case src.Download != nil:
		if !validURL(src.Download.URL) {
			ps.add(path+".source.download.url", quote(src.Download.URL), wantURL)
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
