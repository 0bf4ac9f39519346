package watch

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/internal/version"
	"github.com/wavs-go/wavs/plugins/internal/evmchain"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/cron"
)

// Name is the plugin's name; its executable is wavs-plugin-trigger-evm.
const Name = "trigger-evm"

// firstAttemptWait bounds how long Configure waits for the first
// connection attempt of each chain, so that Health right after Configure
// tells up from down. A chain that is still connecting then is reported
// as down until it is up.
const firstAttemptWait = 3 * time.Second

// startHeadTimeout bounds AddTrigger's read of the head a trigger without
// a cursor starts at.
const startHeadTimeout = 2 * time.Second

// Watcher is the plugin.
type Watcher struct {
	log  hclog.Logger
	dial dialFunc

	// ctx lives until Shutdown; every goroutine ends with it.
	ctx    context.Context
	cancel context.CancelFunc

	mu         sync.Mutex
	configured bool
	set        settings
	queue      *sdk.EventQueue
	chains     map[string]*chain
	triggers   map[string]*running
	chainsDone sync.WaitGroup
}

// running is a trigger's goroutine.
type running struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// stop ends the goroutine and waits for it until ctx ends.
func (r *running) stop(ctx context.Context) error {
	r.cancel()
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("trigger-evm: stop trigger: %w", ctx.Err())
	}
}

var _ sdk.Trigger = (*Watcher)(nil)

// New returns an unconfigured Watcher.
func New(log hclog.Logger) *Watcher {
	ctx, cancel := context.WithCancel(context.Background())
	return &Watcher{
		log:      log,
		dial:     evmchain.Dial,
		ctx:      ctx,
		cancel:   cancel,
		set:      defaultSettings(),
		queue:    sdk.NewEventQueue(DefaultMaxPending),
		chains:   map[string]*chain{},
		triggers: map[string]*running{},
	}
}

// Info implements sdk.Plugin.
func (w *Watcher) Info() sdk.Info {
	return sdk.Info{
		Name:            Name,
		Version:         version.Version,
		Kind:            sdk.KindTrigger,
		ProtocolVersion: sdk.ProtocolVersion,
		Capabilities:    []string{"trigger:evm_contract_event", "trigger:block_interval", "trigger:cron", "chain:evm"},
		Description:     "EVM contract events, block intervals and cron schedules",
	}
}

// Configure implements sdk.Plugin. It starts connecting to every chain in
// the background and waits (briefly) for the first attempts; an
// unreachable chain does not fail it, Health reports it.
func (w *Watcher) Configure(ctx context.Context, req sdk.ConfigureRequest) error {
	var own ownConfig
	evmChains, err := evmchain.FromRequest(req, &own)
	if err != nil {
		return fmt.Errorf("trigger-evm config: %w", err)
	}
	set, err := parseSettings(own)
	if err != nil {
		return err
	}
	cfgs := chainConfigs(evmChains)

	w.mu.Lock()
	if w.configured {
		w.mu.Unlock()
		return fmt.Errorf("%w: trigger-evm: Configure called twice", sdk.ErrInvalidArgument)
	}
	w.configured = true
	w.set = set
	w.queue = sdk.NewEventQueue(set.maxPending)
	for key, cfg := range cfgs {
		c := newChain(cfg, set, w.log, w.dial)
		w.chains[key] = c
		w.chainsDone.Add(1)
		go func() {
			defer w.chainsDone.Done()
			c.run(w.ctx)
		}()
	}
	chains := w.chainList()
	w.mu.Unlock()

	wait, cancel := context.WithTimeout(ctx, firstAttemptWait)
	defer cancel()
	for _, c := range chains {
		select {
		case <-c.attempted:
		case <-wait.Done():
		}
	}
	w.log.Info("configured", "chains", len(chains), "confirmations", set.confirmations, "max_pending", set.maxPending)
	return nil
}

// chainList returns the chains sorted by key; w.mu must be held.
func (w *Watcher) chainList() []*chain {
	out := make([]*chain, 0, len(w.chains))
	for _, c := range w.chains {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].cfg.key < out[j].cfg.key })
	return out
}

