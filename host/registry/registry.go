package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/netguard"
	"github.com/wavs-go/wavs/internal/redact"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

// Options are what a Registry works with.
type Options struct {
	Store     *store.Store
	Engine    *engine.Engine
	Signer    *signer.Signer // nil: services cannot be registered
	Triggers  []*plugins.Trigger
	Transport *plugins.Transport
	// Submitters read service managers (registration by manager address)
	// and tell which chains results can be sent to.
	Submitters []*plugins.Submitter
	// Aggregator takes the results of workflows that submit on chain
	// (nil: results are only stored).
	Aggregator Enqueuer
	// Chains the node is configured for, by chain key ("evm:31337").
	Chains map[string]engine.Chain
	// LookupEnv reads the WAVS_ENV_* variables a workflow's env_keys name
	// (default: none are set).
	LookupEnv func(string) (string, bool)
	// EnvGrants maps a service id to the WAVS_ENV_* variables the operator
	// grants it ([wavs] service_env); a workflow reads no others, and a
	// service naming one not granted is refused at registration.
	EnvGrants map[string][]string
	// HTTPClient fetches service URIs and downloads components named by
	// URL (default: 1 minute timeout, dialing through a netguard.Guard
	// that refuses loopback, private and other special addresses).
	HTTPClient *http.Client
	Logger     hclog.Logger
	// Observer, if set, is told of each trigger, execution and signature
	// (and of each skipped event if it has a Skipped(serviceID) method).
	Observer Observer
	// MaxTimeLimit refuses services whose workflows ask a longer
	// time_limit_seconds (0: no ceiling here; the engine cuts to its own).
	MaxTimeLimit time.Duration
	// MaxConsecutiveFailures is how many faults in a row mark a service
	// failed (0: never).
	MaxConsecutiveFailures int
	// DevMode skips the check of a service JSON given directly against its
	// manager on chain (see Add). For local development only.
	DevMode bool
	// DevEndpoints: the API serves service JSONs saved with POST
	// /dev/services, so a service URI naming such a document on a
	// loopback address is read from the store rather than fetched (see
	// localDevService).
	DevEndpoints bool
}

// Observer counts what the registry does (host/metrics implements it).
type Observer interface {
	TriggerReceived(serviceID string)
	Executed(serviceID string, d time.Duration, err error)
	Signed(serviceID string)
}

// noObserver counts nothing.
type noObserver struct{}

func (noObserver) TriggerReceived(string)                {}
func (noObserver) Executed(string, time.Duration, error) {}
func (noObserver) Signed(string)                         {}

// Enqueuer queues a signed result for submission.
type Enqueuer interface {
	// Announce sends a fresh signature to the other operators at once,
	// before it is stored (publishing it twice is harmless).
	Announce(ctx context.Context, res store.ResultRecord)
	Enqueue(ctx context.Context, sub store.Submission) error
	// EnqueueResult stores a new result and queues its submission at
	// once; it reports whether the result was new.
	EnqueueResult(ctx context.Context, rec store.ResultRecord, sub store.Submission) (added bool, err error)
}

// Registry is the node's set of services.
type Registry struct {
	o   Options
	log hclog.Logger
	// laneIdle is how long an idle trigger's lane lasts (laneIdle; tests
	// shorten it).
	laneIdle time.Duration

	// compMu orders registrations against component removals, so that no
	// component is removed between a registration's check and its store.
	compMu sync.Mutex

	mu       sync.RWMutex
	services map[string]*entry         // by service id
	triggers map[string]triggerBinding // by trigger id
	// busy holds the ids being registered or removed: one change per
	// service id at a time; a second one fails with ErrBusy.
	busy map[string]bool

	// runCtx is Run's context (nil before Run), runDone set when Run
	// returns: simulated triggers not waited for run under runCtx, and
	// Run waits for them (sims) before it returns.
	runCtx  context.Context
	runDone bool
	sims    sync.WaitGroup

	// timerKick wakes the loop of the aggregator components' timers;
	// callbacks counts the submit callbacks running (Run waits for them).
	timerKick chan struct{}
	callbacks sync.WaitGroup

	uri uriWatch // service URI updates (uriwatch.go)

	// The event pipeline's calls out, as funcs so that its tests can
	// stand in for the engine, the signer and the trigger plugin: run a
	// component, sign an envelope, acknowledge a cursor.
	execute    func(context.Context, engine.Request) ([]engine.Response, error)
	sign       func(*signer.Key, sdk.Envelope) ([]byte, error)
	ackTrigger func(ctx context.Context, p *plugins.Trigger, triggerID, cursor string) error
}

