package submit

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/plugins/internal/evmchain"
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
	DefaultReplaceAfterSeconds   = 30
)

// DefaultMaxGasPriceMultiple is how many times the chain's current gas
// price a submission may ask to pay unless max_gas_price_multiple says
// otherwise.
const DefaultMaxGasPriceMultiple = 10

// DefaultAlreadyHandledError is the revert that means "the handler already
// holds this event" unless already_handled_errors says otherwise. It counts
// only when its first argument is the event id submitted.
const DefaultAlreadyHandledError = "EventAlreadyHandled(bytes20)"

// ownConfig is [plugins.submit-evm.config]. Pointers tell "absent" from an
// explicit zero.
type ownConfig struct {
	GasMarginPercent      *int     `json:"gas_margin_percent"`
	Confirmations         *uint64  `json:"confirmations"`
	ReceiptTimeoutSeconds *int     `json:"receipt_timeout_seconds"`
	ReceiptPollMS         *int     `json:"receipt_poll_ms"`
	MaxAttempts           *int     `json:"max_attempts"`
	ReplaceAfterSeconds   *int     `json:"replace_after_seconds"`
	AlreadyHandledErrors  []string `json:"already_handled_errors"`
	MaxGasPriceMultiple   *int     `json:"max_gas_price_multiple"`
}

// settings are the validated own settings.
type settings struct {
	gasMarginPercent int
	confirmations    uint64
	receiptTimeout   time.Duration
	receiptPoll      time.Duration
	maxAttempts      int
	replaceAfter     time.Duration
	// alreadyHandled maps a revert selector to how the config named it.
	alreadyHandled map[[4]byte]string
	// maxGasPriceMultiple bounds a submission's own gas price (an
	// aggregator component's gas-price) by this many times the chain's
	// current price: a service cannot make the payer overpay at will.
	maxGasPriceMultiple int
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
	if s.maxGasPriceMultiple, err = intIn("max_gas_price_multiple", c.MaxGasPriceMultiple, DefaultMaxGasPriceMultiple, 1, 1000); err != nil {
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
	secs, err = intIn("replace_after_seconds", c.ReplaceAfterSeconds, DefaultReplaceAfterSeconds, 1, 3600)
	if err != nil {
		return s, err
	}
	s.replaceAfter = time.Duration(secs) * time.Second
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

// parseErrorSelector turns "Name(bytes20,...)" or "0x12345678" into a
// selector. The error must carry the event id as its first argument: an
// "already handled" that does not say which event could be any revert
// that happens to share its name (a service manager's InvalidLength() to
// a submission without signatures, say), and taking that for a landing
// would lose the result.
func parseErrorSelector(s string) ([4]byte, error) {
	var sel [4]byte
	switch {
	case selectorRE.MatchString(s):
		b, _ := hex.DecodeString(s[2:])
		copy(sel[:], b)
	case signatureRE.MatchString(s):
		sig := strings.ReplaceAll(s, " ", "")
		params := sig[strings.IndexByte(sig, '(')+1 : len(sig)-1]
		if first, _, _ := strings.Cut(params, ","); first != "bytes20" {
			return sel, fmt.Errorf("the error's first argument must be the event id (bytes20), so that the node can tell it names the event it submitted")
		}
		copy(sel[:], crypto.Keccak256([]byte(sig))[:4])
	default:
		return sel, fmt.Errorf(`want a Solidity error signature whose first argument is the event id, such as "EventAlreadyHandled(bytes20)", or a selector "0x1234abcd" of such an error`)
	}
	return sel, nil
}

// parseChains reads the "evm" family of the chains section (see package
// evmchain); other families belong to other plugins. The plugin talks to
// the http_endpoint, else the first ws endpoint.
func chainConfigs(chains []evmchain.Chain) map[string]*chainConfig {
	out := make(map[string]*chainConfig, len(chains))
	for _, c := range chains {
		endpoint := c.HTTPEndpoint
		if endpoint == "" {
			endpoint = c.WSEndpoints[0]
		}
		out[c.Key] = &chainConfig{key: c.Key, id: c.ID, endpoint: endpoint}
	}
	return out
}

// redactURL drops secrets from an endpoint URL for logs and errors.
func redactURL(s string) string { return evmchain.RedactURL(s) }
