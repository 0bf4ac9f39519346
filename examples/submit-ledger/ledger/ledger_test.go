package ledger_test

import (
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"example.com/wavs-submit-ledger/internal/testkeys"
	"example.com/wavs-submit-ledger/ledger"

	"github.com/wavs-go/wavs/sdk"
)

func TestAddressForm(t *testing.T) {
	a := ledger.AccountAddress(ledger.KindHandler, "orders")
	s := a.String()
	if !strings.HasPrefix(s, "ldg1") || len(s) != 43 || strings.ToLower(s) != s {
		t.Fatalf("address %q: want ldg1 and 39 lowercase base32 characters", s)
	}
	back, err := ledger.ParseAddress(s)
	if err != nil || back != a {
		t.Fatalf("ParseAddress(%q) = %x, %v", s, back, err)
	}
	if ledger.AccountAddress(ledger.KindManager, "orders") == a {
		t.Error("a manager and a handler of one name share an address")
	}
	typo := []byte(s)
	typo[10] = map[bool]byte{true: 'b', false: 'a'}[typo[10] == 'a']
	for _, bad := range []string{string(typo), "0x" + strings.Repeat("ab", 20), s[:42], s + "a", "LDG1" + s[4:], ""} {
		if _, err := ledger.ParseAddress(bad); err == nil {
			t.Errorf("ParseAddress(%q) took it", bad)
		}
	}
}

// world is a ledger with a manager of three operators (weights 1, 2, 3,
// threshold 2/3) and a handler bound to it.
type world struct {
	l       *ledger.Ledger
	keys    []testkeys.Key
	manager string
	handler string
}

func newWorld(t *testing.T, o ledger.Options) *world {
	t.Helper()
	l, err := ledger.New(o)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{l: l, keys: testkeys.New(t, 3)}
	var ops []ledger.Operator
	for i, k := range w.keys {
		ops = append(ops, ledger.Operator{Signer: k.Address.Hex(), Weight: uint64(i + 1)})
	}
	r, err := l.Apply(ledger.Tx{Type: ledger.TxCreateManager, Name: "svc", Operators: ops, Threshold: &ledger.Threshold{Numerator: 2, Denominator: 3}, ServiceURI: "http://127.0.0.1:1/service.json"})
	if err != nil {
		t.Fatal(err)
	}
	w.manager = r.Address
	r, err = l.Apply(ledger.Tx{Type: ledger.TxCreateHandler, Name: "orders", Manager: w.manager})
	if err != nil {
		t.Fatal(err)
	}
	w.handler = r.Address
	return w
}

func envelopeOf(id byte, payload string) sdk.Envelope {
	return sdk.Envelope{EventID: [20]byte{id, 1, 2}, Ordering: [12]byte{11: id}, Payload: []byte(payload)}
}

func wantCode(t *testing.T, err error, status int, code string) *ledger.Error {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Status != status || le.Code != code {
		t.Fatalf("error %v, want %d %s", err, status, code)
	}
	return le
}