type entry struct {
	id     string
	svc    *service.Service
	key    *signer.Key
	health health
}

type triggerBinding struct {
	serviceID, workflowID string
	plugin                *plugins.Trigger
	// ready is closed once the service's activation has finished (or was
	// undone): a plugin may send events as soon as it has the trigger,
	// before the service is active, and those wait for it.
	ready chan struct{}
}

// New returns an empty registry; call Restore to load stored services.
func New(o Options) *Registry {
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	if o.LookupEnv == nil {
		o.LookupEnv = func(string) (string, bool) { return "", false }
	}
	if o.HTTPClient == nil {
		o.HTTPClient = netguard.New(netguard.Options{}).Client(time.Minute)
	}
	if o.Observer == nil {
		o.Observer = noObserver{}
	}
	r := &Registry{o: o, log: o.Logger, laneIdle: laneIdle, services: map[string]*entry{}, triggers: map[string]triggerBinding{}, busy: map[string]bool{}, timerKick: make(chan struct{}, 1)}
	r.execute = func(ctx context.Context, req engine.Request) ([]engine.Response, error) {
		return o.Engine.Execute(ctx, req)
	}
	r.sign = func(k *signer.Key, env sdk.Envelope) ([]byte, error) { return k.SignEnvelope(env) }
	r.ackTrigger = func(ctx context.Context, p *plugins.Trigger, triggerID, cursor string) error {
		return p.Ack(ctx, triggerID, cursor)
	}
	return r
}

// ErrExists says a service with that id is already registered.
var ErrExists = errors.New("service already registered")

// ErrBusy says another registration or removal of the same service id is
// under way; the API answers it like ErrExists (409).
var ErrBusy = errors.New("service is being registered or removed by another call")

// claim marks id busy, or fails with ErrBusy; release undoes it.
func (r *Registry) claim(id string) (release func(), err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.busy[id] {
		return nil, fmt.Errorf("%w: service %s; try again when it has finished", ErrBusy, id)
	}
	r.busy[id] = true
	return func() {
		r.mu.Lock()
		delete(r.busy, id)
		r.mu.Unlock()
	}, nil
}

// Restore loads the stored services and subscribes their triggers and
// topics again, each trigger from the last cursor the node acknowledged.
// A service that cannot be restored is kept in the store with its error
// and skipped.
func (r *Registry) Restore(ctx context.Context) error {
	recs, err := r.o.Store.ListServices(ctx)
	if err != nil {
		return fmt.Errorf("restore services: %w", err)
	}
	for _, rec := range recs {
		svc, err := service.Decode(rec.Service)
		if err == nil {
			err = r.activate(ctx, rec.ID, svc, rec.SigningIndex)
		}
		if err == nil && markedFailed(rec) {
			r.mu.RLock()
			if e := r.services[rec.ID]; e != nil {
				e.health.failed = true
			}
			r.mu.RUnlock()
			r.log.Warn("service restored as failed: its triggers are skipped", "service", rec.ID, "error", rec.LastError)
			continue
		}
		if err != nil {
			r.log.Error("cannot restore service", "service", rec.ID, "error", err)
			rec.Status, rec.LastError = StatusFailed, err.Error()
			if perr := r.o.Store.PutService(ctx, rec); perr != nil {
				r.log.Error("record service failure", "service", rec.ID, "error", perr)
			}
			continue
		}
		r.log.Info("service restored", "service", rec.ID, "name", svc.Name, "workflows", len(svc.Workflows))
	}
	return nil
}

