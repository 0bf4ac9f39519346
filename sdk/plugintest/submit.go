package plugintest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// SubmitterOptions tune SubmitterSuite.
type SubmitterOptions struct {
	// Config is passed to Configure (default {}). If it has a "plugin"
	// section, that must be a JSON object.
	Config json.RawMessage
	// Chain is a chain key the configured plugin serves (e.g. "evm:31337"
	// with a node running). Empty skips the checks that need a chain.
	Chain string
	// UnknownChain is a chain key the plugin does not serve (default
	// "evm:4294967295").
	UnknownChain string

	// Handler is a handler on Chain, in its family's text form, whose
	// manager accepts the submissions Signed makes. Empty (or Signed
	// nil) skips the checks that land envelopes.
	Handler string
	// Manager is Handler's service manager in the family's text form;
	// empty: the suite asks ServiceManager(Chain, Handler). When set,
	// ServiceManager must answer it.
	Manager string
	// Signed returns env signed by operators of Manager with enough
	// weight for its validate to pass, in the scheme the plugin's family
	// uses, signers in ascending byte order. The suite fills in Chain and
	// Handler when they are empty, and Signatures.Reference (the height
	// the weights are read at) with the chain's head when it is 0. The
	// suite never asks for a submission without signatures: the host
	// never sends one (it calls FindLanding instead), so a plugin need not
	// handle it.
	Signed func(t *testing.T, env sdk.Envelope) sdk.Submission
	// Binary, if set, is the path of the built plugin executable, checked
	// with CheckBinary in the Binary subtest.
	Binary string
}

