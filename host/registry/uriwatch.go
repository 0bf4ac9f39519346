package registry

// Service URI updates.
//
// A WAVS service manager emits ServiceURIUpdated(string serviceURI) when
// its owner calls setServiceURI. For every running service whose manager
// is an EVM contract, the registry watches that event through the trigger
// plugin that serves evm_contract_event, as a system trigger with the id
// "<service id>/$manager" (workflow ids cannot hold a "$"), added when the
// service is activated and removed with it (Remove drops every trigger of
// the service, and the store its cursors). Its cursor is stored like a
// workflow trigger's, so an update made while the node was down is seen
// after the restart.
//
// On an event the new URI is fetched, decoded and checked as AddByManager
// does, and the service is swapped in place: same id, same signing key
// (its index is the service id's, reserved once), its results,
// submissions and folder kept. Workflows whose trigger is unchanged keep
// their trigger and cursor; removed workflows lose theirs; added ones
// start as in a new registration; a workflow whose trigger changed is
// added again without a cursor (its old one is dropped: it was a position
// in another source), so it starts where a new registration would. A
// fetch or decode failure keeps the old service running and records the
// error with the URI on the service (last_error); the event is
// acknowledged either way. A URI whose service equals the running one is
// a no-op, and so is an event whose URI is no longer the manager's (a
// later update supersedes it and comes next).

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/crypto/sha3"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/redact"
	"github.com/wavs-go/wavs/sdk"
)

// managerWatch is the workflow-id part of the trigger id of a service's
// ServiceURIUpdated watch. Workflow ids are [A-Za-z0-9_-], so it cannot
// collide with one.
const managerWatch = "$manager"

// managerWatchID is the trigger id of service id's manager watch.
func managerWatchID(id string) string { return service.TriggerID(id, managerWatch) }

// serviceURIUpdated is topic 0 of ServiceURIUpdated(string).
var serviceURIUpdated = func() sdk.Hash {
	var h sdk.Hash
	k := sha3.NewLegacyKeccak256()
	k.Write([]byte("ServiceURIUpdated(string)"))
	copy(h[:], k.Sum(nil))
	return h
}()

// watchStartBlocks is how far before the head a new watch starts: an
// update between the registration's getServiceURI and the activation is
// then still seen (one equal to the running service is a no-op, one
// superseded since is skipped).
const watchStartBlocks = 128

// maxServiceURI bounds the URI decoded from an event.
const maxServiceURI = 8 << 10

// uriWatch is the registry's state for service URI updates (the zero value
// is ready).
type uriWatch struct {
	mu sync.Mutex
	// gates hold an update of a service off while events of its
	// workflows are handled, and those events off while it is swapped.
	gates map[string]*sync.RWMutex
	// warned has the chains on which no manager watch could be added
	// (logged once each).
	warned map[string]bool
}

func (u *uriWatch) gate(id string) *sync.RWMutex {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.gates == nil {
		u.gates = map[string]*sync.RWMutex{}
	}
	g := u.gates[id]
	if g == nil {
		g = &sync.RWMutex{}
		u.gates[id] = g
	}
	return g
}

// warnOnce reports whether key was not warned about before.
func (u *uriWatch) warnOnce(key string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.warned == nil {
		u.warned = map[string]bool{}
	}
	if u.warned[key] {
		return false
	}
	u.warned[key] = true
	return true
}

