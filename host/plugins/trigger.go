package plugins

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/wavs-go/wavs/sdk"
)

// Trigger is a trigger plugin as the node uses it: it keeps the wanted
// triggers with the last cursor the node acknowledged, adds them again to
// each new plugin process (which resumes after that cursor), and merges
// the event streams of successive processes into one channel.
type Trigger struct {
	sup *Supervisor

	mu    sync.Mutex
	specs map[string]sdk.TriggerSpec

	events chan sdk.TriggerEvent
}

// NewTrigger wraps the supervisor of a trigger plugin; call it before the
// supervisor starts.
func NewTrigger(sup *Supervisor) *Trigger {
	t := &Trigger{sup: sup, specs: map[string]sdk.TriggerSpec{}, events: make(chan sdk.TriggerEvent, 256)}
	sup.OnReady(t.ready)
	return t
}

// Supervisor returns the plugin's supervisor.
func (t *Trigger) Supervisor() *Supervisor { return t.sup }

func (t *Trigger) ready(ctx context.Context, p sdk.Plugin) error {
	tp := p.(sdk.Trigger)
	t.mu.Lock()
	specs := make([]sdk.TriggerSpec, 0, len(t.specs))
	for _, s := range t.specs {
		specs = append(specs, s)
	}
	t.mu.Unlock()
	for _, s := range specs {
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
	// Record first: a process that starts meanwhile must see the spec.
	t.mu.Lock()
	prev, had := t.specs[spec.ID]
	t.specs[spec.ID] = spec
	t.mu.Unlock()
	p, err := t.sup.Current()
	if err != nil {
		return nil // added when the plugin is back
	}
	if err := p.(sdk.Trigger).AddTrigger(ctx, spec); err != nil && !errors.Is(err, sdk.ErrUnavailable) {
		t.mu.Lock()
		if had {
			t.specs[spec.ID] = prev
		} else {
			delete(t.specs, spec.ID)
		}
		t.mu.Unlock()
		return err
	}
	return nil
}

// RemoveTrigger stops watching for good.
func (t *Trigger) RemoveTrigger(ctx context.Context, id string) error {
	t.mu.Lock()
	_, ok := t.specs[id]
	delete(t.specs, id)
	t.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: trigger %q", sdk.ErrNotFound, id)
	}
	p, err := t.sup.Current()
	if err != nil {
		return nil
	}
	if err := p.(sdk.Trigger).RemoveTrigger(ctx, id); err != nil && !errors.Is(err, sdk.ErrNotFound) && !errors.Is(err, sdk.ErrUnavailable) {
		return err
	}
	return nil
}

// Events is every trigger event, across plugin restarts. The node acks
// each after storing it.
func (t *Trigger) Events() <-chan sdk.TriggerEvent { return t.events }

// Ack records that the node has stored the trigger's events up to cursor:
// a restarted plugin resumes after it.
func (t *Trigger) Ack(ctx context.Context, triggerID, cursor string) error {
	t.mu.Lock()
	if s, ok := t.specs[triggerID]; ok {
		s.Cursor = cursor
		t.specs[triggerID] = s
	}
	t.mu.Unlock()
	p, err := t.sup.Current()
	if err != nil {
		return nil // the next process starts after cursor anyway
	}
	return p.(sdk.Trigger).Ack(ctx, triggerID, cursor)
}