// Add registers a service from its JSON. Its components must be known to
// the engine (added before, or downloadable from their URL). When its
// manager is on a chain the node is configured for, the manager's
// getServiceURI() must lead to the same service (unless DevMode): the
// JSON's manager decides the service id and with it the signing key, so
// JSON naming a manager it does not come from must not get that key.
// Registrations and removals of one service id happen one at a time; a
// concurrent one fails with ErrBusy, a later one with ErrExists.
func (r *Registry) Add(ctx context.Context, raw []byte) (Info, error) {
	return r.add(ctx, raw, false)
}

// add registers a service; fromManager says raw was just read from its
// manager's service URI, so it is not fetched again to be compared.
func (r *Registry) add(ctx context.Context, raw []byte, fromManager bool) (Info, error) {
	svc, err := service.Decode(raw)
	if err != nil {
		return Info{}, fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
	}
	id := svc.ID()
	release, err := r.claim(id)
	if err != nil {
		return Info{}, err
	}
	defer release()
	r.mu.RLock()
	_, exists := r.services[id]
	r.mu.RUnlock()
	if exists {
		return Info{}, fmt.Errorf("%w: %s (%s); remove it first", ErrExists, id, svc.Name)
	}
	if _, ok, err := r.o.Store.GetService(ctx, id); err != nil {
		return Info{}, err
	} else if ok {
		return Info{}, fmt.Errorf("%w: %s (%s) is stored but failed to restore; remove it first", ErrExists, id, svc.Name)
	}
	if r.o.Signer == nil {
		return Info{}, fmt.Errorf("%w: the node has no signing key: set %s or %s", sdk.ErrUnavailable, signer.EnvPrivateKey, signer.EnvMnemonic)
	}
	if err := r.checkServable(id, svc); err != nil {
		return Info{}, err
	}
	if !fromManager {
		if err := r.checkManager(ctx, svc); err != nil {
			return Info{}, err
		}
	}
	r.compMu.Lock()
	if err := r.fetchComponents(ctx, svc); err != nil {
		r.compMu.Unlock()
		return Info{}, err
	}
	if err := r.o.Store.PutService(ctx, store.ServiceRecord{ID: id, Service: raw, Status: string(svc.Status), RegisteredAt: time.Now()}); err != nil {
		r.compMu.Unlock()
		return Info{}, fmt.Errorf("store service %s: %w", id, err)
	}
	r.compMu.Unlock()
	rec, _, err := r.o.Store.GetService(ctx, id)
	if err != nil {
		return Info{}, err
	}
	if err := r.activate(ctx, id, svc, rec.SigningIndex); err != nil {
		if _, derr := r.o.Store.DeleteService(ctx, id); derr != nil {
			r.log.Error("undo registration", "service", id, "error", derr)
		}
		return Info{}, err
	}
	r.log.Info("service registered", "service", id, "name", svc.Name, "workflows", len(svc.Workflows))
	return r.Get(ctx, id)
}

// checkServable is what a registration and an update check before they
// fetch components: plugins for the triggers and chains, the signature
// kind, time limits, env grants.
func (r *Registry) checkServable(id string, svc *service.Service) error {
	if err := r.checkRoutes(svc); err != nil {
		return err
	}
	if err := checkSignatureKinds(svc); err != nil {
		return err
	}
	if err := r.checkTimeLimits(svc); err != nil {
		return err
	}
	return r.checkEnvGrants(id, svc)
}

