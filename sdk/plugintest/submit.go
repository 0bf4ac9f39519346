package plugintest

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

// SubmitterOptions tune SubmitterSuite.
type SubmitterOptions struct {
	// Config is passed to Configure (default {}).
	Config json.RawMessage
	// Chain is a chain key the configured plugin serves (e.g. "evm:31337"
	// with a node running). Empty skips the checks that need a chain.
	Chain string
	// UnknownChain is a chain key the plugin does not serve (default
	// "evm:4294967295").
	UnknownChain string
}

// SubmitterSuite checks a submit plugin against the protocol's rules.
// newPlugin returns a fresh, unconfigured plugin for each subtest.
func SubmitterSuite(t *testing.T, newPlugin func(t *testing.T) sdk.Submitter, opts SubmitterOptions) {
	if opts.UnknownChain == "" {
		opts.UnknownChain = "evm:4294967295"
	}
	connect := func(t *testing.T) sdk.Submitter { return ConnectSubmitter(t, newPlugin(t)) }
	ready := func(t *testing.T) sdk.Submitter {
		p := connect(t)
		configure(t, p, opts.Config)
		return p
	}
	baseSuite(t, sdk.KindSubmit, func(t *testing.T) sdk.Plugin { return connect(t) }, opts.Config)

	t.Run("UnknownChain", func(t *testing.T) {
		p := ready(t)
		if _, err := p.LatestBlock(ctxFor(t), opts.UnknownChain); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("LatestBlock(%q) = %v, want sdk.ErrNotFound", opts.UnknownChain, err)
		}
		if _, err := p.BlockAt(ctxFor(t), opts.UnknownChain, 1); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("BlockAt(%q) = %v, want sdk.ErrNotFound", opts.UnknownChain, err)
		}
		q := sdk.LandingQuery{Chain: opts.UnknownChain, Handler: sdk.Address{1}.Hex(), EventID: [20]byte{2}}
		if _, err := p.FindLanding(ctxFor(t), q); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("FindLanding(%q) = %v, want sdk.ErrNotFound", opts.UnknownChain, err)
		}
	})
	t.Run("LatestBlockAdvances", func(t *testing.T) {
		if opts.Chain == "" {
			t.Skip("SubmitterOptions.Chain not set")
		}
		p := ready(t)
		a, err := p.LatestBlock(ctxFor(t), opts.Chain)
		if err != nil {
			t.Fatalf("LatestBlock: %v", err)
		}
		b, err := p.LatestBlock(ctxFor(t), opts.Chain)
		if err != nil {
			t.Fatalf("LatestBlock: %v", err)
		}
		if b.Number < a.Number {
			t.Errorf("LatestBlock went back from %d to %d", a.Number, b.Number)
		}
	})
	t.Run("BlockAt", func(t *testing.T) {
		if opts.Chain == "" {
			t.Skip("SubmitterOptions.Chain not set")
		}
		p := ready(t)
		head, err := p.LatestBlock(ctxFor(t), opts.Chain)
		if err != nil {
			t.Fatalf("LatestBlock: %v", err)
		}
		b, err := p.BlockAt(ctxFor(t), opts.Chain, head.Number)
		if err != nil || b.Number != head.Number || (head.Hash != (sdk.Hash{}) && b.Hash != head.Hash) {
			t.Errorf("BlockAt(head %d) = %+v, %v; want the head's block %+v", head.Number, b, err, head)
		}
		if _, err := p.BlockAt(ctxFor(t), opts.Chain, head.Number+1_000_000_000); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("BlockAt(a height far past the head) = %v, want sdk.ErrNotFound", err)
		}
	})
	t.Run("FindLandingOfNothing", func(t *testing.T) {
		if opts.Chain == "" {
			t.Skip("SubmitterOptions.Chain not set")
		}
		// No handler lives at this address and nothing was sent to it:
		// a landing must not be found, and not finding one is no error.
		p := ready(t)
		head, err := p.LatestBlock(ctxFor(t), opts.Chain)
		if err != nil {
			t.Fatalf("LatestBlock: %v", err)
		}
		q := sdk.LandingQuery{Chain: opts.Chain, Handler: sdk.Address{0xde, 0xad}.Hex(), EventID: [20]byte{7}, FromBlock: head.Number}
		if l, err := p.FindLanding(ctxFor(t), q); err != nil || l.Found {
			t.Errorf("FindLanding(nothing sent) = %+v, %v; want not found, no error", l, err)
		}
		q.TxHash = sdk.Hash{0xde, 0xad}
		if l, err := p.FindLanding(ctxFor(t), q); err != nil || l.Found {
			t.Errorf("FindLanding(an unknown transaction) = %+v, %v; want not found, no error", l, err)
		}
	})
}
