package plugins

import (
	"context"
	"fmt"

	"github.com/wavs-go/wavs/sdk"
)

// Trigger is a trigger plugin as the node uses it: it keeps the wanted
// triggers with the last cursor the node acknowledged, adds them again to
// each new plugin process (which resumes after that cursor), and merges
// the event streams of successive processes into one channel.
type Trigger struct {
	sup    *Supervisor
	specs  *wanted[sdk.TriggerSpec]
	events chan sdk.TriggerEvent
}

// NewTrigger wraps the supervisor of a trigger plugin; call it before the
// supervisor starts.
func NewTrigger(sup *Supervisor) *Trigger {
	t := &Trigger{sup: sup, specs: newWanted[sdk.TriggerSpec](sup, "trigger"), events: make(chan sdk.TriggerEvent, 256)}
	sup.OnReady(t.ready)
	return t
}

// Supervisor returns the plugin's supervisor.
func (t *Trigger) Supervisor() *Supervisor { return t.sup }

func (t *Trigger) ready(ctx context.Context, p sdk.Plugin) error {
	tp := p.(sdk.Trigger)
	for _, s := range t.specs.snapshot() {
		if err := tp.AddTrigger(ctx, s); err != nil {
			return fmt.Errorf("re-add trigger %q: %w", s.ID, err)
		}
	}
	go pump(ctx, t.sup, tp.Events, t.events)
	return nil
}

// AddTrigger starts watching for spec now and after every restart. A spec
// the plugin rejects is not kept.
func (t *Trigger) AddTrigger(ctx context.Context, spec sdk.TriggerSpec) error {
	return t.specs.put(spec.ID, spec, func(p sdk.Plugin) error {
		return p.(sdk.Trigger).AddTrigger(ctx, spec)
	})
}

// RemoveTrigger stops watching for good.
func (t *Trigger) RemoveTrigger(ctx context.Context, id string) error {
	return t.specs.remove(id, func(p sdk.Plugin) error {
		return p.(sdk.Trigger).RemoveTrigger(ctx, id)
	})
}

// Events is every trigger event, across plugin restarts. The node acks
// each after storing it.
func (t *Trigger) Events() <-chan sdk.TriggerEvent { return t.events }

// Ack records that the node has stored the trigger's events up to cursor:
// a restarted plugin resumes after it.
func (t *Trigger) Ack(ctx context.Context, triggerID, cursor string) error {
	t.specs.update(triggerID, func(s sdk.TriggerSpec) sdk.TriggerSpec {
		s.Cursor = cursor
		return s
	})
	p, err := t.sup.Current()
	if err != nil {
		return nil // the next process starts after cursor anyway
	}
	return p.(sdk.Trigger).Ack(ctx, triggerID, cursor)
}
