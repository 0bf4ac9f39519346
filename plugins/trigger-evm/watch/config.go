package watch

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// Family is the chain family this plugin serves: chain keys are
// "evm:<chain_id>".
const Family = "evm"

// Defaults of the plugin's own settings.
const (
	DefaultConfirmations          = 0
	DefaultBackfillBlocksPerQuery = 2000
	DefaultMaxPending             = 10000
	DefaultReconnectMaxSeconds    = 30
)

// pollInterval is how often an http-only chain is asked for its head.
const pollInterval = time.Second

// ownConfig is [plugins.trigger-evm.config]. Pointers tell "absent" from an
// explicit zero.
type ownConfig struct {
	Confirmations          *uint64 `json:"confirmations"`
	BackfillBlocksPerQuery *uint64 `json:"backfill_blocks_per_query"`
	MaxPending             *int    `json:"max_pending"`
	ReconnectMaxSeconds    *int    `json:"reconnect_max_seconds"`
}

// settings are the validated own settings.
type settings struct {
	confirmations uint64
	blocksPerLogs uint64
	maxPending    int
	reconnectMax  time.Duration
}

func defaultSettings() settings {
	return settings{
		confirmations: DefaultConfirmations,
		blocksPerLogs: DefaultBackfillBlocksPerQuery,
		maxPending:    DefaultMaxPending,
		reconnectMax:  DefaultReconnectMaxSeconds * time.Second,
	}
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: trigger-evm config: "+format, append([]any{sdk.ErrInvalidArgument}, args...)...)
}

// parseSettings validates the plugin's own table.
func parseSettings(c ownConfig) (settings, error) {
	s := defaultSettings()
	if v := c.Confirmations; v != nil {
		if *v > 1000 {
			return s, invalidf("confirmations = %d, want 0 to 1000", *v)
		}
		s.confirmations = *v
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
	if v := c.ReconnectMaxSeconds; v != nil {
		if *v < 1 || *v > 3600 {
			return s, invalidf("reconnect_max_seconds = %d, want 1 to 3600", *v)
		}
		s.reconnectMax = time.Duration(*v) * time.Second
	}
	return s, nil
}

// chainEndpoints is one [default.chains.evm.<id>] block. Only the keys this
// plugin uses are read; the host validates the block.
type chainEndpoints struct {
	WSEndpoints  []string `json:"ws_endpoints"`
	HTTPEndpoint string   `json:"http_endpoint"`
}

// chainConfig is one configured chain.
type chainConfig struct {
	key  string // "evm:31337"
	id   *big.Int
	ws   []string
	http string
}

// parseChains reads the "evm" family of the chains section. Other families
// belong to other plugins and are ignored.
func parseChains(families map[string]json.RawMessage) (map[string]*chainConfig, error) {
	out := map[string]*chainConfig{}
	raw, ok := families[Family]
	if !ok || string(raw) == "null" {
		return out, nil
	}
	var byID map[string]json.RawMessage
	if err := json.Unmarshal(raw, &byID); err != nil {
		return nil, invalidf("chains.evm is not an object of chain ids: %v", err)
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		n, ok := new(big.Int).SetString(id, 10)
		if !ok || n.Sign() <= 0 || n.String() != id {
			return nil, invalidf("chains.evm.%s: the key is not a decimal chain id", id)
		}
		var ep chainEndpoints
		if err := json.Unmarshal(byID[id], &ep); err != nil {
			return nil, invalidf("chains.evm.%s: %v", id, err)
		}
		if ep.HTTPEndpoint == "" && len(ep.WSEndpoints) == 0 {
			return nil, invalidf("chains.evm.%s: no endpoint (want ws_endpoints or http_endpoint)", id)
		}
		for i, u := range ep.WSEndpoints {
			if err := checkURL(u, "ws", "wss"); err != nil {
				return nil, invalidf("chains.evm.%s.ws_endpoints[%d]: %v", id, i, err)
			}
		}
		if ep.HTTPEndpoint != "" {
			if err := checkURL(ep.HTTPEndpoint, "http", "https"); err != nil {
				return nil, invalidf("chains.evm.%s.http_endpoint: %v", id, err)
			}
		}
		key := Family + ":" + id
		out[key] = &chainConfig{key: key, id: n, ws: ep.WSEndpoints, http: ep.HTTPEndpoint}
	}
	return out, nil
}

// checkURL checks that s is an absolute URL with one of schemes.
func checkURL(s string, schemes ...string) error {
	u, err := url.Parse(s)
	if err == nil && u.Host != "" {
		for _, sc := range schemes {
			if u.Scheme == sc {
				return nil
			}
		}
	}
	return fmt.Errorf("%q is not a %s:// URL", redactURL(s), schemes[0])
}

// redactURL drops the userinfo and query of an endpoint URL, which may hold
// an API key, for logs and errors.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "<unparsable URL>"
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	return u.String()
}
