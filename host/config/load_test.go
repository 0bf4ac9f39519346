package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const testHome = "/home/tester"

// env returns a lookupEnv reading vars, with HOME set so "~/" expands the
// same way on every machine.
func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if name == "HOME" {
			if v, ok := vars[name]; ok {
				return v, true
			}
			return testHome, true
		}
		v, ok := vars[name]
		return v, ok
	}
}

func ptr[T any](v T) *T { return &v }

// plain drops the origin so a loaded Config compares equal to a literal.
func plain(c *Config) *Config {
	cp := *c
	cp.src = nil
	return &cp
}

// keyErrors flattens an error tree into its KeyErrors, failing on anything else.
func keyErrors(t *testing.T, err error) []*KeyError {
	t.Helper()
	var out []*KeyError
	var walk func(error)
	walk = func(err error) {
		if ke, ok := err.(*KeyError); ok {
			out = append(out, ke)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		t.Errorf("error is not a *KeyError: %T %v", err, err)
	}
	walk(err)
	return out
}

func defaultsWithHome() *Config {
	c := Default()
	c.Wavs.Data = filepath.Join(testHome, ".wavs")
	return c
}

func TestLoadGood(t *testing.T) {
	tests := []struct {
		name string
		file string // "" for no file
		want func() *Config
	}{
		{
			name: "no file",
			want: defaultsWithHome,
		},
		{
			name: "empty file",
			file: "testdata/empty.toml",
			want: defaultsWithHome,
		},
		{
			name: "every key, local p2p, two chains, plugin",
			file: "testdata/full_local.toml",
			want: func() *Config {
				return &Config{
					Wavs: Wavs{
						Host:        "127.0.0.2",
						Port:        9000,
						Data:        "/var/lib/wavs",
						LogLevel:    "debug",
						BearerToken: "s3cret-from-file",
						Transport:   "transport-mine",
						P2P: &P2P{
							ListenAddress: "::",
							Local:         &LocalP2P{ListenPort: 4001},
						},
						Engine: Engine{MaxConcurrent: 4, TimeLimitSeconds: 10, MemoryLimitMiB: 128, MaxOutputKiB: 64,
							MaxTimeLimitSeconds: DefaultMaxTimeLimitSeconds, MaxTableElements: DefaultMaxTableElements,
							CompiledCacheMiB: DefaultCompiledCacheMiB, MaxConsecutiveFailures: DefaultMaxConsecutiveFailures},
						Aggregator:   Aggregator{SettleMs: 250, ClaimWaitMs: 700, FallbackMs: 5000, RebroadcastMs: 1000},
						DevMode:      true,
						PublicReads:  ptr(false),
						AllowedHosts: []string{"wavs.example.com", "[::1]:9000"},
						Quotas:       Quotas{ResultsPerService: 500, ResultsMaxAgeDays: 0, KVMiBPerService: 8, FSMiBPerService: 16, FSFilesPerService: DefaultFSFilesPerService},
					},
					Default: Defaults{Chains: Chains{EVM: map[string]EVMChain{
						"31337": {
							WSEndpoints:  []string{"ws://127.0.0.1:8545", "wss://backup.example/ws"},
							HTTPEndpoint: "http://127.0.0.1:8545",
						},
						"17000": {HTTPEndpoint: "https://holesky.example"},
					}}},
					Plugins: map[string]PluginConfig{
						"trigger-ticker": {
							SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
							Config: map[string]any{
								"interval": "5s",
								"topics":   []any{"a", "b"},
								"nested":   map[string]any{"depth": int64(2)},
							},
						},
					},
				}
			},
		},
		{
			name: "remote p2p with bootstrap nodes",
			file: "testdata/full_remote.toml",
			want: func() *Config {
				c := defaultsWithHome()
				c.Wavs.Port = 8001
				c.Wavs.P2P = &P2P{
					ListenAddress: DefaultP2PListenAddress,
					Remote: &RemoteP2P{
						ListenPort: 9000,
						BootstrapNodes: []string{
							"/ip4/192.0.2.1/tcp/9000/p2p/12D3KooWA",
							"/ip6/::1/udp/9001/quic-v1/p2p/12D3KooWB",
						},
					},
				}
				c.Default.Chains.EVM = map[string]EVMChain{"1": {WSEndpoints: []string{"wss://mainnet.example"}}}
				return c
			},
		},
		{
			name: "remote p2p as bootstrap server",
			file: "testdata/remote_server.toml",
			want: func() *Config {
				c := defaultsWithHome()
				c.Wavs.P2P = &P2P{
					ListenAddress: DefaultP2PListenAddress,
					Remote:        &RemoteP2P{ListenPort: 0, BootstrapNodes: []string{}},
				}
				return c
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(tt.file, env(nil), Overrides{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if want := tt.want(); !reflect.DeepEqual(plain(got), want) {
				t.Errorf("Load =\n%#v\nwant\n%#v", plain(got).Wavs.redacted(), want.Wavs.redacted())
				t.Errorf("full: got %s\nwant %s", got, want)
			}
		})
	}
}

func TestLoadBad(t *testing.T) {
	tests := []struct {
		file string
		line int
		want []string // each must appear in the one error: key, value, what is allowed
	}{
		{"bad_unknown_top.toml", 4, []string{`unknown key "wavz"`, "top level allows: wavs, default, plugins"}},
		{"bad_unknown_wavs.toml", 4, []string{`unknown key "wavs.prot"`, `did you mean "port"`,
			"[wavs] allows: host, port, data, log_level, bearer_token, transport, p2p"}},
		{"bad_unknown_remote.toml", 3, []string{`unknown key "wavs.p2p.remote.bootstrap_node"`,
			"[wavs.p2p.remote] allows: listen_port, bootstrap_nodes"}},
		{"bad_unknown_chain.toml", 4, []string{`unknown key "default.chains.evm.31337.http_endpiont"`,
			"[default.chains.evm.31337] allows: ws_endpoints, http_endpoint"}},
		{"bad_type_port.toml", 3, []string{`wavs.port = "x"`, "want an integer", "got a string"}},
		{"bad_port_zero.toml", 2, []string{"wavs.port = 0:", "1..65535"}},
		{"bad_port_high.toml", 3, []string{"wavs.port = 70000:", "1..65535"}},
		{"bad_engine.toml", 2, []string{"wavs.engine.time_limit_seconds = 0:", "want 1..3600"}},
		{"bad_aggregator.toml", 3, []string{"wavs.aggregator.fallback_ms = 10:", "want 100..3600000"}},
		{"bad_engine_ceiling.toml", 2, []string{"wavs.engine.time_limit_seconds = 600:", "want at most wavs.engine.max_time_limit_seconds (300)"}},
		{"bad_engine_memory.toml", 3, []string{"wavs.engine.memory_limit_mib = 99999:", "want 1..4096"}},
		{"bad_log_level.toml", 2, []string{`wavs.log_level = "verbose"`, "trace, debug, info, warn, error"}},
		{"bad_p2p_both.toml", 4, []string{"wavs.p2p:", "both local and remote",
			"[wavs.p2p] needs local = { listen_port = N } or remote = { listen_port = N, bootstrap_nodes = [...] }, not both"}},
		{"bad_p2p_neither.toml", 1, []string{"wavs.p2p:", "neither local nor remote", "needs local = "}},
		{"bad_bootstrap.toml", 2, []string{`wavs.p2p.remote.bootstrap_nodes[1] = "192.0.2.2:9000"`,
			`does not start with "/"`, "multiaddr with a peer id", "/tcp/9000/p2p/"}},
		{"bad_announce.toml", 2, []string{`wavs.p2p.announce[1] = "/ip4/0.0.0.0/tcp/4001"`,
			"an unspecified IP cannot be dialled", "without /p2p/<peer id>"}},
		{"bad_chain_key.toml", 1, []string{"default.chains.evm.abc:", `chain id "abc"`, "decimal chain id > 0"}},
		{"bad_chain_no_endpoints.toml", 3, []string{"default.chains.evm.31337:", "no endpoints", "ws_endpoints", "http_endpoint"}},
		{"bad_ws_scheme.toml", 2, []string{`default.chains.evm.31337.ws_endpoints[1] = "http://127.0.0.1:8545"`, "ws:// or wss://"}},
		{"bad_sha256.toml", 2, []string{`plugins.trigger-ticker.sha256 = "abc123"`, "64 lowercase hex"}},
		{"bad_plugin_name.toml", 1, []string{"plugins.Trigger_Ticker:", `"Trigger_Ticker"`, "^[a-z0-9][a-z0-9-]*$"}},
		{"bad_syntax.toml", 3, []string{"invalid TOML", `"wavs.host"`}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			_, err := Load(path, env(nil), Overrides{})
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			kes := keyErrors(t, err)
			if len(kes) != 1 {
				t.Fatalf("got %d errors, want 1:\n%v", len(kes), err)
			}
			msg := err.Error()
			if prefix := fmt.Sprintf("%s:%d: ", path, tt.line); !strings.HasPrefix(msg, prefix) {
				t.Errorf("error %q does not start with %q", msg, prefix)
			}
			if kes[0].File != path || kes[0].Line != tt.line {
				t.Errorf("KeyError at %s:%d, want %s:%d", kes[0].File, kes[0].Line, path, tt.line)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

// All problems are reported at once, each at its own line.
func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Load("testdata/bad_many.toml", env(map[string]string{EnvLogLevel: "loud"}), Overrides{})
	if err == nil {
		t.Fatal("Load succeeded, want errors")
	}
	msg := err.Error()
	for _, w := range []string{
		`testdata/bad_many.toml:5: unknown key "wavs.Port" (did you mean "port"?)`,
		`testdata/bad_many.toml:2: wavs.host = "not-an-ip": want an IP address`,
		`WAVS_LOG_LEVEL="loud": want one of trace, debug, info, warn, error`,
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("errors do not contain %q:\n%s", w, msg)
		}
	}
}

func TestLoadTypeErrors(t *testing.T) {
	_, err := Load("testdata/bad_token_type.toml", env(nil), Overrides{})
	if err == nil {
		t.Fatal("Load succeeded, want errors")
	}
	kes := keyErrors(t, err)
	if len(kes) != 2 {
		t.Fatalf("got %d errors, want 2 (every wrong type, not just the first):\n%v", len(kes), err)
	}
	want := []string{
		"testdata/bad_token_type.toml:2: wavs.bearer_token = <redacted>: want a string, got an array",
		`testdata/bad_token_type.toml:3: wavs.port = "x": want an integer, got a string`,
	}
	for i, w := range want {
		if got := kes[i].Error(); got != w {
			t.Errorf("error %d = %q, want %q", i, got, w)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/does-not-exist.toml", env(nil), Overrides{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load = %v, want an error wrapping os.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), "testdata/does-not-exist.toml") {
		t.Errorf("error %q does not name the file", err)
	}
}

func TestLoadPrecedence(t *testing.T) {
	const file = "testdata/full_local.toml" // host 127.0.0.2, port 9000, data /var/lib/wavs, log_level debug
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		o    Overrides
		want Wavs // only Host, Port, Data, LogLevel, BearerToken are compared
	}{
		{
			name: "file",
			want: Wavs{Host: "127.0.0.2", Port: 9000, Data: "/var/lib/wavs", LogLevel: "debug", BearerToken: "s3cret-from-file"},
		},
		{
			name: "env over file",
			env: map[string]string{EnvHost: "::1", EnvPort: "9100", EnvData: "~/env-data",
				EnvLogLevel: "warn", EnvBearerToken: "s3cret-from-env"},
			want: Wavs{Host: "::1", Port: 9100, Data: filepath.Join(testHome, "env-data"), LogLevel: "warn", BearerToken: "s3cret-from-env"},
		},
		{
			name: "empty env is ignored",
			env:  map[string]string{EnvHost: "", EnvPort: "", EnvData: "", EnvLogLevel: "", EnvBearerToken: ""},
			want: Wavs{Host: "127.0.0.2", Port: 9000, Data: "/var/lib/wavs", LogLevel: "debug", BearerToken: "s3cret-from-file"},
		},
		{
			name: "flags over env",
			env:  map[string]string{EnvHost: "::1", EnvPort: "9100", EnvData: "/env", EnvLogLevel: "warn"},
			o:    Overrides{Host: ptr("localhost"), Port: ptr(9200), Data: ptr("rel/dir"), LogLevel: ptr("trace")},
			want: Wavs{Host: "localhost", Port: 9200, Data: filepath.Join(wd, "rel/dir"), LogLevel: "trace", BearerToken: "s3cret-from-file"},
		},
		{
			name: "some flags",
			env:  map[string]string{EnvPort: "9100"},
			o:    Overrides{LogLevel: ptr("error")},
			want: Wavs{Host: "127.0.0.2", Port: 9100, Data: "/var/lib/wavs", LogLevel: "error", BearerToken: "s3cret-from-file"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(file, env(tt.env), tt.o)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			w := c.Wavs
			got := Wavs{Host: w.Host, Port: w.Port, Data: w.Data, LogLevel: w.LogLevel, BearerToken: w.BearerToken}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got.redacted(), tt.want.redacted())
				if got.BearerToken != tt.want.BearerToken {
					t.Error("bearer token differs")
				}
			}
		})
	}
}

func TestLoadBadOverrides(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		o      Overrides
		source string
		want   string
	}{
		{"env port not a number", map[string]string{EnvPort: "abc"}, Overrides{},
			EnvPort, `WAVS_PORT="abc": want a port number 1..65535`},
		{"env port out of range", map[string]string{EnvPort: "0"}, Overrides{},
			EnvPort, `WAVS_PORT="0": want a port number 1..65535`},
		{"env host", map[string]string{EnvHost: "example.com"}, Overrides{},
			EnvHost, `WAVS_HOST="example.com": want an IP address (e.g. 127.0.0.1 or ::1) or "localhost"`},
		{"env log level", map[string]string{EnvLogLevel: "INFO"}, Overrides{},
			EnvLogLevel, `WAVS_LOG_LEVEL="INFO": want one of trace, debug, info, warn, error`},
		{"env data", map[string]string{EnvData: "~bob/data"}, Overrides{},
			EnvData, `WAVS_DATA="~bob/data": want a directory path; only a leading "~/" is expanded`},
		{"flag port", nil, Overrides{Port: ptr(0)},
			FlagPort, "--port 0: want a port number 1..65535"},
		{"flag beats bad env", map[string]string{EnvLogLevel: "info"}, Overrides{LogLevel: ptr("loud")},
			FlagLogLevel, `--log-level "loud": want one of trace, debug, info, warn, error`},
		{"flag host", nil, Overrides{Host: ptr("")},
			FlagHost, `--host "": want an IP address`},
		{"flag data", nil, Overrides{Data: ptr("")},
			FlagData, `--data "": want a directory path`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The file sets every one of these keys; the error must still
			// name the variable or flag, not the file.
			_, err := Load("testdata/full_local.toml", env(tt.env), tt.o)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			kes := keyErrors(t, err)
			if len(kes) != 1 {
				t.Fatalf("got %d errors, want 1:\n%v", len(kes), err)
			}
			ke := kes[0]
			if ke.Source != tt.source || ke.File != "" || ke.Line != 0 {
				t.Errorf("KeyError source %q file %q line %d, want source %q and no file", ke.Source, ke.File, ke.Line, tt.source)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant prefix %q", err, tt.want)
			}
		})
	}
}

func TestLoadDataExpansion(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ in, want string }{
		{"~", testHome},
		{"~/x/y", filepath.Join(testHome, "x/y")},
		{"/abs/./dir/", "/abs/dir"},
		{"rel", filepath.Join(wd, "rel")},
	} {
		c, err := Load("", env(nil), Overrides{Data: ptr(tt.in)})
		if err != nil {
			t.Errorf("data %q: %v", tt.in, err)
			continue
		}
		if c.Wavs.Data != tt.want {
			t.Errorf("data %q became %q, want %q", tt.in, c.Wavs.Data, tt.want)
		}
	}
}
