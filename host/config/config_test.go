package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestTransportPlugin(t *testing.T) {
	tests := []struct {
		name string
		wavs Wavs
		want string
	}{
		{"no p2p", Wavs{}, TransportNone},
		{"p2p", Wavs{P2P: &P2P{Local: &LocalP2P{}}}, TransportLibp2p},
		{"override without p2p", Wavs{Transport: "transport-mine"}, "transport-mine"},
		{"override with p2p", Wavs{Transport: "transport-mine", P2P: &P2P{Local: &LocalP2P{}}}, "transport-mine"},
	}
	for _, tt := range tests {
		c := &Config{Wavs: tt.wavs}
		if got := c.TransportPlugin(); got != tt.want {
			t.Errorf("%s: TransportPlugin() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestChainKeys(t *testing.T) {
	c, err := Load("testdata/full_local.toml", env(nil), Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.ChainKeys(), []string{"evm:17000", "evm:31337"}; !slices.Equal(got, want) {
		t.Errorf("ChainKeys() = %q, want %q", got, want)
	}
	if got := Default().ChainKeys(); len(got) != 0 {
		t.Errorf("Default().ChainKeys() = %q, want none", got)
	}
}

// pluginJSON decodes PluginConfigJSON's output into its top-level members.
func pluginJSON(t *testing.T, c *Config, name string) map[string]json.RawMessage {
	t.Helper()
	b, err := c.PluginConfigJSON(name)
	if err != nil {
		t.Fatalf("PluginConfigJSON(%q): %v", name, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("PluginConfigJSON(%q) is not a JSON object: %v\n%s", name, err, b)
	}
	return m
}

func TestPluginConfigJSON(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		plugin string
		want   map[string]string // member -> exact JSON
	}{
		{
			name:   "p2p local, chains and plugin config",
			file:   "testdata/full_local.toml",
			plugin: "trigger-ticker",
			want: map[string]string{
				"p2p": `{"local":{"listen_port":4001},"listen_address":"::","admission":"open"}`,
				"chains": `{"evm":{"17000":{"http_endpoint":"https://holesky.example"},` +
					`"31337":{"ws_endpoints":["ws://127.0.0.1:8545","wss://backup.example/ws"],"http_endpoint":"http://127.0.0.1:8545"}}}`,
				"plugin": `{"interval":"5s","nested":{"depth":2},"topics":["a","b"]}`,
			},
		},
		{
			name:   "plugin without config",
			file:   "testdata/full_local.toml",
			plugin: "transport-libp2p",
			want: map[string]string{
				"p2p": `{"local":{"listen_port":4001},"listen_address":"::","admission":"open"}`,
				"chains": `{"evm":{"17000":{"http_endpoint":"https://holesky.example"},` +
					`"31337":{"ws_endpoints":["ws://127.0.0.1:8545","wss://backup.example/ws"],"http_endpoint":"http://127.0.0.1:8545"}}}`,
			},
		},
		{
			name:   "p2p bootstrap server, no chains",
			file:   "testdata/remote_server.toml",
			plugin: "transport-libp2p",
			want: map[string]string{
				"p2p": `{"remote":{"listen_port":0,"bootstrap_nodes":[]},"listen_address":"` + DefaultP2PListenAddress + `","admission":"operators"}`,
			},
		},
		{
			name:   "chains, remote p2p",
			file:   "testdata/full_remote.toml",
			plugin: "trigger-evm",
			want: map[string]string{
				"p2p": `{"remote":{"listen_port":9000,"bootstrap_nodes":["/ip4/192.0.2.1/tcp/9000/p2p/12D3KooWA",` +
					`"/ip6/::1/udp/9001/quic-v1/p2p/12D3KooWB"]},"listen_address":"` + DefaultP2PListenAddress + `","admission":"operators"}`,
				"chains": `{"evm":{"1":{"ws_endpoints":["wss://mainnet.example"]}}}`,
			},
		},
		{
			name:   "nothing",
			plugin: "transport-none",
			want:   map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.file, env(nil), Overrides{})
			if err != nil {
				t.Fatal(err)
			}
			got := pluginJSON(t, c, tt.plugin)
			if gk, wk := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(tt.want)); !slices.Equal(gk, wk) {
				t.Errorf("members %q, want %q", gk, wk)
			}
			for k, w := range tt.want {
				if string(got[k]) != w {
					t.Errorf("%s = %s\nwant %s", k, got[k], w)
				}
			}
		})
	}
}

// The bearer token must not leak through errors, logs or plugin configs,
// whether it came from the file or the environment.
func TestBearerTokenNeverShown(t *testing.T) {
	const fileToken, envToken = "s3cret-from-file", "s3cret-from-env"
	secrets := []string{fileToken, envToken, "s3cret-unquoted", "s3cret-in-array", "s3cret with space"}
	check := func(t *testing.T, what, s string) {
		t.Helper()
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%s contains the bearer token %q:\n%s", what, secret, s)
			}
		}
	}

	// Errors: from the file and the environment, alongside other problems.
	for _, tt := range []struct {
		file string
		env  map[string]string
	}{
		{"testdata/bad_many.toml", nil},
		{"testdata/bad_many.toml", map[string]string{EnvBearerToken: envToken}},
		{"testdata/bad_token_syntax.toml", nil},
		{"testdata/bad_token_type.toml", nil},
		{"testdata/full_local.toml", map[string]string{EnvBearerToken: "s3cret with space", EnvPort: "x"}},
	} {
		_, err := Load(tt.file, env(tt.env), Overrides{})
		if err == nil {
			t.Fatalf("Load(%s) succeeded, want an error", tt.file)
		}
		check(t, "error from "+tt.file, err.Error())
		for _, ke := range keyErrors(t, err) {
			if ke.Err != nil {
				check(t, "wrapped error from "+tt.file, ke.Err.Error())
			}
		}
	}
	_, err := Load("testdata/full_local.toml", env(map[string]string{EnvBearerToken: "s3cret with space"}), Overrides{})
	if err == nil || !strings.Contains(err.Error(), "WAVS_BEARER_TOKEN=<redacted>: want a token without whitespace") {
		t.Errorf("bad token from env: error = %v, want it to name WAVS_BEARER_TOKEN, redacted", err)
	}

	// Logs and plugin configs.
	for _, vars := range []map[string]string{nil, {EnvBearerToken: envToken}} {
		c, err := Load("testdata/full_local.toml", env(vars), Overrides{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Wavs.BearerToken == "" {
			t.Fatal("test config has no bearer token")
		}
		check(t, "String()", c.String())
		check(t, "Redacted()", fmt.Sprintf("%+v", *c.Redacted()))
		check(t, "Redacted().Wavs", fmt.Sprintf("%+v", c.Redacted().Wavs))
		check(t, "%v of *Config", fmt.Sprintf("%v", c))
		check(t, "%v of Config", fmt.Sprintf("%v", *c))
		check(t, "%+v of Wavs", fmt.Sprintf("%+v", c.Wavs))
		if !strings.Contains(c.String(), `"bearer_token":"<redacted>"`) {
			t.Errorf("String() = %s, want the token shown as <redacted>", c)
		}
		for _, name := range []string{"trigger-ticker", "transport-libp2p", ""} {
			b, err := c.PluginConfigJSON(name)
			if err != nil {
				t.Fatal(err)
			}
			check(t, "PluginConfigJSON("+name+")", string(b))
			if strings.Contains(string(b), "bearer_token") {
				t.Errorf("PluginConfigJSON(%q) mentions bearer_token: %s", name, b)
			}
		}
		if c.Redacted().Wavs.BearerToken != redactedValue || c.Wavs.BearerToken == redactedValue {
			t.Error("Redacted() must redact its copy and leave the original alone")
		}
	}
	if got := Default().Redacted().Wavs.BearerToken; got != "" {
		t.Errorf("Redacted() of a config without a token set it to %q", got)
	}
}

// TestAdmissionValidation: admission and authorized_peers are checked and
// the errors name the key and the value.
func TestAdmissionValidation(t *testing.T) {
	c := Default()
	c.Wavs.P2P = &P2P{Remote: &RemoteP2P{BootstrapNodes: []string{}}, ListenAddress: "0.0.0.0",
		Admission: "friends", AuthorizedPeers: []string{"12D3KooWGRUVh5DquV5ZbeAWpAkhEy7TMLGYAXNfP8FiGBMojJLe", "nope"}}
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate accepted admission = \"friends\" and a bad peer id")
	}
	for _, want := range []string{`wavs.p2p.admission`, `"friends"`, `wavs.p2p.authorized_peers[1]`, `"nope"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %q does not name %s", err, want)
		}
	}
	if strings.Contains(err.Error(), "authorized_peers[0]") {
		t.Errorf("a valid peer id was refused: %v", err)
	}
	c.Wavs.P2P.Admission, c.Wavs.P2P.AuthorizedPeers = "", nil
	if got := c.Wavs.P2P.AdmissionMode(); got != AdmissionOperators {
		t.Errorf("remote mode default admission = %q, want operators", got)
	}
	c.Wavs.P2P.Remote, c.Wavs.P2P.Local = nil, &LocalP2P{}
	if got := c.Wavs.P2P.AdmissionMode(); got != AdmissionOpen {
		t.Errorf("local mode default admission = %q, want open", got)
	}
}
