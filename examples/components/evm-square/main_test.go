package main

import (
	"context"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/sdk/component"
)

// newTriggerLog is the log data of SimpleTrigger.addTrigger("7") by
// 0xf39F…2266 as trigger 1, written out word by word.
var newTriggerLog = strings.Join([]string{
	"0000000000000000000000000000000000000000000000000000000000000020", // offset of bytes
	"00000000000000000000000000000000000000000000000000000000000000c0", // length 192
	"0000000000000000000000000000000000000000000000000000000000000020", // tuple offset
	"0000000000000000000000000000000000000000000000000000000000000001", // triggerId
	"000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266", // creator
	"0000000000000000000000000000000000000000000000000000000000000060", // data offset
	"0000000000000000000000000000000000000000000000000000000000000001", // data length
	"3700000000000000000000000000000000000000000000000000000000000000", // "7"
}, "")

func TestDecodeNewTrigger(t *testing.T) {
	raw, _ := hex.DecodeString(newTriggerLog)
	id, creator, data, err := decodeNewTrigger(raw)
	if err != nil {
		t.Fatal(err)
	}
	if id != 1 || hex.EncodeToString(creator[:]) != "f39fd6e51aad88f6f4ce6ab8827279cfffb92266" || string(data) != "7" {
		t.Errorf("got id %d creator %x data %q", id, creator, data)
	}
	for _, cut := range []int{0, 31, 64, 100, len(raw) - 1} {
		if _, _, _, err := decodeNewTrigger(raw[:cut]); err == nil {
			t.Errorf("decoding %d of %d bytes succeeded", cut, len(raw))
		}
	}
}

func TestNumber(t *testing.T) {
	for in, want := range map[string]string{"7": "7", " 12 ": "12", string(make([]byte, 31)) + "\x05": "5"} {
		n, err := number([]byte(in))
		if err != nil || n.String() != want {
			t.Errorf("number(%q) = %v, %v; want %s", in, n, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "x7"} {
		if _, err := number([]byte(bad)); err == nil {
			t.Errorf("number(%q) accepted", bad)
		}
	}
}

// TestDataWithID: the payload decodes as WAVS's example handler decodes it
// (checked against the contracts' Go decoder, which mirrors abi.decode).
func TestDataWithID(t *testing.T) {
	raw, _ := hex.DecodeString(newTriggerLog)
	resps, err := handle(context.Background(), component.Input{
		Config:  map[string]string{"payload": "data_with_id"},
		Trigger: component.Trigger{EvmLog: &component.EvmLog{Data: raw}},
	})
	if err != nil || len(resps) != 1 {
		t.Fatalf("handle = %v, %v", resps, err)
	}
	id, data, err := deploy.DecodeDataWithID(resps[0].Payload)
	if err != nil || id != 1 || new(big.Int).SetBytes(data).Int64() != 49 || len(data) != 32 {
		t.Errorf("DataWithId = %d, %x, %v; want trigger 1 and 49 as 32 bytes", id, data, err)
	}
	if _, err := handle(context.Background(), component.Input{Config: map[string]string{"payload": "json"}, Trigger: component.Trigger{Raw: []byte("2")}}); err == nil || !strings.Contains(err.Error(), "payload") {
		t.Errorf("an unknown payload format: %v", err)
	}
	plain, err := handle(context.Background(), component.Input{Trigger: component.Trigger{Raw: []byte("3")}})
	if err != nil || len(plain[0].Payload) != 32 || plain[0].Payload[31] != 9 {
		t.Errorf("default payload = %x, %v; want 9 as a uint256", plain[0].Payload, err)
	}
}

func TestBlockTick(t *testing.T) {
	resps, err := handle(context.Background(), component.Input{
		Config:  map[string]string{"payload": "data_with_id"},
		Trigger: component.Trigger{Block: &component.BlockTick{Chain: "evm:1", BlockNumber: 12}},
	})
	if err != nil || len(resps) != 1 {
		t.Fatalf("handle = %v, %v", resps, err)
	}
	id, data, err := deploy.DecodeDataWithID(resps[0].Payload)
	if err != nil || id != 12 || new(big.Int).SetBytes(data).Int64() != 144 {
		t.Errorf("DataWithId = %d, %x, %v; want trigger 12 and 144", id, data, err)
	}
}

func TestCronTick(t *testing.T) {
	resps, err := handle(context.Background(), component.Input{
		Config:  map[string]string{"payload": "data_with_id"},
		Trigger: component.Trigger{Cron: &component.CronTick{UnixNano: 1_700_000_010_500_000_000}},
	})
	if err != nil || len(resps) != 1 {
		t.Fatalf("handle = %v, %v", resps, err)
	}
	id, data, err := deploy.DecodeDataWithID(resps[0].Payload)
	want := new(big.Int).Mul(big.NewInt(1_700_000_010), big.NewInt(1_700_000_010))
	if err != nil || id != 1_700_000_010 || new(big.Int).SetBytes(data).Cmp(want) != 0 {
		t.Errorf("DataWithId = %d, %x, %v; want trigger 1700000010 and its square", id, data, err)
	}
}
