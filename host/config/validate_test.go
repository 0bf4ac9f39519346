package config

import (
	"math"
	"strings"
	"testing"
)

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
}

// A Config built in code has no file, so errors are just key, value and
// what is allowed.
func TestValidateInCode(t *testing.T) {
	tests := []struct {
		name   string
		modify func(c *Config)
		want   []string // the whole message of each error, in order
	}{
		{"host name", func(c *Config) { c.Wavs.Host = "example.com" },
			[]string{`wavs.host = "example.com": want an IP address (e.g. 127.0.0.1 or ::1) or "localhost"`}},
		{"ipv6 host", func(c *Config) { c.Wavs.Host = "::1" }, nil},
		{"port", func(c *Config) { c.Wavs.Port = -1 },
			[]string{"wavs.port = -1: want a port number 1..65535"}},
		{"empty data", func(c *Config) { c.Wavs.Data = "" },
			[]string{`wavs.data = "": want a directory path, e.g. "~/.wavs"`}},
		{"tilde user", func(c *Config) { c.Wavs.Data = "~bob" },
			[]string{`wavs.data = "~bob": want a directory path; only a leading "~/" is expanded (to $HOME), "~user" is not`}},
		{"log level", func(c *Config) { c.Wavs.LogLevel = "Info" },
			[]string{`wavs.log_level = "Info": want one of trace, debug, info, warn, error`}},
		{"transport", func(c *Config) { c.Wavs.Transport = "-bad" },
			[]string{`wavs.transport = "-bad": want a plugin name matching ^[a-z0-9][a-z0-9-]*$, e.g. "transport-libp2p"`}},
		{"allowed hosts", func(c *Config) {
			c.Wavs.AllowedHosts = []string{"wavs.example.com", "wavs.example.com:8443", "[::1]:8000", "192.0.2.1", "http://x", "*.example.com", "x:0", "a..b"}
		}, []string{
			`wavs.allowed_hosts[4] = "http://x": ` + wantAllowedHost,
			`wavs.allowed_hosts[5] = "*.example.com": ` + wantAllowedHost,
			`wavs.allowed_hosts[6] = "x:0": ` + wantAllowedHost,
			`wavs.allowed_hosts[7] = "a..b": ` + wantAllowedHost,
		}},
		{"quotas", func(c *Config) {
			c.Wavs.Quotas = Quotas{ResultsPerService: 0, ResultsMaxAgeDays: -1, KVMiBPerService: 65537, FSMiBPerService: 0, FSFilesPerService: 1000001}
		}, []string{
			"wavs.quotas.results_per_service = 0: want 1..10000000",
			"wavs.quotas.results_max_age_days = -1: want 0..36500",
			"wavs.quotas.kv_mib_per_service = 65537: want 1..65536",
			"wavs.quotas.fs_mib_per_service = 0: want 1..65536",
			"wavs.quotas.fs_files_per_service = 1000001: want 1..1000000",
		}},
		{"token with newline", func(c *Config) { c.Wavs.BearerToken = "abc\ndef" },
			[]string{"wavs.bearer_token = <redacted>: want a token without whitespace or control characters"}},
		{"p2p listen address and ports", func(c *Config) {
			c.Wavs.P2P = &P2P{ListenAddress: "", Remote: &RemoteP2P{ListenPort: 65536}}
		}, []string{
			`wavs.p2p.listen_address = "": want an IP address to listen on, e.g. "127.0.0.1", or "::" for every interface`,
			"wavs.p2p.remote.listen_port = 65536: want a port number 0..65535 (0 = any free port)",
		}},
		{"p2p local port", func(c *Config) {
			c.Wavs.P2P = &P2P{ListenAddress: "127.0.0.1", Local: &LocalP2P{ListenPort: -1}}
		}, []string{"wavs.p2p.local.listen_port = -1: want a port number 0..65535 (0 = any free port)"}},
		{"chain ids", func(c *Config) {
			c.Default.Chains.EVM = map[string]EVMChain{
				"0": {HTTPEndpoint: "http://a"}, "-1": {HTTPEndpoint: "http://a"}, "007": {HTTPEndpoint: "http://a"},
				"18446744073709551616": {HTTPEndpoint: "http://a"}, "18446744073709551615": {HTTPEndpoint: "http://a"},
			}
		}, []string{
			`default.chains.evm.-1: chain id "-1": want a decimal chain id > 0, e.g. [default.chains.evm.31337]`,
			`default.chains.evm.0: chain id "0": want a decimal chain id > 0, e.g. [default.chains.evm.31337]`,
			`default.chains.evm.007: chain id "007": want a decimal chain id > 0, e.g. [default.chains.evm.31337]`,
			`default.chains.evm.18446744073709551616: chain id "18446744073709551616": want a decimal chain id > 0, e.g. [default.chains.evm.31337]`,
		}},
		{"endpoints", func(c *Config) {
			c.Default.Chains.EVM = map[string]EVMChain{"1": {
				WSEndpoints:  []string{"wss://ok", "ws://", "https://x", "tcp://x"},
				HTTPEndpoint: "ws://x",
			}}
		}, []string{
			`default.chains.evm.1.ws_endpoints[1] = "ws://": want a ws:// or wss:// URL`,
			`default.chains.evm.1.ws_endpoints[2] = "https://x": want a ws:// or wss:// URL (an http URL goes in http_endpoint)`,
			`default.chains.evm.1.ws_endpoints[3] = "tcp://x": want a ws:// or wss:// URL`,
			`default.chains.evm.1.http_endpoint = "ws://x": want an http:// or https:// URL`,
		}},
		{"quoted chain key", func(c *Config) { c.Default.Chains.EVM = map[string]EVMChain{"1.5": {}} }, []string{
			`default.chains.evm."1.5": chain id "1.5": want a decimal chain id > 0, e.g. [default.chains.evm.31337]`,
			`default.chains.evm."1.5": has no endpoints; want ws_endpoints = ["wss://..."] and/or http_endpoint = "https://..."`,
		}},
		{"plugins", func(c *Config) {
			c.Plugins = map[string]PluginConfig{
				"ok-1":   {SHA256: strings.Repeat("a", 64)},
				"UPPER":  {SHA256: strings.Repeat("A", 64)},
				"bad.na": {Config: map[string]any{"x": math.NaN()}},
			}
		}, []string{
			`plugins.UPPER: plugin name "UPPER": want a plugin name matching ^[a-z0-9][a-z0-9-]*$, e.g. "transport-libp2p"`,
			`plugins.UPPER.sha256 = "` + strings.Repeat("A", 64) + `": want 64 lowercase hex characters (as printed by sha256sum)`,
			`plugins."bad.na": plugin name "bad.na": want a plugin name matching ^[a-z0-9][a-z0-9-]*$, e.g. "transport-libp2p"`,
			`plugins."bad.na".config: cannot be passed to the plugin as JSON (json: unsupported value: NaN); want values without nan or inf`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.modify(c)
			err := c.Validate()
			var got []string
			if err != nil {
				for _, ke := range keyErrors(t, err) {
					got = append(got, ke.Error())
					if ke.File != "" || ke.Line != 0 || ke.Source != "" {
						t.Errorf("%q: a Config built in code has no file or source", ke)
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Validate() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestCheckMultiaddr(t *testing.T) {
	tests := []struct {
		addr string
		why  string // "" if valid
	}{
		{"/ip4/192.0.2.1/tcp/9000/p2p/12D3KooWA", ""},
		{"/ip6/::1/udp/9000/quic-v1/p2p/12D3KooWA", ""},
		{"/dns4/boot.example/tcp/443/wss/p2p/QmPeer", ""},
		{"/ip4/192.0.2.1/tcp/9000/p2p/12D3KooWA/p2p-circuit", ""},
		{"", `it does not start with "/"`},
		{"ip4/192.0.2.1/tcp/9000/p2p/x", `it does not start with "/"`},
		{"/ip4/192.0.2.1/tcp/9000", "it has no /p2p/<peer id> part"},
		{"/ip4/192.0.2.1/tcp/9000/p2p/", "its /p2p/ part has no peer id"},
		{"/ip4/192.0.2.1/tcp/9000/p2p//x", "its /p2p/ part has no peer id"},
		{"/ip4/192.0.2.1/p2p/12D3KooWA", "it has no /tcp/<port> or /udp/<port> part"},
		{"/ip4/192.0.2.1/tcp/http/p2p/12D3KooWA", `its /tcp/ part has port "http", not 1..65535`},
		{"/ip4/192.0.2.1/udp/0/p2p/12D3KooWA", `its /udp/ part has port "0", not 1..65535`},
		{"/ip4/192.0.2.1/tcp", `its /tcp/ part has port "", not 1..65535`},
	}
	for _, tt := range tests {
		if got := checkMultiaddr(tt.addr); got != tt.why {
			t.Errorf("checkMultiaddr(%q) = %q, want %q", tt.addr, got, tt.why)
		}
	}
}

func TestIsPluginName(t *testing.T) {
	for name, want := range map[string]bool{
		"transport-libp2p": true, "a": true, "0x": true, "a-": true,
		"": false, "-a": false, "A": false, "a_b": false, "a.b": false, "a b": false, "ä": false, "../x": false,
	} {
		if got := isPluginName(name); got != want {
			t.Errorf("isPluginName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestReadsArePublic(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		host   string
		public *bool
		want   bool
	}{
		{"127.0.0.1", nil, true},
		{"::1", nil, true},
		{"localhost", nil, true},
		{"0.0.0.0", nil, false},
		{"192.0.2.1", nil, false},
		{"0.0.0.0", &yes, true},
		{"127.0.0.1", &no, false},
	}
	for _, c := range cases {
		w := Wavs{Host: c.host, PublicReads: c.public}
		if got := w.ReadsArePublic(); got != c.want {
			t.Errorf("host %s public_reads %v: ReadsArePublic() = %v, want %v", c.host, c.public, got, c.want)
		}
	}
}

func TestValidateOutboundAndServiceEnv(t *testing.T) {
	c := Default()
	c.Wavs.Data = "/tmp/x"
	c.Wavs.OutboundAllow = []string{"10.1.0.0/16", "127.0.0.1", "nope"}
	c.Wavs.ServiceEnv = map[string][]string{
		"evm:31337:0x5FbDB2315678afecb367f032d93F642f64180aa3": {"WAVS_ENV_API_KEY", "HOME"},
		"not-a-service": {"WAVS_ENV_X"},
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef": {"WAVS_ENV_Y"},
	}
	err := c.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`wavs.outbound_allow[2] = "nope": want a CIDR range`,
		`[1] = "HOME": want a name WAVS_ENV_`,
		`key "not-a-service": want a service id`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 3 {
		t.Errorf("%d problems, want 3: %v", n, err)
	}
	g := c.ServiceEnvGrants()
	if len(g) != 3 || g[0].ServiceID == "" || g[1].Chain != "evm:31337" || g[1].Manager != "0x5FbDB2315678afecb367f032d93F642f64180aa3" {
		t.Errorf("grants %+v", g)
	}
}
