package registry

import (
	"fmt"
	"time"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// triggerSpec turns a workflow's trigger into what a trigger plugin gets.
func triggerSpec(id string, t service.Trigger) (sdk.TriggerSpec, error) {
	spec := sdk.TriggerSpec{ID: id}
	switch {
	case t.EvmContractEvent != nil:
		spec.Source = &sdk.EvmContractEvent{
			Chain:     t.EvmContractEvent.Chain,
			Address:   t.EvmContractEvent.Address,
			EventHash: t.EvmContractEvent.EventHash,
		}
	case t.BlockInterval != nil:
		b := t.BlockInterval
		spec.Source = &sdk.BlockInterval{Chain: b.Chain, NBlocks: b.NBlocks, StartBlock: deref(b.StartBlock), EndBlock: deref(b.EndBlock)}
	case t.Cron != nil:
		// The service JSON's times are unix nanoseconds, as in WAVS;
		// plugins get whole seconds, and a schedule fires on whole
		// seconds, so a bound inside a second moves to the seconds it
		// still includes.
		c := t.Cron
		start, end := c.Start(), c.End()
		if start.Nanosecond() != 0 {
			start = start.Truncate(time.Second).Add(time.Second)
		}
		end = end.Truncate(time.Second)
		spec.Source = &sdk.Cron{Schedule: c.Schedule, StartTime: start, EndTime: end}
	case t.Plugin != nil:
		spec.Source = &sdk.KindSource{Kind: t.Plugin.Kind, Config: t.Plugin.Config}
	case t.Kind() == "":
		return spec, fmt.Errorf("%w: no trigger kind set", sdk.ErrInvalidArgument)
	default:
		return spec, fmt.Errorf("%w: %s: no loaded trigger plugin provides this kind", sdk.ErrInvalidArgument, t.Kind())
	}
	return spec, nil
}

func deref(p *uint64) uint64 {
	if p == nil {
		return 0
	}
	return *p
}

// engineTrigger turns an event's data into the engine's trigger.
func engineTrigger(d sdk.TriggerData) (engine.Trigger, error) {
	switch v := d.(type) {
	case *sdk.EvmLog:
		return engine.Trigger{EvmLog: v}, nil
	case *sdk.BlockTick:
		return engine.Trigger{Block: v}, nil
	case *sdk.CronTick:
		return engine.Trigger{Cron: v}, nil
	case *sdk.RawData:
		// A non-nil Raw, even empty, is the raw trigger.
		return engine.Trigger{Raw: append([]byte{}, v.Data...)}, nil
	default:
		return engine.Trigger{}, fmt.Errorf("trigger data %T is not one of EvmLog, BlockTick, CronTick, RawData", d)
	}
}