// watchManager starts watching the ServiceURIUpdated events of svc's
// manager. Not watching (no EVM manager, no plugin serving
// evm_contract_event on its chain) is logged once per chain, never an
// error: the service runs as registered.
func (r *Registry) watchManager(ctx context.Context, id string, svc *service.Service) {
	m := svc.Manager.Evm
	if m == nil {
		return
	}
	notWatched := func(why error) {
		if r.uri.warnOnce(m.Chain) {
			r.log.Warn("service URI updates of managers on this chain are not watched: a service stays as registered until it is registered again", "chain", m.Chain, "service", id, "reason", why)
		}
	}
	plugin, err := r.route("evm_contract_event", "")
	if err != nil {
		notWatched(err)
		return
	}
	tid := managerWatchID(id)
	spec := sdk.TriggerSpec{ID: tid, Source: &sdk.EvmContractEvent{Chain: m.Chain, Address: m.Address, EventHash: serviceURIUpdated}}
	stored, ok, err := r.o.Store.Cursor(ctx, tid)
	if err != nil {
		r.log.Error("manager watch: read its cursor; not watched", "service", id, "error", err)
		return
	}
	fresh := ""
	if ok {
		spec.Cursor = stored
	} else {
		fresh = r.watchStart(ctx, m.Chain)
		spec.Cursor = fresh
	}
	done := make(chan struct{})
	close(done)
	r.mu.Lock()
	r.triggers[tid] = triggerBinding{serviceID: id, workflowID: managerWatch, plugin: plugin, ready: done}
	r.mu.Unlock()
	err = plugin.AddTrigger(ctx, spec)
	if err != nil && fresh != "" && errors.Is(err, sdk.ErrInvalidArgument) {
		// A plugin whose log cursors are not trigger-evm's: start where
		// it starts a new trigger.
		spec.Cursor, fresh = "", ""
		err = plugin.AddTrigger(ctx, spec)
	}
	if err != nil {
		r.mu.Lock()
		delete(r.triggers, tid)
		r.mu.Unlock()
		notWatched(fmt.Errorf("%s: %w", plugin.Supervisor().Name(), err))
		return
	}
	if fresh != "" {
		// Stored at once, so that a restart before the first update
		// resumes here rather than at the plugin's new start.
		if err := r.o.Store.PutCursor(ctx, tid, fresh); err != nil {
			r.log.Warn("manager watch: store its first cursor", "service", id, "error", err)
		}
	}
	r.log.Debug("watching the service manager's ServiceURIUpdated", "service", id, "manager", m.Address.String(), "chain", m.Chain)
}

// watchStart is the cursor a new manager watch starts from:
// watchStartBlocks before the chain's head, in trigger-evm's log cursor
// format ("%020d:%010d", block and log index; the plugin resumes strictly
// after it). "" when the head cannot be read: the plugin then starts as it
// starts a new trigger.
func (r *Registry) watchStart(ctx context.Context, chain string) string {
	p, err := plugins.SubmitterFor(r.o.Submitters, chain)
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	head, err := p.LatestBlock(ctx, chain)
	if err != nil {
		return ""
	}
	from := head.Number - min(head.Number, watchStartBlocks)
	if from == 0 {
		return fmt.Sprintf("%020d:%010d", 0, 0) // the genesis block has no logs
	}
	return fmt.Sprintf("%020d:%010d", from-1, uint64(1<<32-1))
}

// updateGate comes first in handle. It handles a manager watch's event
// itself (done); for a workflow's event it holds off any update of the
// service until release, and drops (unacknowledged: its trigger was
// replaced, and the plugin forgot it) an event left from the source a
// workflow had before an update.
func (r *Registry) updateGate(ctx context.Context, plugin *plugins.Trigger, ev sdk.TriggerEvent) (release func(), done bool) {
	sid, wid, _ := strings.Cut(ev.TriggerID, "/")
	if wid == managerWatch {
		r.handleURIUpdated(ctx, plugin, ev)
		return func() {}, true
	}
	g := r.uri.gate(sid)
	g.RLock()
	b := r.binding(ev.TriggerID)
	r.mu.RLock()
	e := r.services[sid]
	r.mu.RUnlock()
	if b.plugin != nil && e != nil {
		wf, ok := e.svc.Workflows[wid]
		if b.plugin != plugin || !ok || !fromSource(wf.Trigger, ev.Data) {
			g.RUnlock()
			r.log.Debug("event of a trigger the service has replaced; dropping it", "trigger", ev.TriggerID, "cursor", ev.Cursor)
			return func() {}, true
		}
	}
	return g.RUnlock, false
}

// fromSource reports whether an event's data can come from trigger t: a
// log of its contract and event, a block of its chain, a cron tick.
func fromSource(t service.Trigger, d sdk.TriggerData) bool {
	switch v := d.(type) {
	case *sdk.EvmLog:
		c := t.EvmContractEvent
		return c != nil && c.Chain == v.Chain && c.Address == v.Address &&
			len(v.Topics) > 0 && c.EventHash == v.Topics[0]
	case *sdk.BlockTick:
		return t.BlockInterval != nil && t.BlockInterval.Chain == v.Chain
	case *sdk.CronTick:
		return t.Cron != nil
	}
	return true // not ours to judge: handle reports it
}

