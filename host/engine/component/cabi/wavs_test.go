package cabi

import (
	"encoding/binary"
	"errors"
	"reflect"
	"testing"
)

// The types of WAVS's wavs:operator@2.7.0 world, written by hand from
// Lay3rLabs/WAVS wit-definitions/operator/wit/operator.wit and
// wit-definitions/operator/wit/deps/wavs-types-2.7.0/package.wit.
var (
	bytesT     = ListOf(U8())
	evmAddress = RecordOf(field("raw-bytes", bytesT))
	evmLogData = RecordOf(field("topics", ListOf(bytesT)), field("data", bytesT))
	evmLog     = RecordOf(
		field("address", evmAddress),
		field("data", evmLogData),
		field("tx-hash", bytesT),
		field("block-number", U64()),
		field("log-index", U64()),
		field("block-hash", bytesT),
		field("block-timestamp", OptionOf(U64())),
		field("tx-index", U64()),
	)
	timestampT    = RecordOf(field("nanos", U64()))
	cosmosAddress = RecordOf(field("bech32-addr", String()), field("prefix-len", U32()))
	cosmosEvent   = RecordOf(field("ty", String()), field("attributes", ListOf(TupleOf(String(), String()))))
	solanaAddress = RecordOf(field("raw-bytes", bytesT))
	solanaCommit  = VariantOf(cas("processed", nil), cas("confirmed", nil), cas("finalized", nil))

	tdEvm    = RecordOf(field("chain", String()), field("log", evmLog))
	tdCosmos = RecordOf(field("contract-address", cosmosAddress), field("chain", String()),
		field("event", cosmosEvent), field("event-index", U64()), field("block-height", U64()))
	tdBlock   = RecordOf(field("chain", String()), field("block-height", U64()))
	tdCron    = RecordOf(field("trigger-time", timestampT))
	tdAtproto = RecordOf(field("sequence", S64()), field("timestamp", S64()), field("repo", String()),
		field("collection", String()), field("rkey", String()), field("action", String()),
		field("cid", OptionOf(String())), field("record-data", OptionOf(String())),
		field("rev", OptionOf(String())), field("op-index", OptionOf(U32())))
	tdHypercore = RecordOf(field("feed-key", String()), field("index", U64()), field("data", bytesT))
	tdSolana    = RecordOf(field("chain", String()), field("slot", U64()), field("signature", String()),
		field("instruction-index", U32()), field("inner-instruction-index", OptionOf(U32())),
		field("log-index", U32()), field("program-id", solanaAddress), field("data", bytesT))
	triggerData = VariantOf(cas("evm-contract-event", tdEvm), cas("cosmos-contract-event", tdCosmos),
		cas("block-interval", tdBlock), cas("cron", tdCron), cas("atproto-event", tdAtproto),
		cas("hypercore-append", tdHypercore), cas("solana-program-event", tdSolana), cas("raw", bytesT))

	trEvm    = RecordOf(field("address", evmAddress), field("chain", String()), field("event-hash", bytesT))
	trCosmos = RecordOf(field("address", cosmosAddress), field("chain", String()), field("event-type", String()))
	trBlock  = RecordOf(field("chain", String()), field("n-blocks", U32()),
		field("start-block", OptionOf(U64())), field("end-block", OptionOf(U64())))
	trCron = RecordOf(field("schedule", String()), field("start-time", OptionOf(timestampT)),
		field("end-time", OptionOf(timestampT)))
	trAtproto = RecordOf(field("collection", String()), field("repo-did", OptionOf(String())),
		field("action", OptionOf(String())))
	trHypercore = RecordOf(field("feed-key", String()))
	solFilter   = VariantOf(cas("discriminator", bytesT), cas("log-contains", String()))
	trSolana    = RecordOf(field("chain", String()), field("program-id", solanaAddress),
		field("filter", solFilter), field("commitment", solanaCommit))
	trigger = VariantOf(cas("evm-contract-event", trEvm), cas("cosmos-contract-event", trCosmos),
		cas("block-interval", trBlock), cas("cron", trCron), cas("atproto-event", trAtproto),
		cas("hypercore-append", trHypercore), cas("solana-program-event", trSolana), cas("manual", nil))

	triggerConfig = RecordOf(field("service-id", String()), field("workflow-id", String()), field("trigger", trigger))
	triggerAction = RecordOf(field("config", triggerConfig), field("data", triggerData))

	wasmResponse = RecordOf(field("payload", bytesT), field("ordering", OptionOf(U64())),
		field("event-id-salt", OptionOf(bytesT)))
	runResult = ResultOf(ListOf(wasmResponse), String())

	runFunc = MustFunc([]Param{{Name: "trigger-action", Type: triggerAction}}, []*Type{runResult})
)

