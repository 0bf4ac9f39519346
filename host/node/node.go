// Package node assembles the wavs host: configuration, plugins, signer
// and HTTP API, started and stopped in order.
package node

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/aggregator"
	"github.com/wavs-go/wavs/host/api"
	"github.com/wavs-go/wavs/host/config"
	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/metrics"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/registry"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/netguard"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/internal/version"
	"github.com/wavs-go/wavs/sdk"
)

// shutdownTimeout bounds the API's graceful stop.
const shutdownTimeout = 5 * time.Second

// Options configure a Node.
type Options struct {
	Config     *config.Config
	PluginsDir string
	Logger     hclog.Logger
	// LookupEnv reads secrets (default os.LookupEnv).
	LookupEnv func(string) (string, bool)
	// Environ is the environment plugins inherit, less host-only secrets
	// (default os.Environ()).
	Environ []string
	// OnListen, if set, is told the API's address once it listens.
	OnListen func(addr net.Addr)
}

// Node is a running wavs host.
type Node struct {
	opts   Options
	cfg    *config.Config
	log    hclog.Logger
	signer *signer.Signer

	mu         sync.Mutex
	plugins    *pluginSet
	registry   *registry.Registry
	aggregator *aggregator.Aggregator
	metrics    *metrics.Metrics
}

// New checks the options and reads the operator's key.
func New(o Options) (*Node, error) {
	if o.Config == nil {
		return nil, errors.New("node: no configuration")
	}
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	if o.LookupEnv == nil {
		o.LookupEnv = os.LookupEnv
	}
	if o.Environ == nil {
		o.Environ = os.Environ()
	}
	s, err := signer.FromEnv(o.LookupEnv)
	if err != nil {
		return nil, err
	}
	return &Node{opts: o, cfg: o.Config, log: o.Logger, signer: s}, nil
}

// Run starts the node and blocks until ctx is done (or the API fails).
// The parts start in order (store, engine, plugins, aggregator, registry,
// admission, pruning, API) and stop in reverse, each waited for before
// the next (lifecycles); every plugin gets its Shutdown call before its
// process is ended.
func (n *Node) Run(ctx context.Context) error {
	if err := os.MkdirAll(n.cfg.Wavs.Data, 0o700); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	addr := net.JoinHostPort(n.cfg.Wavs.Host, strconv.Itoa(n.cfg.Wavs.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("http api: listen on %s: %w (set [wavs] port, WAVS_PORT or --port)", addr, err)
	}
	defer ln.Close()
	token, err := n.apiToken()
	if err != nil {
		return err
	}

	parts := &lifecycles{log: n.log}
	defer parts.stop()
	db, err := n.openStore()
	if err != nil {
		return err
	}
	parts.add("store", func() {
		if err := db.Close(); err != nil {
			n.log.Warn("closing the store", "error", err)
		}
	})
	guard, err := n.outboundGuard()
	if err != nil {
		return err
	}
	eng, err := n.newEngine(ctx, db, guard)
	if err != nil {
		return err
	}
	parts.add("engine", func() { eng.Close(context.Background()) })
	set, err := selectPlugins(ctx, n.cfg, n.opts.PluginsDir, n.log, n.opts.Environ)
	if err != nil {
		return err
	}
	pctx, stopPlugins := context.WithCancel(context.WithoutCancel(ctx))
	parts.add("plugins", func() {
		stopPlugins()
		set.wait()
	})
	if err := set.start(pctx); err != nil {
		return err
	}

	// The aggregator routes through the registry, which needs the
	// aggregator to exist first: until the registry is set, no route.
	var regp atomic.Pointer[registry.Registry]
	agg := aggregator.New(n.aggregatorOptions(db, set, &regp))
	met := metrics.New(metrics.Sources{
		Aggregator: agg.Stats,
		Plugins:    n.Plugins,
		Transport:  set.transport.Status,
		Store:      db.Stats,
	})
	reg := registry.New(n.registryOptions(met, db, eng, set, agg, guard))
	regp.Store(reg)
	if n.cfg.Wavs.DevMode {
		n.log.Warn("dev mode: service JSON posted directly is not checked against its manager on chain ([wavs] dev_mode); never on a production node")
	}
	if n.cfg.Wavs.DevEndpoints {
		n.log.Warn("dev endpoints: the API serves /dev/components, /dev/services and /dev/triggers ([wavs] dev_endpoints); never on a production node")
	}
	if err := reg.Restore(ctx); err != nil {
		return err
	}
	n.mu.Lock()
	n.plugins = set
	n.registry = reg
	n.aggregator = agg
	n.metrics = met
	n.mu.Unlock()

	parts.run(ctx, "aggregator", agg.Run)
	parts.run(ctx, "registry", reg.Run)
	if n.cfg.TransportPlugin() != config.TransportNone {
		parts.run(ctx, "admission", func(ctx context.Context) {
			agg.RunAdmission(ctx, n.admissionOptions(set.transport, reg))
		})
	}
	parts.run(ctx, "pruning", func(ctx context.Context) { n.pruneResults(ctx, db) })

	srv := &http.Server{
		Handler:           api.New(n, n.apiOptions(token, ln.Addr())),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          n.log.Named("http").StandardLogger(&hclog.StandardLoggerOptions{InferLevels: true}),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	parts.add("api", func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			n.log.Warn("http api shutdown", "error", err)
		}
	})
	fields := []any{"api", "http://" + ln.Addr().String(), "transport", set.transport.Supervisor().Name(), "plugins", len(set.all), "data", n.cfg.Wavs.Data}
	if n.signer != nil {
		fields = append(fields, "operator", n.signer.AddressHex())
	}
	n.log.Info("node running", fields...)
	if n.opts.OnListen != nil {
		n.opts.OnListen(ln.Addr())
	}

	select {
	case <-ctx.Done():
		n.log.Info("node stopping")
		return nil
	case err := <-served:
		return fmt.Errorf("http api: %w", err)
	}
}

