package config

// Checks of outbound_allow, only_pinned
// and service_env.

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/wavs-go/wavs/internal/netguard"
)

const (
	wantOutboundAllow = `want a CIDR range like "10.1.0.0/16" or an IP address`
	wantServiceEnvKey = `want a service id (64 hex digits) or its manager as "evm:<chain id>:0x<40 hex digits>"`
	wantServiceEnvVar = "want a name WAVS_ENV_ followed by letters, digits and _"
)

var (
	serviceIDKey  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	managerKey    = regexp.MustCompile(`^evm:[0-9]+:0x[0-9a-fA-F]{40}$`)
	serviceEnvVar = regexp.MustCompile(`^WAVS_ENV_[A-Za-z0-9_]+$`)
)

func (v *validator) outbound(w *Wavs) {
	for i, s := range w.OutboundAllow {
		if _, err := netguard.ParseAllow("", []string{s}); err != nil {
			v.bad([]string{"wavs", "outbound_allow"}, i, quote(s), wantOutboundAllow)
		}
	}
	for _, k := range sortedKeys(w.ServiceEnv) {
		path := []string{"wavs", "service_env", k}
		if !serviceIDKey.MatchString(k) && !managerKey.MatchString(k) {
			v.bad(path, -1, "", "key "+quote(k)+": "+wantServiceEnvKey)
		}
		for i, name := range w.ServiceEnv[k] {
			if !serviceEnvVar.MatchString(name) {
				v.bad(path, i, quote(name), wantServiceEnvVar)
			}
		}
	}
}

// OutboundAllowPrefixes returns wavs.outbound_allow parsed (Validate has
// checked it).
func (c *Config) OutboundAllowPrefixes() ([]netip.Prefix, error) {
	return netguard.ParseAllow("wavs.outbound_allow", c.Wavs.OutboundAllow)
}

// ServiceEnvGrant is one wavs.service_env entry: the service it names, by
// id or by manager, and the variables granted.
type ServiceEnvGrant struct {
	ServiceID string // set when the key is a service id
	Chain     string // "evm:<chain id>", set with Manager
	Manager   string // 0x address, set when the key names a manager
	Vars      []string
}

// ServiceEnvGrants returns wavs.service_env as grants, sorted by key.
func (c *Config) ServiceEnvGrants() []ServiceEnvGrant {
	var out []ServiceEnvGrant
	for _, k := range sortedKeys(c.Wavs.ServiceEnv) {
		g := ServiceEnvGrant{Vars: c.Wavs.ServiceEnv[k]}
		if i := strings.LastIndex(k, ":"); i > 0 && strings.HasPrefix(k, "evm:") {
			g.Chain, g.Manager = k[:i], k[i+1:]
		} else {
			g.ServiceID = k
		}
		out = append(out, g)
	}
	return out
}
