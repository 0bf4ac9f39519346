package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// What each key allows, shared by validation and the environment parser so
// the same mistake reads the same wherever it was made.
const (
	wantHost        = `want an IP address (e.g. 127.0.0.1 or ::1) or "localhost"`
	wantPort        = "want a port number 1..65535"
	wantListenPort  = "want a port number 0..65535 (0 = any free port)"
	wantLogLevel    = "want one of trace, debug, info, warn, error"
	wantPluginName  = `want a plugin name matching ^[a-z0-9][a-z0-9-]*$, e.g. "transport-libp2p"`
	wantListenAddr  = `want an IP address to listen on, e.g. "127.0.0.1", or "::" for every interface`
	wantP2PMode     = "[wavs.p2p] needs local = { listen_port = N } or remote = { listen_port = N, bootstrap_nodes = [...] }, not both"
	wantAnnounce    = `want e.g. "/ip4/203.0.113.7/tcp/9000", without /p2p/<peer id>`
	wantMultiaddr   = `want a multiaddr with a peer id, e.g. "/ip4/192.0.2.1/tcp/9000/p2p/12D3KooW..."`
	wantChainID     = "want a decimal chain id > 0, e.g. [default.chains.evm.31337]"
	wantEndpoints   = `want ws_endpoints = ["wss://..."] and/or http_endpoint = "https://..."`
	wantWSURL       = "want a ws:// or wss:// URL"
	wantHTTPURL     = "want an http:// or https:// URL"
	wantSHA256      = "want 64 lowercase hex characters (as printed by sha256sum)"
	wantBearerToken = "want a token without whitespace or control characters"
	wantAllowedHost = `want a host name or IP address, optionally with ":port", e.g. "wavs.example.com" or "wavs.example.com:8443" (no scheme, path or wildcard)`
)

// Validate checks every value and returns all problems joined with
// errors.Join, or nil. Each is a *KeyError naming the full dotted key, the
// value and what is allowed; for a Config from [Load] it also says where
// the value came from (file and line, environment variable, or flag).
func (c *Config) Validate() error {
	return errors.Join(c.validate()...)
}

func (c *Config) validate() []error {
	v := &validator{src: c.src}
	v.wavs(&c.Wavs)
	v.chains(c.Default.Chains)
	v.plugins(c.Plugins)
	return v.errs
}

type validator struct {
	src  *origin // may be nil
	errs []error
}

// bad records that the value at path (array element idx, or -1) is wrong.
func (v *validator) bad(path []string, idx int, value, want string) {
	v.errs = append(v.errs, v.src.keyError(path, idx, value, want, nil))
}

// intLimit is an integer key of a table and the range it must be in.
type intLimit struct {
	key      string
	val      int
	min, max int
}

// within checks each key of the table against its range and reports
// whether any was out of it.
func (v *validator) within(table []string, limits []intLimit) (bad bool) {
	for _, l := range limits {
		if l.val < l.min || l.val > l.max {
			v.bad(append(slices.Clone(table), l.key), -1, showInt(l.val), fmt.Sprintf("want %d..%d", l.min, l.max))
			bad = true
		}
	}
	return bad
}

func (v *validator) engine(e *Engine) {
	bad := v.within([]string{"wavs", "engine"}, []intLimit{
		{"max_concurrent", e.MaxConcurrent, 0, 1024},
		{"time_limit_seconds", e.TimeLimitSeconds, 1, 3600},
		{"memory_limit_mib", e.MemoryLimitMiB, 1, 4096},
		{"max_output_kib", e.MaxOutputKiB, 1, 65536},
		{"max_time_limit_seconds", e.MaxTimeLimitSeconds, 1, 86400},
		{"max_concurrent_per_service", e.MaxConcurrentPerService, 0, 1024},
		{"max_table_elements", e.MaxTableElements, 1024, 1 << 24},
		{"compiled_cache_mib", e.CompiledCacheMiB, 16, 65536},
		{"max_consecutive_failures", e.MaxConsecutiveFailures, 0, 1000},
	})
	if !bad && e.TimeLimitSeconds > e.MaxTimeLimitSeconds {
		v.bad([]string{"wavs", "engine", "time_limit_seconds"}, -1, showInt(e.TimeLimitSeconds),
			fmt.Sprintf("want at most wavs.engine.max_time_limit_seconds (%d)", e.MaxTimeLimitSeconds))
	}
}

func (v *validator) aggregator(a *Aggregator) {
	v.within([]string{"wavs", "aggregator"}, []intLimit{
		{"settle_ms", a.SettleMs, 0, 60000},
		{"fallback_ms", a.FallbackMs, 100, 3600000},
		{"claim_wait_ms", a.ClaimWaitMs, 100, 600000},
		{"rebroadcast_ms", a.RebroadcastMs, 100, 600000},
	})
}

