package submit

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/internal/version"
	"github.com/wavs-go/wavs/plugins/internal/evmchain"
	"github.com/wavs-go/wavs/sdk"
)

// Name is the plugin's name; its executable is wavs-plugin-submit-evm.
const Name = "submit-evm"

// Capability is what the host looks for to route chain keys "evm:<id>".
const Capability = "chain:" + Family

// EnvCredential names the environment variable holding the hex private
// key that pays for transactions.
const EnvCredential = "WAVS_EVM_CREDENTIAL"

// healthTimeout bounds the check of one chain in Health.
const healthTimeout = 5 * time.Second

// Plugin is the EVM submit plugin. It is safe for concurrent use.
type Plugin struct {
	log      hclog.Logger
	abi      *wavsABI
	profiles profileCache // service managers' extra views
	landings landingCache // handler calls seen in blocks

	managersMu sync.Mutex
	managers   map[string]knownManager // chain/handler → its manager, for Validate

	mu       sync.RWMutex
	chains   map[string]*chain
	settings settings
	key      *ecdsa.PrivateKey // nil without EnvCredential
	from     common.Address
}

var _ sdk.Submitter = (*Plugin)(nil)

// New returns an unconfigured plugin that logs to log.
func New(log hclog.Logger) *Plugin {
	a, err := newWAVSABI()
	if err != nil {
		panic(err) // wavsABIJSON is a constant; a test parses it
	}
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Plugin{log: log, abi: a, chains: map[string]*chain{}}
}

// Info implements sdk.Plugin.
func (p *Plugin) Info() sdk.Info {
	return sdk.Info{
		Name:            Name,
		Version:         version.Version,
		Kind:            sdk.KindSubmit,
		ProtocolVersion: sdk.ProtocolVersion,
		Capabilities:    []string{Capability},
		Description:     "EVM chains: reads WAVS service managers and sends handleSignedEnvelope",
	}
}

// Configure implements sdk.Plugin: it reads the chains and the plugin's
// own table (see the package documentation) and the paying key. It dials
// nothing; an unreachable endpoint shows up in Health and in calls.
func (p *Plugin) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var own ownConfig
	evmChains, err := evmchain.FromRequest(req, &own)
	if err != nil {
		return fmt.Errorf("submit-evm config: %w", err)
	}
	s, err := parseSettings(own)
	if err != nil {
		return err
	}
	cfgs := chainConfigs(evmChains)
	key, err := credentialFromEnv()
	if err != nil {
		return err
	}

	chains := make(map[string]*chain, len(cfgs))
	for k, cfg := range cfgs {
		chains[k] = newChain(cfg, p.log)
	}
	p.mu.Lock()
	old := p.chains
	p.chains, p.settings, p.key = chains, s, key
	p.from = common.Address{}
	if key != nil {
		p.from = crypto.PubkeyToAddress(key.PublicKey)
	}
	p.mu.Unlock()
	for _, c := range old {
		c.close()
	}

	keys := make([]string, 0, len(chains))
	for k := range chains {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if key == nil {
		p.log.Warn("no paying key: Submit will fail until it is set; reads work", "env", EnvCredential)
	}
	p.log.Info("configured", "chains", strings.Join(keys, ","), "payer", p.from.Hex(),
		"gas_margin_percent", s.gasMarginPercent, "confirmations", s.confirmations, "max_attempts", s.maxAttempts)
	return nil
}

// credentialFromEnv reads the paying key. Its value never appears in an
// error or a log line.
func credentialFromEnv() (*ecdsa.PrivateKey, error) {
	raw, ok := os.LookupEnv(EnvCredential)
	raw = strings.TrimSpace(raw)
	if !ok || raw == "" {
		return nil, nil
	}
	raw = strings.TrimPrefix(strings.TrimPrefix(raw, "0x"), "0X")
	key, err := crypto.HexToECDSA(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: submit-evm: %s is not a hex secp256k1 private key (64 hex digits)", sdk.ErrInvalidArgument, EnvCredential)
	}
	return key, nil
}

// chain returns the configured chain with the key "evm:<id>".
func (p *Plugin) chain(key string) (*chain, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	c, ok := p.chains[key]
	if !ok {
		return nil, fmt.Errorf("%w: submit-evm: chain %q is not configured (want one of %s)", sdk.ErrNotFound, key, p.chainList())
	}
	return c, nil
}

// chainList names the configured chains; the caller holds p.mu.
func (p *Plugin) chainList() string {
	if len(p.chains) == 0 {
		return "none: add [default.chains.evm.<chain_id>]"
	}
	keys := make([]string, 0, len(p.chains))
	for k := range p.chains {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// Health implements sdk.Plugin: it asks every configured chain for its
// head now and is healthy when all answer.
func (p *Plugin) Health(ctx context.Context) sdk.Health {
	p.mu.RLock()
	chains := make([]*chain, 0, len(p.chains))
	for _, c := range p.chains {
		chains = append(chains, c)
	}
	p.mu.RUnlock()
	if len(chains) == 0 {
		return sdk.Health{Healthy: true, Message: "no EVM chains configured"}
	}
	sort.Slice(chains, func(i, j int) bool { return chains[i].cfg.key < chains[j].cfg.key })

	results := make([]string, len(chains))
	failed := make([]bool, len(chains))
	var wg sync.WaitGroup
	for i, c := range chains {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, healthTimeout)
			defer cancel()
			h, err := c.latest(cctx)
			if err != nil {
				results[i], failed[i] = err.Error(), true
				return
			}
			results[i] = fmt.Sprintf("%s at block %d", c.cfg.key, uint64(h.Number))
		})
	}
	wg.Wait()
	var bad, good []string
	for i, r := range results {
		if failed[i] {
			bad = append(bad, r)
		} else {
			good = append(good, r)
		}
	}
	if len(bad) > 0 {
		return sdk.Health{Healthy: false, Message: fmt.Sprintf("%d of %d chains unreachable: %s", len(bad), len(chains), strings.Join(bad, "; "))}
	}
	return sdk.Health{Healthy: true, Message: strings.Join(good, "; ")}
}

// Shutdown implements sdk.Plugin: it closes every connection.
func (p *Plugin) Shutdown(context.Context) error {
	p.mu.Lock()
	chains := p.chains
	p.chains = map[string]*chain{}
	p.mu.Unlock()
	for _, c := range chains {
		c.close()
	}
	return nil
}
