package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// reorg replaces the chain's last depth blocks with as many empty ones
// (anvil_reorg); the transactions in them are gone, not back in the pool.
func (c *chainSetup) reorg(t testing.TB, depth uint64) {
	t.Helper()
	head, err := c.chain.Client.BlockNumber(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.chain.RPC.CallContext(t.Context(), nil, "anvil_reorg", depth, []any{}); err != nil {
		t.Fatalf("anvil_reorg %d: %v", depth, err)
	}
	// What landings read of the replaced blocks is stale.
	c.mu.Lock()
	for b := head - depth + 1; b <= head; b++ {
		delete(c.scanned, b)
	}
	c.mu.Unlock()
}

// gone reports whether a transaction is neither mined nor pending.
func (c *chainSetup) gone(t testing.TB, tx common.Hash) bool {
	t.Helper()
	var r, p map[string]any
	if err := c.chain.RPC.CallContext(t.Context(), &r, "eth_getTransactionReceipt", tx); err != nil {
		t.Fatal(err)
	}
	if err := c.chain.RPC.CallContext(t.Context(), &p, "eth_getTransactionByHash", tx); err != nil {
		t.Fatal(err)
	}
	return r == nil && p == nil
}

// nodeResult is the node's record of the one result of its service.
func nodeResult(t testing.TB, n *node, serviceID string) (result, bool) {
	t.Helper()
	var out struct {
		Results []struct {
			result
			Final bool `json:"final"`
		}
	}
	if code := n.get("/services/"+serviceID+"/results?limit=10", &out); code != 200 {
		t.Fatalf("GET results: %d", code)
	}
	if len(out.Results) != 1 {
		return result{}, false
	}
	r := out.Results[0].result
	if out.Results[0].Final {
		r.Proof += " [final]"
	}
	return r, true
}

// TestReorgedTriggerNeverLands: under the default two confirmations, a
// trigger whose block a one-block reorg replaces is never run, signed or
// sent; a trigger that stays lands.
func TestReorgedTriggerNeverLands(t *testing.T) {
	c := setupChain(t, deploy.PairRepo)
	c.cfg = chainConfig(c.chain) // trigger-evm's defaults
	n := startNode(t, c.nodeOptions(""))
	svc := c.registerByManager(t, n)
	s, err := deploy.NewSender(t.Context(), c.chain.Client, c.chain.Keys[2])
	if err != nil {
		t.Fatal(err)
	}
	_, r, err := deploy.AddTrigger(t.Context(), s, c.addrs.SimpleTrigger, []byte("5"))
	if err != nil {
		t.Fatal(err)
	}
	// At once: the trigger's block is the head, not confirmed yet.
	c.reorg(t, 1)
	if !c.gone(t, r.TxHash) {
		t.Fatal("the trigger transaction survived the reorg")
	}
	s, err = deploy.NewSender(t.Context(), c.chain.Client, c.chain.Keys[2]) // the nonce went back
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := deploy.AddTrigger(t.Context(), s, c.addrs.SimpleTrigger, []byte("6")); err != nil {
		t.Fatal(err)
	}
	if err := c.chain.Mine(t.Context(), 2); err != nil { // two confirmations
		t.Fatal(err)
	}
	var got map[string]int64
	if !eventually(60*time.Second, func() bool { got = c.handled(t); return len(got) == 1 }) {
		t.Fatalf("the trigger that stayed did not land: %v", got)
	}
	// The node has passed the reorged height long ago; give it more
	// blocks and time to make a mistake.
	if err := c.chain.Mine(t.Context(), 3); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	got = c.handled(t)
	for _, v := range got {
		if v != 36 {
			t.Errorf("a result of %d landed; only 36 (6²) should", v)
		}
	}
	if len(got) != 1 {
		t.Errorf("%d results on chain, want 1", len(got))
	}
	var out struct{ Results []result }
	n.get("/services/"+svc.ID+"/results?limit=10", &out)
	if len(out.Results) != 1 {
		t.Errorf("the node signed %d results, want 1 (the reorged trigger must not run): %+v", len(out.Results), out.Results)
	}
}

// TestReorgedLandingLandsAgain: a reorg that takes the landing's block but
// not the trigger's makes the node send the result again: it lands once
// more, exactly once, with no reverted transaction; the landing is then
// watched until final.
func TestReorgedLandingLandsAgain(t *testing.T) {
	for _, pair := range pairs {
		t.Run(string(pair), func(t *testing.T) { reorgedLandingLandsAgain(t, pair) })
	}
}

func reorgedLandingLandsAgain(t *testing.T, pair deploy.Pair) {
	c := setupChain(t, pair)
	n := startNode(t, c.nodeOptions(""))
	svc := c.registerByManager(t, n)
	s, err := deploy.NewSender(t.Context(), c.chain.Client, c.chain.Keys[2])
	if err != nil {
		t.Fatal(err)
	}
	_, tr, err := deploy.AddTrigger(t.Context(), s, c.addrs.SimpleTrigger, []byte("7"))
	if err != nil {
		t.Fatal(err)
	}
	var first []landing
	if !eventually(60*time.Second, func() bool { first, _ = c.landings(t); return len(first) == 1 }) {
		t.Fatal("the result did not land")
	}
	if first[0].block <= tr.BlockNumber.Uint64() {
		t.Fatalf("landing in block %d, trigger in %d: the test needs the landing later", first[0].block, tr.BlockNumber)
	}
	// The node records the landing once the receipt is back, a moment
	// after the chain shows it; a reorg before that is a dropped
	// transaction to the node (sent again, TestDroppedTransactionSentAgain),
	// not a landing undone.
	if !eventually(30*time.Second, func() bool {
		r, ok := nodeResult(t, n, svc.ID)
		return ok && r.Status == "submitted" && strings.EqualFold(r.TxHash, first[0].tx.Hex())
	}) {
		t.Fatalf("the node did not record its landing %s", first[0].tx.Hex())
	}
	head, err := c.chain.Client.BlockNumber(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	reorgAt := time.Now()
	c.reorg(t, head-first[0].block+1)
	if !c.gone(t, first[0].tx) {
		t.Fatal("the landing survived the reorg")
	}
	var again []landing
	if !eventually(90*time.Second, func() bool { again, _ = c.landings(t); return len(again) == 1 }) {
		t.Fatalf("the result did not land again after the reorg (node: %+v)", results(t, n, svc.ID))
	}
	t.Logf("landed again %v after the reorg (tx %s, block %d; the first was %s in block %d)",
		time.Since(reorgAt).Round(100*time.Millisecond), again[0].tx.Hex(), again[0].block, first[0].tx.Hex(), first[0].block)
	if again[0].eventID != first[0].eventID || again[0].value != 49 {
		t.Errorf("landed again %+v, want event %s with 49", again[0], first[0].eventID)
	}
	if nTx := c.handlerTxs(t); nTx != 1 { // fails on a reverted one or a second landing
		t.Errorf("%d handler transactions after the reorg, want 1", nTx)
	}
	var r result
	if !eventually(30*time.Second, func() bool {
		var ok bool
		r, ok = nodeResult(t, n, svc.ID)
		return ok && r.Status == "submitted" && strings.EqualFold(r.TxHash, again[0].tx.Hex())
	}) {
		t.Errorf("node's result %+v, want submitted by %s", r, again[0].tx.Hex())
	}

	// 64 blocks later the landing is final and no longer watched.
	if err := c.chain.Mine(t.Context(), 64); err != nil {
		t.Fatal(err)
	}
	if !eventually(60*time.Second, func() bool {
		r, ok := nodeResult(t, n, svc.ID)
		return ok && strings.HasSuffix(r.Proof, "[final]")
	}) {
		r, _ := nodeResult(t, n, svc.ID)
		t.Fatalf("the landing is not final 64 blocks deep: %+v", r)
	}
	m := scrape(t, n)
	if got := m.value(`wavs_landings_total{outcome="undone"}`); got != 1 {
		t.Errorf("landings undone = %v, want 1", got)
	}
	if got := m.value(`wavs_landings_total{outcome="final"}`); got != 1 {
		t.Errorf("landings final = %v, want 1", got)
	}
	if got := m.value("wavs_landings_watched"); got != 0 {
		t.Errorf("landings watched = %v, want 0", got)
	}
	if nTx := c.handlerTxs(t); nTx != 1 {
		t.Errorf("%d handler transactions in the end, want 1", nTx)
	}
}

// TestDroppedTransactionSentAgain: the node's transaction, dropped from
// the pool before any block took it, is sent again within seconds and
// lands once; no stale copy is mined and reverts.
func TestDroppedTransactionSentAgain(t *testing.T) {
	c := setupChain(t, deploy.PairRepo)
	n := startNode(t, c.nodeOptions(""))
	c.registerByManager(t, n)
	ctx := t.Context()
	if err := c.chain.RPC.CallContext(ctx, nil, "evm_setAutomine", false); err != nil {
		t.Fatal(err)
	}
	s, err := deploy.NewSender(ctx, c.chain.Client, c.chain.Keys[2])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transact(ctx, "addTrigger", c.addrs.SimpleTrigger, bindings.NewSimpleTrigger().PackAddTrigger([]byte("8"))); err != nil {
		t.Fatal(err)
	}
	if err := c.chain.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// The node's transaction waits in the pool: nothing mines it.
	nodeAccount := crypto.PubkeyToAddress(c.chain.Keys[9].PublicKey)
	var dropped common.Hash
	if !eventually(60*time.Second, func() bool {
		dropped = pendingFrom(t, c, nodeAccount, c.addrs.ServiceHandler)
		return dropped != (common.Hash{})
	}) {
		t.Fatal("the node sent nothing to the handler")
	}
	if err := c.chain.RPC.CallContext(ctx, nil, "anvil_dropTransaction", dropped); err != nil {
		t.Fatal(err)
	}
	droppedAt := time.Now()
	if !c.gone(t, dropped) {
		t.Fatal("the transaction is still known after anvil_dropTransaction")
	}
	// A block a second from now on, like a live chain.
	if err := c.chain.RPC.CallContext(ctx, nil, "evm_setIntervalMining", 1); err != nil {
		t.Fatal(err)
	}
	var got map[string]int64
	if !eventually(60*time.Second, func() bool { got = c.handled(t); return len(got) == 1 }) {
		t.Fatalf("the dropped result did not land: %v", got)
	}
	took := time.Since(droppedAt)
	t.Logf("landed %v after its transaction was dropped", took.Round(100*time.Millisecond))
	if took > 20*time.Second {
		t.Errorf("landing took %v after the drop; want it sent again within seconds", took)
	}
	time.Sleep(3 * time.Second) // a stale copy would be mined meanwhile
	if nTx := c.handlerTxs(t); nTx != 1 {
		t.Errorf("%d handler transactions, want 1", nTx)
	}
}

// pendingFrom is a transaction from one account to another waiting in
// anvil's pool (zero if none).
func pendingFrom(t testing.TB, c *chainSetup, from, to common.Address) common.Hash {
	t.Helper()
	var pool struct {
		Pending map[string]map[string]struct {
			Hash common.Hash     `json:"hash"`
			To   *common.Address `json:"to"`
		} `json:"pending"`
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := c.chain.RPC.CallContext(ctx, &pool, "txpool_content"); err != nil {
		t.Fatal(err)
	}
	for who, txs := range pool.Pending {
		if !strings.EqualFold(who, from.Hex()) {
			continue
		}
		for _, tx := range txs {
			if tx.To != nil && *tx.To == to {
				return tx.Hash
			}
		}
	}
	return common.Hash{}
}