// openStore opens the node's database in its data folder.
func (n *Node) openStore() (*store.Store, error) {
	q := n.cfg.Wavs.Quotas
	return store.Open(filepath.Join(n.cfg.Wavs.Data, "wavs.db"), store.WithQuotas(store.Quotas{
		ResultsPerService: q.ResultsPerService,
		ResultsMaxAge:     time.Duration(q.ResultsMaxAgeDays) * 24 * time.Hour,
		KVBytesPerService: int64(q.KVMiBPerService) << 20,
		KVQuotaHint:       "[wavs.quotas] kv_mib_per_service",
	}))
}

// aggregatorOptions are the aggregator's options from [wavs.aggregator]
// (defaulted by the config: zero settle_ms is no settling); routes and
// landings go through the registry once regp holds it.
func (n *Node) aggregatorOptions(db *store.Store, set *pluginSet, regp *atomic.Pointer[registry.Registry]) aggregator.Options {
	ao := n.cfg.Wavs.Aggregator
	o := aggregator.Options{
		Store:          db,
		Submitters:     set.submitters,
		Logger:         n.log.Named("aggregator"),
		SettleDelay:    time.Duration(ao.SettleMs) * time.Millisecond,
		FallbackDelay:  time.Duration(ao.FallbackMs) * time.Millisecond,
		ClaimWait:      time.Duration(ao.ClaimWaitMs) * time.Millisecond,
		RebroadcastMin: time.Duration(ao.RebroadcastMs) * time.Millisecond,
		Routes: func(serviceID, workflowID string) (aggregator.Route, bool) {
			reg := regp.Load()
			if reg == nil {
				return aggregator.Route{}, false
			}
			t, ok := reg.SubmitTarget(serviceID, workflowID)
			return aggregator.Route{Chain: t.Chain, Handler: t.Handler, Manager: t.Manager, Plugin: t.Plugin, Key: t.Key}, ok
		},
		Landed: func(ctx context.Context, sub store.Submission, res store.ResultRecord) {
			if reg := regp.Load(); reg != nil {
				reg.SubmitCallback(ctx, sub, res)
			}
		},
	}
	if n.cfg.TransportPlugin() != config.TransportNone {
		o.Network = set.transport
	}
	return o
}

// registryOptions are the registry's options: the parts it drives and the
// [wavs.engine] limits.
func (n *Node) registryOptions(met *metrics.Metrics, db *store.Store, eng *engine.Engine, set *pluginSet, agg *aggregator.Aggregator, guard *netguard.Guard) registry.Options {
	return registry.Options{
		Observer:               met,
		Store:                  db,
		Engine:                 eng,
		Signer:                 n.signer,
		Triggers:               set.triggers,
		Transport:              set.transport,
		Submitters:             set.submitters,
		Aggregator:             agg,
		Chains:                 n.chains(),
		LookupEnv:              n.opts.LookupEnv,
		EnvGrants:              n.envGrants(),
		HTTPClient:             guard.Client(time.Minute),
		Logger:                 n.log.Named("services"),
		MaxTimeLimit:           time.Duration(n.cfg.Wavs.Engine.MaxTimeLimitSeconds) * time.Second,
		MaxConsecutiveFailures: n.cfg.Wavs.Engine.MaxConsecutiveFailures,
		DevMode:                n.cfg.Wavs.DevMode,
		DevEndpoints:           n.cfg.Wavs.DevEndpoints,
	}
}

