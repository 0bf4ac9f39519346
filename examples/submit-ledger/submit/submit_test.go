package submit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"

	"example.com/wavs-submit-ledger/internal/testkeys"
	"example.com/wavs-submit-ledger/ledger"
	"example.com/wavs-submit-ledger/submit"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/envelope"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// serve runs a ledger on 127.0.0.1 for the test.
func serve(t *testing.T, chainID string) *ledger.Server {
	t.Helper()
	l, err := ledger.New(ledger.Options{ChainID: chainID})
	if err != nil {
		t.Fatal(err)
	}
	s, err := ledger.Serve(l, "127.0.0.1:0", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func config(chains map[string]string) json.RawMessage {
	raw, _ := json.Marshal(map[string]any{"plugin": map[string]any{"chains": chains}})
	return raw
}

func TestConformance(t *testing.T) {
	w := newWorld(t)
	plugintest.SubmitterSuite(t, func(*testing.T) sdk.Submitter {
		return submit.New(hclog.NewNullLogger())
	}, plugintest.SubmitterOptions{
		Config:       config(map[string]string{chainKey: w.s.URL}),
		Chain:        chainKey,
		UnknownChain: "ledger:nowhere",
		Handler:      w.handler,
		Manager:      w.manager,
		// Two of the three operators: the manager's 2/3 threshold.
		Signed: func(t *testing.T, env sdk.Envelope) sdk.Submission {
			return sdk.Submission{Envelope: env, Signatures: testkeys.Sign(env, 0, w.keys[0], w.keys[1])}
		},
	})
}

// world is a ledger with a manager of three operators (weight 1 each,
// threshold 2/3) and a handler, and the plugin configured for it behind
// a gRPC connection.
type world struct {
	s       *ledger.Server
	p       sdk.Submitter
	keys    []testkeys.Key
	manager string
	handler string
}

const chainKey = "ledger:demo"

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{s: serve(t, "demo"), keys: testkeys.New(t, 3)}
	c := ledger.NewClient(w.s.URL)
	var ops []ledger.Operator
	for _, k := range w.keys {
		ops = append(ops, ledger.Operator{Signer: k.Address.Hex(), Weight: 1})
	}
	m, err := c.CreateManager(t.Context(), "svc", ops, ledger.Threshold{Numerator: 2, Denominator: 3}, "http://127.0.0.1:9/service.json")
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.CreateHandler(t.Context(), "orders", m.Address)
	if err != nil {
		t.Fatal(err)
	}
	w.manager, w.handler = m.Address, h.Address
	w.p = plugintest.ConnectSubmitter(t, submit.New(hclog.NewNullLogger()))
	if err := w.p.Configure(t.Context(), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: config(map[string]string{chainKey: w.s.URL}), PluginName: "submit-ledger"}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) submission(env sdk.Envelope, ref uint64, keys ...testkeys.Key) sdk.Submission {
	return sdk.Submission{Chain: chainKey, Handler: w.handler, Envelope: env, Signatures: testkeys.Sign(env, ref, keys...)}
}

// TestResultLands walks the host's call order for one result.
func TestResultLands(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()

	head, err := w.p.LatestBlock(ctx, chainKey)
	if err != nil || head.Number != 2 || head.Hash == (sdk.Hash{}) {
		t.Fatalf("LatestBlock = %+v, %v; want height 2", head, err)
	}
	ref := head.Number - 1
	m, err := w.p.ServiceManager(ctx, chainKey, w.handler)
	if err != nil || m != w.manager {
		t.Fatalf("ServiceManager = %q, %v; want %s", m, err, w.manager)
	}
	if uri, err := w.p.ServiceURI(ctx, chainKey, w.manager); err != nil || uri != "http://127.0.0.1:9/service.json" {
		t.Errorf("ServiceURI = %q, %v", uri, err)
	}
	outsider := testkeys.New(t, 1)[0]
	q, err := w.p.Quorum(ctx, sdk.QuorumQuery{Chain: chainKey, Manager: w.manager, Block: ref, Scheme: sdk.SchemeSecp256k1EIP191,
		Signers: [][]byte{w.keys[0].Address[:], outsider.Address[:]}})
	if err != nil || q.Weights[0].Int64() != 1 || q.Weights[1].Int64() != 0 || q.TotalWeight.Int64() != 3 || q.ThresholdNumerator != 2 || q.ThresholdDenominator != 3 {
		t.Errorf("Quorum = %+v, %v; want weights 1, 0 of 3 at 2/3", q, err)
	}
	set, err := w.p.(sdk.OperatorSetReader).OperatorSet(ctx, chainKey, w.manager, ref)
	if err != nil || len(set.Operators) != 3 || set.Scheme != sdk.SchemeSecp256k1EIP191 || set.TotalWeight.Int64() != 3 {
		t.Errorf("OperatorSet = %+v, %v", set, err)
	}

	env := sdk.Envelope{EventID: [20]byte{0xee, 1}, Ordering: [12]byte{}, Payload: []byte{0, 49}}
	short := w.submission(env, ref, w.keys[0])
	if v, err := w.p.Validate(ctx, short); err != nil || v.Valid || !strings.Contains(v.Reason, "insufficient quorum") {
		t.Errorf("Validate(one of three) = %+v, %v; want invalid", v, err)
	}
	if _, err := w.p.Submit(ctx, short); err == nil || errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("Submit(one of three) = %v; want a refusal the host may retry", err)
	}
	sub := w.submission(env, ref, w.keys[0], w.keys[2])
	if v, err := w.p.Validate(ctx, sub); err != nil || !v.Valid {
		t.Fatalf("Validate = %+v, %v", v, err)
	}
	r, err := w.p.Submit(ctx, sub)
	if err != nil || r.AlreadyHandled || r.TxHash == (sdk.Hash{}) || r.BlockNumber != 3 {
		t.Fatalf("Submit = %+v, %v; want a transaction in block 3", r, err)
	}

	// The landing, by scanning and by the transaction.
	for _, q := range []sdk.LandingQuery{
		{Chain: chainKey, Handler: w.handler, EventID: env.EventID, FromBlock: ref},
		{Chain: chainKey, Handler: w.handler, EventID: env.EventID, TxHash: r.TxHash},
	} {
		l, err := w.p.FindLanding(ctx, q)
		if err != nil || !l.Found || l.TxHash != r.TxHash || l.BlockNumber != 3 || !l.Final || l.EnvelopeHash != envelope.Hash(env) {
			t.Errorf("FindLanding(%+v) = %+v, %v", q, l, err)
		}
		b, err := w.p.BlockAt(ctx, chainKey, l.BlockNumber)
		if err != nil || b.Hash != l.BlockHash {
			t.Errorf("BlockAt(%d) = %+v, %v; the landing says %x", l.BlockNumber, b, err, l.BlockHash)
		}
	}
	for _, q := range []sdk.LandingQuery{
		{Chain: chainKey, Handler: w.handler, EventID: [20]byte{0xee, 2}},                         // another event
		{Chain: chainKey, Handler: w.handler, EventID: env.EventID, FromBlock: 4},                 // after it
		{Chain: chainKey, Handler: w.handler, EventID: [20]byte{0xee, 2}, TxHash: r.TxHash},       // another event's claim
		{Chain: chainKey, Handler: w.manager, EventID: env.EventID},                               // not a handler
		{Chain: chainKey, Handler: sdk.Address{1}.Hex(), EventID: env.EventID},                    // not a ledger address
		{Chain: chainKey, Handler: w.handler, EventID: env.EventID, TxHash: sdk.Hash{0xde, 0xad}}, // no such transaction
	} {
		if l, err := w.p.FindLanding(ctx, q); err != nil || l.Found || l.Reason == "" {
			t.Errorf("FindLanding(%+v) = %+v, %v; want not found with a reason", q, l, err)
		}
	}

	// Another operator's submission of the same event: the ledger names
	// it as handled.
	late := w.submission(env, ref, w.keys...)
	if r2, err := w.p.Submit(ctx, late); err != nil || !r2.AlreadyHandled || r2.TxHash != (sdk.Hash{}) {
		t.Errorf("Submit(handled event) = %+v, %v; want AlreadyHandled", r2, err)
	}
	// The very same transaction again (a retry after a lost answer):
	// the landed transaction is the receipt.
	if r3, err := w.p.Submit(ctx, sub); err != nil || r3 != r {
		t.Errorf("Submit(the same again) = %+v, %v; want %+v", r3, err, r)
	}
}