// SubmitterSuite checks a submit plugin against the protocol's rules; the
// package documentation lists the checks. newPlugin returns a fresh,
// unconfigured plugin for each instance the suite starts.
func SubmitterSuite(t *testing.T, newPlugin func(t *testing.T) sdk.Submitter, opts SubmitterOptions) {
	if opts.UnknownChain == "" {
		opts.UnknownChain = "evm:4294967295"
	}
	k := &kit[sdk.Submitter]{kind: sdk.KindSubmit, newPlugin: newPlugin, connect: ConnectSubmitter, config: opts.Config, binary: opts.Binary}
	ready := func(t *testing.T) sdk.Submitter { return k.ready(t).client }
	needChain := func(t *testing.T) {
		t.Helper()
		if opts.Chain == "" {
			t.Skip("SubmitterOptions.Chain not set")
		}
	}
	baseSuite(t, k)

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
		needChain(t)
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
		needChain(t)
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
		needChain(t)
		// Nothing was sent with this event id: a landing must not be
		// found, and not finding one is no error.
		p := ready(t)
		head, err := p.LatestBlock(ctxFor(t), opts.Chain)
		if err != nil {
			t.Fatalf("LatestBlock: %v", err)
		}
		handler := opts.Handler
		if handler == "" {
			handler = sdk.Address{0xde, 0xad}.Hex()
		}
		q := sdk.LandingQuery{Chain: opts.Chain, Handler: handler, EventID: randomEventID(t), FromBlock: head.Number}
		if l, err := p.FindLanding(ctxFor(t), q); err != nil || l.Found {
			t.Errorf("FindLanding(nothing sent) = %+v, %v; want not found, no error", l, err)
		}
		q.TxHash = sdk.Hash{0xde, 0xad}
		if l, err := p.FindLanding(ctxFor(t), q); err != nil || l.Found {
			t.Errorf("FindLanding(an unknown transaction) = %+v, %v; want not found, no error", l, err)
		}
	})

	// The checks that land envelopes.
	type signedCase struct {
		p       sdk.Submitter
		manager string
		sub     sdk.Submission
		head    sdk.BlockRef
	}
	prepare := func(t *testing.T) signedCase {
		t.Helper()
		needChain(t)
		if opts.Handler == "" || opts.Signed == nil {
			t.Skip("SubmitterOptions.Handler or Signed not set")
		}
		c := signedCase{p: ready(t)}
		var err error
		if c.head, err = c.p.LatestBlock(ctxFor(t), opts.Chain); err != nil {
			t.Fatalf("LatestBlock: %v", err)
		}
		c.manager = opts.Manager
		if c.manager == "" {
			if c.manager, err = c.p.ServiceManager(ctxFor(t), opts.Chain, opts.Handler); err != nil {
				t.Fatalf("ServiceManager(%s): %v", opts.Handler, err)
			}
		}
		env := sdk.Envelope{EventID: randomEventID(t), Payload: []byte("plugintest " + hex.EncodeToString(randomBytes(t, 8)))}
		c.sub = opts.Signed(t, env)
		if c.sub.Chain == "" {
			c.sub.Chain = opts.Chain
		}
		if c.sub.Handler == "" {
			c.sub.Handler = opts.Handler
		}
		if c.sub.Signatures.Reference == 0 {
			c.sub.Signatures.Reference = c.head.Number
		}
		sd := c.sub.Signatures
		if len(sd.Signers) == 0 || len(sd.Signers) != len(sd.Signatures) {
			t.Fatalf("plugintest: SubmitterOptions.Signed returned %d signers and %d signatures; want one signature per signer, at least one", len(sd.Signers), len(sd.Signatures))
		}
		return c
	}
	t.Run("ServiceManager", func(t *testing.T) {
		needChain(t)
		if opts.Handler == "" || opts.Manager == "" {
			t.Skip("SubmitterOptions.Handler or Manager not set")
		}
		m, err := ready(t).ServiceManager(ctxFor(t), opts.Chain, opts.Handler)
		if err != nil || m != opts.Manager {
			t.Errorf("ServiceManager(%s) = %q, %v; want %q", opts.Handler, m, err, opts.Manager)
		}
	})
	t.Run("QuorumWeights", func(t *testing.T) {
		c := prepare(t)
		sd := c.sub.Signatures
		// A signer of the scheme's shape that is no operator's.
		stranger := bytes.Clone(sd.Signers[0])
		stranger[len(stranger)-1] ^= 0x5a
		signers := append(slices.Clone(sd.Signers), stranger)
		q := sdk.QuorumQuery{Chain: opts.Chain, Manager: c.manager, Block: sd.Reference, Scheme: sd.Scheme, Signers: signers}
		got, err := c.p.Quorum(ctxFor(t), q)
		if err != nil {
			t.Fatalf("Quorum(the valid submission's signers and one that is no operator) = %v; want weight 0 for the stranger, not an error", err)
		}
		if len(got.Weights) != len(signers) {
			t.Fatalf("Quorum returned %d weights for %d signers; want one per signer, in their order", len(got.Weights), len(signers))
		}
		for i, w := range got.Weights[:len(sd.Signers)] {
			if w == nil || w.Sign() <= 0 {
				t.Errorf("Quorum: signer %d (%x) of a valid submission has weight %v; want more than 0", i, signers[i], w)
			}
		}
		if w := got.Weights[len(signers)-1]; w == nil || w.Sign() != 0 {
			t.Errorf("Quorum: a signer that is no operator (%x) has weight %v; want 0", stranger, w)
		}
		// The same signers reversed: the weights must follow them.
		q.Signers = slices.Clone(signers)
		slices.Reverse(q.Signers)
		rev, err := c.p.Quorum(ctxFor(t), q)
		if err != nil {
			t.Fatalf("Quorum(reversed signers): %v", err)
		}
		if len(rev.Weights) != len(signers) {
			t.Fatalf("Quorum(reversed signers) returned %d weights for %d signers", len(rev.Weights), len(signers))
		}
		for i, w := range rev.Weights {
			if want := got.Weights[len(signers)-1-i]; w == nil || w.Cmp(want) != 0 {
				t.Errorf("Quorum(reversed signers): weight %d = %v, want %v: weights must come in the order of QuorumQuery.Signers", i, w, want)
			}
		}
	})
	t.Run("OperatorSet", func(t *testing.T) {
		c := prepare(t)
		r, ok := c.p.(sdk.OperatorSetReader)
		if !ok {
			t.Skip("the gRPC client does not offer sdk.OperatorSetReader")
		}
		sd := c.sub.Signatures
		set, err := r.OperatorSet(ctxFor(t), opts.Chain, c.manager, sd.Reference)
		if errors.Is(err, sdk.ErrUnimplemented) {
			t.Skip("the plugin does not implement sdk.OperatorSetReader")
		}
		if err != nil {
			t.Fatalf("OperatorSet: %v", err)
		}
		if set.Scheme != "" && set.Scheme != sd.Scheme {
			t.Errorf("OperatorSet scheme %q, but the valid submission is signed in %q", set.Scheme, sd.Scheme)
		}
		signers := make([][]byte, len(set.Operators))
		for i, op := range set.Operators {
			signers[i] = op.Signer
		}
		q, err := c.p.Quorum(ctxFor(t), sdk.QuorumQuery{Chain: opts.Chain, Manager: c.manager, Block: sd.Reference, Scheme: sd.Scheme, Signers: append(signers, sd.Signers...)})
		if err != nil {
			t.Fatalf("Quorum(the operator set's signers): %v", err)
		}
		if len(q.Weights) != len(signers)+len(sd.Signers) {
			t.Fatalf("Quorum returned %d weights for %d signers", len(q.Weights), len(signers)+len(sd.Signers))
		}
		for i, op := range set.Operators {
			if op.Weight == nil || q.Weights[i].Cmp(op.Weight) != 0 {
				t.Errorf("operator %x: OperatorSet weight %v, Quorum weight %v", op.Signer, op.Weight, q.Weights[i])
			}
		}
		for i, s := range sd.Signers {
			j := slices.IndexFunc(set.Operators, func(op sdk.Operator) bool { return bytes.Equal(op.Signer, s) })
			if j < 0 {
				t.Errorf("signer %x of the valid submission (Quorum weight %v) is not in the OperatorSet", s, q.Weights[len(signers)+i])
			}
		}
		if set.TotalWeight != nil && q.TotalWeight != nil && set.TotalWeight.Cmp(q.TotalWeight) != 0 {
			t.Errorf("OperatorSet total weight %v, Quorum total weight %v", set.TotalWeight, q.TotalWeight)
		}
		if set.TotalWeight != nil {
			sum := new(big.Int)
			for _, op := range set.Operators {
				if op.Weight != nil {
					sum.Add(sum, op.Weight)
				}
			}
			if sum.Cmp(set.TotalWeight) != 0 {
				t.Errorf("OperatorSet total weight %v, but its operators' weights add up to %v", set.TotalWeight, sum)
			}
		}
		if set.ThresholdDenominator != 0 && q.ThresholdDenominator != 0 &&
			(set.ThresholdNumerator != q.ThresholdNumerator || set.ThresholdDenominator != q.ThresholdDenominator) {
			t.Errorf("OperatorSet threshold %d/%d, Quorum threshold %d/%d", set.ThresholdNumerator, set.ThresholdDenominator, q.ThresholdNumerator, q.ThresholdDenominator)
		}
		if set.ThresholdWeight != nil && q.ThresholdWeight != nil && set.ThresholdWeight.Cmp(q.ThresholdWeight) != 0 {
			t.Errorf("OperatorSet threshold weight %v, Quorum threshold weight %v", set.ThresholdWeight, q.ThresholdWeight)
		}
	})
	t.Run("Validate", func(t *testing.T) {
		c := prepare(t)
		v, err := c.p.Validate(ctxFor(t), c.sub)
		if err != nil || !v.Valid {
			t.Errorf("Validate(a submission Signed made) = %+v, %v; want valid", v, err)
		}
		forged := c.sub
		forged.Signatures.Signatures = make([][]byte, len(c.sub.Signatures.Signatures))
		for i, s := range c.sub.Signatures.Signatures {
			forged.Signatures.Signatures[i] = bytes.Clone(s)
		}
		if len(forged.Signatures.Signatures[0]) == 0 {
			t.Fatal("plugintest: SubmitterOptions.Signed returned an empty signature")
		}
		forged.Signatures.Signatures[0][0] ^= 0x01
		v, err = c.p.Validate(ctxFor(t), forged)
		if err != nil {
			t.Errorf("Validate(a signature with a byte flipped) = %v; a rejected validate is Valid false, not an error (the host would retry it)", err)
		} else if v.Valid {
			t.Errorf("Validate(a signature with a byte flipped) = %+v; want not valid", v)
		}
	})
	t.Run("SubmitLandsOnce", func(t *testing.T) {
		c := prepare(t)
		ev := c.sub.Envelope.EventID
		scan := sdk.LandingQuery{Chain: opts.Chain, Handler: c.sub.Handler, EventID: ev, FromBlock: c.head.Number}
		if l, err := c.p.FindLanding(ctxFor(t), scan); err != nil || l.Found {
			t.Fatalf("FindLanding before the Submit = %+v, %v; want not found, no error", l, err)
		}
		r, err := c.p.Submit(ctxFor(t), c.sub)
		if err != nil {
			t.Fatalf("Submit(a submission Signed made): %v", err)
		}
		if r.AlreadyHandled || r.TxHash == (sdk.Hash{}) {
			t.Fatalf("Submit = %+v; want a receipt with the landing's transaction hash", r)
		}
		found := func(q sdk.LandingQuery, what string) {
			t.Helper()
			// The receipt is in: the landing must be found now, but a
			// plugin's view of the chain may lag a moment.
			var l sdk.Landing
			var err error
			for deadline := time.Now().Add(landingLag); ; time.Sleep(100 * time.Millisecond) {
				l, err = c.p.FindLanding(ctxFor(t), q)
				if (err == nil && l.Found) || time.Now().After(deadline) {
					break
				}
			}
			if err != nil || !l.Found || l.TxHash != r.TxHash {
				t.Errorf("FindLanding(%s) after Submit landed tx %s = %+v, %v; want found with that transaction", what, r.TxHash, l, err)
			}
		}
		found(scan, "scanning from before the Submit")
		byTx := scan
		byTx.TxHash = r.TxHash
		found(byTx, "that transaction")

		// A repeat is AlreadyHandled, an error, or the receipt of the
		// same transaction (a chain that dedupes identical transactions):
		// never a second landing.
		again, err := c.p.Submit(ctxFor(t), c.sub)
		if err == nil && !again.AlreadyHandled && again.TxHash != r.TxHash {
			t.Errorf("Submit of an envelope that landed already = %+v; want AlreadyHandled, an error or the first landing's transaction %s, never a second landing", again, r.TxHash)
		}
	})
}

// landingLag is how long after a receipt the suite keeps asking
// FindLanding before it calls the landing missing.
const landingLag = 3 * time.Second

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func randomEventID(t *testing.T) [20]byte {
	var id [20]byte
	copy(id[:], randomBytes(t, 20))
	return id
}
