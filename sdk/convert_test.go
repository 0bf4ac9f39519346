package sdk

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"testing"
	"time"

	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

func TestSpecRoundTrip(t *testing.T) {
	start := time.Unix(1_700_000_000, 0).UTC()
	cases := []TriggerSpec{
		{ID: "a", Source: &EvmContractEvent{Chain: "evm:31337", Address: Address{1, 2}, EventHash: Hash{3}}, Cursor: "10:2"},
		{ID: "b", Source: &BlockInterval{Chain: "evm:1", NBlocks: 5, StartBlock: 7, EndBlock: 99}},
		{ID: "c", Source: &Cron{Schedule: "*/5 * * * *", StartTime: start, EndTime: start.Add(time.Hour)}},
		{ID: "d", Source: &Cron{Schedule: "@every 1s"}},
	}
	for _, want := range cases {
		p, err := specToPB(want)
		if err != nil {
			t.Fatalf("specToPB(%+v): %v", want, err)
		}
		got, err := specFromPB(p)
		if err != nil {
			t.Fatalf("specFromPB: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip of %s: got %+v, want %+v", want.ID, got.Source, want.Source)
		}
	}
}

func TestSpecFromPBRejects(t *testing.T) {
	cases := map[string]*pb.TriggerSpec{
		"no id":     {Source: &pb.TriggerSpec_Cron{Cron: &pb.Cron{}}},
		"no source": {Id: "x"},
		"short address": {Id: "x", Source: &pb.TriggerSpec_EvmContractEvent{EvmContractEvent: &pb.EvmContractEvent{
			Address: make([]byte, 19), EventHash: make([]byte, 32)}}},
		"long hash": {Id: "x", Source: &pb.TriggerSpec_EvmContractEvent{EvmContractEvent: &pb.EvmContractEvent{
			Address: make([]byte, 20), EventHash: make([]byte, 33)}}},
	}
	for name, p := range cases {
		if _, err := specFromPB(p); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
	if _, err := specToPB(TriggerSpec{ID: "x"}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("specToPB(no source) = %v, want ErrInvalidArgument", err)
	}
}

func TestEventRoundTrip(t *testing.T) {
	cases := []TriggerEvent{
		{TriggerID: "a", Cursor: "1", Data: &EvmLog{Chain: "evm:1", Address: Address{9}, Topics: []Hash{{1}, {2}}, Data: []byte("d"), BlockNumber: 4, BlockHash: Hash{5}, TxHash: Hash{6}, TxIndex: 7, LogIndex: 8, BlockTimestamp: 1_700_000_000}},
		{TriggerID: "b", Cursor: "2", Data: &BlockTick{Chain: "evm:1", BlockNumber: 10, BlockHash: Hash{1}}},
		{TriggerID: "c", Cursor: "3", Data: &CronTick{Time: time.Unix(0, 1_700_000_000_123_456_789).UTC()}},
	}
	for _, want := range cases {
		p, err := eventToPB(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := eventFromPB(p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip: got %+v, want %+v", got.Data, want.Data)
		}
	}
	bad := &pb.TriggerEvent{TriggerId: "x", Data: &pb.TriggerEvent_EvmLog{EvmLog: &pb.EvmLog{Address: make([]byte, 20), BlockHash: make([]byte, 32), TxHash: make([]byte, 32), Topics: [][]byte{{1}}}}}
	if _, err := eventFromPB(bad); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("a 1-byte topic: err = %v, want ErrInvalidArgument", err)
	}
}

func TestSubmissionAndQuorumRoundTrip(t *testing.T) {
	want := Submission{
		Chain: "evm:31337", Handler: Address{1}.Hex(),
		Envelope:   Envelope{EventID: [20]byte{2}, Ordering: [12]byte{3}, Payload: []byte("payload")},
		Signatures: SignatureData{Scheme: SchemeSecp256k1EIP191, Signers: [][]byte{{4}, {5}}, Signatures: [][]byte{make([]byte, 65), make([]byte, 65)}, Reference: 41},
		GasPrice:   big.NewInt(7_000_000_001),
	}
	got, err := submissionFromPB(submissionToPB(want))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("submission round trip: got %+v", got)
	}
	p := submissionToPB(want)
	p.SignatureData.Signatures = p.SignatureData.Signatures[:1]
	if _, err := submissionFromPB(p); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("2 signers, 1 signature: err = %v", err)
	}

	q := Quorum{Weights: []*big.Int{big.NewInt(0), new(big.Int).Lsh(big.NewInt(1), 200)}, TotalWeight: big.NewInt(1000), ThresholdNumerator: 2, ThresholdDenominator: 3}
	gq := quorumFromPB(quorumToPB(q))
	if len(gq.Weights) != 2 || gq.Weights[0].Sign() != 0 || gq.Weights[1].Cmp(q.Weights[1]) != 0 || gq.TotalWeight.Cmp(q.TotalWeight) != 0 || gq.ThresholdDenominator != 3 {
		t.Errorf("quorum round trip: %+v", gq)
	}
}

