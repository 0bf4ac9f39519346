package engine

import (
	"context"
	"encoding/hex"
	"errors"
	"maps"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/service"
)

// TestAggregatorComponentTimerAndCallbacks runs aggregator-js's three
// exports: a timer asked for by config, the submit callback with a
// transaction and with an error, and each export's error as the
// component's cause.
func TestAggregatorComponentTimerAndCallbacks(t *testing.T) {
	ctx := context.Background()
	logs := &syncBuf{}
	e, err := New(ctx, Options{KV: NewMemKV(), CacheDir: t.TempDir(), Logger: hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Debug})})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	agg, err := e.AddComponent(ctx, wavsComponent(t, "aggregator-js"))
	if err != nil {
		t.Fatal(err)
	}
	req := func(call AggregatorCall, config map[string]string) AggregatorRequest {
		return AggregatorRequest{
			Request: Request{Digest: agg, ServiceID: hostileSID, WorkflowID: "default",
				Trigger: Trigger{Raw: []byte("7")}, Config: config, TimeLimit: time.Minute},
			Call:     call,
			Response: Response{Payload: []byte("payload")},
		}
	}

	acts, err := e.Aggregate(ctx, req(ProcessInput, map[string]string{"timer_delay_secs": "3"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 1 || acts[0].Timer != 3*time.Second || acts[0].Submit != nil {
		t.Fatalf("process-input with a timer delay = %+v, want one 3 s timer", acts)
	}

	r := req(SubmitCallback, nil)
	r.TxHash = make([]byte, 32)
	r.TxHash[31] = 0xab
	if acts, err := e.Aggregate(ctx, r); err != nil || len(acts) != 0 {
		t.Fatalf("submit callback = %v, %v", acts, err)
	}
	if !strings.Contains(logs.String(), "aggregator-js: submitted 0x00000000000000000000000000000000000000000000000000000000000000ab") {
		t.Errorf("the callback did not see the tx hash; log:\n%s", logs)
	}
	r.TxHash, r.TxErr = nil, "reverted: nope"
	if _, err := e.Aggregate(ctx, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "aggregator-js: submission failed: reverted: nope") {
		t.Errorf("the callback did not see the error; log:\n%s", logs)
	}

	for call, where := range map[AggregatorCall]string{ProcessInput: "process", TimerCallback: "timer", SubmitCallback: "callback"} {
		_, err := e.Aggregate(ctx, req(call, map[string]string{"fail": where}))
		var ee *ExecError
		if !errors.As(err, &ee) || ee.Cause != CauseComponent || !strings.Contains(ee.Msg, "failing in "+where) {
			t.Errorf("%s failing: %v, want a component error naming it", call.export(), err)
		}
	}

	// Neither kind runs as the other.
	if _, err := e.Execute(ctx, req(ProcessInput, nil).Request); err == nil || !strings.Contains(err.Error(), "aggregator component") {
		t.Errorf("Execute of an aggregator component: %v", err)
	}
	sq, err := e.AddComponent(ctx, wavsComponent(t, "square-go"))
	if err != nil {
		t.Fatal(err)
	}
	for d, want := range map[string]ComponentKind{agg: KindAggregator, sq: KindOperator} {
		if k, err := e.ComponentKind(ctx, d); k != want || err != nil {
			t.Errorf("ComponentKind = %q, %v; want %q", k, err, want)
		}
	}
	r = req(ProcessInput, nil)
	r.Digest = sq
	if _, err := e.Aggregate(ctx, r); err == nil || !strings.Contains(err.Error(), "not an aggregator component") {
		t.Errorf("Aggregate of an operator component: %v", err)
	}
}

// TestAggregatorComponentSubmits: without a timer, aggregator-js reads
// the chain → handler map from its own config as get-workflow shows it and
// asks for one EVM submission per chain key, at the gas price it was
// given.
func TestAggregatorComponentSubmits(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{KV: NewMemKV(), CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	agg, err := e.AddComponent(ctx, wavsComponent(t, "aggregator-js"))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := service.ParseDigest(agg)
	config := map[string]string{
		"evm:31337": "0x00000000000000000000000000000000000000aA",
		"evm:1":     "0x0000000000000000000000000000000000000001",
		"gas_price": "18446744073709551617", // 2^64 + 1: both halves of the u128
	}
	svc := &service.Service{
		Name: "agg", Status: service.StatusActive,
		Manager: service.Manager{Evm: &service.EvmManager{Chain: "evm:31337"}},
		Workflows: map[string]service.Workflow{"default": {
			Trigger:   service.Trigger{Manual: true},
			Component: service.Component{Source: service.Source{Digest: &d}},
			Submit: service.Submit{AggregatorComponent: &service.AggregatorComponent{
				Component:     service.Component{Source: service.Source{Digest: &d}, Config: config},
				SignatureKind: service.EVMDefaultSignatureKind(),
			}},
		}},
	}
	acts, err := e.Aggregate(ctx, AggregatorRequest{
		Request: Request{Digest: agg, ServiceID: hostileSID, WorkflowID: "default", Trigger: Trigger{Raw: []byte("1")},
			Config: config, Service: svc, TimeLimit: time.Minute},
		Call:     ProcessInput,
		Response: Response{Payload: []byte("p")},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantGas, _ := new(big.Int).SetString("18446744073709551617", 10)
	got := map[string]string{}
	for _, a := range acts {
		if a.Submit == nil || a.Submit.GasPrice == nil || a.Submit.GasPrice.Cmp(wantGas) != 0 {
			t.Fatalf("action %+v: want a submission at gas price %v", a, wantGas)
		}
		got[a.Submit.Chain] = hex.EncodeToString(a.Submit.Address[:])
	}
	want := map[string]string{"evm:31337": "00000000000000000000000000000000000000aa", "evm:1": "0000000000000000000000000000000000000001"}
	if !maps.Equal(got, want) {
		t.Errorf("submissions %v, want %v", got, want)
	}
}