func TestErrors(t *testing.T) {
	w := newWorld(t)
	other := serve(t, "other")
	ctx := t.Context()
	p := plugintest.ConnectSubmitter(t, submit.New(hclog.NewNullLogger()))
	down := serve(t, "down")
	downURL := down.URL
	down.Close()
	cfg := config(map[string]string{chainKey: w.s.URL, "ledger:mislabelled": other.URL, "ledger:down": downURL})
	if err := p.Configure(ctx, sdk.ConfigureRequest{Config: cfg}); err != nil {
		t.Fatal(err)
	}
	env := sdk.Envelope{EventID: [20]byte{9}}
	cases := []struct {
		name string
		call func() error
		want error
		says string
	}{
		{"evm chain", func() error { _, err := p.LatestBlock(ctx, "evm:1"); return err }, sdk.ErrInvalidArgument, "evm:1"},
		{"unconfigured ledger", func() error { _, err := p.LatestBlock(ctx, "ledger:nowhere"); return err }, sdk.ErrNotFound, "ledger:nowhere"},
		{"a ledger of another chain", func() error { _, err := p.LatestBlock(ctx, "ledger:mislabelled"); return err }, sdk.ErrInvalidArgument, "ledger:other"},
		{"a ledger that is down", func() error { _, err := p.LatestBlock(ctx, "ledger:down"); return err }, sdk.ErrUnavailable, "ledger:down"},
		{"block past the head", func() error { _, err := p.BlockAt(ctx, chainKey, 99); return err }, sdk.ErrNotFound, "99"},
		{"malformed handler", func() error { _, err := p.ServiceManager(ctx, chainKey, "0xabc"); return err }, sdk.ErrInvalidArgument, "0xabc"},
		{"unknown handler", func() error {
			_, err := p.ServiceManager(ctx, chainKey, ledger.AccountAddress(ledger.KindHandler, "x").String())
			return err
		}, sdk.ErrNotFound, "no account"},
		{"a manager as handler", func() error { _, err := p.ServiceManager(ctx, chainKey, w.manager); return err }, sdk.ErrInvalidArgument, "manager account"},
		{"a handler as manager", func() error { _, err := p.ServiceURI(ctx, chainKey, w.handler); return err }, sdk.ErrInvalidArgument, "handler account"},
		{"operators before the manager", func() error {
			_, err := p.Quorum(ctx, sdk.QuorumQuery{Chain: chainKey, Manager: w.manager, Block: 0, Scheme: sdk.SchemeSecp256k1EIP191})
			return err
		}, sdk.ErrNotFound, "no operator set"},
		{"another scheme", func() error {
			_, err := p.Quorum(ctx, sdk.QuorumQuery{Chain: chainKey, Manager: w.manager, Block: 1, Scheme: "ed25519"})
			return err
		}, sdk.ErrInvalidArgument, "ed25519"},
		{"submit to a malformed handler", func() error {
			_, err := p.Submit(ctx, sdk.Submission{Chain: chainKey, Handler: "orders", Envelope: env, Signatures: testkeys.Sign(env, 1, w.keys...)})
			return err
		}, sdk.ErrInvalidArgument, "handler"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %v, want %v naming %q", err, c.want, c.says)
			}
		})
	}
	if h := p.Health(ctx); h.Healthy || !strings.Contains(h.Message, "ledger:down") {
		t.Errorf("Health = %+v, want unhealthy naming ledger:down", h)
	}
	if h := w.p.Health(ctx); !h.Healthy || !strings.Contains(h.Message, chainKey) {
		t.Errorf("Health = %+v, want healthy naming %s", h, chainKey)
	}
}