func TestQuorumUnknownsRoundTrip(t *testing.T) {
	big0, big7 := big.NewInt(0), big.NewInt(7)
	cases := []struct {
		name string
		in   Quorum
	}{
		{"nothing known", Quorum{Weights: []*big.Int{big7}}},
		{"a total of zero is known", Quorum{TotalWeight: big0}},
		{"fraction and absolute", Quorum{TotalWeight: big7, ThresholdNumerator: 2, ThresholdDenominator: 3, ThresholdWeight: big7}},
		{"absolute of zero", Quorum{ThresholdWeight: big0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := quorumFromPB(quorumToPB(tc.in))
			same := func(a, b *big.Int) bool { return (a == nil) == (b == nil) && (a == nil || a.Cmp(b) == 0) }
			if !same(got.TotalWeight, tc.in.TotalWeight) || !same(got.ThresholdWeight, tc.in.ThresholdWeight) ||
				got.ThresholdNumerator != tc.in.ThresholdNumerator || got.ThresholdDenominator != tc.in.ThresholdDenominator {
				t.Errorf("got %+v, want %+v", got, tc.in)
			}
		})
	}
	// A plugin built before the unknowns existed sends a total without
	// total_known: the host must take it as unknown, never as zero.
	if q := quorumFromPB(&pb.QuorumResponse{TotalWeight: []byte{1}}); q.TotalWeight != nil {
		t.Errorf("total without total_known = %v, want unknown", q.TotalWeight)
	}
	// Half a fraction is no fraction.
	if q := quorumFromPB(&pb.QuorumResponse{ThresholdNumerator: 2}); q.ThresholdNumerator != 0 {
		t.Errorf("numerator without denominator kept: %+v", q)
	}
}

func TestLandingRoundTrip(t *testing.T) {
	q := LandingQuery{Chain: "evm:1", Handler: Address{1}.Hex(), EventID: [20]byte{2}, TxHash: Hash{3}, FromBlock: 9}
	gq, err := landingQueryFromPB(landingQueryToPB(q))
	if err != nil || gq != q {
		t.Errorf("query round trip: %+v, %v", gq, err)
	}
	scan := LandingQuery{Chain: "evm:1", Handler: Address{1}.Hex(), EventID: [20]byte{2}, FromBlock: 9}
	if gq, err := landingQueryFromPB(landingQueryToPB(scan)); err != nil || gq != scan {
		t.Errorf("scan query round trip: %+v, %v", gq, err)
	}
	l := Landing{Found: true, TxHash: Hash{4}, BlockNumber: 10, EnvelopeHash: Hash{5}, ScannedTo: 11, BlockHash: Hash{6}, Final: true}
	if gl, err := landingFromPB(landingToPB(l)); err != nil || gl != l {
		t.Errorf("landing round trip: %+v, %v", gl, err)
	}
	bad := []struct {
		name string
		q    *pb.LandingQuery
	}{
		{"short event id", &pb.LandingQuery{Handler: "0x01", EventId: make([]byte, 19)}},
		{"short tx hash", &pb.LandingQuery{Handler: "0x01", EventId: make([]byte, 20), TxHash: []byte{1}}},
	}
	for _, tc := range bad {
		if _, err := landingQueryFromPB(tc.q); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", tc.name, err)
		}
	}
	pending := Landing{Reason: "in the pool", Pending: true, TxHash: Hash{7}}
	if gl, err := landingFromPB(landingToPB(pending)); err != nil || gl != pending {
		t.Errorf("pending round trip: %+v, %v", gl, err)
	}
	if _, err := landingFromPB(&pb.LandingResponse{Found: true}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("found without a hash: err = %v", err)
	}
}

func TestErrorsCrossTheBoundary(t *testing.T) {
	for _, sentinel := range []error{ErrInvalidArgument, ErrNotFound, ErrUnavailable, ErrUnimplemented, context.Canceled, context.DeadlineExceeded} {
		orig := fmt.Errorf("plugin x: topic y: %w", sentinel)
		back := fromStatus(toStatus(orig))
		if !errors.Is(back, sentinel) {
			t.Errorf("%v: came back as %v, not wrapping the sentinel", sentinel, back)
		}
		if back.Error() != orig.Error() {
			t.Errorf("message %q came back as %q", orig, back)
		}
	}
	other := fromStatus(toStatus(errors.New("boom")))
	if other.Error() != "boom" || errors.Is(other, ErrNotFound) {
		t.Errorf("plain error came back as %v", other)
	}
	if fromStatus(nil) != nil || toStatus(nil) != nil {
		t.Error("nil did not stay nil")
	}
}

func TestCheckTopic(t *testing.T) {
	long := string(make([]byte, MaxTopicLen+1))
	for topic, ok := range map[string]bool{"wavs/abc/topic/v1": true, "": false, long: false, long[1:]: true} {
		if err := CheckTopic(topic); (err == nil) != ok || (err != nil && !errors.Is(err, ErrInvalidArgument)) {
			t.Errorf("CheckTopic(%d bytes) = %v, want ok=%v", len(topic), err, ok)
		}
	}
}
