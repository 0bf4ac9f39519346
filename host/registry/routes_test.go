package registry

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// svcWith is a valid service of one workflow "w1" with trigger trig and
// the given component source.
func svcWith(t *testing.T, manager, trig, source string) *service.Service {
	t.Helper()
	svc, err := service.Decode([]byte(`{"name": "x", "manager": ` + manager + `, "workflows": {"w1": {
		"trigger": ` + trig + `, "component": {"source": ` + source + `}, "submit": "none"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

const (
	evmManager = `{"evm": {"chain": "evm:31337", "address": "0x5fbdb2315678afecb367f032d93f642f64180aa3"}}`
	digestSrc  = `{"digest": "136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02"}`
)

func TestCheckRoutesRefusals(t *testing.T) {
	tests := []struct {
		name                  string
		manager, trig, source string
		want                  string // "" for accepted
	}{
		{"manual binds no plugin", evmManager, `"manual"`, digestSrc, ""},
		{"kind without plugin", evmManager, `{"cosmos_contract_event": {"address": "neutron1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5ma9uum", "chain": "cosmos:neutron-1", "event_type": "wasm"}}`, digestSrc,
			`workflows.w1.trigger: invalid argument: cosmos_contract_event: no loaded trigger plugin provides this kind (capability "trigger:cosmos_contract_event"); none are loaded`},
		{"cron without plugin", evmManager, `{"cron": {"schedule": "@every 1m"}}`, digestSrc,
			`workflows.w1.trigger: invalid argument: cron: no loaded trigger plugin provides this kind`},
		{"registry source", evmManager, `"manual"`, `{"registry": {"digest": "136f0dec77ef3c5570737642efa4c7e150d23a492a37fc5b2eff183ef7084f02", "domain": null, "version": null, "package": "wavs:echo"}}`,
			`invalid argument: workflows.w1.component.source.registry: component registries are not configured on this node; use {"digest"} after uploading, or {"download": {"uri", "digest"}}`},
		{"cosmos manager", `{"cosmos": {"chain": "cosmos:neutron-1", "address": "neutron1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5ma9uum"}}`, `"manual"`, digestSrc,
			`manager.cosmos.chain: invalid argument: no submit plugin serves chain cosmos:neutron-1 (capability "chain:cosmos")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Registry{}
			err := r.checkRoutes(svcWith(t, tt.manager, tt.trig, tt.source))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
				t.Fatalf("error = %v, want it to start with %s", err, tt.want)
			case tt.want != "" && !errors.Is(err, sdk.ErrInvalidArgument):
				t.Fatalf("error %v is not ErrInvalidArgument", err)
			}
		})
	}
}

// A registry aggregator component is refused like a workflow's.
func TestCheckRoutesAggregatorComponentRegistry(t *testing.T) {
	svc := svcWith(t, evmManager, `"manual"`, digestSrc)
	w := svc.Workflows["w1"]
	w.Submit.AggregatorComponent = &service.AggregatorComponent{
		Component:     service.Component{Source: service.Source{Registry: &service.RegistrySource{Package: "a:b"}}},
		SignatureKind: service.EVMDefaultSignatureKind(),
	}
	svc.Workflows["w1"] = w
	err := (&Registry{}).checkRoutes(svc)
	if err == nil || !strings.Contains(err.Error(), "workflows.w1.submit.aggregator.component.source.registry: component registries are not configured") {
		t.Fatalf("error = %v", err)
	}
	w.Submit.AggregatorComponent.Component.Source = service.Source{Digest: &service.Digest{}}
	svc.Workflows["w1"] = w
	if err := (&Registry{}).checkRoutes(svc); err != nil {
		t.Fatalf("an aggregator component is refused: %v", err)
	}
}

