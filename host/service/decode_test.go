package service

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestDecodeFull(t *testing.T) {
	s := decodeFixture(t, "full.json")
	digest, _ := ParseDigest("136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02")
	handler := mustAddress(t, "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0")
	want := &Service{
		Name:    "demo",
		Status:  StatusActive,
		Manager: Manager{Evm: &EvmManager{Chain: "evm:31337", Address: mustAddress(t, "0x5fbdb2315678afecb367f032d93f642f64180aa3")}},
		Workflows: map[string]Workflow{
			"price": {
				Trigger: Trigger{EvmContractEvent: &EvmContractEvent{
					Address:   mustAddress(t, "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512"),
					Chain:     "evm:31337",
					EventHash: mustHash(t, "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68"),
				}},
				Component: Component{
					Source:           Source{Download: &Download{URI: "https://example.com/components/price.wasm", Digest: digest}},
					Permissions:      Permissions{AllowedHTTPHosts: AllowOnlyHosts("api.coingecko.com", "127.0.0.1")},
					FuelLimit:        ptr[uint64](100000000),
					TimeLimitSeconds: ptr[uint64](30),
					Config:           map[string]string{"coin": "ethereum", "currency": "usd"},
					EnvKeys:          []string{"WAVS_ENV_API_KEY"},
				},
				Submit: Submit{Aggregator: &Aggregator{Chain: "evm:31337", Address: handler}},
			},
			"blocks": {
				Trigger:   Trigger{BlockInterval: &BlockInterval{Chain: "evm:31337", NBlocks: 10, StartBlock: ptr[uint64](100)}},
				Component: Component{Source: Source{Digest: &digest}, Permissions: Permissions{AllowedHTTPHosts: AllowNoHosts()}},
				Submit:    Submit{Aggregator: &Aggregator{Chain: "evm:31337", Address: handler}},
			},
			"tick": {
				Trigger:   Trigger{Cron: &Cron{Schedule: "*/5 * * * * *", StartTime: ptr[uint64](1700000000000000000)}},
				Component: Component{Source: Source{Digest: &digest}, Permissions: Permissions{AllowedHTTPHosts: AllowAllHosts()}, TimeLimitSeconds: ptr[uint64](5)},
				Submit:    Submit{},
			},
		},
	}
	if !reflect.DeepEqual(s, want) {
		got, _ := json.MarshalIndent(s, "", "  ")
		exp, _ := json.MarshalIndent(want, "", "  ")
		t.Fatalf("Decode(full.json):\n%s\nwant:\n%s", got, exp)
	}
	for id, kind := range map[string]string{"price": "evm_contract_event", "blocks": "block_interval", "tick": "cron"} {
		if got := s.Workflows[id].Trigger.Kind(); got != kind {
			t.Errorf("workflow %s: Kind() = %q, want %q", id, got, kind)
		}
	}
}

func TestDecodeDefaults(t *testing.T) {
	s := decodeFixture(t, "minimal.json")
	w := s.Workflows["only"]
	switch {
	case s.Status != StatusActive:
		t.Errorf("status = %q, want active", s.Status)
	case w.Component.Permissions.AllowedHTTPHosts.Kind != HostsNone:
		t.Errorf("allowed_http_hosts = %+v, want none", w.Component.Permissions.AllowedHTTPHosts)
	case w.Component.Config != nil || w.Component.EnvKeys != nil || w.Component.FuelLimit != nil || w.Component.TimeLimitSeconds != nil:
		t.Errorf("component = %+v, want empty optional fields", w.Component)
	case w.Trigger.Cron.StartTime != nil || w.Trigger.Cron.EndTime != nil:
		t.Errorf("cron = %+v, want no start or end", w.Trigger.Cron)
	case w.Submit.Aggregator != nil:
		t.Errorf("submit = %+v, want none", w.Submit)
	case s.Manager.Evm.Address.String() != "0x5fbdb2315678afecb367f032d93f642f64180aa3":
		t.Errorf("mixed-case address decoded to %s", s.Manager.Evm.Address)
	}
}