// Sizes and alignments worked out by hand from the spec's rules (offsets in
// the comments), so a layout regression shows up as a plain number.
func TestWAVSLayouts(t *testing.T) {
	tests := []struct {
		name        string
		typ         *Type
		align, size uint32
	}{
		{"evm-address", evmAddress, 4, 8},
		{"evm-event-log-data", evmLogData, 4, 16},
		// address@0 data@8 tx-hash@24 block-number@32 log-index@40
		// block-hash@48 block-timestamp@56(16) tx-index@72 → 80
		{"evm-event-log", evmLog, 8, 80},
		{"trigger-data-evm-contract-event", tdEvm, 8, 88},       // chain@0 log@8
		{"cosmos-address", cosmosAddress, 4, 12},                // string@0 u32@8
		{"trigger-data-cosmos-contract-event", tdCosmos, 8, 56}, // 0,12,20,40,48
		{"trigger-data-block-interval", tdBlock, 8, 16},
		{"trigger-data-cron", tdCron, 8, 8},
		// s64@0 s64@8 strings@16..40 cid@48(12) record-data@60 rev@72 op-index@84(8) → 92 → 96
		{"trigger-data-atproto-event", tdAtproto, 8, 96},
		{"trigger-data-hypercore-append", tdHypercore, 8, 24},
		// chain@0 slot@8 signature@16 ii@24 iii@28(8) log-index@36 program-id@40 data@48 → 56
		{"trigger-data-solana-program-event", tdSolana, 8, 56},
		// u8 disc, payload at 8, largest case (atproto) 96 → 104
		{"trigger-data", triggerData, 8, 104},
		{"trigger-block-interval", trBlock, 8, 48}, // chain@0 n@8 start@16 end@32
		{"trigger-cron", trCron, 8, 40},
		{"solana-event-filter", solFilter, 4, 12},
		{"trigger-solana-program-event", trSolana, 4, 32}, // 0,8,16,28(1) → 29 → 32
		{"trigger", trigger, 8, 56},                       // payload at 8, largest 48
		{"trigger-config", triggerConfig, 8, 72},          // 0, 8, 16
		{"trigger-action", triggerAction, 8, 176},         // config@0 data@72
		// payload@0 ordering@8(16) event-id-salt@24(12) → 36 → 40
		{"wasm-response", wasmResponse, 8, 40},
		{"result<list<wasm-response>, string>", runResult, 4, 12},
		{"u128 record", RecordOf(field("value", TupleOf(U64(), U64()))), 8, 16},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.typ.Align() != tc.align || tc.typ.Size() != tc.size {
				t.Errorf("align/size = %d/%d, want %d/%d", tc.typ.Align(), tc.typ.Size(), tc.align, tc.size)
			}
		})
	}
	if got := len(triggerAction.Flat()); got <= MaxFlatParams {
		t.Errorf("trigger-action flattens to %d values; the spec spills it", got)
	}
	p, r := runFunc.CoreSignature(Lift)
	if coreTypes(p) != "i32" || coreTypes(r) != "i32" {
		t.Errorf("run core signature = (%s) -> (%s), want (i32) -> (i32)", coreTypes(p), coreTypes(r))
	}
}

// The offsets a hand-written guest needs, through the exported accessors
// (offsets in TestWAVSLayouts' comments; in this variant of the types raw
// is case 7).
func TestWAVSOffsets(t *testing.T) {
	for _, c := range []struct {
		what      string
		got, want uint32
	}{
		{"trigger-action.data", triggerAction.FieldOffset(1), 72},
		{"trigger-data discriminant", triggerData.DiscriminantSize(), 1},
		{"trigger-data payload", triggerData.PayloadOffset(), 8},
		{"wasm-response.ordering", wasmResponse.FieldOffset(1), 8},
		{"wasm-response.event-id-salt", wasmResponse.FieldOffset(2), 24},
		{"option<u64> payload", OptionOf(U64()).PayloadOffset(), 8},
		{"option<list<u8>> payload", OptionOf(bytesT).PayloadOffset(), 4},
		{"run result payload", runResult.PayloadOffset(), 4},
		{"field out of range", wasmResponse.FieldOffset(3), 0},
		{"not a record", U64().FieldOffset(0), 0},
		{"not a variant", U64().DiscriminantSize(), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.what, c.got, c.want)
		}
	}
}

