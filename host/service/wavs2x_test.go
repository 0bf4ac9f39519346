package service

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current MarshalJSON")

// TestGolden: each fixture decodes, encodes to exactly its golden file
// (indented two spaces, as serde_json's pretty printer writes it), and the
// encoding decodes to an equal service. The wavs-2x-*.json fixtures are
// written the way WAVS 2.x writes a service (its field order, every field
// present), so they are their own golden: the node writes back what WAVS
// wrote, byte for byte.
func TestGolden(t *testing.T) {
	tests := []struct{ in, golden string }{
		{"wavs-2x-service.json", "wavs-2x-service.json"},
		{"wavs-2x-kinds.json", "wavs-2x-kinds.json"},
		{"wavs-2x-cosmos.json", "wavs-2x-cosmos.json"},
		{"full.json", "golden/full.json"},
		{"minimal.json", "golden/minimal.json"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s := decodeFixture(t, tt.in)
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, b, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			if *update && strings.HasPrefix(tt.golden, "golden/") {
				if err := os.WriteFile(filepath.Join("testdata", tt.golden), pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want := readFixture(t, tt.golden); !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("Marshal(Decode(%s)) differs from %s:\n%s", tt.in, tt.golden, pretty.Bytes())
			}
			s2, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode(Marshal): %v\n%s", err, b)
			}
			if !reflect.DeepEqual(s, s2) {
				t.Fatalf("round trip changed the service:\n%s", b)
			}
		})
	}
}

// TestWAVSServiceJSON reads a service.json as WAVS's deploy scripts write
// it: an aggregator component submit and cron times in nanoseconds.
func TestWAVSServiceJSON(t *testing.T) {
	s := decodeFixture(t, "wavs-2x-service.json")
	if s.Manager.Evm == nil || s.Manager.Chain() != "evm:31337" || s.Status != StatusActive {
		t.Fatalf("manager %+v, status %q", s.Manager, s.Status)
	}
	ev := s.Workflows["0196c34d-003d-7412-a3f3-70f8ec664e12"]
	if ev.Trigger.Kind() != KindEvmContractEvent || ev.Submit.Aggregator != nil || ev.Submit.IsNone() {
		t.Fatalf("workflow = %+v", ev)
	}
	agg := ev.Submit.AggregatorComponent
	if agg == nil {
		t.Fatal("no aggregator component")
	}
	if agg.SignatureKind != EVMDefaultSignatureKind() {
		t.Errorf("signature kind = %+v", agg.SignatureKind)
	}
	if got := agg.Component.Config["evm:31337"]; got != "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0" {
		t.Errorf("aggregator config = %v", agg.Component.Config)
	}
	wantPerm := Permissions{AllowedHTTPHosts: AllowAllHosts(), DNSResolution: true}
	if !reflect.DeepEqual(ev.Component.Permissions, wantPerm) || ev.Component.FuelLimit != nil || ev.Component.TimeLimitSeconds != nil {
		t.Errorf("component = %+v", ev.Component)
	}
	c := s.Workflows["cron-tick"].Trigger.Cron
	if c == nil || *c.StartTime != 1735689600000000000 || c.EndTime != nil {
		t.Fatalf("cron = %+v", c)
	}
	if got, want := c.Start(), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Start() = %v, want %v", got, want)
	}
	if !c.End().IsZero() {
		t.Errorf("End() = %v, want the zero time", c.End())
	}
}