func TestConfigureRejects(t *testing.T) {
	cases := []struct{ name, cfg, says string }{
		{"an evm chain key", `{"plugin": {"chains": {"evm:1": "http://127.0.0.1:1"}}}`, "evm:1"},
		{"not a chain key", `{"plugin": {"chains": {"demo": "http://127.0.0.1:1"}}}`, "demo"},
		{"not a URL", `{"plugin": {"chains": {"ledger:demo": "127.0.0.1:1"}}}`, "127.0.0.1:1"},
		{"a ws URL", `{"plugin": {"chains": {"ledger:demo": "ws://127.0.0.1:1"}}}`, "ws://"},
		{"unknown key", `{"plugin": {"chain": {}}}`, "chain"},
		{"negative timeout", `{"plugin": {"timeout_seconds": -1}}`, "timeout_seconds"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := submit.New(hclog.NewNullLogger()).Configure(context.Background(), sdk.ConfigureRequest{Config: json.RawMessage(c.cfg), PluginName: "submit-ledger"})
			if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("Configure = %v, want sdk.ErrInvalidArgument naming %q", err, c.says)
			}
		})
	}
}

// TestFindLandingPages: a handler with more transactions than one listing
// holds is scanned to the end.
func TestFindLandingPages(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 1001 transactions")
	}
	w := newWorld(t)
	ctx := t.Context()
	var last sdk.Envelope
	for i := 0; i < 1001; i++ {
		last = sdk.Envelope{EventID: [20]byte{byte(i >> 8), byte(i)}, Payload: []byte(fmt.Sprint(i))}
		if _, err := w.s.Apply(ledger.SubmitTx(w.handler, last, testkeys.Sign(last, 1, w.keys[0], w.keys[1]))); err != nil {
			t.Fatal(err)
		}
	}
	l, err := w.p.FindLanding(ctx, sdk.LandingQuery{Chain: chainKey, Handler: w.handler, EventID: last.EventID})
	if err != nil || !l.Found || l.BlockNumber != 1003 {
		t.Errorf("FindLanding(the 1001st) = %+v, %v", l, err)
	}
}
