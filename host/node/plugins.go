package node

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/config"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/internal/version"
	"github.com/wavs-go/wavs/sdk"
)

// pluginSet is the node's loaded plugins.
type pluginSet struct {
	transport  *plugins.Transport
	triggers   []*plugins.Trigger
	submitters []*plugins.Submitter
	all        []*plugins.Supervisor
}

// selectPlugins discovers the plugins in dir and picks the ones this
// configuration runs: the one transport it names, every trigger plugin and
// every submit plugin. It returns supervisors that are not started yet.
func selectPlugins(ctx context.Context, cfg *config.Config, dir string, log hclog.Logger, environ []string) (*pluginSet, error) {
	pins := map[string]string{}
	for name, pc := range cfg.Plugins {
		pins[name] = pc.SHA256
	}
	// Plugins run from private copies in the data folder, each hashed and
	// checked against its pin before it runs at all.
	found, problems, err := plugins.DiscoverWith(ctx, dir, plugins.DiscoverOptions{
		ExecDir:    filepath.Join(cfg.Wavs.Data, "plugin-exec"),
		Pins:       pins,
		OnlyPinned: cfg.Wavs.OnlyPinned,
	})
	if err != nil {
		return nil, err
	}
	// A plugin refused by its pin stops the node: skipping it could leave
	// the node running without the pinned code the operator asked for.
	var refused []error
	for _, p := range problems {
		var pe *plugins.PinError
		if errors.As(p, &pe) {
			refused = append(refused, p)
		}
	}
	if len(refused) > 0 {
		return nil, errors.Join(refused...)
	}
	abs, _ := filepath.Abs(dir)
	wantTransport := cfg.TransportPlugin()
	byName := map[string]plugins.Found{}
	for _, f := range found {
		byName[f.Name] = f
	}
	for _, p := range problems {
		log.Warn("skipping plugin", "error", p)
	}
	for _, o := range plugins.Overlaps(found) {
		log.Warn("plugins overlap: "+o.String(), "capability", o.Capability, "plugins", o.Plugins, "chosen", o.Chosen)
	}
	for name := range cfg.Plugins {
		if _, ok := byName[name]; !ok {
			log.Warn("wavs.toml configures a plugin that is not in the plugins folder", "plugin", name, "folder", abs)
		}
	}

	t, ok := byName[wantTransport]
	if !ok {
		why := "single-operator mode (no [wavs.p2p] block) needs it"
		if cfg.Wavs.Transport != "" {
			why = "[wavs] transport names it"
		} else if cfg.Wavs.P2P != nil {
			why = "[wavs.p2p] needs it; build it, or remove [wavs.p2p] to run as a single operator"
		}
		for _, p := range problems {
			why += "; " + p.Error()
		}
		return nil, fmt.Errorf("%w: transport plugin %q is not in %s (looked for %s%s): %s",
			plugins.ErrNotFound, wantTransport, abs, plugins.FilePrefix, wantTransport, why)
	}
	if t.Info.Kind != sdk.KindTransport {
		return nil, fmt.Errorf("plugin %q is a %s plugin, not a transport", wantTransport, t.Info.Kind)
	}

	set := &pluginSet{}
	newSup := func(f plugins.Found) (*plugins.Supervisor, error) {
		pin := cfg.Plugins[f.Name].SHA256
		if err := plugins.CheckPin(f, pin); err != nil {
			return nil, err
		}
		cfgJSON, err := cfg.PluginConfigJSON(f.Name)
		if err != nil {
			return nil, fmt.Errorf("plugin %s: %w", f.Name, err)
		}
		var pinBytes []byte
		if pin != "" {
			pinBytes, _ = hex.DecodeString(pin)
		}
		sup := plugins.NewSupervisor(f, plugins.Options{
			Logger:      log.Named(f.Name),
			DataDir:     filepath.Join(cfg.Wavs.Data, "plugins", f.Name),
			ConfigJSON:  cfgJSON,
			HostVersion: version.Version,
			Pin:         pinBytes,
			Env:         plugins.PluginEnvFor(f.Info.Kind, environ),
		})
		set.all = append(set.all, sup)
		return sup, nil
	}

	sup, err := newSup(t)
	if err != nil {
		return nil, err
	}
	set.transport = plugins.NewTransport(sup)
	for _, f := range found {
		switch f.Info.Kind {
		case sdk.KindTrigger:
			sup, err := newSup(f)
			if err != nil {
				return nil, err
			}
			set.triggers = append(set.triggers, plugins.NewTrigger(sup))
		case sdk.KindSubmit:
			sup, err := newSup(f)
			if err != nil {
				return nil, err
			}
			set.submitters = append(set.submitters, plugins.NewSubmitter(sup))
		case sdk.KindTransport:
			if f.Name != wantTransport {
				log.Debug("transport plugin not selected", "plugin", f.Name, "selected", wantTransport)
			}
		}
	}
	return set, nil
}

// start launches every plugin in parallel and returns the first error.
func (s *pluginSet) start(ctx context.Context) error {
	errs := make(chan error, len(s.all))
	for _, sup := range s.all {
		go func() { errs <- sup.Start(ctx) }()
	}
	var all []error
	for range s.all {
		if err := <-errs; err != nil {
			all = append(all, err)
		}
	}
	return errors.Join(all...)
}

// wait blocks until every started supervisor has stopped its plugin.
func (s *pluginSet) wait() {
	for _, sup := range s.all {
		if done := sup.Done(); done != nil {
			<-done
		}
	}
}

func (s *pluginSet) find(name string) *plugins.Supervisor {
	for _, sup := range s.all {
		if sup.Name() == name {
			return sup
		}
	}
	return nil
}
