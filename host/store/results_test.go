package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
	bolt "go.etcd.io/bbolt"
)

func eventID(i int) service.EventID { return eid(fmt.Sprintf("%040x", i)) }

// eid is the event id written as 40 lowercase hex digits.
func eid(s string) service.EventID {
	id, err := service.ParseEventID(s)
	if err != nil {
		panic(err)
	}
	return id
}

// addr is the address written as 40 hex digits.
func addr(s string) sdk.Address {
	a, err := sdk.ParseAddress(s)
	if err != nil {
		panic(err)
	}
	return a
}

func TestResultRoundTrip(t *testing.T) {
	ctx := t.Context()
	clock := newClock()
	s := openTemp(t, WithClock(clock.now))
	rec := ResultRecord{
		EventID: eventID(1), ServiceID: svcA, WorkflowID: "price", Payload: []byte{1, 2},
		Signer: addr("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"), Signature: bytes.Repeat([]byte{9}, 65),
		TriggerCursor: "block:7", Status: "signed",
	}
	if err := s.PutResult(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, found, err := s.GetResult(ctx, rec.EventID)
	if err != nil || !found {
		t.Fatalf("GetResult: %v, %v", found, err)
	}
	created := clock.t
	want := rec
	want.CreatedAt = created
	if !equalResult(got, want) {
		t.Fatalf("GetResult = %+v\nwant %+v", got, want)
	}
	// An update keeps the creation time and stays one entry in the list.
	rec.Status, rec.Error = "failed", "reverted"
	if err := s.PutResult(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.GetResult(ctx, rec.EventID)
	if got.Status != "failed" || got.Error != "reverted" || !got.CreatedAt.Equal(created) {
		t.Errorf("after update = %+v", got)
	}
	if l, _ := s.ListResults(ctx, svcA, 0); len(l) != 1 {
		t.Errorf("ListResults after update has %d entries, want 1", len(l))
	}
	if _, found, err := s.GetResult(ctx, eventID(2)); found || err != nil {
		t.Errorf("GetResult of an unknown id: %v, %v", found, err)
	}
}

func equalResult(a, b ResultRecord) bool {
	return a.EventID == b.EventID && a.ServiceID == b.ServiceID && a.WorkflowID == b.WorkflowID &&
		bytes.Equal(a.Payload, b.Payload) && a.Signer == b.Signer && bytes.Equal(a.Signature, b.Signature) &&
		a.TriggerCursor == b.TriggerCursor && a.CreatedAt.Equal(b.CreatedAt) && a.Status == b.Status && a.Error == b.Error
}

func TestAddResultOnce(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	rec := ResultRecord{EventID: eventID(1), ServiceID: svcA, WorkflowID: "w", Status: "signed"}
	if added, err := s.AddResult(ctx, rec); !added || err != nil {
		t.Fatalf("first AddResult = %v, %v", added, err)
	}
	rec.Status = "other"
	if added, err := s.AddResult(ctx, rec); added || err != nil {
		t.Fatalf("second AddResult = %v, %v", added, err)
	}
	if got, _, _ := s.GetResult(ctx, rec.EventID); got.Status != "signed" {
		t.Errorf("second AddResult changed the status to %q", got.Status)
	}
}

func TestListResults(t *testing.T) {
	ctx := t.Context()
	clock := newClock()
	s := openTemp(t, WithClock(clock.now))
	// Stored out of order; svcB's results interleave.
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, i := range []int{3, 1, 4, 5, 2} {
		for _, id := range []string{svcA, svcB} {
			ev := eventID(i)
			if id == svcB {
				ev = eventID(100 + i)
			}
			rec := ResultRecord{EventID: ev, ServiceID: id, WorkflowID: "w", CreatedAt: base.Add(time.Duration(i) * time.Minute)}
			if err := s.PutResult(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Same creation time as result 5: the event id breaks the tie.
	if err := s.PutResult(ctx, ResultRecord{EventID: eventID(6), ServiceID: svcA, WorkflowID: "w", CreatedAt: base.Add(5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		limit int
		want  []int
	}{
		{0, []int{6, 5, 4, 3, 2, 1}},
		{-1, []int{6, 5, 4, 3, 2, 1}},
		{2, []int{6, 5}},
		{100, []int{6, 5, 4, 3, 2, 1}},
	}
	for _, tt := range tests {
		l, err := s.ListResults(ctx, svcA, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, r := range l {
			var n int
			fmt.Sscanf(r.EventID.String(), "%x", &n)
			got = append(got, n)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("ListResults(limit %d) = %v, want %v", tt.limit, got, tt.want)
		}
	}
	if l, err := s.ListResults(ctx, "nobody", 0); err != nil || len(l) != 0 {
		t.Errorf("ListResults of an unknown service = %v, %v", l, err)
	}
}

func TestResultBadInput(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	good := ResultRecord{EventID: eventID(1), ServiceID: svcA, WorkflowID: "w"}
	tests := []struct {
		name string
		edit func(*ResultRecord)
		want string
	}{
		{"no service", func(r *ResultRecord) { r.ServiceID = "" }, "service id is empty"},
		{"no workflow", func(r *ResultRecord) { r.WorkflowID = "" }, "workflow id is empty"},
		{"big payload", func(r *ResultRecord) { r.Payload = make([]byte, MaxValueSize+1) }, "payload is 1048577 bytes: want at most 1048576 (1 MiB)"},
		{"ancient", func(r *ResultRecord) { r.CreatedAt = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) }, "created at 1900-01-01T00:00:00Z: want a time in 1970..2261"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := good
			tt.edit(&rec)
			err := s.PutResult(ctx, rec)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PutResult: %v, want ErrInvalid with %q", err, tt.want)
			}
		})
	}
	if l, _ := s.ListResults(ctx, svcA, 0); len(l) != 0 {
		t.Errorf("bad input stored %d results", len(l))
	}
}

// TestAddResultAndQueue: a new result and its submission go in one
// transaction; a redelivered result is queued again while still signed,
// keeping the pending submission's progress, and not once it moved on.
func TestAddResultAndQueue(t *testing.T) {
	s := openTemp(t)
	ctx := t.Context()
	ev := eid(strings.Repeat("a", 40))
	rec := ResultRecord{EventID: ev, ServiceID: "s", WorkflowID: "w", Payload: []byte{1}, Signer: sdk.Address{0x01}, Signature: []byte{2}, Status: "signed"}
	sub := Submission{EventID: ev, ServiceID: "s", WorkflowID: "w", Chain: "evm:1", Handler: "0x02"}
	before := s.Stats().Commits
	added, q, err := s.AddResultAndQueue(ctx, rec, sub)
	if err != nil || !added || q == nil || q.CreatedAt.IsZero() {
		t.Fatalf("first: added %v queued %+v err %v", added, q, err)
	}
	if c := s.Stats().Commits - before; c != 1 {
		t.Errorf("%d commits, want 1", c)
	}
	// Progress made since, then the event comes again.
	sent := time.Now().Add(-time.Minute).UTC().Round(0)
	p := *q
	p.SentAt, p.ScanFrom, p.Attempts = sent, 7, 3
	if err := s.PutSubmission(ctx, p); err != nil {
		t.Fatal(err)
	}
	added, q, err = s.AddResultAndQueue(ctx, rec, sub)
	if err != nil || added || q == nil || !q.SentAt.Equal(sent) || q.ScanFrom != 7 {
		t.Fatalf("again while signed: added %v queued %+v err %v; want queued, keeping sent_at and scan_from", added, q, err)
	}
	if got, ok, _ := s.GetSubmission(ctx, ev); !ok || !got.SentAt.Equal(sent) {
		t.Errorf("stored submission %+v lost its sent_at", got)
	}
	// Landed: not queued again.
	rec.Status = "submitted"
	if err := s.RecordLanding(ctx, rec, nil); err != nil {
		t.Fatal(err)
	}
	rec.Status = "signed"
	added, q, err = s.AddResultAndQueue(ctx, rec, sub)
	if err != nil || added || q != nil {
		t.Errorf("again after landing: added %v queued %+v err %v; want neither", added, q, err)
	}
	if _, ok, _ := s.GetSubmission(ctx, ev); ok {
		t.Error("a landed event was queued again")
	}
	if r, _, _ := s.GetResult(ctx, ev); r.Status != "submitted" {
		t.Errorf("result status %q, want submitted kept", r.Status)
	}
}

// TestResultRowsAsStored: a result row keeps its text forms on disk, a
// row written by an earlier version (a checksummed signer, upper-case
// hex) reads back into the typed record, and a row whose signer or hash
// does not read is reported as corrupt.
func TestResultRowsAsStored(t *testing.T) {
	s := openTemp(t)
	ctx := t.Context()
	signer := addr("f39fd6e51aad88f6f4ce6ab8827279cfffb92266")
	tx := sdk.Hash{0xab, 0xcd}
	rec := ResultRecord{EventID: eventID(1), ServiceID: svcA, WorkflowID: "w", Signer: signer, TxHash: tx, Signers: []sdk.Address{signer}, Status: "submitted"}
	if err := s.PutResult(ctx, rec); err != nil {
		t.Fatal(err)
	}
	put := func(id service.EventID, row string) {
		t.Helper()
		if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketResults).Put(eventKey(id), []byte(row)) }); err != nil {
			t.Fatal(err)
		}
	}
	var raw map[string]any
	if err := s.db.View(func(btx *bolt.Tx) error {
		return json.Unmarshal(btx.Bucket(bucketResults).Get(eventKey(rec.EventID)), &raw)
	}); err != nil {
		t.Fatal(err)
	}
	if raw["signer"] != signer.Hex() || raw["tx_hash"] != tx.Hex() || fmt.Sprint(raw["signers"]) != "["+signer.Hex()+"]" {
		t.Errorf("stored row %v: want the signer, hash and signers as 0x hex", raw)
	}

	old := eventID(2)
	put(old, `{"service_id":"`+svcA+`","workflow_id":"w","payload":null,"signer":"0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266","tx_hash":"0xABCD`+strings.Repeat("0", 60)+`","signers":["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"],"status":"submitted","created_at":"2026-01-01T00:00:00Z"}`)
	got, ok, err := s.GetResult(ctx, old)
	if err != nil || !ok || got.Signer != signer || got.TxHash != tx || len(got.Signers) != 1 || got.Signers[0] != signer {
		t.Errorf("an earlier version's row = %+v, %v, %v", got, ok, err)
	}

	bad := eventID(3)
	put(bad, `{"service_id":"`+svcA+`","workflow_id":"w","signer":"0xnot-an-address","status":"signed","created_at":"2026-01-01T00:00:00Z"}`)
	if _, _, err := s.GetResult(ctx, bad); err == nil || !strings.Contains(err.Error(), "corrupt record "+bad.String()+": signer") {
		t.Errorf("a row with a bad signer: %v, want it named as corrupt", err)
	}
}