func TestDecodeFixtureErrors(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"bad_no_workflows.json", []string{"workflows: want at least one workflow"}},
		{"bad_syntax.json", []string{"service JSON: line 3, column 17: invalid character ',' looking for beginning of object key string"}},
		{"bad_cron.json", []string{
			`workflows.feb30.trigger.cron.end_time: 1000000000000000000 < start_time 2000000000000000000: want end_time ≥ start_time`,
			`workflows.feb30.trigger.cron.schedule: "0 0 30 2 *": never fires: none of its days of the month exist in its months`,
			`workflows.fields.trigger.cron.schedule: "* * * *": has 4 fields: ` + wantSchedule,
		}},
		{"bad_many.json", []string{
			`manager.evm.address: "0x12": want a 20-byte hex address (0x + 40 hex digits)`,
			`manager.evm.chain: "EVM:31337": ` + wantChain,
			`name: "": want a name of 1..128 characters without control characters`,
			`status: "stopped": want "active" or "paused"`,
			`workflows.price.component.colour: unknown field: want one of source, permissions, fuel_limit, time_limit_seconds, config, env_keys`,
			`workflows.price.component.env_keys[1]: "HOME": want a name starting with WAVS_ENV_`,
			`workflows.price.component.env_keys[2]: "WAVS_ENV_OK": want each name once`,
			`workflows.price.component.permissions.allowed_http_hosts.only[0]: "https://api.example.com/": ` + wantHost,
			`workflows.price.component.source.download.digest: "136F0DEC77EF3C5570737642EFA4C7E150D23A492A37FC5B2EFF183EF7084F02": ` + wantDigest,
			`workflows.price.component.source.download.uri: "ftp://example.com/x.wasm": want an http:// or https:// URL with a host`,
			`workflows.price.component.time_limit_seconds: 0: want 1..3600 seconds, or null`,
			`workflows.price.submit: "all": ` + wantSubmit,
			`workflows.price.trigger.evm_contract_event.address: "0x12": want a 20-byte hex address (0x + 40 hex digits)`,
			`workflows.x.trigger: keys "cron", "block_interval": ` + wantTrigger,
			`workflows["bad.id"]: "bad.id": want a workflow id matching ^[A-Za-z0-9_-]{1,64}$`,
			`workflows["bad.id"].component.fuel_limit: -1: want a whole number ≥ 1, or null`,
			`workflows["bad.id"].trigger.block_interval.end_block: 5 < start_block 10: want end_block ≥ start_block`,
			`workflows["bad.id"].trigger.block_interval.n_blocks: 0: want a whole number 1..4294967295`,
		}},
		{"bad_shapes.json", []string{
			"manager.cosmos.address: missing: " + wantCosmosAddress,
			"manager.cosmos.chain: missing: " + wantChain,
			`name: 7: ` + wantName,
			`workflows: duplicate key: want each key once`,
			`workflows.w.component.config.k: 1: want a string`,
			`workflows.w.component.permissions.allowed_http_hosts: "some": ` + wantHostPolicy,
			"workflows.w.component.source.registry.digest: missing: " + wantDigest,
			"workflows.w.component.source.registry.package: missing: " + wantPackage,
			`workflows.w.submit.aggregator.gas: unknown field: want one of chain, address`,
			`workflows.w.trigger: keys "manual": ` + wantTrigger,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, err := Decode(readFixture(t, tt.file))
			if s != nil {
				t.Errorf("Decode returned a service with an error")
			}
			if got := errLines(err); !slices.Equal(got, tt.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// minimalWith is minimal.json with the first old replaced by new.
func minimalWith(t *testing.T, old, new string) []byte {
	t.Helper()
	b := string(readFixture(t, "minimal.json"))
	if !strings.Contains(b, old) {
		t.Fatalf("minimal.json has no %s", old)
	}
	return []byte(strings.Replace(b, old, new, 1))
}

func TestDecodeErrors(t *testing.T) {
	const trig = `{"cron": {"schedule": "@every 1m"}}`
	const src = `"source": {"digest": "136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02"}`
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"trigger missing", `"trigger": ` + trig + `,`, ``,
			[]string{"workflows.only.trigger: missing: " + wantTrigger}},
		{"empty trigger", trig, `{}`,
			[]string{"workflows.only.trigger: {}: " + wantTrigger}},
		{"trigger not an object", trig, `"cron"`,
			[]string{`workflows.only.trigger: "cron": ` + wantTrigger}},
		{"event hash short", trig, `{"evm_contract_event": {"address": "0x5fbdb2315678afecb367f032d93f642f64180aa3", "chain": "evm:1", "event_hash": "0x1234"}}`,
			[]string{`workflows.only.trigger.evm_contract_event.event_hash: "0x1234": want a 32-byte hex hash (0x + 64 hex digits)`}},
		{"event zero address and hash", trig, `{"evm_contract_event": {"address": "0x0000000000000000000000000000000000000000", "chain": "evm:1", "event_hash": "0000000000000000000000000000000000000000000000000000000000000000"}}`,
			[]string{
				`workflows.only.trigger.evm_contract_event.address: "0x0000000000000000000000000000000000000000": want a non-zero address`,
				`workflows.only.trigger.evm_contract_event.event_hash: "0x0000000000000000000000000000000000000000000000000000000000000000": want a non-zero hash`,
			}},
		{"event fields missing", trig, `{"evm_contract_event": {}}`,
			[]string{
				"workflows.only.trigger.evm_contract_event.address: missing: " + wantAddress,
				"workflows.only.trigger.evm_contract_event.chain: missing: " + wantChain,
				"workflows.only.trigger.evm_contract_event.event_hash: missing: " + wantHash,
			}},
		{"block numbers", trig, `{"block_interval": {"chain": "evm 0", "n_blocks": 1.5, "start_block": 0, "end_block": "9"}}`,
			[]string{
				`workflows.only.trigger.block_interval.chain: "evm 0": ` + wantChain,
				`workflows.only.trigger.block_interval.end_block: "9": want a block number ≥ 1, or null`,
				`workflows.only.trigger.block_interval.n_blocks: 1.5: ` + wantNBlocks,
				`workflows.only.trigger.block_interval.start_block: 0: want a block number ≥ 1, or null`,
			}},
		{"cron time in seconds", trig, `{"cron": {"schedule": "@daily", "start_time": null, "end_time": 1700000000}}`,
			[]string{`workflows.only.trigger.cron.end_time: 1700000000: want a unix time in nanoseconds (this looks like seconds or milliseconds), or null`}},
		{"cron time not a number", trig, `{"cron": {"schedule": "@daily", "start_time": "2025-01-01"}}`,
			[]string{`workflows.only.trigger.cron.start_time: "2025-01-01": want a unix time in nanoseconds (a whole number), or null`}},
		{"cron times zero and max", trig, `{"cron": {"schedule": "@daily", "start_time": 0, "end_time": 18446744073709551615}}`, nil},
		{"cron bad field", trig, `{"cron": {"schedule": "0 0 * * MOX"}}`,
			[]string{`workflows.only.trigger.cron.schedule: "0 0 * * MOX": day-of-week field "MOX": want values 0..7 or SUN..SAT`}},
		{"time limit too high", src, src + `, "time_limit_seconds": 3601`,
			[]string{`workflows.only.component.time_limit_seconds: 3601: want 1..3600 seconds, or null`}},
		{"fuel zero", src, src + `, "fuel_limit": 0`,
			[]string{`workflows.only.component.fuel_limit: 0: want a whole number ≥ 1, or null`}},
		{"env keys", src, src + `, "env_keys": ["WAVS_ENV_", "WAVS_ENV_A-B", 3]`,
			[]string{
				`workflows.only.component.env_keys[0]: "WAVS_ENV_": want WAVS_ENV_ followed by letters, digits and _`,
				`workflows.only.component.env_keys[1]: "WAVS_ENV_A-B": want WAVS_ENV_ followed by letters, digits and _`,
				`workflows.only.component.env_keys[2]: 3: want a name starting with WAVS_ENV_`,
			}},
		{"env keys not a list", src, src + `, "env_keys": "WAVS_ENV_A"`,
			[]string{`workflows.only.component.env_keys: "WAVS_ENV_A": ` + wantEnvKeys}},
		{"config key quoted", src, src + `, "config": {"a b": 1, "": "x"}`,
			[]string{
				`workflows.only.component.config[""]: empty key: want a non-empty key`,
				`workflows.only.component.config["a b"]: 1: want a string`,
			}},
		{"permission flag not a bool", src, src + `, "permissions": {"allowed_http_hosts": "none", "file_system": "yes", "raw_sockets": 1}`,
			[]string{
				`workflows.only.component.permissions.file_system: "yes": want true or false`,
				`workflows.only.component.permissions.raw_sockets: 1: want true or false`,
			}},
		{"only empty", src, src + `, "permissions": {"allowed_http_hosts": {"only": []}}`,
			[]string{`workflows.only.component.permissions.allowed_http_hosts.only: []: want a list of at least one host, or "none"`}},
		{"only with port", src, src + `, "permissions": {"allowed_http_hosts": {"only": ["a.example:443", "1.2.3"]}}`,
			[]string{
				`workflows.only.component.permissions.allowed_http_hosts.only[0]: "a.example:443": ` + wantHost,
				`workflows.only.component.permissions.allowed_http_hosts.only[1]: "1.2.3": ` + wantHost,
			}},
		{"two sources", src, `"source": {"digest": "136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02", "download": {}}`,
			[]string{`workflows.only.component.source: keys "digest", "download": ` + wantSource}},
		{"download relative", src, `"source": {"download": {"uri": "/x.wasm", "digest": "136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02"}}`,
			[]string{`workflows.only.component.source.download.uri: "/x.wasm": want an http:// or https:// URL with a host`}},
		{"download url is uri", src, `"source": {"download": {"url": "https://example.com/x.wasm", "digest": "136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02"}}`,
			[]string{`workflows.only.component.source.download.url: unknown field: use "uri" (WAVS's name for it); want one of uri, digest`}},
		{"submit zero aggregator", `"submit": "none"`, `"submit": {"aggregator": {"chain": "evm:1", "address": "0x0000000000000000000000000000000000000000"}}`,
			[]string{`workflows.only.submit.aggregator.address: "0x0000000000000000000000000000000000000000": want a non-zero address`}},
		{"submit null", `"submit": "none"`, `"submit": null`,
			[]string{`workflows.only.submit: null: ` + wantSubmit}},
		{"workflow id too long", `"only":`, `"` + strings.Repeat("w", 65) + `":`,
			[]string{`workflows.` + strings.Repeat("w", 65) + `: "` + strings.Repeat("w", 65) + `": ` + wantWorkflowID}},
		{"status paused", `"name": "minimal",`, `"name": "minimal", "status": "paused",`, nil},
		{"name control", `"name": "minimal"`, `"name": "a\nb"`,
			[]string{`name: "a\nb": ` + wantName}},
		{"unknown top", `"name": "minimal",`, `"name": "minimal", "aggregators": [],`,
			[]string{`aggregators: unknown field: want one of name, status, manager, workflows`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(minimalWith(t, tt.old, tt.new))
			if got := errLines(err); !slices.Equal(got, tt.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, e := range unjoin(err) {
				var fe *FieldError
				if !errors.As(e, &fe) {
					t.Errorf("%v is not a *FieldError", e)
				}
			}
		})
	}
}

// unjoin returns the errors joined in err.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

func TestDecodeNotAService(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"array", []byte(`["service"]`), `["service"]: want an object with keys name, status, manager, workflows`},
		{"null", []byte(`null`), `null: want an object with keys name, status, manager, workflows`},
		{"empty", nil, "service JSON: line 1, column 1: unexpected end of JSON input"},
		{"two values", []byte(`{} {}`), "service JSON: line 1, column 4: invalid character '{' after top-level value"},
		{"too large", make([]byte, MaxJSONSize+1), "1048577 bytes: want at most 1 MiB of service JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.data); err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"full.json", "minimal.json"} {
		t.Run(name, func(t *testing.T) {
			s := decodeFixture(t, name)
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			s2, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode(Marshal): %v\n%s", err, b)
			}
			if !reflect.DeepEqual(s, s2) {
				t.Fatalf("round trip changed the service:\n%s", b)
			}
			b2, _ := json.Marshal(s2)
			if string(b) != string(b2) {
				t.Fatalf("encoding is not stable:\n%s\n%s", b, b2)
			}
		})
	}
}

