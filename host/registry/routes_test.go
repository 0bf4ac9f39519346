package registry

import (
	"errors"
	"strings"
	"testing"
	"time"

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