func (v *validator) wavs(w *Wavs) {
	if w.Host != "localhost" && !isIP(w.Host) {
		v.bad([]string{"wavs", "host"}, -1, quote(w.Host), wantHost)
	}
	if w.Port < 1 || w.Port > 65535 {
		v.bad([]string{"wavs", "port"}, -1, showInt(w.Port), wantPort)
	}
	if msg := checkDataDir(w.Data); msg != "" {
		v.bad([]string{"wavs", "data"}, -1, quote(w.Data), msg)
	}
	if !isLogLevel(w.LogLevel) {
		v.bad([]string{"wavs", "log_level"}, -1, quote(w.LogLevel), wantLogLevel)
	}
	// The token goes into an HTTP header, where whitespace would split it.
	if strings.ContainsFunc(w.BearerToken, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		v.bad([]string{"wavs", "bearer_token"}, -1, redactedValue, wantBearerToken)
	}
	if w.Transport != "" && !isPluginName(w.Transport) {
		v.bad([]string{"wavs", "transport"}, -1, quote(w.Transport), wantPluginName)
	}
	v.engine(&w.Engine)
	v.aggregator(&w.Aggregator)
	v.apiHardening(w)
	v.outbound(w)
	if w.P2P != nil {
		v.p2p(w.P2P)
		v.admission(w.P2P)
	}
}

func (v *validator) p2p(p *P2P) {
	path := []string{"wavs", "p2p"}
	switch {
	case p.Local != nil && p.Remote != nil:
		v.bad(path, -1, "", "has both local and remote; "+wantP2PMode)
	case p.Local == nil && p.Remote == nil:
		v.bad(path, -1, "", "has neither local nor remote; "+wantP2PMode)
	}
	if !isIP(p.ListenAddress) {
		v.bad(join(path, []string{"listen_address"}), -1, quote(p.ListenAddress), wantListenAddr)
	}
	for i, addr := range p.Announce {
		if why := checkAnnounce(addr); why != "" {
			v.bad(join(path, []string{"announce"}), i, quote(addr), why+"; "+wantAnnounce)
		}
	}
	if p.Local != nil {
		v.listenPort(join(path, []string{"local", "listen_port"}), p.Local.ListenPort)
	}
	if r := p.Remote; r != nil {
		v.listenPort(join(path, []string{"remote", "listen_port"}), r.ListenPort)
		nodes := join(path, []string{"remote", "bootstrap_nodes"})
		for i, addr := range r.BootstrapNodes {
			if why := checkMultiaddr(addr); why != "" {
				v.bad(nodes, i, quote(addr), why+"; "+wantMultiaddr)
			}
		}
	}
}

func (v *validator) listenPort(path []string, port int) {
	if port < 0 || port > 65535 {
		v.bad(path, -1, showInt(port), wantListenPort)
	}
}

func (v *validator) chains(c Chains) {
	for _, id := range sortedKeys(c.EVM) {
		chain := c.EVM[id]
		path := []string{"default", "chains", "evm", id}
		if !isChainID(id) {
			v.bad(path, -1, "", fmt.Sprintf("chain id %s: %s", quote(id), wantChainID))
		}
		if len(chain.WSEndpoints) == 0 && chain.HTTPEndpoint == "" {
			v.bad(path, -1, "", "has no endpoints; "+wantEndpoints)
		}
		for i, ep := range chain.WSEndpoints {
			if !isURL(ep, "ws", "wss") {
				want := wantWSURL
				if isURL(ep, "http", "https") {
					want += " (an http URL goes in http_endpoint)"
				}
				v.bad(join(path, []string{"ws_endpoints"}), i, quote(ep), want)
			}
		}
		if ep := chain.HTTPEndpoint; ep != "" && !isURL(ep, "http", "https") {
			v.bad(join(path, []string{"http_endpoint"}), -1, quote(ep), wantHTTPURL)
		}
	}
}

func (v *validator) plugins(plugins map[string]PluginConfig) {
	for _, name := range sortedKeys(plugins) {
		pc := plugins[name]
		path := []string{"plugins", name}
		if !isPluginName(name) {
			v.bad(path, -1, "", fmt.Sprintf("plugin name %s: %s", quote(name), wantPluginName))
		}
		if pc.SHA256 != "" && !isSHA256(pc.SHA256) {
			v.bad(join(path, []string{"sha256"}), -1, quote(pc.SHA256), wantSHA256)
		}
		// The plugin gets its config as JSON; TOML's nan and inf have no
		// JSON form, so catch them here rather than when the plugin starts.
		if _, err := json.Marshal(pc.Config); err != nil {
			v.errs = append(v.errs, v.src.keyError(join(path, []string{"config"}), -1, "",
				"cannot be passed to the plugin as JSON ("+err.Error()+"); want values without nan or inf", err))
		}
	}
}

func isIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

func isLogLevel(s string) bool {
	switch s {
	case "trace", "debug", "info", "warn", "error":
		return true
	}
	return false
}

// isPluginName reports whether s matches ^[a-z0-9][a-z0-9-]*$. Plugin names
// become file names, so they are kept to a safe alphabet.
func isPluginName(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// isChainID reports whether s is a decimal uint64 > 0 written canonically
// (no sign, no leading zeros), so that "evm:<id>" keys compare equal.
func isChainID(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 0 && strconv.FormatUint(n, 10) == s
}

// isURL reports whether s is an absolute URL with a host and one of schemes.
func isURL(s string, schemes ...string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	for _, scheme := range schemes {
		if u.Scheme == scheme {
			return true
		}
	}
	return false
}

// checkDataDir returns what is wrong with a data directory, or "".
func checkDataDir(d string) string {
	switch {
	case d == "":
		return `want a directory path, e.g. "` + DefaultData + `"`
	case strings.HasPrefix(d, "~") && d != "~" && !strings.HasPrefix(d, "~/"):
		return `want a directory path; only a leading "~/" is expanded (to $HOME), "~user" is not`
	}
	return ""
}

// checkAnnounce returns why addr is not an announce address, or "": the
// shape only, as checkMultiaddr (the plugin parses it fully).
func checkAnnounce(addr string) string {
	parts := strings.Split(strings.TrimPrefix(addr, "/"), "/")
	switch {
	case !strings.HasPrefix(addr, "/"):
		return `it does not start with "/"`
	case len(parts) != 4 || parts[2] != "tcp":
		return "it is not /<ip4|ip6|dns|dns4|dns6>/<host>/tcp/<port>"
	case !slices.Contains([]string{"ip4", "ip6", "dns", "dns4", "dns6"}, parts[0]) || parts[1] == "":
		return "it is not /<ip4|ip6|dns|dns4|dns6>/<host>/tcp/<port>"
	case parts[1] == "0.0.0.0" || parts[1] == "::":
		return "an unspecified IP cannot be dialled"
	}
	if n, err := strconv.Atoi(parts[3]); err != nil || n < 1 || n > 65535 {
		return fmt.Sprintf("its /tcp/ part has port %s, not 1..65535", quote(parts[3]))
	}
	return ""
}

// checkMultiaddr returns why addr is not a multiaddr with a peer id, or "".
// It checks the shape only: importing libp2p here would drag its whole
// dependency tree into the host for one parse.
func checkMultiaddr(addr string) string {
	if !strings.HasPrefix(addr, "/") {
		return `it does not start with "/"`
	}
	parts := strings.Split(addr[1:], "/")
	peer, port := false, false
	for i, p := range parts {
		next := ""
		if i+1 < len(parts) {
			next = parts[i+1]
		}
		switch p {
		case "p2p":
			if next == "" {
				return "its /p2p/ part has no peer id"
			}
			peer = true
		case "tcp", "udp":
			if n, err := strconv.Atoi(next); err != nil || n < 1 || n > 65535 {
				return fmt.Sprintf("its /%s/ part has port %s, not 1..65535", p, quote(next))
			}
			port = true
		}
	}
	switch {
	case !peer:
		return "it has no /p2p/<peer id> part"
	case !port:
		return "it has no /tcp/<port> or /udp/<port> part"
	}
	return ""
}

// apiHardening checks the keys of the API hardening block.
func (v *validator) apiHardening(w *Wavs) {
	for i, h := range w.AllowedHosts {
		if !isHostPattern(h) {
			v.bad([]string{"wavs", "allowed_hosts"}, i, quote(h), wantAllowedHost)
		}
	}
	q := w.Quotas
	v.within([]string{"wavs", "quotas"}, []intLimit{
		{"results_per_service", q.ResultsPerService, 1, 10000000},
		{"results_max_age_days", q.ResultsMaxAgeDays, 0, 36500},
		{"kv_mib_per_service", q.KVMiBPerService, 1, 65536},
		{"fs_mib_per_service", q.FSMiBPerService, 1, 65536},
		{"fs_files_per_service", q.FSFilesPerService, 1, 1000000},
	})
}

// isHostPattern reports whether s is a host name or IP address with an
// optional port, as a Host header carries it ("[::1]:8000" for IPv6).
func isHostPattern(s string) bool {
	host := s
	if h, port, err := net.SplitHostPort(s); err == nil {
		n, perr := strconv.Atoi(port)
		if perr != nil || n < 1 || n > 65535 {
			return false
		}
		host = h
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		host = s[1 : len(s)-1]
	}
	if isIP(host) {
		return true
	}
	if host == "" || len(host) > 253 || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") || strings.Contains(host, "..") {
		return false
	}
	for _, c := range []byte(host) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