// checkManager makes sure that a service whose manager is on a
// configured chain is the one that manager describes: its getServiceURI()
// leads to a service JSON equal to svc (compared decoded, so formatting
// does not matter). It uses the same reading and fetching as AddByManager.
func (r *Registry) checkManager(ctx context.Context, svc *service.Service) error {
	m := svc.Manager
	if r.o.DevMode || m.Chain() == "" {
		return nil
	}
	if _, configured := r.o.Chains[m.Chain()]; !configured && m.Family() == "evm" {
		return nil
	}
	manager := m.Address()
	where := fmt.Sprintf("service manager %s on %s", manager, m.Chain())
	field := "manager." + m.Family()
	p, err := plugins.SubmitterFor(r.o.Submitters, m.Chain())
	if err != nil {
		return fmt.Errorf("%s: cannot check the service against its %s: %w", field, where, err)
	}
	if m.Family() != "evm" {
		// Other families' chains are configured in their plugin's own
		// table: a chain the plugin does not know is not reachable, as an
		// evm chain missing from [default.chains] is not.
		if _, err := p.LatestBlock(ctx, m.Chain()); errors.Is(err, sdk.ErrNotFound) {
			return nil
		}
	}
	uri, err := p.ServiceURI(ctx, m.Chain(), manager)
	if err != nil {
		return fmt.Errorf("%s: %s: %s: service URI: %w", field, where, p.Supervisor().Name(), err)
	}
	if uri == "" {
		return fmt.Errorf("%w: %s: %s has no service URI set, so it does not describe this service; set its service URI to this JSON, or turn on [wavs] dev_mode on a development node", sdk.ErrInvalidArgument, field, where)
	}
	shown := redact.URL(uri)
	raw, meta, err := r.fetchServiceJSON(ctx, uri)
	if err != nil {
		return fmt.Errorf("%w: %s: %s: service URI %s: %v", sdk.ErrInvalidArgument, field, where, shown, err)
	}
	onChain, err := service.Decode(raw)
	if err != nil {
		return fmt.Errorf("%w: %s: %s: the document at %s (%s) is not a service: %s", sdk.ErrInvalidArgument, field, where, shown, meta, fieldsOnly(err))
	}
	want, err1 := json.Marshal(onChain)
	got, err2 := json.Marshal(svc)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("compare the service with its manager's: %w", err)
	}
	if !bytes.Equal(want, got) {
		return fmt.Errorf("%w: %s: the service differs from the one its %s describes (getServiceURI %q); register it by its manager (POST /services {\"chain\", \"address\"}), or turn on [wavs] dev_mode on a development node", sdk.ErrInvalidArgument, field, where, uri)
	}
	return nil
}

// checkRoutes makes sure the node can serve the service: a trigger plugin
// for every workflow's trigger (a manual trigger needs none), a submitter
// for every aggregator shortcut's chain, component sources it can fetch,
// and a manager on a chain family it has plugins for.
func (r *Registry) checkRoutes(svc *service.Service) error {
	if f := svc.Manager.Family(); f != "evm" {
		if _, err := plugins.SubmitterFor(r.o.Submitters, svc.Manager.Chain()); err != nil {
			return fmt.Errorf("manager.%s.chain: %w", f, err)
		}
	}
	for _, wid := range sortedKeys(svc.Workflows) {
		wf := svc.Workflows[wid]
		if !wf.Trigger.Manual {
			if _, err := r.triggerPlugin(wid, wf); err != nil {
				return fmt.Errorf("workflows.%s.trigger: %w", wid, err)
			}
		}
		if wf.Component.Source.Registry != nil {
			return fmt.Errorf("%w: workflows.%s.component.source.registry: %s", sdk.ErrInvalidArgument, wid, noRegistries)
		}
		if a := wf.Submit.AggregatorComponent; a != nil && a.Component.Source.Registry != nil {
			return fmt.Errorf("%w: workflows.%s.submit.aggregator.component.source.registry: %s", sdk.ErrInvalidArgument, wid, noRegistries)
		}
		if agg := wf.Submit.Aggregator; agg != nil {
			if _, err := plugins.SubmitterNamed(r.o.Submitters, agg.Chain, wf.Plugins.Submit); err != nil {
				return fmt.Errorf("workflows.%s.submit.aggregator.chain: %w", wid, err)
			}
		}
	}
	return nil
}

// noRegistries is why a registry component source is refused.
const noRegistries = `component registries are not configured on this node; use {"digest"} after uploading, or {"download": {"uri", "digest"}}`