func TestSubmitLandsOnce(t *testing.T) {
	w := newWorld(t, ledger.Options{})
	head := w.l.Head().Height
	env := envelopeOf(1, "forty-nine")
	// Weights 2 + 3 of 6 pass 2/3.
	tx := ledger.SubmitTx(w.handler, env, testkeys.Sign(env, head, w.keys[1], w.keys[2]))
	v, err := w.l.Validate(tx)
	if err != nil || !v.Valid || v.SignedWeight != 5 || v.TotalWeight != 6 {
		t.Fatalf("Validate = %+v, %v; want valid with 5 of 6", v, err)
	}
	if w.l.Head().Height != head {
		t.Fatal("Validate made a block")
	}
	r, err := w.l.Apply(tx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Height != head+1 || len(r.ID) != 64 || r.BlockHash != w.l.Head().Hash {
		t.Errorf("receipt %+v, want the next block %d", r, head+1)
	}
	rec, err := w.l.Tx(r.ID)
	if err != nil || rec.Height != r.Height || rec.Tx.Envelope.Payload != ledger.Hex0x([]byte("forty-nine")) {
		t.Errorf("Tx(%s) = %+v, %v", r.ID, rec, err)
	}
	list, err := w.l.HandlerTxs(w.handler, 0, 0)
	if err != nil || len(list.Txs) != 1 || list.Txs[0].ID != r.ID {
		t.Errorf("HandlerTxs = %+v, %v", list, err)
	}
	if list, _ := w.l.HandlerTxs(w.handler, r.Height+1, 0); len(list.Txs) != 0 {
		t.Errorf("HandlerTxs after the landing = %+v", list)
	}

	// The same event again, with other signatures: refused, naming it.
	again := ledger.SubmitTx(w.handler, env, testkeys.Sign(env, head, w.keys...))
	le := wantCode(t, applyErr(w.l, again), http.StatusConflict, ledger.CodeAlreadyHandled)
	if le.EventID != ledger.Hex0x(env.EventID[:]) || le.TxID != r.ID || !strings.Contains(le.Message, le.EventID) {
		t.Errorf("already handled error %+v does not name event %x and tx %s", le, env.EventID, r.ID)
	}
	// The same transaction again: a duplicate, naming it.
	le = wantCode(t, applyErr(w.l, tx), http.StatusConflict, ledger.CodeDuplicate)
	if le.TxID != r.ID {
		t.Errorf("duplicate names %s, want %s", le.TxID, r.ID)
	}
	// Validate does not look at what was handled (the manager's check).
	if v, err := w.l.Validate(again); err != nil || !v.Valid {
		t.Errorf("Validate(handled event) = %+v, %v", v, err)
	}
}

func applyErr(l *ledger.Ledger, tx ledger.Tx) error {
	_, err := l.Apply(tx)
	return err
}

func TestSubmitRefusals(t *testing.T) {
	w := newWorld(t, ledger.Options{})
	head := w.l.Head().Height
	env := envelopeOf(2, "x")
	outsider := testkeys.New(t, 1)[0]
	good := testkeys.Sign(env, head, w.keys[1], w.keys[2])
	swapped := testkeys.Sign(env, head, w.keys[1], w.keys[2])
	swapped.Signers[0], swapped.Signers[1] = swapped.Signers[1], swapped.Signers[0]
	swapped.Signatures[0], swapped.Signatures[1] = swapped.Signatures[1], swapped.Signatures[0]
	otherEnv := testkeys.Sign(envelopeOf(3, "y"), head, w.keys[1], w.keys[2])
	future := good
	future.Reference = head + 5
	cases := []struct {
		name string
		tx   ledger.Tx
		want string
	}{
		{"short of the threshold", ledger.SubmitTx(w.handler, env, testkeys.Sign(env, head, w.keys[0], w.keys[1])), "insufficient quorum: signed weight 3 of 6"},
		{"a signer outside the set", ledger.SubmitTx(w.handler, env, testkeys.Sign(env, head, w.keys[2], w.keys[1], outsider)), "is not an operator"},
		{"signers out of order", ledger.SubmitTx(w.handler, env, swapped), "ascending"},
		{"signatures over another envelope", ledger.SubmitTx(w.handler, env, otherEnv), "signatures[0] was made by"},
		{"a reference past the head", ledger.SubmitTx(w.handler, env, future), "past the head"},
		{"a reference before the manager", ledger.SubmitTx(w.handler, env, testkeys.Sign(env, 0, w.keys[1], w.keys[2])), "no operator set at height 0"},
		{"no such handler", ledger.SubmitTx(ledger.AccountAddress(ledger.KindHandler, "nobody").String(), env, good), "no handler"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			le := wantCode(t, applyErr(w.l, c.tx), http.StatusUnprocessableEntity, ledger.CodeRefused)
			if !strings.Contains(le.Message, c.want) {
				t.Errorf("error %q does not say %q", le.Message, c.want)
			}
			v, err := w.l.Validate(c.tx)
			if err != nil || v.Valid || !strings.Contains(v.Reason, c.want) {
				t.Errorf("Validate = %+v, %v; want invalid saying %q", v, err, c.want)
			}
		})
	}
	malformed := []ledger.Tx{
		ledger.SubmitTx("0x"+strings.Repeat("ab", 20), env, good),
		{Type: ledger.TxSubmit, Handler: w.handler, Signatures: ledger.SignaturesJSON(good)},
		{Type: "mint"},
	}
	for _, tx := range malformed {
		wantCode(t, applyErr(w.l, tx), http.StatusBadRequest, ledger.CodeBadRequest)
	}
	if w.l.Head().Height != head {
		t.Errorf("refused transactions made blocks: head %d, was %d", w.l.Head().Height, head)
	}
}