func TestUnmarshalJSONIsStrict(t *testing.T) {
	tests := []struct {
		name string
		into any
		data string
		want string // "" for no error
	}{
		{"trigger ok", new(Trigger), `{"block_interval": {"chain": "evm:1", "n_blocks": 3}}`, ""},
		{"trigger two", new(Trigger), `{"block_interval": {}, "cron": {}}`, `keys "block_interval", "cron": ` + wantTrigger},
		{"trigger unknown inner", new(Trigger), `{"cron": {"schedule": "@daily", "tz": "UTC"}}`, "cron.tz: unknown field: want one of schedule, start_time, end_time"},
		{"host policy all", new(HostPolicy), `"all"`, ""},
		{"host policy bad", new(HostPolicy), `{"only": "x"}`, `only: "x": ` + wantHosts},
		{"submit none", new(Submit), `"none"`, ""},
		{"submit bad", new(Submit), `{"aggregator": 1}`, "aggregator: 1: " + wantAggregator},
		{"source", new(Source), `{"digest": "00"}`, `digest: "00": ` + wantDigest},
		{"download", new(Download), `{"uri": "https://x"}`, "digest: missing: " + wantDigest},
		{"aggregator", new(Aggregator), `{"chain": "evm:1", "address": "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"}`, ""},
		{"service not validated", new(Service), `{"name": "", "manager": {"evm": {"chain": "x", "address": "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"}}, "workflows": {}}`, ""},
		{"in a larger document", new(struct{ S Submit }), `{"S": "maybe"}`, `"maybe": ` + wantSubmit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tt.data), tt.into)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMarshalInvalid(t *testing.T) {
	digest := Digest{1}
	tests := []struct {
		name string
		v    any
		want string // "" for success
	}{
		{"no trigger", Trigger{}, wantTrigger},
		{"two triggers", Trigger{Cron: &Cron{}, BlockInterval: &BlockInterval{}}, wantTrigger},
		{"no manager", Manager{}, wantManager},
		{"no source", Source{}, wantSource},
		{"two sources", Source{Digest: &digest, Download: &Download{}}, wantSource},
		{"bad host policy", HostPolicy{Kind: 9}, wantHostPolicy},
		{"only nil", HostPolicy{Kind: HostsOnly}, ""},
		{"empty service", Service{}, wantManager},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := json.Marshal(tt.v)
			if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func mustAddress(t testing.TB, s string) Address {
	t.Helper()
	a, err := ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustHash(t testing.TB, s string) Hash {
	t.Helper()
	h, err := ParseHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestPermissionsAsWAVSWritesThem: WAVS's four permission keys are taken
// (a WAVS service JSON must register unchanged) and written back.
func TestPermissionsAsWAVSWritesThem(t *testing.T) {
	var p Permissions
	in := `{"allowed_http_hosts": "all", "file_system": true, "raw_sockets": false, "dns_resolution": true}`
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if p.AllowedHTTPHosts.Kind != HostsAll || !p.FileSystem || p.RawSockets || !p.DNSResolution {
		t.Errorf("decoded %+v", p)
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"allowed_http_hosts":"all","file_system":true,"raw_sockets":false,"dns_resolution":true}`; string(out) != want {
		t.Errorf("encoded %s, want %s", out, want)
	}
	var empty Permissions
	if err := json.Unmarshal([]byte(`{}`), &empty); err != nil || empty.FileSystem || empty.RawSockets || empty.DNSResolution || empty.AllowedHTTPHosts.Kind != HostsNone {
		t.Errorf("{} decoded as %+v, %v; want WAVS's defaults (none, false, false, false)", empty, err)
	}
}