// Cron bounds are unix nanoseconds in the JSON; plugins get the whole
// seconds they include.
func TestTriggerSpecCronNanoseconds(t *testing.T) {
	svc := svcWith(t, evmManager, `{"cron": {"schedule": "@every 1m", "start_time": 1735689600500000000, "end_time": 1735693200999999999}}`, digestSrc)
	spec, err := triggerSpec("id", svc.Workflows["w1"].Trigger)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := spec.Source.(*sdk.Cron)
	if !ok {
		t.Fatalf("source = %T", spec.Source)
	}
	if want := time.Date(2025, 1, 1, 0, 0, 1, 0, time.UTC); !c.StartTime.Equal(want) {
		t.Errorf("start = %v, want %v", c.StartTime, want)
	}
	if want := time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC); !c.EndTime.Equal(want) {
		t.Errorf("end = %v, want %v", c.EndTime, want)
	}
	svc = svcWith(t, evmManager, `{"cron": {"schedule": "@every 1m"}}`, digestSrc)
	spec, _ = triggerSpec("id", svc.Workflows["w1"].Trigger)
	if c := spec.Source.(*sdk.Cron); !c.StartTime.IsZero() || !c.EndTime.IsZero() {
		t.Errorf("unset bounds = %v, %v; want zero times", c.StartTime, c.EndTime)
	}
	svc = svcWith(t, evmManager, `{"hypercore_append": {"feed_key": "k"}}`, digestSrc)
	if _, err := triggerSpec("id", svc.Workflows["w1"].Trigger); err == nil || !strings.Contains(err.Error(), "hypercore_append: no loaded trigger plugin provides this kind") {
		t.Errorf("hypercore spec error = %v", err)
	}
}

// fakeTriggers are trigger plugins as the registry sees them (not started:
// routing reads only their Info).
func fakeTriggers(infos ...sdk.Info) []*plugins.Trigger {
	out := make([]*plugins.Trigger, len(infos))
	for i, info := range infos {
		info.Kind, info.ProtocolVersion = sdk.KindTrigger, sdk.ProtocolVersion
		out[i] = plugins.NewTrigger(plugins.NewSupervisor(plugins.Found{Name: info.Name, Info: info}, plugins.Options{}))
	}
	return out
}

func fakeSubmitters(infos ...sdk.Info) []*plugins.Submitter {
	out := make([]*plugins.Submitter, len(infos))
	for i, info := range infos {
		info.Kind, info.ProtocolVersion = sdk.KindSubmit, sdk.ProtocolVersion
		out[i] = plugins.NewSubmitter(plugins.NewSupervisor(plugins.Found{Name: info.Name, Info: info}, plugins.Options{}))
	}
	return out
}