// route finds the trigger plugin that serves a trigger kind: the one
// called name when name is set, otherwise the first in name order that
// serves the kind.
func (r *Registry) route(kind, name string) (*plugins.Trigger, error) {
	capability := "trigger:" + kind
	var names, serving []string
	for _, t := range r.o.Triggers {
		serves := t.Supervisor().Info().HasCapability(capability)
		if name != "" && t.Supervisor().Name() == name {
			if !serves {
				return nil, fmt.Errorf("%w: %s: trigger plugin %s does not serve this kind (it lists no capability %q)", sdk.ErrInvalidArgument, kind, name, capability)
			}
			return t, nil
		}
		if serves && name == "" {
			return t, nil
		}
		if serves {
			serving = append(serving, t.Supervisor().Name())
		}
		names = append(names, t.Supervisor().Name())
	}
	if name != "" {
		return nil, fmt.Errorf("%w: %s: no trigger plugin called %q is loaded (plugins serving this kind: %s)", sdk.ErrInvalidArgument, kind, name, listOrNone(serving))
	}
	loaded := "none are loaded"
	if len(names) > 0 {
		loaded = "loaded: " + strings.Join(names, ", ")
	}
	return nil, fmt.Errorf("%w: %s: no loaded trigger plugin provides this kind (capability %q); %s", sdk.ErrInvalidArgument, kind, capability, loaded)
}