// handleURIUpdated handles a ServiceURIUpdated log of a service's manager
// and acknowledges it, whatever became of the update.
func (r *Registry) handleURIUpdated(ctx context.Context, plugin *plugins.Trigger, ev sdk.TriggerEvent) {
	sid, _, _ := strings.Cut(ev.TriggerID, "/")
	log := r.log.With("service", sid, "trigger", ev.TriggerID, "cursor", ev.Cursor)
	if r.binding(ev.TriggerID).plugin == nil {
		log.Debug("event of a manager watch the registry no longer has; dropping it")
		r.ack(ctx, plugin, ev, false, false)
		return
	}
	lg, ok := ev.Data.(*sdk.EvmLog)
	if !ok || len(lg.Topics) == 0 || lg.Topics[0] != serviceURIUpdated {
		log.Warn("manager watch: not a ServiceURIUpdated log; ignored", "data", fmt.Sprintf("%T", ev.Data))
		r.ack(ctx, plugin, ev, true, false)
		return
	}
	uri, err := decodeServiceURIUpdated(lg.Data)
	if err != nil {
		r.recordUpdateError(ctx, sid, fmt.Errorf("ServiceURIUpdated in block %d, tx %s: %w", lg.BlockNumber, lg.TxHash.Hex(), err))
	} else if err := r.updateFromURI(ctx, sid, uri); err != nil {
		if ctx.Err() != nil {
			return // stopping: the event comes again after the restart
		}
		r.recordUpdateError(ctx, sid, err)
	}
	r.ack(ctx, plugin, ev, true, false)
}

// ErrSuperseded says an update's URI is no longer its manager's: a later
// ServiceURIUpdated follows.
var ErrSuperseded = errors.New("superseded by a later service URI")

// updateFromURI updates running service id to the service JSON at uri, a
// URI its manager announced: fetched, decoded and checked as AddByManager
// does, then swapped in place (see the comment at the top of this file).
// An update to the service already running, or whose URI the manager no
// longer has, changes nothing and returns nil. On an error the running
// service is unchanged.
func (r *Registry) updateFromURI(ctx context.Context, id, uri string) error {
	r.mu.RLock()
	e := r.services[id]
	r.mu.RUnlock()
	if e == nil {
		return fmt.Errorf("%w: service %q is not running", sdk.ErrNotFound, id)
	}
	m := e.svc.Manager.Evm
	if m == nil {
		return fmt.Errorf("%w: service %s has no EVM manager", sdk.ErrInvalidArgument, id)
	}
	manager := m.Address.String()
	log := r.log.With("service", id, "uri", redact.URL(uri))
	// Events replayed from before the registration, or a burst of
	// updates: only the manager's current URI is worth fetching.
	if p, err := plugins.SubmitterFor(r.o.Submitters, m.Chain); err == nil {
		if current, err := p.ServiceURI(ctx, m.Chain, manager); err != nil {
			log.Warn("service URI update: cannot read the manager's current URI; applying the event's", "error", err)
		} else if current != uri {
			log.Info("service URI update skipped: the manager has a later URI", "current", redact.URL(current))
			return nil
		}
	}
	raw, svc, err := r.fetchManagedService(ctx, m.Chain, manager, uri)
	if err != nil {
		return err
	}
	if same, err := sameService(e.svc, svc); err != nil {
		return err
	} else if same {
		log.Debug("service URI update: the same service; nothing to do")
		return nil
	}
	return r.swap(ctx, id, raw, svc, log)
}

// sameService reports whether two services are equal, compared decoded
// (formatting does not matter) as checkManager does.
func sameService(a, b *service.Service) (bool, error) {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	if err := errors.Join(err1, err2); err != nil {
		return false, fmt.Errorf("compare the services: %w", err)
	}
	return string(x) == string(y), nil
}

