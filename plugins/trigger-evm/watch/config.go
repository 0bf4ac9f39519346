package watch

import (
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/wavs-go/wavs/plugins/internal/evmchain"
	"github.com/wavs-go/wavs/sdk"
)

// Family is the chain family this plugin serves: chain keys are
// "evm:<chain_id>".
const Family = "evm"

// Defaults of the plugin's own settings.
const (
	// DefaultConfirmations: a log or block is acted on once two blocks are
	// on top of it, which keeps the one- and two-block reorgs that happen
	// in normal operation from ever reaching a component.
	DefaultConfirmations          = 2
	DefaultBackfillBlocksPerQuery = 2000
	DefaultMaxPending             = 10000
	DefaultReconnectMaxSeconds    = 30
	DefaultCatchupBlocks          = 64
)

// pollInterval is how often an http-only chain is asked for its head.
const pollInterval = time.Second

// ownConfig is [plugins.trigger-evm.config]. Pointers tell "absent" from an
// explicit zero.
type ownConfig struct {
	Confirmations          json.RawMessage `json:"confirmations"`
	BackfillBlocksPerQuery *uint64         `json:"backfill_blocks_per_query"`
	MaxPending             *int            `json:"max_pending"`
	ReconnectMaxSeconds    *int            `json:"reconnect_max_seconds"`
	CatchupBlocks          *uint64         `json:"catchup_blocks"`
}

// settings are the validated own settings.
type settings struct {
	confirmations uint64
	// tag, when set ("safe" or "finalized"), is the block tag the chain
	// names as confirmed, instead of head - confirmations.
	tag           string
	blocksPerLogs uint64
	maxPending    int
	reconnectMax  time.Duration
	// catchup is how many blocks before the head a trigger added without a
	// cursor starts at.
	catchup uint64
}

func defaultSettings() settings {
	return settings{
		confirmations: DefaultConfirmations,
		blocksPerLogs: DefaultBackfillBlocksPerQuery,
		maxPending:    DefaultMaxPending,
		reconnectMax:  DefaultReconnectMaxSeconds * time.Second,
		catchup:       DefaultCatchupBlocks,
	}
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: trigger-evm config: "+format, append([]any{sdk.ErrInvalidArgument}, args...)...)
}

// parseSettings validates the plugin's own table.
func parseSettings(c ownConfig) (settings, error) {
	s := defaultSettings()
	if len(c.Confirmations) > 0 {
		var n uint64
		var tag string
		switch {
		case json.Unmarshal(c.Confirmations, &n) == nil:
			if n > 1000 {
				return s, invalidf("confirmations = %d, want 0 to 1000, \"safe\" or \"finalized\"", n)
			}
			s.confirmations = n
		case json.Unmarshal(c.Confirmations, &tag) == nil && (tag == "safe" || tag == "finalized"):
			s.tag = tag
		default:
			return s, invalidf("confirmations = %s, want 0 to 1000, \"safe\" or \"finalized\"", string(c.Confirmations))
		}
	}
	if v := c.BackfillBlocksPerQuery; v != nil {
		if *v < 1 || *v > 1_000_000 {
			return s, invalidf("backfill_blocks_per_query = %d, want 1 to 1000000", *v)
		}
		s.blocksPerLogs = *v
	}
	if v := c.MaxPending; v != nil {
		if *v < 1 || *v > 10_000_000 {
			return s, invalidf("max_pending = %d, want 1 to 10000000", *v)
		}
		s.maxPending = *v
	}
	if v := c.CatchupBlocks; v != nil {
		if *v > 100_000 {
			return s, invalidf("catchup_blocks = %d, want 0 to 100000", *v)
		}
		s.catchup = *v
	}
	if v := c.ReconnectMaxSeconds; v != nil {
		if *v < 1 || *v > 3600 {
			return s, invalidf("reconnect_max_seconds = %d, want 1 to 3600", *v)
		}
		s.reconnectMax = time.Duration(*v) * time.Second
	}
	return s, nil
}

// chainConfig is one configured chain.
type chainConfig struct {
	key  string // "evm:31337"
	id   *big.Int
	ws   []string
	http string
}

// parseChains reads the "evm" family of the chains section (see package
// evmchain); other families belong to other plugins.
func chainConfigs(chains []evmchain.Chain) map[string]*chainConfig {
	out := make(map[string]*chainConfig, len(chains))
	for _, c := range chains {
		out[c.Key] = &chainConfig{key: c.Key, id: c.ID, ws: c.WSEndpoints, http: c.HTTPEndpoint}
	}
	return out
}

// redactURL drops secrets from an endpoint URL for logs and errors.
func redactURL(s string) string { return evmchain.RedactURL(s) }
