package plugins

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

func TestOverlaps(t *testing.T) {
	found := []Found{
		{Name: "submit-evm", Info: sdk.Info{Kind: sdk.KindSubmit, Capabilities: []string{"chain:evm"}}},
		{Name: "submit-evm2", Info: sdk.Info{Kind: sdk.KindSubmit, Capabilities: []string{"chain:evm", "chain:ledger"}}},
		{Name: "submit-ledger", Info: sdk.Info{Kind: sdk.KindSubmit, Capabilities: []string{"chain:ledger"}}},
		{Name: "transport-libp2p", Info: sdk.Info{Kind: sdk.KindTransport, Capabilities: []string{"transport:libp2p"}}},
		{Name: "trigger-evm", Info: sdk.Info{Kind: sdk.KindTrigger, Capabilities: []string{"trigger:evm_contract_event", "trigger:cron", "chain:evm"}}},
		{Name: "trigger-ticker", Info: sdk.Info{Kind: sdk.KindTrigger, Capabilities: []string{"trigger:cron"}}},
		{Name: "trigger-webhook", Info: sdk.Info{Kind: sdk.KindTrigger, TriggerKinds: []sdk.TriggerKind{{Name: "webhook"}}}},
		{Name: "trigger-webhook2", Info: sdk.Info{Kind: sdk.KindTrigger, Capabilities: []string{"trigger:webhook"}, TriggerKinds: []sdk.TriggerKind{{Name: "webhook"}}}},
	}
	got := Overlaps(found)
	want := []Overlap{
		{Capability: "chain:evm", Plugins: []string{"submit-evm", "submit-evm2"}, Chosen: "submit-evm"},
		{Capability: "chain:ledger", Plugins: []string{"submit-evm2", "submit-ledger"}, Chosen: "submit-evm2"},
		{Capability: "trigger:cron", Plugins: []string{"trigger-evm", "trigger-ticker"}, Chosen: "trigger-evm"},
		{Capability: "trigger:webhook", Plugins: []string{"trigger-webhook", "trigger-webhook2"}, Chosen: "trigger-webhook"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Overlaps =\n%+v\nwant\n%+v", got, want)
	}
	if s := got[2].String(); !strings.Contains(s, "trigger kind cron is served by trigger-evm, trigger-ticker: trigger-evm serves it") || !strings.Contains(s, `"trigger"`) {
		t.Errorf("String() = %s", s)
	}
	if s := got[0].String(); !strings.Contains(s, "chain family evm") || !strings.Contains(s, `"submit"`) {
		t.Errorf("String() = %s", s)
	}
	if len(Overlaps(found[:1])) != 0 {
		t.Error("one plugin overlaps with itself")
	}
}