func sampleTriggerAction() Value {
	log := Fields(
		Fields([]byte{0xaa, 0xbb}),
		Fields([]Value{[]byte{1}, []byte{2, 2}, []byte{3, 3, 3}}, []byte("log data")),
		[]byte{0x11},
		uint64(1234),
		uint64(5),
		[]byte{0x22},
		Some(uint64(1700000000)),
		uint64(9),
	)
	return Fields(
		Fields("service-1", "workflow-1", Variant{Case: 0, Value: Fields(Fields([]byte{0xaa, 0xbb}), "evm:31337", []byte{0xee})}),
		Variant{Case: 0, Value: Fields("evm:31337", log)},
	)
}

// The host lowers a trigger-action for run: it spills to a block from realloc;
// read back as the guest would see it, it is the same value, and the bytes
// sit where the hand-derived offsets say.
func TestWAVSTriggerActionRoundTrip(t *testing.T) {
	m := newTestMem(4096, 64)
	g := m.guest()
	val := sampleTriggerAction()
	args, err := g.LowerParams(t.Context(), runFunc, []Value{val})
	if err != nil {
		t.Fatal(err)
	}
	if len(args) != 1 {
		t.Fatalf("args = %v, want one pointer", args)
	}
	ptr := uint32(args[0])
	if m.calls[0] != "0,0,8,176->0x40" {
		t.Errorf("first realloc = %s, want the 176-byte tuple aligned to 8", m.calls[0])
	}
	le := binary.LittleEndian
	if got := m.b[ptr+72]; got != 0 {
		t.Errorf("trigger-data discriminant = %d", got)
	}
	// data@72, payload@80, log@88, block-number at log+32
	if got := le.Uint64(m.b[ptr+120:]); got != 1234 {
		t.Errorf("block-number at +120 = %d", got)
	}
	// block-timestamp option at log+56 = 144: disc, then the u64 at +152
	if m.b[ptr+144] != 1 || le.Uint64(m.b[ptr+152:]) != 1700000000 {
		t.Errorf("block-timestamp = %x", m.b[ptr+144:ptr+160])
	}
	// the host side of an import with this signature sees the same value
	back, err := g.LiftParams(runFunc, []uint64{uint64(ptr), 0x800})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back[0], val) {
		t.Errorf("round trip:\n got %#v\nwant %#v", back[0], val)
	}
}

// A guest's run returns a pointer to result<list<wasm-response>, string>.
func TestWAVSRunResults(t *testing.T) {
	m := newTestMem(0x200, 0x180)
	le := binary.LittleEndian
	// return area at 0x10: ok, list of 2 at 0x40
	m.b[0x10] = 0
	le.PutUint32(m.b[0x14:], 0x40)
	le.PutUint32(m.b[0x18:], 2)
	// element 0 at 0x40: payload (0x100, 3), ordering some(7), salt some(0x110, 2)
	le.PutUint32(m.b[0x40:], 0x100)
	le.PutUint32(m.b[0x44:], 3)
	m.b[0x48] = 1
	le.PutUint64(m.b[0x50:], 7)
	m.b[0x58] = 1
	le.PutUint32(m.b[0x5c:], 0x110)
	le.PutUint32(m.b[0x60:], 2)
	// element 1 at 0x68: payload (0x120, 0), ordering none, salt none (junk in the unused payloads)
	le.PutUint32(m.b[0x68:], 0x120)
	le.PutUint64(m.b[0x78:], 0xdeadbeef)
	copy(m.b[0x100:], []byte{0xaa, 0xbb, 0xcc})
	copy(m.b[0x110:], []byte{1, 2})
	// the error return area at 0x20: err("boom!")
	m.b[0x20] = 1
	le.PutUint32(m.b[0x24:], 0x130)
	le.PutUint32(m.b[0x28:], 5)
	copy(m.b[0x130:], "boom!")

	g := m.guest()
	got, err := g.LiftResults(runFunc, []uint64{0x10})
	if err != nil {
		t.Fatal(err)
	}
	want := Ok([]Value{
		Fields([]byte{0xaa, 0xbb, 0xcc}, Some(uint64(7)), Some([]byte{1, 2})),
		Fields([]byte{}, None(), None()),
	})
	if !reflect.DeepEqual(got[0], want) {
		t.Errorf("ok results:\n got %#v\nwant %#v", got[0], want)
	}
	got, err = g.LiftResults(runFunc, []uint64{0x20})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[0], Err("boom!")) {
		t.Errorf("err result = %#v", got[0])
	}
	if _, err := g.LiftResults(runFunc, []uint64{0x12}); !errors.Is(err, ErrMisaligned) {
		t.Errorf("misaligned return area: %v", err)
	}
	if _, err := g.LiftResults(runFunc, []uint64{0x1fc}); !errors.Is(err, ErrOutOfBounds) {
		t.Errorf("return area past the end: %v", err)
	}
}

