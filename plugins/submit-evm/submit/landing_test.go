package submit_test

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/sdk"
	sdkenv "github.com/wavs-go/wavs/sdk/envelope"
)

// wavsPair deploys the WAVS-like pair: a POA-style manager that shows only
// the WAVS interface, behind a proxy, and a handler that accepts replays.
func wavsPair(t *testing.T, own string, weights ...int64) *fixture {
	t.Helper()
	return setupWith(t, deploy.Options{Pair: deploy.PairWAVS}, own, weights...)
}

// dataWithID is an envelope whose payload the example handler decodes.
func dataWithID(t *testing.T, id uint64) sdk.Envelope {
	t.Helper()
	env := envelope(t, "")
	env.Payload = deploy.EncodeDataWithID(id, []byte("result"))
	return env
}

// rawSend sends data to `to` from dev account i with a fixed gas limit
// (no estimate, so a call that reverts is mined as a failure) and returns
// the mined receipt.
func (f *fixture) rawSend(t *testing.T, i int, to common.Address, data []byte) *types.Receipt {
	t.Helper()
	ctx := ctxFor(t, 10*time.Second)
	tx := f.signedTx(t, i, to, data)
	if err := f.chain.Client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	r, err := deploy.WaitReceipt(ctx, f.chain.Client, tx.Hash())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// signedTx is a transaction of data to `to` from dev account i, with its
// next nonce and a fixed gas limit, signed and not sent.
func (f *fixture) signedTx(t *testing.T, i int, to common.Address, data []byte) *types.Transaction {
	t.Helper()
	ctx := ctxFor(t, 10*time.Second)
	cl := f.chain.Client
	nonce, err := cl.PendingNonceAt(ctx, f.chain.Accounts[i])
	if err != nil {
		t.Fatal(err)
	}
	price, err := cl.SuggestGasPrice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := types.SignNewTx(f.chain.Keys[i], types.LatestSignerForChainID(f.chain.ChainID),
		&types.LegacyTx{Nonce: nonce, GasPrice: new(big.Int).Mul(price, big.NewInt(2)), Gas: 1_000_000, To: &to, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// handlerCall is handleSignedEnvelope's calldata for a submission.
func handlerCall(t *testing.T, s sdk.Submission) []byte {
	t.Helper()
	h := bindings.NewExampleHandler()
	return h.PackHandleSignedEnvelope(
		bindings.ExampleHandlerEnvelope{EventId: s.Envelope.EventID, Ordering: s.Envelope.Ordering, Payload: s.Envelope.Payload},
		bindings.ExampleHandlerSignatureData{Signers: addrs(s.Signatures.Signers), Signatures: s.Signatures.Signatures, ReferenceBlock: uint32(s.Signatures.Reference)},
	)
}

func addrs(as [][]byte) []common.Address {
	out := make([]common.Address, len(as))
	for i, a := range as {
		out[i] = common.BytesToAddress(a)
	}
	return out
}

// TestQuorumInterfaceOnly: a manager with only the WAVS views gives the
// signers' weights, and leaves the total and the thresholds unknown rather
// than failing; the repo's manager, whose views the plugin knows, gives
// them.
func TestQuorumInterfaceOnly(t *testing.T) {
	f := wavsPair(t, "", 1, 2)
	ctx := ctxFor(t, 20*time.Second)
	stranger := serviceKeys(t, 9)[0]
	q, err := f.p.Quorum(ctx, sdk.QuorumQuery{
		Chain: chainKey, Manager: sdk.Address(f.addrs.ServiceManager).Hex(), Block: f.head(t) - 1,
		Signers: signerBytes(f.keys[0].Address(), f.keys[1].Address(), stranger.Address()),
	})
	if err != nil {
		t.Fatalf("Quorum on an interface-only manager: %v", err)
	}
	for i, want := range []int64{1, 2, 0} {
		if q.Weights[i].Cmp(big.NewInt(want)) != 0 {
			t.Errorf("weight %d = %v, want %d", i, q.Weights[i], want)
		}
	}
	if q.TotalWeight != nil || q.ThresholdDenominator != 0 || q.ThresholdWeight != nil {
		t.Errorf("Quorum = %+v: a manager without views must leave the total and thresholds unknown", q)
	}

	repo := setup(t, 1, 2)
	q, err = repo.p.Quorum(ctx, sdk.QuorumQuery{Chain: chainKey, Manager: sdk.Address(repo.addrs.ServiceManager).Hex(), Block: repo.head(t) - 1})
	if err != nil || q.TotalWeight == nil || q.TotalWeight.Int64() != 3 || q.ThresholdDenominator != 3 || q.ThresholdWeight != nil {
		t.Errorf("Quorum on the repo's manager = %+v, %v; want total 3 and 2/3 from its views", q, err)
	}
}

// TestValidateInterfaceOnly: the POA-style manager's own rules (an
// absolute threshold) and names come back as the reason.
func TestValidateInterfaceOnly(t *testing.T) {
	f := setupWith(t, deploy.Options{Pair: deploy.PairWAVS, ThresholdWeight: big.NewInt(3)}, "", 1, 1, 1)
	ctx := ctxFor(t, 20*time.Second)
	env := dataWithID(t, 1)
	// 2 of 3 meets 2/3 but not the absolute 3.
	v, err := f.p.Validate(ctx, f.submission(t, env, f.keys[:2]...))
	if err != nil || v.Valid || v.Reason != "InsufficientSignedStake()" {
		t.Errorf("Validate(2 of 3, threshold 3) = %+v, %v; want InsufficientSignedStake()", v, err)
	}
	v, err = f.p.Validate(ctx, f.submission(t, env, f.keys...))
	if err != nil || !v.Valid {
		t.Errorf("Validate(3 of 3) = %+v, %v; want valid", v, err)
	}
}

// TestFindLanding: a landing is proven only by a successful transaction
// to the handler carrying the event; everything a false notice could name
// is told apart, and a scan finds the first landing of a handler that
// accepts replays.
func TestFindLanding(t *testing.T) {
	f := wavsPair(t, "", 1)
	ctx := ctxFor(t, 60*time.Second)
	handler := sdk.Address(f.addrs.ServiceHandler).Hex()
	from := f.head(t)
	env := dataWithID(t, 7)
	sub := f.submission(t, env, f.keys[0])
	first, err := f.p.Submit(ctx, sub)
	if err != nil || first.AlreadyHandled {
		t.Fatalf("Submit = %+v, %v", first, err)
	}
	// The example handler takes a replay: a second transaction lands.
	second, err := f.p.Submit(ctx, f.submission(t, env, f.keys[0]))
	if err != nil || second.AlreadyHandled || second.TxHash == first.TxHash {
		t.Fatalf("replayed Submit = %+v, %v; want a second transaction", second, err)
	}

	q := sdk.LandingQuery{Chain: chainKey, Handler: handler, EventID: env.EventID}
	byHash := q
	byHash.TxHash = first.TxHash
	l, err := f.p.FindLanding(ctx, byHash)
	wantHash := common.Hash(sdkenv.Hash(env))
	if err != nil || !l.Found || l.TxHash != first.TxHash || l.BlockNumber != first.BlockNumber || l.EnvelopeHash != sdk.Hash(wantHash) {
		t.Fatalf("FindLanding(its transaction) = %+v, %v; want found in block %d with the envelope's hash", l, err, first.BlockNumber)
	}
	scan := q
	scan.FromBlock = from
	l, err = f.p.FindLanding(ctx, scan)
	if err != nil || !l.Found || l.TxHash != first.TxHash || l.ScannedTo != f.head(t) {
		t.Fatalf("FindLanding(scan from %d) = %+v, %v; want the first landing", from, l, err)
	}
	late := scan
	late.FromBlock = first.BlockNumber + 1
	if l, err := f.p.FindLanding(ctx, late); err != nil || !l.Found || l.TxHash != second.TxHash {
		t.Errorf("FindLanding(scan after the first) = %+v, %v; want the replay", l, err)
	}

	// What a rogue peer could name instead.
	other := dataWithID(t, 8)
	otherSub := f.submission(t, other, f.keys[0])
	forOther, err := f.p.Submit(ctx, otherSub)
	if err != nil {
		t.Fatal(err)
	}
	bad := f.submission(t, env, f.keys[0])
	bad.Signatures.Signatures[0] = append([]byte{}, bad.Signatures.Signatures[0]...)
	bad.Signatures.Signatures[0][5] ^= 0xff
	reverted := f.rawSend(t, 8, f.addrs.ServiceHandler, handlerCall(t, bad))
	if reverted.Status != 0 {
		t.Fatal("the forged handler call did not revert")
	}
	elsewhere := f.rawSend(t, 8, f.chain.Accounts[9], handlerCall(t, sub))
	plain := f.rawSend(t, 8, f.addrs.ServiceHandler, []byte{1, 2, 3, 4})
	cases := []struct {
		name string
		hash sdk.Hash
		want string
	}{
		{"unknown transaction", sdk.Hash{0xde, 0xad}, "unknown to the chain"},
		{"another event's landing", forOther.TxHash, "carries event"},
		{"reverted", sdk.Hash(reverted.TxHash), "reverted"},
		{"sent to another address", sdk.Hash(elsewhere.TxHash), "not sent to the handler"},
		{"not a handler call", sdk.Hash(plain.TxHash), "not a handleSignedEnvelope call"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := q
			q.TxHash = tc.hash
			l, err := f.p.FindLanding(ctx, q)
			if err != nil || l.Found || !strings.Contains(l.Reason, tc.want) {
				t.Errorf("FindLanding = %+v, %v; want not found because %q", l, err, tc.want)
			}
		})
	}
	// A scan skips all of them: for an event that never landed it finds
	// nothing, whatever was sent around it.
	never := q
	never.EventID = [20]byte{0x99}
	never.FromBlock = from
	if l, err := f.p.FindLanding(ctx, never); err != nil || l.Found || !strings.Contains(l.Reason, "no successful handleSignedEnvelope") {
		t.Errorf("FindLanding(an event that never landed) = %+v, %v", l, err)
	}
	failed := q
	failed.EventID = bad.Envelope.EventID
	failed.FromBlock = reverted.BlockNumber.Uint64()
	if l, err := f.p.FindLanding(ctx, failed); err != nil || l.Found || !strings.Contains(l.Reason, "reverted") {
		t.Errorf("scan from the reverted transaction = %+v, %v: want nothing found, the revert named", l, err)
	}
}

// TestFindLandingReusesTheHead: landings checked a moment apart read the
// chain's head once (a node checks several peers' notices and watches at
// once), and a head older than a landing's block is read again.
func TestFindLandingReusesTheHead(t *testing.T) {
	f := wavsPair(t, "", 1)
	ctx := ctxFor(t, 60*time.Second)
	env := dataWithID(t, 9)
	r, err := f.p.Submit(ctx, f.submission(t, env, f.keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	q := sdk.LandingQuery{Chain: chainKey, Handler: sdk.Address(f.addrs.ServiceHandler).Hex(), EventID: env.EventID, TxHash: r.TxHash}
	heads := func() int {
		// anvil prints a call's method as it answers it.
		time.Sleep(50 * time.Millisecond)
		return f.chain.Calls()["eth_getBlockByNumber"]
	}
	before := heads()
	for range 5 {
		if l, err := f.p.FindLanding(ctx, q); err != nil || !l.Found {
			t.Fatalf("FindLanding = %+v, %v", l, err)
		}
	}
	if n := heads() - before; n > 2 { // the head, and the finalized block
		t.Errorf("5 checks of one landing in a row read blocks %d times, want the head read once", n)
	}
	// A landing newer than the head remembered: the head is read again.
	env2 := dataWithID(t, 10)
	r2, err := f.p.Submit(ctx, f.submission(t, env2, f.keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	q2 := q
	q2.EventID, q2.TxHash = env2.EventID, r2.TxHash
	// (anvil may name the transaction pending for a moment after its
	// receipt is out.)
	var l sdk.Landing
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if l, err = f.p.FindLanding(ctx, q2); err != nil || !l.Pending || time.Now().After(deadline) {
			break
		}
	}
	if err != nil || !l.Found || l.BlockNumber != r2.BlockNumber {
		t.Fatalf("FindLanding(a landing in a newer block) = %+v, %v; want found in block %d", l, err, r2.BlockNumber)
	}
}

// TestScanReadsABlockOnce: a scan over blocks near the head reads each
// block once, checking later scans against the head's chain of parent
// hashes; a reorg that replaces the landing's block is seen at once.
func TestScanReadsABlockOnce(t *testing.T) {
	f := wavsPair(t, "", 1)
	ctx := ctxFor(t, 60*time.Second)
	from := f.head(t)
	env := dataWithID(t, 11)
	r, err := f.p.Submit(ctx, f.submission(t, env, f.keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.chain.RPC.CallContext(ctx, nil, "anvil_mine", 20); err != nil {
		t.Fatalf("anvil_mine: %v", err)
	}
	q := sdk.LandingQuery{Chain: chainKey, Handler: sdk.Address(f.addrs.ServiceHandler).Hex(), EventID: env.EventID, FromBlock: from}
	blockReads := func() int {
		// anvil prints a call's method as it answers it.
		time.Sleep(50 * time.Millisecond)
		return f.chain.Calls()["eth_getBlockByNumber"]
	}
	if l, err := f.p.FindLanding(ctx, q); err != nil || !l.Found || l.TxHash != r.TxHash {
		t.Fatalf("FindLanding(scan from %d) = %+v, %v; want found", from, l, err)
	}
	before := blockReads()
	const scans = 5
	for range scans {
		if l, err := f.p.FindLanding(ctx, q); err != nil || !l.Found {
			t.Fatalf("FindLanding = %+v, %v", l, err)
		}
	}
	// Each scan reads the head; the 22 blocks were read by the first.
	if n := blockReads() - before; n > scans+1 {
		t.Errorf("%d scans over %d blocks read blocks %d times, want about one head read each", scans, f.head(t)-from+1, n)
	}

	// Another event, not landed: its scan reads from the blocks
	// remembered.
	other := dataWithID(t, 12)
	qOther := q
	qOther.EventID = other.EventID
	if l, err := f.p.FindLanding(ctx, qOther); err != nil || l.Found {
		t.Fatalf("FindLanding(an event not landed) = %+v, %v", l, err)
	}
	// A reorg replaces the landing's block and those above it with new
	// ones, the first holding a landing of the other event: the
	// remembered blocks no longer lead to the head, and both scans see
	// the new chain.
	sub := f.submission(t, other, f.keys[0])
	sub.Signatures.Reference = from - 1 // a block the reorg keeps
	tx := f.signedTx(t, 8, f.addrs.ServiceHandler, handlerCall(t, sub))
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	depth := f.head(t) - r.BlockNumber + 1
	if err := f.chain.RPC.CallContext(ctx, nil, "anvil_reorg", depth, []any{[]any{hexutil.Encode(raw), 0}}); err != nil {
		t.Fatalf("anvil_reorg %d: %v", depth, err)
	}
	l, err := f.p.FindLanding(ctx, q)
	if err != nil || l.Found || !strings.Contains(l.Reason, "no successful handleSignedEnvelope") {
		t.Errorf("FindLanding after a reorg took the landing's block = %+v, %v; want not found", l, err)
	}
	if l, err := f.p.FindLanding(ctx, qOther); err != nil || !l.Found || l.TxHash != sdk.Hash(tx.Hash()) {
		t.Errorf("FindLanding(the other event, landed by the reorg) = %+v, %v; want found in %s", l, err, tx.Hash())
	}
}

// TestFindLandingWaitsForConfirmations: with confirmations set, a landing
// counts only once it has them.
func TestFindLandingWaitsForConfirmations(t *testing.T) {
	f := wavsPair(t, `{"receipt_poll_ms":20,"confirmations":3,"receipt_timeout_seconds":30}`, 1)
	ctx := ctxFor(t, 60*time.Second)
	env := dataWithID(t, 1)
	// Submit waits for the confirmations: mine blocks meanwhile.
	done := make(chan sdk.Receipt, 1)
	go func() {
		r, err := f.p.Submit(context.Background(), f.submission(t, env, f.keys[0]))
		if err != nil {
			t.Error(err)
		}
		done <- r
	}()
	var r sdk.Receipt
	for r.TxHash == (sdk.Hash{}) {
		select {
		case r = <-done:
		case <-time.After(200 * time.Millisecond):
			if err := f.chain.Mine(ctx, 1); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Rewind is not possible on a live chain, so check the rule on a
	// fresh landing: found only after three more blocks.
	env2 := dataWithID(t, 2)
	call := handlerCall(t, f.submission(t, env2, f.keys[0]))
	rec := f.rawSend(t, 8, f.addrs.ServiceHandler, call)
	q := sdk.LandingQuery{Chain: chainKey, Handler: sdk.Address(f.addrs.ServiceHandler).Hex(), EventID: env2.EventID, TxHash: sdk.Hash(rec.TxHash)}
	l, err := f.p.FindLanding(ctx, q)
	if err != nil || l.Found || !strings.Contains(l.Reason, "confirmations") {
		t.Fatalf("FindLanding before confirmations = %+v, %v", l, err)
	}
	if err := f.chain.Mine(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if l, err := f.p.FindLanding(ctx, q); err != nil || !l.Found {
		t.Errorf("FindLanding after 3 blocks = %+v, %v; want found", l, err)
	}
}

// TestAlreadyHandledNeedsTheEvent: the repo's handler names the event it
// holds, which proves the landing; a manager's error configured as
// "already handled" that does not name the event is never taken for one.
func TestAlreadyHandledNeedsTheEvent(t *testing.T) {
	// InvalidLength() is what the POA-style manager answers a submission
	// without signatures with.
	invalidLength := "0x947d5a84"
	f := wavsPair(t, `{"receipt_poll_ms":20,"already_handled_errors":["`+invalidLength+`","EventAlreadyHandled(bytes20)"]}`, 1)
	ctx := ctxFor(t, 20*time.Second)
	env := dataWithID(t, 3)
	probe := sdk.Submission{Chain: chainKey, Handler: sdk.Address(f.addrs.ServiceHandler).Hex(), Envelope: env}
	r, err := f.p.Submit(ctx, probe)
	if err == nil || r.AlreadyHandled {
		t.Fatalf("Submit without signatures = %+v, %v; want a revert, not a landing", r, err)
	}
	if !strings.Contains(err.Error(), "InvalidLength()") {
		t.Errorf("error %q does not name the manager's revert", err)
	}
	// (By name such an error is refused when configured:
	// TestConfigureRejects.)
}

// TestLandingTurnsFinal: a landing carries its block's hash, and is final
// once the chain's finalized block (anvil: 64 below the head) passes it;
// a transaction waiting in the pool is reported pending, not gone.
func TestLandingTurnsFinal(t *testing.T) {
	f := wavsPair(t, "", 1)
	ctx := ctxFor(t, 30*time.Second)
	env := dataWithID(t, 4)
	r, err := f.p.Submit(ctx, f.submission(t, env, f.keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	q := sdk.LandingQuery{Chain: chainKey, Handler: sdk.Address(f.addrs.ServiceHandler).Hex(), EventID: env.EventID, TxHash: r.TxHash}
	l, err := f.p.FindLanding(ctx, q)
	if err != nil || !l.Found || l.Final || l.BlockHash == (sdk.Hash{}) {
		t.Fatalf("FindLanding(fresh) = %+v, %v; want found, not final, with a block hash", l, err)
	}
	b, err := f.p.BlockAt(ctx, chainKey, l.BlockNumber)
	if err != nil || b.Hash != l.BlockHash {
		t.Errorf("BlockAt(%d) = %+v, %v; want the landing's block %x", l.BlockNumber, b, err, l.BlockHash)
	}
	if err := f.chain.Mine(ctx, 64); err != nil {
		t.Fatal(err)
	}
	// The finalized block is read again every 2 s at most.
	deadline := time.Now().Add(5 * time.Second)
	for {
		l, err := f.p.FindLanding(ctx, q)
		if err == nil && l.Found && l.Final {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("FindLanding(64 blocks later) = %+v, %v; want final", l, err)
		}
		time.Sleep(200 * time.Millisecond)
	}

	f.rpc(t, "evm_setAutomine", false)
	env2 := dataWithID(t, 5)
	rec := make(chan sdk.Receipt, 1)
	go func() {
		r, _ := f.p.Submit(context.Background(), f.submission(t, env2, f.keys[0]))
		rec <- r
	}()
	var pooled common.Hash
	for _, h := range f.waitPool(t, 1) {
		pooled = h
	}
	q2 := sdk.LandingQuery{Chain: chainKey, Handler: sdk.Address(f.addrs.ServiceHandler).Hex(), EventID: env2.EventID, TxHash: sdk.Hash(pooled)}
	if l, err := f.p.FindLanding(ctx, q2); err != nil || l.Found || !l.Pending {
		t.Errorf("FindLanding(in the pool) = %+v, %v; want pending", l, err)
	}
	f.rpc(t, "evm_mine")
	<-rec
}

// TestSubmitsReuseTheTip: submissions a moment apart ask the node for the
// priority fee once, and each transaction's fee cap still covers the base
// fee of the block it lands in.
func TestSubmitsReuseTheTip(t *testing.T) {
	f := wavsPair(t, "", 1)
	ctx := ctxFor(t, 60*time.Second)
	tips := func() int {
		time.Sleep(50 * time.Millisecond) // anvil prints a call's method as it answers it
		return f.chain.Calls()["eth_maxPriorityFeePerGas"]
	}
	before := tips()
	for i := range 3 {
		if _, err := f.p.Submit(ctx, f.submission(t, dataWithID(t, uint64(20+i)), f.keys[0])); err != nil {
			t.Fatal(err)
		}
	}
	if n := tips() - before; n != 1 {
		t.Errorf("3 submissions a moment apart asked for the tip %d times, want once", n)
	}
}

// TestCheckedLandingReadsOnlyTheReceipt: a landing looked at again (the
// host's watch) reads only its receipt once the plugin knows what the
// transaction carries, from sending it or from reading it once; what it
// answers is what a full check answers, a wrong event or handler
// included.
func TestCheckedLandingReadsOnlyTheReceipt(t *testing.T) {
	f := wavsPair(t, "", 1)
	ctx := ctxFor(t, 60*time.Second)
	handler := sdk.Address(f.addrs.ServiceHandler).Hex()
	// calls is how many calls of method anvil has answered, once it has
	// printed at least atLeast of them (it prints a call's method as it
	// answers it, a moment later on a loaded machine) and a moment more
	// has passed for any extra.
	calls := func(method string, atLeast int) int {
		for deadline := time.Now().Add(5 * time.Second); f.chain.Calls()[method] < atLeast && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		return f.chain.Calls()[method]
	}
	// Sent by this plugin: known from the start.
	env := dataWithID(t, 21)
	r, err := f.p.Submit(ctx, f.submission(t, env, f.keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	q := sdk.LandingQuery{Chain: chainKey, Handler: handler, EventID: env.EventID, TxHash: r.TxHash}
	byHash, receipts := calls("eth_getTransactionByHash", 0), calls("eth_getTransactionReceipt", 1)
	var first sdk.Landing
	for i := range 3 {
		l, err := f.p.FindLanding(ctx, q)
		if err != nil || !l.Found || l.BlockNumber != r.BlockNumber || l.EnvelopeHash == (sdk.Hash{}) {
			t.Fatalf("FindLanding = %+v, %v; want found in block %d with its envelope's hash", l, err, r.BlockNumber)
		}
		if i == 0 {
			first = l
		} else if l != first {
			t.Errorf("check %d = %+v, want %+v", i, l, first)
		}
	}
	if n := calls("eth_getTransactionReceipt", receipts+3) - receipts; n != 3 {
		t.Errorf("3 checks read %d receipts, want 3", n)
	}
	if n := calls("eth_getTransactionByHash", byHash) - byHash; n != 0 {
		t.Errorf("3 checks of a transaction the plugin sent read it %d times, want 0", n)
	}
	// What it carries still decides.
	other := q
	other.EventID[0] ^= 1
	if l, err := f.p.FindLanding(ctx, other); err != nil || l.Found || !strings.Contains(l.Reason, "carries event") {
		t.Errorf("FindLanding(another event) = %+v, %v; want not found, naming the event it carries", l, err)
	}
	wrongHandler := q
	wrongHandler.Handler = sdk.Address(f.addrs.ServiceManager).Hex()
	if l, err := f.p.FindLanding(ctx, wrongHandler); err != nil || l.Found || !strings.Contains(l.Reason, "not sent to the handler") {
		t.Errorf("FindLanding(another handler) = %+v, %v; want not found, naming the handler", l, err)
	}

	// Sent by another: read once, then known. A fresh plugin knows nothing.
	fresh := connect(t, config(anviltest.ChainID, f.chain.HTTPURL, ""))
	byHash = calls("eth_getTransactionByHash", 0)
	for range 3 {
		if l, err := fresh.FindLanding(ctx, q); err != nil || l != first {
			t.Fatalf("fresh plugin: FindLanding = %+v, %v; want %+v", l, err, first)
		}
	}
	if n := calls("eth_getTransactionByHash", byHash+1) - byHash; n != 1 {
		t.Errorf("3 checks by a plugin that did not send it read the transaction %d times, want 1", n)
	}
}