// TestPluginKindsAndChoice: a kind a plugin declares is routed to it with
// its config checked against the declared fields; a workflow may name the
// plugin of an overlapping kind or family; every refusal names the field
// or the plugin.
func TestPluginKindsAndChoice(t *testing.T) {
	webhook := sdk.TriggerKind{Name: "webhook", Fields: []sdk.ConfigField{
		{Name: "path", Type: sdk.FieldString, Required: true},
		{Name: "max_body", Type: sdk.FieldInteger},
	}}
	r := &Registry{o: Options{
		Triggers: fakeTriggers(
			sdk.Info{Name: "trigger-evm", Capabilities: []string{"trigger:evm_contract_event", "trigger:cron"}},
			sdk.Info{Name: "trigger-ticker", Capabilities: []string{"trigger:cron"}},
			sdk.Info{Name: "trigger-webhook", TriggerKinds: []sdk.TriggerKind{webhook}},
			sdk.Info{Name: "trigger-webhook-lite", Capabilities: []string{"trigger:webhook"}},
		),
		Submitters: fakeSubmitters(
			sdk.Info{Name: "submit-evm", Capabilities: []string{"chain:evm"}},
			sdk.Info{Name: "submit-ledger", Capabilities: []string{"chain:ledger"}},
		),
	}}
	ledger := `{"ledger": {"chain": "ledger:demo", "address": "ldg1manager"}}`
	workflow := func(trigger, submit, plugins string) *service.Service {
		t.Helper()
		extra := ""
		if plugins != "" {
			extra = `, "plugins": ` + plugins
		}
		svc, err := service.Decode([]byte(`{"name": "x", "manager": ` + ledger + `, "workflows": {"w1": {
			"trigger": ` + trigger + `, "component": {"source": ` + digestSrc + `}, "submit": ` + submit + extra + `}}}`))
		if err != nil {
			t.Fatal(err)
		}
		return svc
	}
	toLedger := `{"aggregator": {"chain": "ledger:demo", "address": "ldg1handler"}}`
	tests := []struct {
		name                    string
		trigger, submit, choice string
		plugin                  string // the trigger plugin chosen; "" when refused
		want                    string // the refusal
	}{
		{"declared kind", `{"webhook": {"path": "orders"}}`, toLedger, "", "trigger-webhook", ""},
		{"declared kind, optional field", `{"webhook": {"path": "orders", "max_body": 1024}}`, toLedger, "", "trigger-webhook", ""},
		{"missing required field", `{"webhook": {}}`, toLedger, "", "", `workflows.w1.trigger.webhook.path: missing; the "webhook" trigger requires it (string) (checked by trigger-webhook)`},
		{"unknown field", `{"webhook": {"path": "a", "secret": "x"}}`, toLedger, "", "", `workflows.w1.trigger.webhook.secret: unknown field of the "webhook" trigger (fields: path, max_body)`},
		{"wrong type", `{"webhook": {"path": 7}}`, toLedger, "", "", `workflows.w1.trigger.webhook.path: 7 is not a string`},
		{"integer out of range", `{"webhook": {"path": "a", "max_body": -1}}`, toLedger, "", "", `workflows.w1.trigger.webhook.max_body: -1 is not a whole number`},
		{"kind nobody serves", `{"webhok": {"path": "a"}}`, toLedger, "", "", `webhok: no loaded trigger plugin provides this kind (capability "trigger:webhok")`},
		{"overlap goes to the first by name", `{"cron": {"schedule": "@every 1m"}}`, toLedger, "", "trigger-evm", ""},
		{"overlap chosen by the workflow", `{"cron": {"schedule": "@every 1m"}}`, toLedger, `{"trigger": "trigger-ticker"}`, "trigger-ticker", ""},
		{"chosen plugin not loaded", `{"cron": {"schedule": "@every 1m"}}`, toLedger, `{"trigger": "trigger-clock"}`, "", `cron: no trigger plugin called "trigger-clock" is loaded (plugins serving this kind: trigger-evm, trigger-ticker)`},
		{"chosen plugin serves another kind", `{"cron": {"schedule": "@every 1m"}}`, toLedger, `{"trigger": "trigger-webhook"}`, "", `cron: trigger plugin trigger-webhook does not serve this kind`},
		{"kind listed but not declared", `{"webhook": {"path": "a"}}`, toLedger, `{"trigger": "trigger-webhook-lite"}`, "", `trigger plugin trigger-webhook-lite lists the capability but declares no config fields`},
		{"submit plugin chosen", `{"webhook": {"path": "a"}}`, toLedger, `{"submit": "submit-ledger"}`, "trigger-webhook", ""},
		{"submit plugin of another family", `{"webhook": {"path": "a"}}`, toLedger, `{"submit": "submit-evm"}`, "", `workflows.w1.submit.aggregator.chain: invalid argument: submit plugin submit-evm does not serve chain ledger:demo`},
		{"family nobody serves", `{"webhook": {"path": "a"}}`, `{"aggregator": {"chain": "solana:main", "address": "So1"}}`, "", "", `no submit plugin serves chain solana:main (capability "chain:solana")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := workflow(tt.trigger, tt.submit, tt.choice)
			err := r.checkRoutes(svc)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, sdk.ErrInvalidArgument) {
					t.Fatalf("checkRoutes = %v, want an invalid argument with %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("checkRoutes = %v", err)
			}
			p, err := r.triggerPlugin("w1", svc.Workflows["w1"])
			if err != nil || p.Supervisor().Name() != tt.plugin {
				t.Fatalf("trigger plugin = %v, %v; want %s", p, err, tt.plugin)
			}
			spec, err := triggerSpec("t", svc.Workflows["w1"].Trigger)
			if err != nil {
				t.Fatal(err)
			}
			if ks, ok := spec.Source.(*sdk.KindSource); ok && (ks.Kind != "webhook" || !strings.Contains(string(ks.Config), `"path"`)) {
				t.Errorf("spec source = %+v", ks)
			}
		})
	}
	// A manager of a family no plugin serves is refused.
	svc := workflow(`{"webhook": {"path": "a"}}`, `"none"`, "")
	svc.Manager = service.Manager{Other: &service.FamilyManager{Family: "near", Chain: "near:main", Address: "svc.near"}}
	if err := r.checkRoutes(svc); err == nil || !strings.Contains(err.Error(), `manager.near.chain: invalid argument: no submit plugin serves chain near:main`) {
		t.Errorf("near manager: %v", err)
	}
}

// A declared kind's data reaches the engine as the raw trigger, even when
// empty, and goes back to the plugin form unchanged.
func TestRawDataToEngine(t *testing.T) {
	for _, data := range [][]byte{nil, {}, []byte("7")} {
		trig, err := engineTrigger(&sdk.RawData{Data: data})
		if err != nil || trig.Raw == nil || string(trig.Raw) != string(data) {
			t.Fatalf("engineTrigger(%q) = %+v, %v", data, trig, err)
		}
		back, ok := triggerData(trig).(*sdk.RawData)
		if !ok || string(back.Data) != string(data) {
			t.Fatalf("triggerData = %#v", triggerData(trig))
		}
	}
}
