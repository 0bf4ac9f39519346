package plugins

import (
	"context"
	"fmt"
	"strings"

	"github.com/wavs-go/wavs/sdk"
)

// Submitter is a submit plugin as the node uses it: each call goes to the
// live process, or fails with sdk.ErrUnavailable while it restarts.
type Submitter struct {
	sup *Supervisor
}

var _ sdk.Submitter = (*Submitter)(nil)

// NewSubmitter wraps the supervisor of a submit plugin.
func NewSubmitter(sup *Supervisor) *Submitter { return &Submitter{sup: sup} }

// Supervisor returns the plugin's supervisor.
func (s *Submitter) Supervisor() *Supervisor { return s.sup }

func (s *Submitter) current() (sdk.Submitter, error) {
	p, err := s.sup.Current()
	if err != nil {
		return nil, err
	}
	return p.(sdk.Submitter), nil
}

// Info implements sdk.Plugin.
func (s *Submitter) Info() sdk.Info { return s.sup.Info() }

// Configure implements sdk.Plugin; the supervisor configures each process.
func (s *Submitter) Configure(context.Context, sdk.ConfigureRequest) error { return nil }

// Health implements sdk.Plugin.
func (s *Submitter) Health(ctx context.Context) sdk.Health {
	p, err := s.current()
	if err != nil {
		return sdk.Health{Message: err.Error()}
	}
	return p.Health(ctx)
}

// Shutdown implements sdk.Plugin; the supervisor stops each process.
func (s *Submitter) Shutdown(context.Context) error { return nil }

// LatestBlock implements sdk.Submitter.
func (s *Submitter) LatestBlock(ctx context.Context, chain string) (sdk.BlockRef, error) {
	p, err := s.current()
	if err != nil {
		return sdk.BlockRef{}, err
	}
	out, err := p.LatestBlock(ctx, chain)
	return out, s.named(err)
}

// ServiceManager implements sdk.Submitter.
func (s *Submitter) ServiceManager(ctx context.Context, chain, handler string) (string, error) {
	p, err := s.current()
	if err != nil {
		return "", err
	}
	out, err := p.ServiceManager(ctx, chain, handler)
	return out, s.named(err)
}

// ServiceURI implements sdk.Submitter.
func (s *Submitter) ServiceURI(ctx context.Context, chain, manager string) (string, error) {
	p, err := s.current()
	if err != nil {
		return "", err
	}
	out, err := p.ServiceURI(ctx, chain, manager)
	return out, s.named(err)
}

// Quorum implements sdk.Submitter.
func (s *Submitter) Quorum(ctx context.Context, q sdk.QuorumQuery) (sdk.Quorum, error) {
	p, err := s.current()
	if err != nil {
		return sdk.Quorum{}, err
	}
	out, err := p.Quorum(ctx, q)
	return out, s.named(err)
}

// Validate implements sdk.Submitter.
func (s *Submitter) Validate(ctx context.Context, sub sdk.Submission) (sdk.Validation, error) {
	p, err := s.current()
	if err != nil {
		return sdk.Validation{}, err
	}
	out, err := p.Validate(ctx, sub)
	return out, s.named(err)
}

// Submit implements sdk.Submitter.
func (s *Submitter) Submit(ctx context.Context, sub sdk.Submission) (sdk.Receipt, error) {
	p, err := s.current()
	if err != nil {
		return sdk.Receipt{}, err
	}
	out, err := p.Submit(ctx, sub)
	return out, s.named(err)
}

// FindLanding implements sdk.Submitter.
func (s *Submitter) FindLanding(ctx context.Context, q sdk.LandingQuery) (sdk.Landing, error) {
	p, err := s.current()
	if err != nil {
		return sdk.Landing{}, err
	}
	out, err := p.FindLanding(ctx, q)
	return out, s.named(err)
}

// BlockAt implements sdk.Submitter.
func (s *Submitter) BlockAt(ctx context.Context, chain string, number uint64) (sdk.BlockRef, error) {
	p, err := s.current()
	if err != nil {
		return sdk.BlockRef{}, err
	}
	out, err := p.BlockAt(ctx, chain, number)
	return out, s.named(err)
}

// OperatorSet implements sdk.OperatorSetReader: ErrUnimplemented when the
// plugin cannot list operators.
func (s *Submitter) OperatorSet(ctx context.Context, chain, manager string, block uint64) (sdk.OperatorSet, error) {
	p, err := s.current()
	if err != nil {
		return sdk.OperatorSet{}, err
	}
	r, ok := p.(sdk.OperatorSetReader)
	if !ok {
		return sdk.OperatorSet{}, fmt.Errorf("%w: %s does not list operator sets", sdk.ErrUnimplemented, s.sup.Name())
	}
	out, err := r.OperatorSet(ctx, chain, manager, block)
	return out, s.named(err)
}

// named makes an error from the plugin name the plugin, unless its message
// does already: an operator reading a result's error learns which plugin
// said it.
func (s *Submitter) named(err error) error {
	if err == nil {
		return nil
	}
	name := s.sup.Name()
	if strings.HasPrefix(err.Error(), name+":") || strings.HasPrefix(err.Error(), name+" ") {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// SubmitterFor picks the submit plugin serving a chain key such as
// "evm:31337": the first (in name order) that lists the capability
// "chain:<family>".
func SubmitterFor(list []*Submitter, chain string) (*Submitter, error) {
	return SubmitterNamed(list, chain, "")
}

// SubmitterNamed picks the submit plugin called name for a chain key, and
// checks that it serves the chain's family; with name "" it is
// SubmitterFor.
func SubmitterNamed(list []*Submitter, chain, name string) (*Submitter, error) {
	family, _, ok := strings.Cut(chain, ":")
	if !ok || family == "" {
		return nil, fmt.Errorf("%w: chain %q: want <family>:<id>, e.g. evm:31337", sdk.ErrInvalidArgument, chain)
	}
	capability := "chain:" + family
	var serving []string
	for _, s := range list {
		serves := s.sup.Info().HasCapability(capability)
		if name != "" && s.sup.Name() == name {
			if !serves {
				return nil, fmt.Errorf("%w: submit plugin %s does not serve chain %s (it lists no capability %q)", sdk.ErrInvalidArgument, name, chain, capability)
			}
			return s, nil
		}
		if serves {
			if name == "" {
				return s, nil
			}
			serving = append(serving, s.sup.Name())
		}
	}
	if name != "" {
		return nil, fmt.Errorf("%w: no submit plugin called %q is loaded (plugins serving chain %s: %s)", sdk.ErrInvalidArgument, name, chain, listOrNone(serving))
	}
	return nil, fmt.Errorf("%w: no submit plugin serves chain %s (capability %q); add one to the plugins folder, e.g. wavs-plugin-submit-%s", sdk.ErrInvalidArgument, chain, capability, family)
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