// TestEveryKind reads the trigger kinds this node has no plugin for, the
// registry source and the manual trigger into their Go values.
func TestEveryKind(t *testing.T) {
	s := decodeFixture(t, "wavs-2x-kinds.json")
	digest, _ := ParseDigest("136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02")
	logLine := "Program log: Transfer"
	want := map[string]Trigger{
		"atproto":     {AtProtoEvent: &AtProtoEvent{Collection: "app.bsky.feed.post", RepoDID: ptr("did:plc:abc123"), Action: AtProtoCreate}},
		"atproto-any": {AtProtoEvent: &AtProtoEvent{Collection: "app.bsky.feed.*"}},
		"blocks":      {BlockInterval: &BlockInterval{Chain: "evm:1", NBlocks: 4294967295, StartBlock: ptr[uint64](1), EndBlock: ptr[uint64](18446744073709551615)}},
		"cosmos":      {CosmosContractEvent: &CosmosContractEvent{Address: "neutron1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5ma9uum", Chain: "cosmos:neutron-1", EventType: "wasm-price"}},
		"hyper":       {HypercoreAppend: &HypercoreAppend{FeedKey: "a1b2c3"}},
		"manual":      {Manual: true},
		"shortcut":    {Manual: true},
		"solana-disc": {SolanaProgramEvent: &SolanaProgramEvent{Chain: "solana:devnet", ProgramID: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", Filter: SolanaEventFilter{Discriminator: []byte{0xe4, 0x45, 0xa5, 0x2e, 0x51, 0xcb, 0x9a, 0x1d}}, Commitment: SolanaFinalized}},
		"solana-log":  {SolanaProgramEvent: &SolanaProgramEvent{Chain: "solana:mainnet", ProgramID: "11111111111111111111111111111111", Filter: SolanaEventFilter{LogContains: &logLine}, Commitment: SolanaConfirmed}},
	}
	for id, w := range want {
		if got := s.Workflows[id].Trigger; !reflect.DeepEqual(got, w) {
			t.Errorf("workflow %s: trigger = %+v, want %+v", id, got, w)
		}
	}
	chains := map[string]string{"cosmos": "cosmos:neutron-1", "solana-disc": "solana:devnet", "blocks": "evm:1", "manual": "", "hyper": "", "atproto": ""}
	for id, chain := range chains {
		if got := s.Workflows[id].Trigger.Chain(); got != chain {
			t.Errorf("workflow %s: Chain() = %q, want %q", id, got, chain)
		}
	}
	kinds := map[string]string{"atproto": KindAtProtoEvent, "cosmos": KindCosmosContractEvent, "hyper": KindHypercoreAppend, "manual": KindManual, "solana-log": KindSolanaProgramEvent}
	for id, kind := range kinds {
		if got := s.Workflows[id].Trigger.Kind(); got != kind {
			t.Errorf("workflow %s: Kind() = %q, want %q", id, got, kind)
		}
	}
	if got, want := s.Workflows["cosmos"].Component.Source.Registry, (&RegistrySource{Digest: digest, Domain: ptr("wa.dev"), Version: ptr("0.1.0-rc.1+build.5"), Package: "wavs:echo-data"}); !reflect.DeepEqual(got, want) {
		t.Errorf("registry source = %+v, want %+v", got, want)
	}
	if got := s.Workflows["cosmos"].Component.Source.WasmDigest(); got != digest {
		t.Errorf("WasmDigest() of a registry source = %s", got)
	}
	if got := s.Workflows["manual"].Submit.AggregatorComponent; got == nil || got.SignatureKind != (SignatureKind{Algorithm: AlgorithmSecp256k1}) {
		t.Errorf("aggregator with prefix null = %+v", got)
	}
	if got := s.Workflows["shortcut"].Submit; got.Aggregator == nil || got.AggregatorComponent != nil {
		t.Errorf("shortcut submit = %+v", got)
	}
	b := s.Workflows["blocks"].Component
	if !b.Permissions.FileSystem || !b.Permissions.RawSockets || *b.FuelLimit != 18446744073709551615 || b.Source.Download.URI != "https://example.com/c.wasm" {
		t.Errorf("component = %+v", b)
	}
}

// TestCosmosManagerID: a Cosmos manager's service id is sha256("cosmos" ‖
// chain key ‖ the address's bech32 data bytes), as WAVS computes it.
func TestCosmosManagerID(t *testing.T) {
	s := decodeFixture(t, "wavs-2x-cosmos.json")
	raw := make([]byte, 20)
	for i := range raw {
		raw[i] = byte(i + 1)
	}
	sum := sha256.Sum256(append([]byte("cosmoscosmos:neutron-1"), raw...))
	if got, want := s.ID(), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("ID() = %s, want %s", got, want)
	}
}

// TestDecodeErrorsWAVS2x: every problem with a WAVS 2.x field names its
// path and what is allowed.
func TestDecodeErrorsWAVS2x(t *testing.T) {
	const trig = `{"cron": {"schedule": "@every 1m"}}`
	const src = `"source": {"digest": "136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02"}`
	const submit = `"submit": "none"`
	const dg = "136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02"
	const aggComp = `{"source": {"digest": "` + dg + `"}}`
	p := "workflows.only."
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"manual", trig, `"manual"`, nil},
		{"manual misspelt", trig, `"Manual"`, []string{p + `trigger: "Manual": ` + wantTrigger}},
		{"manual as object", trig, `{"manual": {}}`, []string{p + `trigger: keys "manual": ` + wantTrigger}},
		{"kind not a plugin kind name", trig, `{"Webhook": {}}`, []string{p + `trigger: keys "Webhook": ` + wantTrigger}},
		{"plugin kind config not an object", trig, `{"webhook": 5}`, []string{p + `trigger.webhook: 5: ` + wantPluginConfig}},
		{"cosmos event", trig, `{"cosmos_contract_event": {"address": "neutron1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5ma9uuu", "chain": "cosmos", "event_type": 1}}`, []string{
			p + `trigger.cosmos_contract_event.address: "neutron1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5ma9uuu": ` + wantCosmosAddress,
			p + `trigger.cosmos_contract_event.chain: "cosmos": ` + wantChain,
			p + `trigger.cosmos_contract_event.event_type: 1: want a string`,
		}},
		{"cosmos event missing", trig, `{"cosmos_contract_event": {}}`, []string{
			p + "trigger.cosmos_contract_event.address: missing: " + wantCosmosAddress,
			p + "trigger.cosmos_contract_event.chain: missing: " + wantChain,
			p + "trigger.cosmos_contract_event.event_type: missing: want a string",
		}},
		{"atproto", trig, `{"at_proto_event": {"collection": "app.bsky.feed.post", "repo_did": 7, "action": "like"}}`, []string{
			p + `trigger.at_proto_event.action: "like": want "create", "update", "delete" or null`,
			p + `trigger.at_proto_event.repo_did: 7: want a string or null`,
		}},
		{"atproto optional absent", trig, `{"at_proto_event": {"collection": "x"}}`, nil},
		{"atproto collection missing", trig, `{"at_proto_event": {"action": null}}`, []string{p + "trigger.at_proto_event.collection: missing: want a string"}},
		{"hypercore", trig, `{"hypercore_append": {"feed_key": null, "index": 1}}`, []string{
			p + `trigger.hypercore_append.feed_key: null: want a string`,
			p + `trigger.hypercore_append.index: unknown field: want one of feed_key`,
		}},
		{"solana", trig, `{"solana_program_event": {"chain": "solana:devnet", "program_id": "0OIl", "filter": {"discriminator": "0x", "log_contains": "x"}, "commitment": "final"}}`, []string{
			p + `trigger.solana_program_event.commitment: "final": want "processed", "confirmed" or "finalized"`,
			p + `trigger.solana_program_event.filter: keys "discriminator", "log_contains": ` + wantSolanaFilter,
			p + `trigger.solana_program_event.program_id: "0OIl": want a base58 Solana address of 32 bytes`,
		}},
		{"solana commitment default", trig, `{"solana_program_event": {"chain": "solana:devnet", "program_id": "11111111111111111111111111111111", "filter": {"log_contains": ""}}}`, nil},
		{"solana commitment null", trig, `{"solana_program_event": {"chain": "solana:devnet", "program_id": "11111111111111111111111111111111", "filter": {"log_contains": ""}, "commitment": null}}`, []string{
			p + `trigger.solana_program_event.commitment: null: ` + wantCommitment,
		}},
		{"solana short address and bad hex", trig, `{"solana_program_event": {"chain": "solana:devnet", "program_id": "1111", "filter": {"discriminator": "0xzz"}}}`, []string{
			p + `trigger.solana_program_event.filter.discriminator: "0xzz": ` + wantDiscriminator,
			p + `trigger.solana_program_event.program_id: "1111": want a base58 Solana address of 32 bytes`,
		}},
		{"n_blocks over u32", trig, `{"block_interval": {"chain": "evm:1", "n_blocks": 4294967296}}`, []string{
			p + "trigger.block_interval.n_blocks: 4294967296: want a whole number 1..4294967295",
		}},
		{"registry", src, `"source": {"registry": {"digest": "` + dg + `", "domain": "https://wa.dev", "version": "1.0", "package": "Wavs:echo"}}`, []string{
			p + `component.source.registry.domain: "https://wa.dev": ` + wantDomain,
			p + `component.source.registry.package: "Wavs:echo": ` + wantPackage,
			p + `component.source.registry.version: "1.0": ` + wantVersion,
		}},
		{"registry with port", src, `"source": {"registry": {"digest": "` + dg + `", "domain": "localhost:8090", "package": "wavs:echo"}}`, nil},
		{"registry flattened only", src, `"source": {"registry": {"registry": {}}}`, []string{
			p + "component.source.registry.digest: missing: " + wantDigest,
			p + "component.source.registry.package: missing: " + wantPackage,
			p + "component.source.registry.registry: unknown field: want one of digest, domain, version, package",
		}},
		{"aggregator component", submit, `"submit": {"aggregator": {"component": ` + aggComp + `, "signature_kind": {"algorithm": "secp256k1", "prefix": "eip191"}}}`, nil},
		{"aggregator component bad kind", submit, `"submit": {"aggregator": {"component": ` + aggComp + `, "signature_kind": {"algorithm": "bls12381", "prefix": "eip712"}}}`, []string{
			p + `submit.aggregator.signature_kind.algorithm: "bls12381": want "secp256k1"`,
			p + `submit.aggregator.signature_kind.prefix: "eip712": want "eip191" or null`,
		}},
		{"aggregator component prefix missing", submit, `"submit": {"aggregator": {"component": ` + aggComp + `, "signature_kind": {"algorithm": "secp256k1"}}}`, []string{
			p + `submit.aggregator.signature_kind.prefix: missing: want "eip191" or null`,
		}},
		{"aggregator component fields", submit, `"submit": {"aggregator": {"component": {"source": {"digest": "00"}, "env_keys": ["HOME"]}}}`, []string{
			p + `submit.aggregator.component.env_keys[0]: "HOME": ` + wantEnvKey,
			p + `submit.aggregator.component.source.digest: "00": ` + wantDigest,
			p + `submit.aggregator.signature_kind: missing: ` + wantSignatureKind,
		}},
		{"aggregator mixed shapes", submit, `"submit": {"aggregator": {"component": ` + aggComp + `, "chain": "evm:1", "address": "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"}}`, []string{
			p + `submit.aggregator: keys "component", "chain", "address" mix two shapes: ` + wantAggregator,
		}},
		{"aggregator empty", submit, `"submit": {"aggregator": {}}`, []string{p + `submit.aggregator: {}: ` + wantAggregator}},
		{"aggregator with url (WAVS 0.x)", submit, `"submit": {"aggregator": {"url": "http://127.0.0.1:8001"}}`, []string{
			p + `submit.aggregator: {"url":"http://127.0.0.1:8001"}: ` + wantAggregator,
		}},
		{"aggregator component unknown key", submit, `"submit": {"aggregator": {"component": ` + aggComp + `, "signature_kind": {"algorithm": "secp256k1", "prefix": null}, "url": "x"}}`, []string{
			p + `submit.aggregator.url: unknown field: want one of component, signature_kind`,
		}},
		{"any chain key", `"chain": "evm:1"`, `"chain": "evm:0x1"`, nil},
		{"cosmos manager", `{"evm": {"chain": "evm:1", "address": "0x5FbDB2315678afecb367f032d93F642f64180aa3"}}`, `{"cosmos": {"chain": "cosmos:neutron-1", "address": "NEUTRON1QYPQXPQ9QCRSSZG2PVXQ6RS0ZQG3YYC5MA9UUM"}}`, []string{
			`manager.cosmos.address: "NEUTRON1QYPQXPQ9QCRSSZG2PVXQ6RS0ZQG3YYC5MA9UUM": ` + wantCosmosAddress,
		}},
		{"two managers", `{"evm": {"chain": "evm:1", "address": "0x5FbDB2315678afecb367f032d93F642f64180aa3"}}`, `{"evm": {}, "cosmos": {}}`, []string{
			`manager: keys "evm", "cosmos": ` + wantManager,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(minimalWith(t, tt.old, tt.new))
			if got := errLines(err); !slices.Equal(got, tt.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestMarshalInvalidWAVS2x(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"two submits", Submit{Aggregator: &Aggregator{}, AggregatorComponent: &AggregatorComponent{}}, wantAggregator},
		{"two managers", Manager{Evm: &EvmManager{}, Cosmos: &CosmosManager{}}, wantManager},
		{"manual and cron", Trigger{Manual: true, Cron: &Cron{}}, wantTrigger},
		{"no filter", SolanaEventFilter{}, wantSolanaFilter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := json.Marshal(tt.v); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
	// Built in code, a SolanaProgramEvent without a commitment is written
	// with WAVS's default.
	b, err := json.Marshal(SolanaProgramEvent{Chain: "solana:devnet", ProgramID: "11111111111111111111111111111111", Filter: SolanaEventFilter{Discriminator: []byte{1}}})
	if want := `{"chain":"solana:devnet","program_id":"11111111111111111111111111111111","filter":{"discriminator":"0x01"},"commitment":"confirmed"}`; err != nil || string(b) != want {
		t.Errorf("Marshal = %s, %v; want %s", b, err, want)
	}
}

func TestBech32AndBase58(t *testing.T) {
	for s, want := range map[string]bool{
		"neutron1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5ma9uum": true,
		"cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5ma9uum":  false, // checksum covers the prefix
		"neutron1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5ma9uun": false,
		"neutron1": false, "": false, "1qqqqqqqq": false,
	} {
		if _, got := bech32Decode(s); got != want {
			t.Errorf("bech32Decode(%q) ok = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{
		"11111111111111111111111111111111":             true,
		"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA":  true,
		"1111111111111111111111111111111":              false,
		"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DAA": false,
		"0OIl": false, "": false,
	} {
		if got := validSolanaAddress(s); got != want {
			t.Errorf("validSolanaAddress(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestPluginKindsAndFamilies: a trigger kind a plugin declares, a manager
// and a handler of another chain family and the workflow's plugin choice
// are read, kept as written and written back unchanged.
func TestPluginKindsAndFamilies(t *testing.T) {
	in := `{"name":"ledger svc","workflows":{"w":{"trigger":{"webhook":{"path":"/hooks/a","secret_env":"WAVS_ENV_HOOK"}},` +
		`"component":{"source":{"digest":"` + strings.Repeat("ab", 32) + `"},"permissions":{"allowed_http_hosts":"none","file_system":false,"raw_sockets":false,"dns_resolution":false},"fuel_limit":null,"time_limit_seconds":null,"config":{},"env_keys":[]},` +
		`"submit":{"aggregator":{"chain":"ledger:demo","address":"ldg1results"}},"plugins":{"trigger":"trigger-webhook","submit":"submit-ledger"}}},` +
		`"status":"active","manager":{"ledger":{"chain":"ledger:demo","address":"ldg1manager"}}}`
	svc, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	w := svc.Workflows["w"]
	if w.Trigger.Kind() != "webhook" || string(w.Trigger.Plugin.Config) != `{"path":"/hooks/a","secret_env":"WAVS_ENV_HOOK"}` {
		t.Errorf("trigger = %+v", w.Trigger.Plugin)
	}
	if w.Submit.Aggregator.Handler() != "ldg1results" || w.Submit.Aggregator.Address != (Address{}) {
		t.Errorf("handler = %q", w.Submit.Aggregator.Handler())
	}
	if w.Plugins != (Plugins{Trigger: "trigger-webhook", Submit: "submit-ledger"}) {
		t.Errorf("plugins = %+v", w.Plugins)
	}
	if svc.Manager.Family() != "ledger" || svc.Manager.Chain() != "ledger:demo" || svc.Manager.Address() != "ldg1manager" {
		t.Errorf("manager = %+v", svc.Manager.Other)
	}
	if svc.ID() == "" || svc.ID() == (&Service{Manager: Manager{Other: &FamilyManager{Family: "ledger", Chain: "ledger:demo", Address: "ldg1other"}}}).ID() {
		t.Errorf("id %q does not depend on the address", svc.ID())
	}
	out, err := json.Marshal(svc)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Decode(out)
	if err != nil {
		t.Fatalf("decode what was written: %v\n%s", err, out)
	}
	out2, _ := json.Marshal(again)
	if string(out) != string(out2) || !strings.Contains(string(out), `"plugins":{"trigger":"trigger-webhook","submit":"submit-ledger"}`) {
		t.Errorf("round trip:\n%s\n%s", out, out2)
	}

	bad := []struct{ name, json, want string }{
		{"manager chain of another family", strings.Replace(in, `"manager":{"ledger":{"chain":"ledger:demo"`, `"manager":{"ledger":{"chain":"evm:1"`, 1), `manager.ledger.chain: "evm:1": ` + wantFamilyChain},
		{"manager address with a space", strings.Replace(in, `"ldg1manager"`, `"ldg1 manager"`, 1), `manager.ledger.address: "ldg1 manager": ` + wantFamilyAddress},
		{"handler empty", strings.Replace(in, `"ldg1results"`, `""`, 1), `workflows.w.submit.aggregator.address: "": ` + wantFamilyAddress},
		{"evm handler still hex", strings.Replace(in, `"chain":"ledger:demo","address":"ldg1results"`, `"chain":"evm:1","address":"ldg1results"`, 1), `workflows.w.submit.aggregator.address`},
		{"plugins unknown key", strings.Replace(in, `"plugins":{"trigger"`, `"plugins":{"transport":"x","trigger"`, 1), `workflows.w.plugins.transport: unknown field`},
	}
	for _, tc := range bad {
		_, err := Decode([]byte(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
