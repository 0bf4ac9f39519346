package engine

import (
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/redact"
)

// The values a WAVS component sees, described by WIT name (see shape) the
// way WAVS fills them (packages/engine/src/bindings/types/
// wavs_to_component.rs in Lay3rLabs/WAVS): ids and chain keys as
// strings, addresses as evm-address{raw-bytes}, hashes as bytes, times as
// timestamp{nanos}, maps as lists of pairs in key order.

// requestService is r's service, or the stand-in of wavs exec: one
// workflow running this component on a manual trigger.
func requestService(r *Request) *service.Service {
	if r.Service != nil {
		return r.Service
	}
	d, _ := service.ParseDigest(r.Digest)
	return &service.Service{
		Name:    "wavs-exec",
		Status:  service.StatusActive,
		Manager: service.Manager{Evm: &service.EvmManager{Chain: "evm:0"}},
		Workflows: map[string]service.Workflow{r.WorkflowID: {
			Component: service.Component{Source: service.Source{Digest: &d}, Config: r.Config},
		}},
	}
}

// actionTree is the trigger-action of an execution: trigger-config (ids
// and the workflow's trigger declaration) and the trigger data.
func actionTree(r *Request) (rec, error) {
	wf := requestService(r).Workflows[r.WorkflowID]
	decl, err := triggerDeclTree(wf.Trigger)
	if err != nil {
		return nil, err
	}
	data, err := triggerDataTree(r.Trigger)
	if err != nil {
		return nil, err
	}
	return rec{
		"config": rec{"service-id": r.ServiceID, "workflow-id": r.WorkflowID, "trigger": decl},
		"data":   data,
	}, nil
}

func evmAddress(b []byte) rec { return rec{"raw-bytes": slices.Clone(b)} }

// triggerDataTree is what fired. The EVM log's block timestamp is the
// RPC's (WAVS passes the log's blockTimestamp through as it came); 0
// means the RPC did not send one and becomes none.
func triggerDataTree(t Trigger) (any, error) {
	switch {
	case t.EvmLog != nil:
		l := t.EvmLog
		topics := make([]any, len(l.Topics))
		for i := range l.Topics {
			topics[i] = slices.Clone(l.Topics[i][:])
		}
		data := l.Data
		if data == nil {
			data = []byte{}
		}
		return vcase{"evm-contract-event", rec{
			"chain": l.Chain,
			"log": rec{
				"address":         evmAddress(l.Address[:]),
				"data":            rec{"topics": topics, "data": slices.Clone(data)},
				"tx-hash":         slices.Clone(l.TxHash[:]),
				"block-number":    l.BlockNumber,
				"log-index":       uint64(l.LogIndex),
				"block-hash":      slices.Clone(l.BlockHash[:]),
				"block-timestamp": optNonZero(l.BlockTimestamp),
				"tx-index":        uint64(l.TxIndex),
			},
		}}, nil
	case t.Block != nil:
		return vcase{"block-interval", rec{"chain": t.Block.Chain, "block-height": t.Block.BlockNumber}}, nil
	case t.Cron != nil:
		ns := t.Cron.Time.UnixNano()
		if ns < 0 {
			return nil, fmt.Errorf("cron trigger time %v is before 1970", t.Cron.Time)
		}
		return vcase{"cron", rec{"trigger-time": rec{"nanos": uint64(ns)}}}, nil
	case t.Raw != nil:
		return vcase{"raw", slices.Clone(t.Raw)}, nil
	}
	return nil, fmt.Errorf("trigger: no kind set")
}

func optNonZero(v uint64) any {
	if v == 0 {
		return none
	}
	return v
}

func optU64(p *uint64) any {
	if p == nil {
		return none
	}
	return *p
}

// optTime is a unix-nanoseconds bound as an optional timestamp.
func optTime(p *uint64) (any, error) {
	if p == nil {
		return none, nil
	}
	return rec{"nanos": *p}, nil
}

// triggerDeclTree is a workflow's trigger declaration; none is manual.
func triggerDeclTree(t service.Trigger) (any, error) {
	switch {
	case t.EvmContractEvent != nil:
		x := t.EvmContractEvent
		return vcase{"evm-contract-event", rec{"address": evmAddress(x.Address[:]), "chain": x.Chain, "event-hash": slices.Clone(x.EventHash[:])}}, nil
	case t.BlockInterval != nil:
		x := t.BlockInterval
		if x.NBlocks > math.MaxUint32 {
			return nil, fmt.Errorf("block interval of %d blocks does not fit WAVS's u32", x.NBlocks)
		}
		return vcase{"block-interval", rec{"chain": x.Chain, "n-blocks": uint32(x.NBlocks), "start-block": optU64(x.StartBlock), "end-block": optU64(x.EndBlock)}}, nil
	case t.Cron != nil:
		x := t.Cron
		start, err := optTime(x.StartTime)
		if err != nil {
			return nil, err
		}
		end, err := optTime(x.EndTime)
		if err != nil {
			return nil, err
		}
		return vcase{"cron", rec{"schedule": x.Schedule, "start-time": start, "end-time": end}}, nil
	}
	return "manual", nil
}

