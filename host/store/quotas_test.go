package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// addResults stores n results of service svc, one clock second apart.
func addResults(t *testing.T, s *Store, svc string, from, n, payload int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		rec := ResultRecord{EventID: eventID(i), ServiceID: svc, WorkflowID: "w", Payload: bytes.Repeat([]byte{byte(i)}, payload), Status: "signed"}
		if err := s.PutResult(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
	}
}

func TestResultsPages(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t, WithClock(newClock().now))
	addResults(t, s, svcA, 0, 25, 1000)
	addResults(t, s, svcB, 100, 3, 10)

	// Pages of 10, newest first, until the cursor runs out.
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("more than 3 pages of 25 results at 10 per page")
		}
		p, err := s.ListResultsPage(ctx, svcA, ResultsQuery{Limit: 10, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Results {
			if r.Payload != nil {
				t.Fatalf("result %s has its payload without WithPayload", r.EventID)
			}
			got = append(got, r.EventID.String())
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	if len(got) != 25 || got[0] != eventID(24).String() || got[24] != eventID(0).String() {
		t.Fatalf("pages gave %d results, first %s last %s; want 25 from %s to %s", len(got), got[0], got[len(got)-1], eventID(24), eventID(0))
	}

	// The byte bound ends a page early, but never gives an empty one.
	p, err := s.ListResultsPage(ctx, svcA, ResultsQuery{Limit: 100, MaxBytes: 5000, WithPayload: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.Results); n == 0 || n > 3 || p.NextCursor == "" {
		t.Errorf("a 5000-byte page of 1000-byte payloads has %d results (cursor %q)", n, p.NextCursor)
	}
	if len(p.Results[0].Payload) != 1000 {
		t.Errorf("WithPayload: payload of %d bytes, want 1000", len(p.Results[0].Payload))
	}
	p, err = s.ListResultsPage(ctx, svcA, ResultsQuery{Limit: 100, MaxBytes: 10})
	if err != nil || len(p.Results) != 1 {
		t.Errorf("a page smaller than one result: %d results, %v; want 1", len(p.Results), err)
	}

	for _, bad := range []string{"zz", "00", strings.Repeat("0", 98)} {
		if _, err := s.ListResultsPage(ctx, svcA, ResultsQuery{Cursor: bad}); !errors.Is(err, ErrInvalid) {
			t.Errorf("cursor %q: %v, want ErrInvalid", bad, err)
		}
	}
}

func TestResultsPrunedBeyondQuota(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t, WithClock(newClock().now), WithQuotas(Quotas{ResultsPerService: 5}))
	// Event 1 is still being submitted: it survives the pruning.
	if err := s.PutSubmission(ctx, Submission{EventID: eventID(1), ServiceID: svcA, WorkflowID: "w"}); err != nil {
		t.Fatal(err)
	}
	addResults(t, s, svcA, 0, 12, 10)
	addResults(t, s, svcB, 100, 2, 10)
	p, err := s.ListResultsPage(ctx, svcA, ResultsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range p.Results {
		ids = append(ids, r.EventID.String()[38:])
	}
	// The pending result counts toward the 5.
	if want := "0b 0a 09 08 01"; strings.Join(ids, " ") != want {
		t.Errorf("kept %v, want the newest 4 and the pending 01 (%s)", ids, want)
	}
	if _, found, _ := s.GetResult(ctx, eventID(0)); found {
		t.Error("a pruned result is still stored")
	}
	if l, _ := s.ListResults(ctx, svcB, 0); len(l) != 2 {
		t.Errorf("another service's results were pruned: %d left", len(l))
	}
	// The count survives a reopen.
	s = reopen(t, s, WithClock(newClock().now), WithQuotas(Quotas{ResultsPerService: 5}))
	if err := s.DeleteSubmission(ctx, eventID(1)); err != nil {
		t.Fatal(err)
	}
	addResults(t, s, svcA, 50, 1, 10)
	if l, err := s.ListResults(ctx, svcA, 0); len(l) != 5 {
		t.Errorf("after a reopen and one more result: %d results (%v), want 5", len(l), err)
	}
}

func TestResultsPrunedByAge(t *testing.T) {
	ctx := t.Context()
	clock := newClock()
	s := openTemp(t, WithClock(clock.now), WithQuotas(Quotas{ResultsMaxAge: time.Hour}))
	addResults(t, s, svcA, 0, 3, 10)
	clock.t = clock.t.Add(2 * time.Hour)
	if n, err := s.PruneResults(ctx); err != nil || n != 3 {
		t.Errorf("PruneResults = %d, %v; want 3", n, err)
	}
	addResults(t, s, svcA, 10, 2, 10)
	if n, err := s.PruneResults(ctx); err != nil || n != 0 {
		t.Errorf("PruneResults of fresh results = %d, %v; want 0", n, err)
	}
	if l, _ := s.ListResults(ctx, svcA, 0); len(l) != 2 {
		t.Errorf("%d results left, want 2", len(l))
	}
}

func TestKVQuota(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t, WithQuotas(Quotas{KVBytesPerService: 100, KVQuotaHint: "[wavs.quotas] kv_mib_per_service"}))
	register(t, s, svcA)
	register(t, s, svcB)
	if err := s.Set(ctx, svcA, "a", make([]byte, 60)); err != nil {
		t.Fatal(err)
	}
	err := s.Set(ctx, svcA, "b", make([]byte, 60))
	if !errors.Is(err, ErrQuota) {
		t.Fatalf("a write over the quota: %v, want ErrQuota", err)
	}
	for _, want := range []string{"122 bytes", "quota of 100 bytes", "kv_mib_per_service", svcA} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if _, found, _ := s.Get(ctx, svcA, "b"); found {
		t.Error("the refused write was stored")
	}
	// Another service has its own quota; replacing a value counts only
	// the difference; deleting frees room.
	if err := s.Set(ctx, svcB, "b", make([]byte, 60)); err != nil {
		t.Errorf("another service: %v", err)
	}
	if err := s.Set(ctx, svcA, "a", make([]byte, 99)); err != nil {
		t.Errorf("replacing a value within the quota: %v", err)
	}
	if _, err := s.Delete(ctx, svcA, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, svcA, "b", make([]byte, 90)); err != nil {
		t.Errorf("after a delete: %v", err)
	}
	// Deleting the service forgets its size.
	if _, err := s.DeleteService(ctx, svcA); err != nil {
		t.Fatal(err)
	}
	register(t, s, svcA)
	if err := s.Set(ctx, svcA, "c", make([]byte, 90)); err != nil {
		t.Errorf("after the service was deleted and registered again: %v", err)
	}
}