// newEngine starts the WASM engine with the configured limits; compiled
// modules and components live in the data folder.
func (n *Node) newEngine(ctx context.Context, db *store.Store, guard *netguard.Guard) (*engine.Engine, error) {
	lim := n.cfg.Wavs.Engine
	return engine.New(ctx, engine.Options{
		CacheDir:                filepath.Join(n.cfg.Wavs.Data, "cache", "compiled"),
		ComponentsDir:           filepath.Join(n.cfg.Wavs.Data, "components"),
		ServicesDir:             filepath.Join(n.cfg.Wavs.Data, "services"),
		ServiceFSBytes:          int64(n.cfg.Wavs.Quotas.FSMiBPerService) << 20,
		ServiceFSFiles:          int64(n.cfg.Wavs.Quotas.FSFilesPerService),
		MaxConcurrent:           lim.MaxConcurrent,
		DefaultTimeLimit:        time.Duration(lim.TimeLimitSeconds) * time.Second,
		MaxMemoryPages:          uint32(lim.MemoryLimitMiB) * 16, // 64 KiB pages
		MaxOutputBytes:          lim.MaxOutputKiB << 10,
		MaxConcurrentPerService: lim.MaxConcurrentPerService,
		MaxTimeLimit:            time.Duration(lim.MaxTimeLimitSeconds) * time.Second,
		MaxTableElements:        uint32(lim.MaxTableElements),
		MaxCompiledBytes:        int64(lim.CompiledCacheMiB) << 20,
		KV:                      db,
		Outbound:                guard,
		Logger:                  n.log.Named("engine"),
	})
}

// chains is the configured chains as components see them: chain ids and
// endpoints without credentials (see redactedChain).
func (n *Node) chains() map[string]engine.Chain {
	out := map[string]engine.Chain{}
	for id, c := range n.cfg.Default.Chains.EVM {
		out["evm:"+id] = redactedChain(id, c)
	}
	return out
}

// Services implements api.Backend.
func (n *Node) Services() api.Services {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.registry == nil {
		return nil
	}
	return n.registry
}

func (n *Node) set() *pluginSet {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.plugins
}

// Version implements api.Backend.
func (n *Node) Version() string { return version.Version }

// OperatorAddress implements api.Backend.
func (n *Node) OperatorAddress() string {
	if n.signer == nil {
		return ""
	}
	return n.signer.AddressHex()
}

// Plugins implements api.Backend.
func (n *Node) Plugins() []plugins.Status {
	set := n.set()
	if set == nil {
		return nil
	}
	out := make([]plugins.Status, 0, len(set.all))
	for _, s := range set.all {
		out = append(out, s.Status())
	}
	return out
}

// TransportStatus implements api.Backend.
func (n *Node) TransportStatus(ctx context.Context) (sdk.TransportStatus, error) {
	set := n.set()
	if set == nil {
		return sdk.TransportStatus{}, fmt.Errorf("node is starting: %w", sdk.ErrUnavailable)
	}
	return set.transport.Status(ctx)
}

// AggregatorStatus implements api.Backend.
func (n *Node) AggregatorStatus(ctx context.Context) (aggregator.Status, error) {
	n.mu.Lock()
	agg := n.aggregator
	n.mu.Unlock()
	if agg == nil {
		return aggregator.Status{}, fmt.Errorf("node is starting: %w", sdk.ErrUnavailable)
	}
	return agg.Status(ctx)
}

// DropPending implements api.Backend.
func (n *Node) DropPending(ctx context.Context, eventID string) error {
	n.mu.Lock()
	agg := n.aggregator
	n.mu.Unlock()
	if agg == nil {
		return fmt.Errorf("node is starting: %w", sdk.ErrUnavailable)
	}
	return agg.Drop(ctx, eventID)
}

// MetricsHandler implements api.Backend.
func (n *Node) MetricsHandler() http.Handler {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.metrics == nil {
		return nil
	}
	return n.metrics.Handler()
}

// RestartPlugin implements api.Backend.
func (n *Node) RestartPlugin(name string) error {
	set := n.set()
	if set == nil {
		return fmt.Errorf("node is starting: %w", sdk.ErrUnavailable)
	}
	sup := set.find(name)
	if sup == nil {
		return fmt.Errorf("%w: no plugin %q is loaded", sdk.ErrNotFound, name)
	}
	sup.Restart()
	return nil
}

// pruneEvery is how often results past their age are pruned.
const pruneEvery = time.Hour

// pruneResults applies the result quotas now and every pruneEvery, so
// that results age out of services that produce no new ones.
func (n *Node) pruneResults(ctx context.Context, db *store.Store) {
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		if k, err := db.PruneResults(ctx); err != nil && ctx.Err() == nil {
			n.log.Warn("prune results", "error", err)
		} else if k > 0 {
			n.log.Info("pruned results past the quotas", "results", k)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