// Health implements sdk.Plugin: unhealthy while a configured chain is
// down (unreachable, or reporting another chain id), naming it.
func (w *Watcher) Health(context.Context) sdk.Health {
	w.mu.Lock()
	configured := w.configured
	chains := w.chainList()
	n, queue := len(w.triggers), w.queue
	w.mu.Unlock()
	if !configured {
		return sdk.Health{Healthy: false, Message: "not configured"}
	}
	healthy := true
	var parts []string
	for _, c := range chains {
		up, msg := c.health()
		healthy = healthy && up
		parts = append(parts, msg)
	}
	parts = append(parts, fmt.Sprintf("%d triggers, %d events pending", n, queue.Len()))
	return sdk.Health{Healthy: healthy, Message: strings.Join(parts, "; ")}
}

// Shutdown implements sdk.Plugin: it stops every trigger and connection.
func (w *Watcher) Shutdown(ctx context.Context) error {
	w.cancel()
	w.mu.Lock()
	triggers := w.triggers
	w.triggers = map[string]*running{}
	w.mu.Unlock()
	for _, r := range triggers {
		if err := r.stop(ctx); err != nil {
			return err
		}
	}
	done := make(chan struct{})
	go func() {
		w.chainsDone.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("trigger-evm: shutdown: %w", ctx.Err())
	}
}

// AddTrigger implements sdk.Trigger. Adding an id again replaces the
// trigger and drops its pending events: the new spec's cursor says where
// to resume.
func (w *Watcher) AddTrigger(ctx context.Context, spec sdk.TriggerSpec) error {
	run, err := w.prepare(ctx, spec)
	if err != nil {
		return fmt.Errorf("trigger-evm: trigger %q: %w", spec.ID, err)
	}
	w.mu.Lock()
	old := w.triggers[spec.ID]
	delete(w.triggers, spec.ID)
	queue := w.queue
	w.mu.Unlock()
	if old != nil {
		if err := old.stop(ctx); err != nil {
			return err
		}
		queue.Remove(spec.ID)
	}
	tctx, cancel := context.WithCancel(w.ctx)
	r := &running{cancel: cancel, done: make(chan struct{})}
	w.mu.Lock()
	if prev := w.triggers[spec.ID]; prev != nil {
		prev.cancel() // a concurrent AddTrigger of the same id: last one wins
	}
	w.triggers[spec.ID] = r
	w.mu.Unlock()
	go func() {
		defer close(r.done)
		run(tctx)
	}()
	w.log.Info("trigger added", "trigger", spec.ID, "kind", sdk.SourceKind(spec.Source), "cursor", spec.Cursor)
	return nil
}

