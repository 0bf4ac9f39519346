package contracts_test

import (
	"bytes"
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"

	"github.com/wavs-go/wavs/contracts"
	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// TestSimpleTrigger adds triggers and decodes their NewTrigger events.
func TestSimpleTrigger(t *testing.T) {
	t.Parallel()
	chain := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := deploy.NewSender(ctx, chain.Client, chain.Keys[4])
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := deploy.Deploy(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	st := bindings.NewSimpleTrigger()

	for i, data := range [][]byte{[]byte("hello"), nil, bytes.Repeat([]byte{0xab}, 100)} {
		info, receipt, err := deploy.AddTrigger(ctx, s, addrs.SimpleTrigger, data)
		if err != nil {
			t.Fatal(err)
		}
		want := contracts.TriggerInfo{TriggerID: uint64(i + 1), Creator: chain.Accounts[4], Data: data}
		if info.TriggerID != want.TriggerID || info.Creator != want.Creator || !bytes.Equal(info.Data, want.Data) {
			t.Errorf("trigger %d: %+v, want %+v", i, info, want)
		}
		// The raw event: one log, topic NewTrigger(bytes), data = abi.encode(TriggerInfo).
		if len(receipt.Logs) != 1 {
			t.Fatalf("%d logs, want 1", len(receipt.Logs))
		}
		ev, err := st.UnpackNewTriggerEvent(receipt.Logs[0])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ev.TriggerData, contracts.EncodeTriggerInfo(want)) {
			t.Errorf("triggerData %x, want abi.encode(TriggerInfo) %x", ev.TriggerData, contracts.EncodeTriggerInfo(want))
		}
		if offset := new(big.Int).SetBytes(ev.TriggerData[:32]); offset.Int64() != 32 {
			t.Errorf("triggerData starts with %v, want the 0x20 offset of one dynamic tuple", offset)
		}
	}
	next, err := bind.Call(st.Instance(chain.Client, addrs.SimpleTrigger), &bind.CallOpts{Context: ctx}, st.PackNextTriggerId(), st.UnpackNextTriggerId)
	if err != nil || next != 4 {
		t.Errorf("nextTriggerId = %d, %v; want 4", next, err)
	}
}
