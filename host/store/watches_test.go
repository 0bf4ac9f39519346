package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

func TestWatches(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	now := time.Now()
	a := Watch{EventID: eid(strings.Repeat("a", 40)), Chain: "evm:1", TxHash: sdk.Hash{0x01}, Block: 7, NextCheck: now.Add(time.Minute), Interval: time.Second}
	b := Watch{EventID: eid(strings.Repeat("b", 40)), Chain: "evm:1", TxHash: sdk.Hash{0x02}, Block: 8, NextCheck: now}
	for _, w := range []Watch{a, b} {
		if err := s.PutWatch(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	ws, err := s.Watches(ctx)
	if err != nil || len(ws) != 2 || ws[0].EventID != b.EventID || ws[1].Block != 7 || ws[1].Interval != time.Second || ws[1].CreatedAt.IsZero() {
		t.Fatalf("Watches = %+v, %v; want b then a", ws, err)
	}
	if err := s.DeleteWatch(ctx, b.EventID); err != nil {
		t.Fatal(err)
	}
	if ws, _ := s.Watches(ctx); len(ws) != 1 || ws[0].EventID != a.EventID {
		t.Errorf("after delete: %+v", ws)
	}
}

// TestRecordLanding: a landing is recorded whole, in one transaction
// (result, watch, submission and peer signatures gone), and a bad part
// leaves everything as it was.
func TestRecordLanding(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	ev, other := eid(strings.Repeat("c", 40)), eid(strings.Repeat("d", 40))
	res := ResultRecord{EventID: ev, ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signer: sdk.Address{0x01}, Signature: []byte{2}, Status: "signed"}
	sub := Submission{EventID: ev, ServiceID: "s", WorkflowID: "w", Chain: "evm:1", Handler: "0x02", Attempts: 1}
	if err := s.PutResultAndSubmission(ctx, res, sub); err != nil {
		t.Fatal(err)
	}
	for _, e := range []service.EventID{ev, other} {
		ps := PeerSignature{EventID: e, Signer: addr(strings.Repeat("1", 40)), ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signature: []byte{3}}
		if _, _, err := s.AddPeerSignature(ctx, ps); err != nil {
			t.Fatal(err)
		}
	}
	if got, ok, err := s.GetSubmission(ctx, ev); err != nil || !ok || got.Attempts != 1 {
		t.Fatalf("PutResultAndSubmission left submission %+v %v %v", got, ok, err)
	}

	// A watch of another event: nothing is written.
	landed := res
	landed.Status, landed.TxHash = "submitted", sdk.Hash{0xab}
	if err := s.RecordLanding(ctx, landed, &Watch{EventID: other, TxHash: sdk.Hash{0xab}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a watch of another event: %v", err)
	}
	if r, _, _ := s.GetResult(ctx, ev); r.Status != "signed" {
		t.Errorf("a refused landing changed the result: %+v", r)
	}

	if err := s.RecordLanding(ctx, landed, &Watch{EventID: ev, Chain: "evm:1", TxHash: sdk.Hash{0xab}, Block: 9}); err != nil {
		t.Fatal(err)
	}
	if r, _, _ := s.GetResult(ctx, ev); r.Status != "submitted" || r.TxHash != (sdk.Hash{0xab}) {
		t.Errorf("result after the landing: %+v", r)
	}
	if _, ok, _ := s.GetSubmission(ctx, ev); ok {
		t.Error("the submission is still pending after its landing")
	}
	if w, ok, err := s.GetWatch(ctx, ev); err != nil || !ok || w.Block != 9 {
		t.Errorf("watch %+v %v %v", w, ok, err)
	}
	if ps, _ := s.PeerSignatures(ctx, ev); len(ps) != 0 {
		t.Errorf("peer signatures of the landed event left: %+v", ps)
	}
	if ps, _ := s.PeerSignatures(ctx, other); len(ps) != 1 {
		t.Errorf("another event's peer signatures: %+v, want 1", ps)
	}
	// Without a watch (a landing the handler vouched for).
	if err := s.RecordLanding(ctx, landed, nil); err != nil {
		t.Fatal(err)
	}
}

// TestCloseWatch: the watch goes and the result is updated in one
// transaction; an update that declines leaves the result as it was.
func TestCloseWatch(t *testing.T) {
	s := openTemp(t)
	ctx := t.Context()
	ev, other := eid(strings.Repeat("e", 40)), eid(strings.Repeat("f", 40))
	for _, id := range []service.EventID{ev, other} {
		res := ResultRecord{EventID: id, ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signer: sdk.Address{0x01}, Signature: []byte{2}, Status: "submitted"}
		if err := s.PutResultAndSubmission(ctx, res, Submission{EventID: id, ServiceID: "s", WorkflowID: "w", Chain: "evm:1", Handler: "0x02"}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutWatch(ctx, Watch{EventID: id, Chain: "evm:1", TxHash: sdk.Hash{0x01}, Block: 7, NextCheck: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	final := func(r *ResultRecord) bool { r.Final, r.BlockNumber = true, 9; return true }
	if closed, err := s.CloseWatch(ctx, ev, sdk.Hash{0x01}, WatchEnd{Update: final}); err != nil || !closed {
		t.Fatalf("close: %v, %v", closed, err)
	}
	if closed, err := s.CloseWatch(ctx, other, sdk.Hash{0x01}, WatchEnd{Update: func(*ResultRecord) bool { return false }}); err != nil || !closed {
		t.Fatalf("close without an update: %v, %v", closed, err)
	}
	if ws, _ := s.Watches(ctx); len(ws) != 0 {
		t.Errorf("watches left: %+v", ws)
	}
	if r, ok, _ := s.GetResult(ctx, ev); !ok || !r.Final || r.BlockNumber != 9 || r.Status != "submitted" {
		t.Errorf("closed with an update: %+v", r)
	}
	if r, ok, _ := s.GetResult(ctx, other); !ok || r.Final || r.BlockNumber != 0 {
		t.Errorf("closed without an update: %+v", r)
	}
	if err := s.PutWatch(ctx, Watch{EventID: ev, Chain: "evm:1", TxHash: sdk.Hash{0x01}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseWatch(ctx, ev, sdk.Hash{0x01}, WatchEnd{Update: func(r *ResultRecord) bool { r.EventID = other; return true }}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an update that changes the event id: %v", err)
	}
	if ws, _ := s.Watches(ctx); len(ws) != 1 {
		t.Errorf("a refused close took the watch: %+v", ws)
	}
}

// TestWatchOpsKeepToTheirLanding: closing or updating the watch of one
// landing leaves alone the watch of the event's next landing (another
// transaction under the same event id) and does not bring back a watch
// that ended; the result and submission are untouched when it refuses.
func TestWatchOpsKeepToTheirLanding(t *testing.T) {
	s := openTemp(t)
	ctx := t.Context()
	id := eid(strings.Repeat("a1", 20))
	oldTx, newTx := sdk.Hash{0x0a}, sdk.Hash{0x0b}
	res := ResultRecord{EventID: id, ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signer: sdk.Address{0x01}, Signature: []byte{2}, Status: StatusSubmitted, TxHash: newTx}
	if err := s.RecordLanding(ctx, res, &Watch{EventID: id, Chain: "evm:1", TxHash: newTx, Block: 8}); err != nil {
		t.Fatal(err)
	}
	updates := 0
	touch := func(r *ResultRecord) bool { updates++; r.Status = StatusReorged; return true }
	sub := &Submission{EventID: id, ServiceID: "s", WorkflowID: "w", Chain: "evm:1", Handler: "0x02"}
	closed, err := s.CloseWatch(ctx, id, oldTx, WatchEnd{Update: touch, Requeue: sub})
	if err != nil || closed || updates != 0 {
		t.Fatalf("closing the old landing's watch: closed %v, %d updates, %v; want left alone", closed, updates, err)
	}
	ok, err := s.UpdateWatch(ctx, Watch{EventID: id, Chain: "evm:1", TxHash: oldTx, Block: 7})
	if err != nil || ok {
		t.Fatalf("updating with the old landing's watch: %v, %v; want refused", ok, err)
	}
	if w, found, _ := s.GetWatch(ctx, id); !found || w.TxHash != newTx || w.Block != 8 {
		t.Errorf("the new landing's watch after stale operations: %+v (found %v)", w, found)
	}
	if r, _, _ := s.GetResult(ctx, id); r.Status != StatusSubmitted {
		t.Errorf("result after a refused close: %s", r.Status)
	}
	if _, found, _ := s.GetSubmission(ctx, id); found {
		t.Error("a refused close queued a submission")
	}
	if ok, err := s.UpdateWatch(ctx, Watch{EventID: id, Chain: "evm:1", TxHash: newTx, Block: 9}); err != nil || !ok {
		t.Fatalf("updating the watch of its own landing: %v, %v", ok, err)
	}
	if closed, err := s.CloseWatch(ctx, id, newTx, WatchEnd{}); err != nil || !closed {
		t.Fatalf("closing the watch of its own landing: %v, %v", closed, err)
	}
	if ok, err := s.UpdateWatch(ctx, Watch{EventID: id, Chain: "evm:1", TxHash: newTx, Block: 10}); err != nil || ok {
		t.Errorf("an update after the close: %v, %v; want refused", ok, err)
	}
	if _, found, _ := s.GetWatch(ctx, id); found {
		t.Error("an update brought back a closed watch")
	}
}

// TestCloseWatchRequeues: a landing undone is queued again in the
// transaction that ends its watch: the result and submission are both
// written, or neither (the watch stays).
func TestCloseWatchRequeues(t *testing.T) {
	s := openTemp(t)
	ctx := t.Context()
	id := eid(strings.Repeat("b2", 20))
	tx := sdk.Hash{0x0c}
	res := ResultRecord{EventID: id, ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signer: sdk.Address{0x01}, Signature: []byte{2}, Status: StatusSubmitted, TxHash: tx}
	if err := s.RecordLanding(ctx, res, &Watch{EventID: id, Chain: "evm:1", TxHash: tx, Block: 8}); err != nil {
		t.Fatal(err)
	}
	undo := func(r *ResultRecord) bool { r.Status, r.TxHash = StatusSigned, sdk.Hash{}; return true }
	// A submission of another event is refused before anything is
	// written.
	bad := &Submission{EventID: eid(strings.Repeat("b3", 20)), Chain: "evm:1", Handler: "0x02"}
	if _, err := s.CloseWatch(ctx, id, tx, WatchEnd{Update: undo, Requeue: bad}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a submission of another event: %v; want ErrInvalid", err)
	}
	if _, found, _ := s.GetWatch(ctx, id); !found {
		t.Fatal("a refused requeue took the watch")
	}
	sub := &Submission{EventID: id, ServiceID: "s", WorkflowID: "w", Chain: "evm:1", Handler: "0x02", ScanFrom: 5}
	closed, err := s.CloseWatch(ctx, id, tx, WatchEnd{Update: undo, Requeue: sub})
	if err != nil || !closed {
		t.Fatalf("requeue: %v, %v", closed, err)
	}
	if sub.CreatedAt.IsZero() {
		t.Error("the submission as stored was not passed back")
	}
	got, found, err := s.GetSubmission(ctx, id)
	if err != nil || !found || got.ScanFrom != 5 {
		t.Fatalf("the queued submission: %+v, %v, %v", got, found, err)
	}
	if r, _, _ := s.GetResult(ctx, id); r.Status != StatusSigned {
		t.Errorf("result after the requeue: %s; want signed", r.Status)
	}
	if _, found, _ := s.GetWatch(ctx, id); found {
		t.Error("the watch stayed after the requeue")
	}
}
