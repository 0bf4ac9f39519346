package submit

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/sdk"
)

// Family is the chain family this plugin serves: chain keys are
// "evm:<chain_id>".
const Family = "evm"

// Defaults of the plugin's own settings.
const (
	DefaultGasMarginPercent      = 25
	DefaultConfirmations         = 0
	DefaultReceiptTimeoutSeconds = 120
	DefaultReceiptPollMS         = 500
	DefaultMaxAttempts           = 5
)

// DefaultAlreadyHandledError is the revert that means "the handler already
// holds this event" unless already_handled_errors says otherwise.
const DefaultAlreadyHandledError = "EventAlreadyHandled(bytes20)"

// ownConfig is [plugins.submit-evm.config]. Pointers tell "absent" from an
// explicit zero.
type ownConfig struct {
	GasMarginPercent      *int     `json:"gas_margin_percent"`
	Confirmations         *uint64  `json:"confirmations"`
	ReceiptTimeoutSeconds *int     `json:"receipt_timeout_seconds"`
	ReceiptPollMS         *int     `json:"receipt_poll_ms"`
	MaxAttempts           *int     `json:"max_attempts"`
	AlreadyHandledErrors  []string `json:"already_handled_errors"`
}

// settings are the validated own settings.
type settings struct {
	gasMarginPercent int
	confirmations    uint64
	receiptTimeout   time.Duration
	receiptPoll      time.Duration
	maxAttempts      int
	// alreadyHandled maps a revert selector to how the config named it.
	alreadyHandled map[[4]byte]string
}

// chainEndpoints is one [default.chains.evm.<id>] block. Only the keys this
// plugin uses are read; the host validates the block.
type chainEndpoints struct {
	WSEndpoints  []string `json:"ws_endpoints"`
	HTTPEndpoint string   `json:"http_endpoint"`
}

// chainConfig is one configured chain.
type chainConfig struct {
	key      string // "evm:31337"
	id       *big.Int
	endpoint string
}

var selectorRE = regexp.MustCompile(`^0x[0-9a-fA-F]{8}$`)
var signatureRE = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*\([A-Za-z0-9_,\[\]() ]*\)$`)

func intIn(name string, v *int, def, lo, hi int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < lo || *v > hi {
		return 0, fmt.Errorf("%w: submit-evm config: %s = %d, want %d to %d", sdk.ErrInvalidArgument, name, *v, lo, hi)
	}
	return *v, nil
}

// parseSettings validates the plugin's own table.
func parseSettings(c ownConfig) (settings, error) {
	var s settings
	var err error
	if s.gasMarginPercent, err = intIn("gas_margin_percent", c.GasMarginPercent, DefaultGasMarginPercent, 0, 1000); err != nil {
		return s, err
	}
	s.confirmations = DefaultConfirmations
	if c.Confirmations != nil {
		if *c.Confirmations > 1000 {
			return s, fmt.Errorf("%w: submit-evm config: confirmations = %d, want 0 to 1000", sdk.ErrInvalidArgument, *c.Confirmations)
		}
		s.confirmations = *c.Confirmations
	}
	secs, err := intIn("receipt_timeout_seconds", c.ReceiptTimeoutSeconds, DefaultReceiptTimeoutSeconds, 1, 86400)
	if err != nil {
		return s, err
	}
	s.receiptTimeout = time.Duration(secs) * time.Second
	ms, err := intIn("receipt_poll_ms", c.ReceiptPollMS, DefaultReceiptPollMS, 10, 60000)
	if err != nil {
		return s, err
	}
	s.receiptPoll = time.Duration(ms) * time.Millisecond
	if s.maxAttempts, err = intIn("max_attempts", c.MaxAttempts, DefaultMaxAttempts, 1, 100); err != nil {
		return s, err
	}
	names := c.AlreadyHandledErrors
	if names == nil {
		names = []string{DefaultAlreadyHandledError}
	}
	s.alreadyHandled = make(map[[4]byte]string, len(names))
	for i, n := range names {
		sel, err := parseErrorSelector(n)
		if err != nil {
			return s, fmt.Errorf("%w: submit-evm config: already_handled_errors[%d] = %q: %v", sdk.ErrInvalidArgument, i, n, err)
		}
		s.alreadyHandled[sel] = n
	}
	return s, nil
}

// parseErrorSelector turns "Name(type,...)" or "0x12345678" into a selector.
func parseErrorSelector(s string) ([4]byte, error) {
	var sel [4]byte
	switch {
	case selectorRE.MatchString(s):
		b, _ := hex.DecodeString(s[2:])
		copy(sel[:], b)
	case signatureRE.MatchString(s):
		copy(sel[:], crypto.Keccak256([]byte(strings.ReplaceAll(s, " ", "")))[:4])
	default:
		return sel, fmt.Errorf(`want a Solidity error signature such as "EventAlreadyHandled(bytes20)" or a selector "0x1234abcd"`)
	}
	return sel, nil
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
		return nil, fmt.Errorf("%w: submit-evm config: chains.evm is not an object of chain ids: %v", sdk.ErrInvalidArgument, err)
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		n, ok := new(big.Int).SetString(id, 10)
		if !ok || n.Sign() <= 0 || n.String() != id {
			return nil, fmt.Errorf("%w: submit-evm config: chains.evm.%s: the key is not a decimal chain id", sdk.ErrInvalidArgument, id)
		}
		var ep chainEndpoints
		if err := json.Unmarshal(byID[id], &ep); err != nil {
			return nil, fmt.Errorf("%w: submit-evm config: chains.evm.%s: %v", sdk.ErrInvalidArgument, id, err)
		}
		endpoint := ep.HTTPEndpoint
		if endpoint == "" && len(ep.WSEndpoints) > 0 {
			endpoint = ep.WSEndpoints[0]
		}
		if endpoint == "" {
			return nil, fmt.Errorf("%w: submit-evm config: chains.evm.%s: no endpoint (want http_endpoint or ws_endpoints)", sdk.ErrInvalidArgument, id)
		}
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
			return nil, fmt.Errorf("%w: submit-evm config: chains.evm.%s: endpoint %q is not an http(s):// or ws(s):// URL", sdk.ErrInvalidArgument, id, redactURL(endpoint))
		}
		key := Family + ":" + id
		out[key] = &chainConfig{key: key, id: n, endpoint: endpoint}
	}
	return out, nil
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