func TestOperatorSetsByHeight(t *testing.T) {
	w := newWorld(t, ledger.Options{})
	before := w.l.Head().Height
	r, err := w.l.Apply(ledger.Tx{Type: ledger.TxSetOperators, Manager: w.manager, Nonce: 1,
		Operators: []ledger.Operator{{Signer: w.keys[0].Address.Hex(), Weight: 10}}, Threshold: &ledger.Threshold{Numerator: 1, Denominator: 1}})
	if err != nil {
		t.Fatal(err)
	}
	old, err := w.l.Operators(w.manager, before)
	if err != nil || len(old.Operators) != 3 || old.TotalWeight != 6 || old.Threshold.Numerator != 2 {
		t.Errorf("Operators(%d) = %+v, %v; want the first set", before, old, err)
	}
	now, err := w.l.Operators(w.manager, r.Height)
	if err != nil || len(now.Operators) != 1 || now.TotalWeight != 10 || now.Threshold.Denominator != 1 {
		t.Errorf("Operators(%d) = %+v, %v; want the new set", r.Height, now, err)
	}
	// Signatures are weighed at their reference: the old set still
	// counts for a reference before the change.
	env := envelopeOf(4, "z")
	if _, err := w.l.Apply(ledger.SubmitTx(w.handler, env, testkeys.Sign(env, before, w.keys[1], w.keys[2]))); err != nil {
		t.Errorf("signatures at the old reference: %v", err)
	}
	env = envelopeOf(5, "z")
	wantCode(t, applyErr(w.l, ledger.SubmitTx(w.handler, env, testkeys.Sign(env, r.Height, w.keys[1], w.keys[2]))), http.StatusUnprocessableEntity, ledger.CodeRefused)
	if _, err := w.l.Operators(w.manager, 0); err == nil {
		t.Error("Operators before the manager existed answered")
	}
	if _, err := w.l.Operators(w.manager, w.l.Head().Height+1); err == nil {
		t.Error("Operators past the head answered")
	}
	bad := []ledger.Tx{
		{Type: ledger.TxSetOperators, Manager: w.manager, Threshold: &ledger.Threshold{Numerator: 3, Denominator: 2}},
		{Type: ledger.TxSetOperators, Manager: w.manager, Threshold: &ledger.Threshold{Numerator: 1, Denominator: 2},
			Operators: []ledger.Operator{{Signer: w.keys[0].Address.Hex(), Weight: 1}, {Signer: w.keys[0].Address.Hex(), Weight: 2}}},
		{Type: ledger.TxSetOperators, Manager: w.manager, Threshold: &ledger.Threshold{Numerator: 1, Denominator: 2},
			Operators: []ledger.Operator{{Signer: w.keys[0].Address.Hex(), Weight: 0}}},
		{Type: ledger.TxCreateManager, Name: "Bad Name", Threshold: &ledger.Threshold{Numerator: 1, Denominator: 2}},
	}
	for _, tx := range bad {
		wantCode(t, applyErr(w.l, tx), http.StatusBadRequest, ledger.CodeBadRequest)
	}
	wantCode(t, applyErr(w.l, ledger.Tx{Type: ledger.TxCreateHandler, Name: "orders", Manager: w.manager}), http.StatusConflict, ledger.CodeDuplicate)
	le := wantCode(t, applyErr(w.l, ledger.Tx{Type: ledger.TxCreateHandler, Nonce: 9, Name: "orders", Manager: w.manager}), http.StatusUnprocessableEntity, ledger.CodeRefused)
	if !strings.Contains(le.Message, "exists already") {
		t.Errorf("error %q", le.Message)
	}
}

func TestBlocksChain(t *testing.T) {
	w := newWorld(t, ledger.Options{ChainID: "test"})
	if w.l.Chain() != "ledger:test" {
		t.Errorf("Chain = %s", w.l.Chain())
	}
	tick, err := w.l.Tick()
	if err != nil {
		t.Fatal(err)
	}
	for h := uint64(1); h <= tick.Height; h++ {
		b, err := w.l.BlockAt(h)
		prev, _ := w.l.BlockAt(h - 1)
		if err != nil || b.Parent != prev.Hash || len(b.Hash) != 64 || b.Height != h {
			t.Errorf("block %d = %+v, %v; parent %s", h, b, err, prev.Hash)
		}
	}
	if len(tick.Txs) != 0 {
		t.Errorf("a tick holds transactions: %v", tick.Txs)
	}
	wantCode(t, func() error { _, err := w.l.BlockAt(tick.Height + 1); return err }(), http.StatusNotFound, ledger.CodeNotFound)
	if _, err := ledger.New(ledger.Options{ChainID: "no spaces"}); err == nil {
		t.Error("a chain id with a space was taken")
	}
}