// triggerPlugin picks the plugin for a workflow's trigger (route), and for
// a kind a plugin declares checks the workflow's config against the
// fields that plugin declares.
func (r *Registry) triggerPlugin(wid string, wf service.Workflow) (*plugins.Trigger, error) {
	plugin, err := r.route(wf.Trigger.Kind(), wf.Plugins.Trigger)
	if err != nil {
		return nil, err
	}
	if pt := wf.Trigger.Plugin; pt != nil {
		kind, ok := plugin.Supervisor().Info().TriggerKind(pt.Kind)
		if !ok {
			return nil, fmt.Errorf("%w: %s: trigger plugin %s lists the capability but declares no config fields for this kind (Info.TriggerKinds)", sdk.ErrInvalidArgument, pt.Kind, plugin.Supervisor().Name())
		}
		if err := kind.Check("workflows."+wid+".trigger."+pt.Kind, pt.Config); err != nil {
			return nil, fmt.Errorf("%w (checked by %s)", err, plugin.Supervisor().Name())
		}
	}
	return plugin, nil
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// activate binds a stored service: its key, its triggers and its topic.
func (r *Registry) activate(ctx context.Context, id string, svc *service.Service, index uint32) error {
	key, err := r.o.Signer.ForService(index)
	if err != nil {
		return fmt.Errorf("service %s: signing key: %w", id, err)
	}
	for wid := range svc.Workflows {
		if !r.o.Engine.HasComponent(svc.Workflows[wid].Component.Source.WasmDigest().String()) {
			return fmt.Errorf("%w: workflows.%s.component: component %s is not stored on this node", sdk.ErrInvalidArgument, wid, svc.Workflows[wid].Component.Source.WasmDigest())
		}
	}
	e := &entry{id: id, svc: svc, key: key}
	ready := make(chan struct{})
	defer close(ready)
	var added []string
	undo := func() {
		for _, tid := range added {
			b := r.binding(tid)
			if err := b.plugin.RemoveTrigger(ctx, tid); err != nil {
				r.log.Warn("undo trigger", "trigger", tid, "error", err)
			}
			r.mu.Lock()
			delete(r.triggers, tid)
			r.mu.Unlock()
		}
	}
	for _, wid := range sortedKeys(svc.Workflows) {
		wf := svc.Workflows[wid]
		if wf.Trigger.Manual {
			continue // fired by hand only: no plugin to bind
		}
		plugin, err := r.triggerPlugin(wid, wf)
		if err != nil {
			undo()
			return fmt.Errorf("workflows.%s.trigger: %w", wid, err)
		}
		tid := service.TriggerID(id, wid)
		spec, err := triggerSpec(tid, wf.Trigger)
		if err != nil {
			undo()
			return fmt.Errorf("workflows.%s.trigger: %w", wid, err)
		}
		if cursor, ok, err := r.o.Store.Cursor(ctx, tid); err != nil {
			undo()
			return err
		} else if ok {
			spec.Cursor = cursor
		}
		r.mu.Lock()
		r.triggers[tid] = triggerBinding{serviceID: id, workflowID: wid, plugin: plugin, ready: ready}
		r.mu.Unlock()
		if err := plugin.AddTrigger(ctx, spec); err != nil {
			r.mu.Lock()
			delete(r.triggers, tid)
			r.mu.Unlock()
			undo()
			return fmt.Errorf("workflows.%s.trigger: %s: %w", wid, plugin.Supervisor().Name(), err)
		}
		added = append(added, tid)
	}
	if r.o.Transport != nil {
		if err := r.o.Transport.Subscribe(ctx, svc.Topic()); err != nil {
			undo()
			return fmt.Errorf("subscribe %s: %w", svc.Topic(), err)
		}
	}
	r.mu.Lock()
	r.services[id] = e
	r.mu.Unlock()
	r.watchManager(ctx, id, svc) // its manager's ServiceURIUpdated (uriwatch.go)
	return nil
}

func (r *Registry) binding(tid string) triggerBinding {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.triggers[tid]
}

// Remove unregisters a service: its triggers, its topic, its stored state
// and its folder (its signing index stays reserved, and its results are
// kept).
func (r *Registry) Remove(ctx context.Context, id string) error {
	release, err := r.claim(id)
	if err != nil {
		return err
	}
	defer release()
	r.mu.Lock()
	e, ok := r.services[id]
	delete(r.services, id)
	var tids []string
	for tid, b := range r.triggers {
		if b.serviceID == id {
			tids = append(tids, tid)
		}
	}
	r.mu.Unlock()
	if ok {
		for _, tid := range tids {
			b := r.binding(tid)
			if err := b.plugin.RemoveTrigger(ctx, tid); err != nil && !errors.Is(err, sdk.ErrNotFound) {
				r.log.Warn("remove trigger", "trigger", tid, "error", err)
			}
			r.mu.Lock()
			delete(r.triggers, tid)
			r.mu.Unlock()
		}
		if r.o.Transport != nil {
			if err := r.o.Transport.Unsubscribe(ctx, e.svc.Topic()); err != nil && !errors.Is(err, sdk.ErrNotFound) {
				r.log.Warn("unsubscribe", "topic", e.svc.Topic(), "error", err)
			}
		}
	}
	deleted, err := r.o.Store.DeleteService(ctx, id)
	if err != nil {
		return err
	}
	if !ok && !deleted {
		return fmt.Errorf("%w: service %q", sdk.ErrNotFound, id)
	}
	if r.o.Engine != nil {
		// Its folder (file_system permission) goes with it.
		if err := r.o.Engine.RemoveServiceFiles(id); err != nil {
			r.log.Warn("remove service folder", "service", id, "error", err)
		}
	}
	r.log.Info("service removed", "service", id)
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Target is where a workflow's results are judged and land, as the
// aggregator needs it: the chain whose service manager weighs the
// operators, the handler (zero when an aggregator component picks it per
// event), the manager when known without the handler, and the service's
// signing key.
type Target struct {
	Chain string
	// Handler and Manager are in the chain family's text form.
	Handler string
	Manager string
	// Plugin is the submit plugin the workflow names, or "".
	Plugin string
	Key    *signer.Key
}

// SubmitTarget tells where a registered service's workflow lands its
// results; false when the service is not registered, the workflow does not
// exist or it does not submit on chain.
func (r *Registry) SubmitTarget(serviceID, workflowID string) (Target, bool) {
	r.mu.RLock()
	e := r.services[serviceID]
	r.mu.RUnlock()
	if e == nil {
		return Target{}, false
	}
	wf, found := e.svc.Workflows[workflowID]
	switch {
	case !found:
		return Target{}, false
	case wf.Submit.Aggregator != nil:
		return Target{Chain: wf.Submit.Aggregator.Chain, Handler: wf.Submit.Aggregator.Handler(), Plugin: wf.Plugins.Submit, Key: e.key}, true
	case wf.Submit.AggregatorComponent != nil && e.svc.Manager.Chain() != "":
		m := e.svc.Manager
		return Target{Chain: m.Chain(), Manager: m.Address(), Plugin: wf.Plugins.Submit, Key: e.key}, true
	}
	return Target{}, false
}
