package e2e

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/wavs-go/wavs/contracts/anviltest"
)

// BenchmarkChainCallCost reports the chain's (anvil's) own CPU per
// JSON-RPC call, by method, one call at a time on an otherwise idle
// chain: what each call the nodes make costs the chain they share. A
// transaction sent is mined at once (one per block), so its figure is
// the block's cost too.
func BenchmarkChainCallCost(b *testing.B) {
	chain := anviltest.Start(b)
	pid := chain.PID()
	if pid == 0 {
		b.Skip("the chain's process is not known")
	}
	ctx := context.Background()
	key := chain.Keys[9]
	from := chain.Accounts[9]
	chainID := big.NewInt(anviltest.ChainID)
	nonce, err := chain.Client.PendingNonceAt(ctx, from)
	if err != nil {
		b.Fatal(err)
	}
	send := func(b *testing.B) common.Hash {
		tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
			ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(1e11),
			Gas: 21000, To: &common.Address{0x01}, Value: big.NewInt(1),
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := chain.Client.SendTransaction(ctx, tx); err != nil {
			b.Fatal(err)
		}
		nonce++
		return tx.Hash()
	}
	mined := send(b)
	if _, err := waitMined(ctx, chain, mined); err != nil {
		b.Fatal(err)
	}
	raw := func(method string, args ...any) func(*testing.B) {
		return func(b *testing.B) {
			var out any
			if err := chain.RPC.CallContext(ctx, &out, method, args...); err != nil {
				b.Fatal(err)
			}
		}
	}
	transfer := ethereum.CallMsg{From: from, To: &common.Address{0x01}, Value: big.NewInt(1)}
	calls := []struct {
		name string
		call func(*testing.B)
	}{
		{"eth_chainId", raw("eth_chainId")},
		{"eth_getTransactionReceipt", raw("eth_getTransactionReceipt", mined)},
		{"eth_getTransactionByHash", raw("eth_getTransactionByHash", mined)},
		{"eth_getBlockByNumber/latest", raw("eth_getBlockByNumber", "latest", false)},
		{"eth_getBlockByNumber/finalized", raw("eth_getBlockByNumber", "finalized", false)},
		{"eth_getTransactionCount", raw("eth_getTransactionCount", from, "pending")},
		{"eth_estimateGas/transfer", func(b *testing.B) {
			if _, err := chain.Client.EstimateGas(ctx, transfer); err != nil {
				b.Fatal(err)
			}
		}},
		{"eth_sendRawTransaction/transfer", func(b *testing.B) { send(b) }},
	}
	for _, c := range calls {
		b.Run(c.name, func(b *testing.B) {
			c.call(b) // warm
			before := procCPU(pid)
			b.ResetTimer()
			for range b.N {
				c.call(b)
			}
			b.StopTimer()
			b.ReportMetric(float64((procCPU(pid)-before).Microseconds())/float64(b.N), "chain-cpu-µs/call")
		})
	}
}

// waitMined waits up to 10 s for the receipt of hash.
func waitMined(ctx context.Context, chain *anviltest.Chain, hash common.Hash) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		r, err := chain.Client.TransactionReceipt(ctx, hash)
		if err == nil {
			return r, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}