// A bad pointer deep inside trigger-action is reported with its WIT path.
func TestWAVSErrorPath(t *testing.T) {
	m := newTestMem(4096, 64)
	g := m.guest()
	args, err := g.LowerParams(t.Context(), runFunc, []Value{sampleTriggerAction()})
	if err != nil {
		t.Fatal(err)
	}
	// topics list: log@88, data@+8 → topics (ptr,len) at 96; its third element
	// is 8 bytes in at index 2
	topics := binary.LittleEndian.Uint32(m.b[uint32(args[0])+96:])
	binary.LittleEndian.PutUint32(m.b[topics+2*8:], 0xfffffff0)
	_, err = g.LiftParams(runFunc, []uint64{args[0], 0x800})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrOutOfBounds) {
		t.Fatalf("err = %v, want an out-of-bounds *Error", err)
	}
	if want := "trigger-action.data.evm-contract-event.log.data.topics[2]"; e.Path != want {
		t.Errorf("path = %q, want %q (%v)", e.Path, want, err)
	}
}

// The host import get-evm-chain-config(chain-key: string) -> option<evm-chain-config>
// takes its string flat and writes its result to the guest's return pointer.
func TestWAVSHostImportReturnPointer(t *testing.T) {
	evmChainConfig := RecordOf(field("chain-id", String()), field("ws-endpoints", ListOf(String())),
		field("http-endpoint", OptionOf(String())))
	f := MustFunc([]Param{{Name: "chain-key", Type: String()}}, []*Type{OptionOf(evmChainConfig)})
	if p, r := f.CoreSignature(Lower); coreTypes(p) != "i32 i32 i32" || len(r) != 0 {
		t.Fatalf("core signature (%s) -> (%s)", coreTypes(p), coreTypes(r))
	}
	m := newTestMem(0x200, 0x100)
	copy(m.b[0x80:], "evm:1")
	g := m.guest()
	args := []uint64{0x80, 5, 0x20}
	params, err := g.LiftParams(f, args)
	if err != nil {
		t.Fatal(err)
	}
	if params[0] != "evm:1" {
		t.Fatalf("chain-key = %#v", params[0])
	}
	res, err := g.LowerResults(t.Context(), f, args, []Value{Some(Fields("1", []Value{"ws://a"}, None()))})
	if err != nil {
		t.Fatal(err)
	}
	if res != nil {
		t.Errorf("core results = %v, want none", res)
	}
	// option disc@0x20, record@0x24: chain-id (0x100,1), ws-endpoints
	// (0x104,1) → element string at 0x10c; http-endpoint none at 0x34
	want := unhex(t, "01000000 00010000 01000000 04010000 01000000 00 000000 00000000 00000000")
	if got := m.b[0x20 : 0x20+32]; string(got) != string(want) {
		t.Errorf("return area = %x\n         want %x", got, want)
	}
	if string(m.b[0x100:0x101]) != "1" || string(m.b[0x10c:0x112]) != "ws://a" {
		t.Errorf("heap = %q", m.b[0x100:0x112])
	}
	// a misaligned return pointer is the guest's fault
	if _, err := g.LowerResults(t.Context(), f, []uint64{0x80, 5, 0x22}, []Value{None()}); !errors.Is(err, ErrMisaligned) {
		t.Errorf("misaligned retptr: %v", err)
	}
}