func TestStateFileReplays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.json")
	w := newWorld(t, ledger.Options{StatePath: path})
	env := envelopeOf(6, "kept")
	r, err := w.l.Apply(ledger.SubmitTx(w.handler, env, testkeys.Sign(env, w.l.Head().Height, w.keys[1], w.keys[2])))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.l.Tick(); err != nil {
		t.Fatal(err)
	}
	head := w.l.Head()

	again, err := ledger.New(ledger.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Head(); got.Hash != head.Hash || got.Height != head.Height {
		t.Fatalf("replayed head %+v, want %+v", got, head)
	}
	if rec, err := again.Tx(r.ID); err != nil || rec.Height != r.Height {
		t.Errorf("replayed Tx = %+v, %v", rec, err)
	}
	wantCode(t, applyErr(again, ledger.SubmitTx(w.handler, env, testkeys.Sign(env, 3, w.keys...))), http.StatusConflict, ledger.CodeAlreadyHandled)
	if _, err := ledger.New(ledger.Options{StatePath: path, ChainID: "other"}); err == nil {
		t.Error("another chain's state file was taken")
	}
}

// TestHTTP: the same through the HTTP API and its client.
func TestHTTP(t *testing.T) {
	l, err := ledger.New(ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := ledger.Serve(l, "127.0.0.1:0", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := ledger.NewClient(s.URL)
	ctx := t.Context()
	keys := testkeys.New(t, 2)
	ops := []ledger.Operator{{Signer: keys[0].Address.Hex(), Weight: 1}, {Signer: keys[1].Address.Hex(), Weight: 1}}
	m, err := c.CreateManager(ctx, "svc", ops, ledger.Threshold{Numerator: 1, Denominator: 1}, "http://127.0.0.1:1/s.json")
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.CreateHandler(ctx, "orders", m.Address)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := c.Account(ctx, h.Address); err != nil || a.Kind != ledger.KindHandler || a.Manager != m.Address {
		t.Errorf("Account(handler) = %+v, %v", a, err)
	}
	if _, err := c.SetServiceURI(ctx, m.Address, "http://127.0.0.1:2/s.json"); err != nil {
		t.Fatal(err)
	}
	if a, err := c.Account(ctx, m.Address); err != nil || a.ServiceURI != "http://127.0.0.1:2/s.json" {
		t.Errorf("Account(manager) = %+v, %v", a, err)
	}
	info, err := c.Info(ctx)
	if err != nil || info.Chain != "ledger:demo" {
		t.Errorf("Info = %+v, %v", info, err)
	}
	env := envelopeOf(7, "49")
	tx := ledger.SubmitTx(h.Address, env, testkeys.Sign(env, info.Head.Height, keys...))
	if v, err := c.Validate(ctx, tx); err != nil || !v.Valid {
		t.Fatalf("Validate = %+v, %v", v, err)
	}
	r, err := c.Send(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	if rec, err := c.Tx(ctx, r.ID); err != nil || rec.Tx.Handler != h.Address {
		t.Errorf("Tx = %+v, %v", rec, err)
	}
	list, err := c.HandlerTxs(ctx, h.Address, 0)
	if err != nil || len(list.Txs) != 1 {
		t.Errorf("HandlerTxs = %+v, %v", list, err)
	}
	if set, err := c.Operators(ctx, m.Address, r.Height); err != nil || set.TotalWeight != 2 {
		t.Errorf("Operators = %+v, %v", set, err)
	}
	_, err = c.Send(ctx, ledger.SubmitTx(h.Address, env, testkeys.Sign(env, info.Head.Height, keys...)))
	wantCode(t, err, http.StatusConflict, ledger.CodeDuplicate)
	_, err = c.Block(ctx, 1000)
	wantCode(t, err, http.StatusNotFound, ledger.CodeNotFound)
	_, err = c.Account(ctx, "nobody")
	wantCode(t, err, http.StatusBadRequest, ledger.CodeBadRequest)

	if _, err := ledger.Serve(l, "0.0.0.0:0", 0); err == nil {
		t.Error("Serve took 0.0.0.0")
	}
	s.Close()
	if _, err := c.Head(ctx); !errors.Is(err, ledger.ErrUnreachable) {
		t.Errorf("Head of a stopped ledger = %v, want ErrUnreachable", err)
	}
}

// TestAddressExample: the address the documentation shows.
func TestAddressExample(t *testing.T) {
	if got := ledger.AccountAddress(ledger.KindManager, "orders").String(); got != "ldg1r5ceipjl576nlgnavi7yr6hpdmrewvaswhqc4qa" {
		t.Errorf("the manager named orders is %s", got)
	}
	if got := ledger.AccountAddress(ledger.KindHandler, "orders").String(); got != "ldg1xu7rb4b7m26yxld4cz4rg4behbzafqfz34e2vci" {
		t.Errorf("the handler named orders is %s", got)
	}
}