// serviceTree is the service as WAVS hands it to get-service.
func serviceTree(r *Request) (rec, error) {
	svc := requestService(r)
	var wfs []any
	for _, id := range slices.Sorted(maps.Keys(svc.Workflows)) {
		wf, err := workflowTree(svc.Workflows[id])
		if err != nil {
			return nil, fmt.Errorf("workflow %s: %w", id, err)
		}
		wfs = append(wfs, []any{id, wf})
	}
	status := "active"
	if svc.Status == service.StatusPaused {
		status = "paused"
	}
	var manager any = vcase{"evm", rec{"chain": "", "address": evmAddress(make([]byte, 20))}}
	if m := svc.Manager.Evm; m != nil {
		manager = vcase{"evm", rec{"chain": m.Chain, "address": evmAddress(m.Address[:])}}
	}
	return rec{"name": svc.Name, "workflows": wfs, "status": status, "manager": manager}, nil
}

// workflowTree is one workflow. An aggregator component submit is shown
// as it is (an aggregator component reads its config from here). This
// node's shortcut aggregator block names a chain and handler directly
// rather than a component; it is shown as an aggregator submit whose
// component has an empty digest source, signing with secp256k1 and the
// EIP-191 prefix (what the node does).
func workflowTree(wf service.Workflow) (rec, error) {
	trig, err := triggerDeclTree(wf.Trigger)
	if err != nil {
		return nil, err
	}
	var submit any = "none"
	switch {
	case wf.Submit.AggregatorComponent != nil:
		ac := wf.Submit.AggregatorComponent
		var prefix any = none
		if ac.SignatureKind.Prefix != "" {
			prefix = vcase{name: string(ac.SignatureKind.Prefix)}
		}
		submit = vcase{"aggregator", rec{
			"component":      componentTree(ac.Component),
			"signature-kind": rec{"algorithm": vcase{name: string(ac.SignatureKind.Algorithm)}, "prefix": prefix},
		}}
	case wf.Submit.Aggregator != nil:
		submit = vcase{"aggregator", rec{
			"url":            "",
			"component":      componentTree(service.Component{}),
			"signature-kind": rec{"algorithm": "secp256k1", "prefix": vcase{name: "eip191"}},
		}}
	}
	return rec{"trigger": trig, "component": componentTree(wf.Component), "submit": submit}, nil
}

func componentTree(c service.Component) rec {
	var source any = vcase{"digest", ""}
	switch {
	case c.Source.Download != nil:
		source = vcase{"download", rec{"uri": redact.URL(c.Source.Download.URI), "digest": hex.EncodeToString(c.Source.Download.Digest[:])}}
	case c.Source.Digest != nil:
		source = vcase{"digest", hex.EncodeToString(c.Source.Digest[:])}
	case c.Source.Registry != nil:
		r := c.Source.Registry
		opt := func(p *string) any {
			if p == nil {
				return none
			}
			return *p
		}
		source = vcase{"registry", rec{"digest": hex.EncodeToString(r.Digest[:]), "domain": opt(r.Domain), "version": opt(r.Version), "pkg": r.Package}}
	}
	var hosts any = "none"
	switch c.Permissions.AllowedHTTPHosts.Kind {
	case service.HostsAll:
		hosts = "all"
	case service.HostsOnly:
		hosts = vcase{"only", slices.Clone(c.Permissions.AllowedHTTPHosts.Hosts)}
	}
	config := []any{}
	for _, k := range slices.Sorted(maps.Keys(c.Config)) {
		config = append(config, []any{k, c.Config[k]})
	}
	env := c.EnvKeys
	if env == nil {
		env = []string{}
	}
	return rec{
		"source":             source,
		"permissions":        rec{"allowed-http-hosts": hosts, "file-system": c.Permissions.FileSystem, "raw-sockets": c.Permissions.RawSockets, "dns-resolution": c.Permissions.DNSResolution},
		"fuel-limit":         optU64(c.FuelLimit),
		"time-limit-seconds": optU64(c.TimeLimitSeconds),
		"config":             config,
		"env-keys":           slices.Clone(env),
	}
}