// swap replaces running service id with svc (raw as fetched). It runs the
// checks of a registration first, then, holding the service's gate (so
// that no event of it is being handled), adds the triggers of new and
// changed workflows, stores the new JSON, swaps the entry and drops the
// triggers of removed workflows. A trigger that cannot be added undoes
// what was added and keeps the old service.
func (r *Registry) swap(ctx context.Context, id string, raw []byte, svc *service.Service, log hclog.Logger) error {
	if svc.ID() != id {
		return fmt.Errorf("%w: the new service JSON is of service %s, not %s", sdk.ErrInvalidArgument, svc.ID(), id)
	}
	release, err := r.claim(id)
	if err != nil {
		return err
	}
	defer release()
	if err := r.checkServable(id, svc); err != nil {
		return err
	}
	// Held until the new JSON is stored, so that no component it names is
	// removed in between (as in add).
	r.compMu.Lock()
	defer r.compMu.Unlock()
	if err := r.fetchComponents(ctx, svc); err != nil {
		return err
	}
	for _, wid := range sortedKeys(svc.Workflows) {
		if d := svc.Workflows[wid].Component.Source.WasmDigest(); !r.o.Engine.HasComponent(d.String()) {
			return fmt.Errorf("%w: workflows.%s.component: component %s is not stored on this node", sdk.ErrInvalidArgument, wid, d)
		}
	}

	g := r.uri.gate(id)
	g.Lock()
	defer g.Unlock()
	r.mu.RLock()
	old := r.services[id]
	r.mu.RUnlock()
	if old == nil {
		return fmt.Errorf("%w: service %q is not running", sdk.ErrNotFound, id)
	}

	// Plan: which triggers to add (new or changed workflows) and remove.
	type change struct {
		wid     string
		spec    sdk.TriggerSpec
		plugin  *plugins.Trigger
		prev    triggerBinding // the changed workflow's binding; zero for a new one
		oldSpec sdk.TriggerSpec
	}
	var adds []change
	for _, wid := range sortedKeys(svc.Workflows) {
		tid := service.TriggerID(id, wid)
		spec, err := triggerSpec(tid, svc.Workflows[wid].Trigger)
		if err != nil {
			return fmt.Errorf("workflows.%s.trigger: %w", wid, err)
		}
		plugin, err := r.triggerPlugin(wid, svc.Workflows[wid])
		if err != nil {
			return fmt.Errorf("workflows.%s.trigger: %w", wid, err)
		}
		c := change{wid: wid, spec: spec, plugin: plugin}
		if owf, had := old.svc.Workflows[wid]; had {
			prev, err := triggerSpec(tid, owf.Trigger)
			if err == nil && reflect.DeepEqual(prev.Source, spec.Source) && owf.Plugins.Trigger == svc.Workflows[wid].Plugins.Trigger {
				continue // unchanged: trigger and cursor kept
			}
			c.prev, c.oldSpec = r.binding(tid), prev
		}
		adds = append(adds, c)
	}
	var removed []string
	for _, wid := range sortedKeys(old.svc.Workflows) {
		if _, kept := svc.Workflows[wid]; !kept {
			removed = append(removed, wid)
		}
	}

	// Add the new and changed triggers; their events wait at the gate.
	var done []change
	undo := func() {
		for _, c := range done {
			tid := c.spec.ID
			if c.prev.plugin == nil {
				if err := c.plugin.RemoveTrigger(ctx, tid); err != nil && !errors.Is(err, sdk.ErrNotFound) {
					log.Warn("service URI update: undo trigger", "trigger", tid, "error", err)
				}
				r.mu.Lock()
				delete(r.triggers, tid)
				r.mu.Unlock()
				continue
			}
			if c.prev.plugin != c.plugin {
				if err := c.plugin.RemoveTrigger(ctx, tid); err != nil && !errors.Is(err, sdk.ErrNotFound) {
					log.Warn("service URI update: undo trigger", "trigger", tid, "error", err)
				}
			}
			restore := c.oldSpec
			if cur, ok, err := r.o.Store.Cursor(ctx, tid); err == nil && ok {
				restore.Cursor = cur
			}
			if err := c.prev.plugin.AddTrigger(ctx, restore); err != nil {
				log.Warn("service URI update: restore trigger", "trigger", tid, "error", err)
			}
			r.mu.Lock()
			r.triggers[tid] = c.prev
			r.mu.Unlock()
		}
	}
	ready := make(chan struct{})
	close(ready)
	for _, c := range adds {
		tid := c.spec.ID
		if c.prev.plugin != nil && c.prev.plugin != c.plugin {
			if err := c.prev.plugin.RemoveTrigger(ctx, tid); err != nil && !errors.Is(err, sdk.ErrNotFound) {
				log.Warn("service URI update: remove the replaced trigger", "trigger", tid, "error", err)
			}
		}
		r.mu.Lock()
		r.triggers[tid] = triggerBinding{serviceID: id, workflowID: c.wid, plugin: c.plugin, ready: ready}
		r.mu.Unlock()
		// No cursor: a new workflow, or one whose old cursor was a
		// position in another source, starts as in a new registration.
		if err := c.plugin.AddTrigger(ctx, c.spec); err != nil {
			done = append(done, c) // undo restores it (or drops the binding)
			undo()
			return fmt.Errorf("workflows.%s.trigger: %s: %w", c.wid, c.plugin.Supervisor().Name(), err)
		}
		done = append(done, c)
	}

	// Store the new JSON; the record keeps its signing index and
	// registration time. A service marked failed stays failed (Reset
	// clears it); otherwise the update starts without an error.
	rec, ok, err := r.o.Store.GetService(ctx, id)
	if err == nil && !ok {
		err = fmt.Errorf("%w: service %q is not stored", sdk.ErrNotFound, id)
	}
	if err != nil {
		undo()
		return err
	}
	index := rec.SigningIndex
	rec.Service, rec.UpdatedAt = raw, time.Time{}
	if !markedFailed(rec) {
		rec.Status, rec.LastError = string(svc.Status), ""
	}
	if err := r.o.Store.PutService(ctx, rec); err != nil {
		undo()
		return fmt.Errorf("store service %s: %w", id, err)
	}
	for _, c := range adds {
		if err := r.o.Store.DeleteCursor(ctx, c.spec.ID); err != nil {
			log.Warn("service URI update: drop the cursor of a replaced trigger", "trigger", c.spec.ID, "error", err)
		}
	}

	// The same key (the index is the service id's): a new entry, so that
	// an event handled before the swap finished with the old one.
	e := &entry{id: id, svc: svc, key: old.key}
	e.health.faults, e.health.failed, e.health.skipped = old.health.snapshot()
	r.mu.Lock()
	r.services[id] = e
	r.mu.Unlock()

	for _, wid := range removed {
		tid := service.TriggerID(id, wid)
		b := r.binding(tid)
		if b.plugin != nil {
			if err := b.plugin.RemoveTrigger(ctx, tid); err != nil && !errors.Is(err, sdk.ErrNotFound) {
				log.Warn("service URI update: remove trigger", "trigger", tid, "error", err)
			}
		}
		r.mu.Lock()
		delete(r.triggers, tid)
		r.mu.Unlock()
		if err := r.o.Store.DeleteCursor(ctx, tid); err != nil {
			log.Warn("service URI update: drop the cursor of a removed workflow", "trigger", tid, "error", err)
		}
	}
	log.Info("service updated from its manager's service URI", "name", svc.Name, "workflows", len(svc.Workflows),
		"added_or_changed", len(adds), "removed", len(removed), "signing_index", index)
	return nil
}