// prepare validates spec and returns the function that runs it.
func (w *Watcher) prepare(ctx context.Context, spec sdk.TriggerSpec) (func(context.Context), error) {
	if spec.ID == "" {
		return nil, fmt.Errorf("%w: id is empty", sdk.ErrInvalidArgument)
	}
	w.mu.Lock()
	set, queue := w.set, w.queue
	w.mu.Unlock()
	log := w.log.With("trigger", spec.ID)
	switch src := spec.Source.(type) {
	case *sdk.EvmContractEvent:
		c, err := w.chainFor(src.Chain)
		if err != nil {
			return nil, err
		}
		if src.Address == (sdk.Address{}) {
			return nil, fmt.Errorf("%w: evm_contract_event: address is the zero address", sdk.ErrInvalidArgument)
		}
		if src.EventHash == (sdk.Hash{}) {
			return nil, fmt.Errorf("%w: evm_contract_event: event_hash is zero", sdk.ErrInvalidArgument)
		}
		l := &logWatch{id: spec.ID, src: src, chain: c, queue: queue, set: set, log: log.With("chain", src.Chain)}
		if spec.Cursor != "" {
			pos, err := parseLogCursor(spec.Cursor)
			if err != nil {
				return nil, err
			}
			l.last, l.known = pos, true
		} else if h, ok := w.startHead(ctx, c); ok {
			l.last, l.known = endOf(catchupFrom(h, set.catchup)), true
		}
		return l.run, nil
	case *sdk.BlockInterval:
		c, err := w.chainFor(src.Chain)
		if err != nil {
			return nil, err
		}
		if src.NBlocks == 0 {
			return nil, fmt.Errorf("%w: block_interval: n_blocks is 0, want at least 1", sdk.ErrInvalidArgument)
		}
		if src.EndBlock != 0 && src.EndBlock < src.StartBlock {
			return nil, fmt.Errorf("%w: block_interval: end_block %d is before start_block %d", sdk.ErrInvalidArgument, src.EndBlock, src.StartBlock)
		}
		// Without a start_block the schedule is anchored at block 0, so
		// that every operator fires on the same blocks whenever it
		// registered.
		b := &blockWatch{id: spec.ID, src: src, chain: c, queue: queue, set: set, log: log.With("chain", src.Chain), start: src.StartBlock}
		if spec.Cursor != "" {
			n, err := parseNumberCursor(spec.Cursor)
			if err != nil {
				return nil, err
			}
			b.last, b.known = n, true
		} else if h, ok := w.startHead(ctx, c); ok {
			b.last, b.known = catchupFrom(h, set.catchup), true
		}
		return b.run, nil
	case *sdk.Cron:
		sch, err := cron.Parse(src.Schedule)
		if err != nil {
			return nil, fmt.Errorf("%w: cron: schedule: %v", sdk.ErrInvalidArgument, err)
		}
		if !src.StartTime.IsZero() && !src.EndTime.IsZero() && src.EndTime.Before(src.StartTime) {
			return nil, fmt.Errorf("%w: cron: end_time %v is before start_time %v", sdk.ErrInvalidArgument, src.EndTime, src.StartTime)
		}
		cw := &cronWatch{id: spec.ID, src: src, schedule: sch, queue: queue, log: log}
		if spec.Cursor != "" {
			t, err := parseTimeCursor(spec.Cursor)
			if err != nil {
				return nil, err
			}
			cw.after = t
		}
		return cw.run, nil
	case nil:
		return nil, fmt.Errorf("%w: source is empty", sdk.ErrInvalidArgument)
	default:
		return nil, fmt.Errorf("%w: source %T is not served by this plugin", sdk.ErrInvalidArgument, spec.Source)
	}
}

// chainFor returns the configured chain with key.
func (w *Watcher) chainFor(key string) (*chain, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.chains[key]; ok {
		return c, nil
	}
	keys := make([]string, 0, len(w.chains))
	for k := range w.chains {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return nil, fmt.Errorf("%w: chain %q is not configured (configured: [%s])", sdk.ErrInvalidArgument, key, strings.Join(keys, ", "))
}

// catchupFrom is where a trigger without a cursor starts, given the head:
// catchup blocks before it, so that a node that registers late still
// fires (and signs) what its peers fired just before.
func catchupFrom(head, catchup uint64) uint64 {
	return head - min(head, catchup)
}

// startHead is the head a trigger without a cursor starts at: the chain's
// answer if it is up, else the last head seen. ok is false if neither is
// known; the trigger then starts at the head of its first connection.
func (w *Watcher) startHead(ctx context.Context, c *chain) (uint64, bool) {
	s, head, known, _ := c.state()
	if s != nil {
		ctx, cancel := context.WithTimeout(ctx, startHeadTimeout)
		defer cancel()
		if h, err := s.eth.BlockNumber(ctx); err == nil {
			return h, true
		}
	}
	return head, known
}

// RemoveTrigger implements sdk.Trigger: it stops the trigger and drops its
// pending events.
func (w *Watcher) RemoveTrigger(ctx context.Context, id string) error {
	w.mu.Lock()
	r, ok := w.triggers[id]
	delete(w.triggers, id)
	queue := w.queue
	w.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: trigger-evm: trigger %q", sdk.ErrNotFound, id)
	}
	err := r.stop(ctx)
	queue.Remove(id)
	w.log.Info("trigger removed", "trigger", id)
	return err
}

// Events implements sdk.Trigger.
func (w *Watcher) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	return w.q().Stream(ctx), nil
}

// Ack implements sdk.Trigger.
func (w *Watcher) Ack(_ context.Context, id, cursor string) error {
	w.q().Ack(id, cursor)
	return nil
}

func (w *Watcher) q() *sdk.EventQueue {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.queue
}
