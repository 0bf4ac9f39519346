package engine

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// The golden salts are laid out by hand from WAVS's types (see
// wavsdata.go and docs/wavs-compat.md), field by field; the event ids were
// computed apart from this code (sha256 and RIPEMD-160 of the same bytes
// in another language), for the service whose manager is
// 0x5fbdb2315678afecb367f032d93f642f64180aa3 on evm:31337, workflow
// "default".
func TestWAVSTriggerDataGolden(t *testing.T) {
	z31 := strings.Repeat("00", 31)
	h := func(b string) string { return "20" + z31 + b } // a B256: length 32, bytes
	evm := sampleTriggers()["evm"]
	noTime := *evm.EvmLog
	noTime.BlockTimestamp = 0
	tests := []struct {
		name    string
		trig    Trigger
		salt    string
		eventID string
	}{
		{"evm log", evm,
			"01" + // EvmContractEvent
				"09" + hex.EncodeToString([]byte("evm:31337")) + // chain
				"14" + strings.Repeat("00", 19) + "ab" + // contract_address
				"02" + h("01") + h("02") + // log_data.topics
				"02" + "dead" + // log_data.data
				h("04") + // tx_hash
				"0c" + // block_number 12
				"06" + // log_index
				h("03") + // block_hash
				"01" + "fc" + "7bf15365" + // block_timestamp Some(1700000123), u32 varint
				"05", // tx_index
			"eed79a292db3b5d53cb92c8d6a1468772ed46e33"},
		{"evm log without timestamp", Trigger{EvmLog: &noTime},
			"01" + "09" + hex.EncodeToString([]byte("evm:31337")) + "14" + strings.Repeat("00", 19) + "ab" +
				"02" + h("01") + h("02") + "02dead" + h("04") + "0c06" + h("03") + "00" + "05",
			"a1162f1c46d24980273c04a2eaf1495e6e820f66"},
		{"block interval", sampleTriggers()["block"],
			"02" + "05" + hex.EncodeToString([]byte("evm:1")) + "fd" + "0000000000010000", // block 2^40, u64 varint
			"ea3091ce40e87c8f9186561924700b87d6496e43"},
		{"cron", sampleTriggers()["cron"],
			"03" + "fd" + "15cd853dfe9c9717", // 1700000000123456789 ns
			"a7ddcf72368e22ac8ecfab82e4ffddf0cea3c86d"},
		{"raw", sampleTriggers()["raw"], "07" + "05" + hex.EncodeToString([]byte("hello")),
			"2aa5ad7dc581e63db6152549f77b4896855c2848"},
	}
	sid := service.ServiceID("evm:31337", service.Address(mustAddr(t, "5fbdb2315678afecb367f032d93f642f64180aa3")))
	if sid != "76d41ff256803de151fce2ed99d145cf985af50e6def0809072e9f68932f5d11" {
		t.Fatalf("service id %s", sid)
	}
	for _, tt := range tests {
		got, err := tt.trig.WAVSTriggerData()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if want, _ := hex.DecodeString(tt.salt); !bytes.Equal(got, want) {
			t.Errorf("%s: salt\n got  %x\n want %s", tt.name, got, tt.salt)
		}
		id, err := service.NewEventID(sid, "default", got)
		if err != nil || hex.EncodeToString(id[:]) != tt.eventID {
			t.Errorf("%s: event id %x (%v), want %s", tt.name, id, err, tt.eventID)
		}
	}
	// With a salt the component chose, only the salt counts.
	id, _ := service.NewEventID(sid, "default", []byte("my-salt"))
	if hex.EncodeToString(id[:]) != "346cc630eb22490cbbca9bbfc6897ccd03451fd5" {
		t.Errorf("salted event id %x", id)
	}
	if _, err := (Trigger{Cron: &sdk.CronTick{Time: time.Unix(0, -1)}}).WAVSTriggerData(); err == nil {
		t.Error("a cron tick before 1970 encoded")
	}
	if _, err := (Trigger{}).WAVSTriggerData(); err == nil {
		t.Error("a trigger without a kind encoded")
	}
}

func TestBincodeVarint(t *testing.T) {
	for _, tc := range []struct {
		v    uint64
		want string
	}{
		{0, "00"}, {250, "fa"}, {251, "fbfb00"}, {0xffff, "fbffff"}, {0x10000, "fc00000100"},
		{0xffffffff, "fcffffffff"}, {1 << 32, "fd0000000001000000"}, {^uint64(0), "fdffffffffffffffff"},
	} {
		var w bincodeWriter
		w.varint(tc.v)
		if hex.EncodeToString(w.b) != tc.want {
			t.Errorf("varint(%d) = %x, want %s", tc.v, w.b, tc.want)
		}
	}
}

func mustAddr(t *testing.T, s string) (a [20]byte) {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 20 {
		t.Fatal(s)
	}
	copy(a[:], b)
	return a
}