// recordUpdateError keeps a failed update's error on the service
// (last_error), unless the service is marked failed, whose cause stays.
func (r *Registry) recordUpdateError(ctx context.Context, id string, err error) {
	if errors.Is(err, ErrBusy) {
		r.log.Warn("service URI update skipped: the service is being removed", "service", id)
		return
	}
	r.log.Error("service URI update failed; the service runs as before", "service", id, "error", err)
	rec, ok, gerr := r.o.Store.GetService(ctx, id)
	if gerr != nil || !ok || markedFailed(rec) {
		return
	}
	rec.LastError = "service URI update: " + err.Error()
	if perr := r.o.Store.PutService(ctx, rec); perr != nil {
		r.log.Error("record service error", "service", id, "error", perr)
	}
}

// decodeServiceURIUpdated reads ServiceURIUpdated(string)'s log data:
// abi.encode(string), an offset word, then the length and the bytes.
func decodeServiceURIUpdated(data []byte) (string, error) {
	word := func(at uint64) (uint64, error) {
		if at > uint64(len(data)) || uint64(len(data))-at < 32 {
			return 0, errors.New("log data too short")
		}
		w := data[at : at+32]
		for _, b := range w[:24] {
			if b != 0 {
				return 0, errors.New("log data: a word out of range")
			}
		}
		return binary.BigEndian.Uint64(w[24:]), nil
	}
	off, err := word(0)
	if err != nil {
		return "", fmt.Errorf("ServiceURIUpdated: %w", err)
	}
	n, err := word(off)
	if err != nil {
		return "", fmt.Errorf("ServiceURIUpdated: %w", err)
	}
	start := off + 32
	if n > maxServiceURI {
		return "", fmt.Errorf("ServiceURIUpdated: a URI of %d bytes (at most %d)", n, maxServiceURI)
	}
	if uint64(len(data))-start < n {
		return "", errors.New("ServiceURIUpdated: log data shorter than the URI's length")
	}
	return string(data[start : start+n]), nil
}
