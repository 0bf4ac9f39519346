package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func equalService(a, b ServiceRecord) bool {
	return a.ID == b.ID && bytes.Equal(a.Service, b.Service) && a.Status == b.Status && a.LastError == b.LastError &&
		a.UpdatedAt.Equal(b.UpdatedAt) && a.SigningIndex == b.SigningIndex && a.RegisteredAt.Equal(b.RegisteredAt)
}

func TestServiceRoundTrip(t *testing.T) {
	ctx := t.Context()
	clock := newClock()
	s := openTemp(t, WithClock(clock.now))
	// Kept byte for byte: spaces, key order, HTML characters.
	raw := json.RawMessage("{ \"name\" : \"a<b>&c\",\n  \"workflows\": {} }")
	rec := ServiceRecord{ID: svcA, Service: raw, Status: "active", LastError: "boom"}
	if err := s.PutService(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, found, err := s.GetService(ctx, svcA)
	if err != nil || !found {
		t.Fatalf("GetService: %v %v", found, err)
	}
	first := clock.t
	want := ServiceRecord{ID: svcA, Service: raw, Status: "active", LastError: "boom", UpdatedAt: first, SigningIndex: 1, RegisteredAt: first}
	if !equalService(got, want) {
		t.Fatalf("GetService = %+v\nwant %+v", got, want)
	}
	if got.UpdatedAt.Location() != time.UTC {
		t.Errorf("UpdatedAt in %v, want UTC", got.UpdatedAt.Location())
	}

	// Updating keeps the registration time and the signing index.
	rec.Status, rec.LastError = "paused", ""
	if err := s.PutService(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.GetService(ctx, svcA)
	want.Status, want.LastError, want.UpdatedAt = "paused", "", clock.t
	if !equalService(got, want) {
		t.Fatalf("after update = %+v\nwant %+v", got, want)
	}

	// Times given are kept (as UTC), except a later RegisteredAt.
	at := time.Date(2030, 5, 6, 7, 8, 9, 10, time.FixedZone("X", 3600))
	rec.UpdatedAt, rec.RegisteredAt, rec.SigningIndex = at, at, 1
	if err := s.PutService(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.GetService(ctx, svcA)
	if !got.UpdatedAt.Equal(at) || !got.RegisteredAt.Equal(first) {
		t.Errorf("times = %v, %v; want %v, %v", got.UpdatedAt, got.RegisteredAt, at, first)
	}

	if _, found, err := s.GetService(ctx, svcB); found || err != nil {
		t.Errorf("GetService of an unknown id: %v, %v", found, err)
	}
}

func TestServiceSigningIndexMismatch(t *testing.T) {
	s := openTemp(t)
	register(t, s, svcA)
	err := s.PutService(t.Context(), ServiceRecord{ID: svcA, Service: json.RawMessage(`{}`), SigningIndex: 7})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "signing index 7: the service has index 1") {
		t.Fatalf("error = %v", err)
	}
}

func TestListServicesSorted(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	if l, err := s.ListServices(ctx); err != nil || len(l) != 0 {
		t.Fatalf("ListServices of an empty store = %v, %v", l, err)
	}
	for _, id := range []string{"c", "a", "b"} {
		register(t, s, id)
	}
	l, err := s.ListServices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range l {
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "a,b,c" {
		t.Errorf("ids = %v, want a,b,c", ids)
	}
}

func TestDeleteService(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	register(t, s, svcA)
	register(t, s, svcB)
	for _, id := range []string{svcA, svcB} {
		if err := s.Set(ctx, id, "k", []byte(id)); err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"w1", "w2"} {
			if err := s.PutCursor(ctx, id+"/"+w, "c-"+w); err != nil {
				t.Fatal(err)
			}
		}
	}
	res := ResultRecord{EventID: eid(strings.Repeat("01", 20)), ServiceID: svcA, WorkflowID: "w1", Status: "signed"}
	if err := s.PutResult(ctx, res); err != nil {
		t.Fatal(err)
	}

	found, err := s.DeleteService(ctx, svcA)
	if err != nil || !found {
		t.Fatalf("DeleteService = %v, %v", found, err)
	}
	if _, ok, _ := s.GetService(ctx, svcA); ok {
		t.Error("service still there")
	}
	if _, ok, _ := s.Get(ctx, svcA, "k"); ok {
		t.Error("KV data still there")
	}
	for _, w := range []string{"w1", "w2"} {
		if _, ok, _ := s.Cursor(ctx, svcA+"/"+w); ok {
			t.Errorf("cursor %s still there", w)
		}
	}
	if _, ok, _ := s.GetResult(ctx, res.EventID); !ok {
		t.Error("result was deleted")
	}
	// The other service is untouched.
	if v, ok, _ := s.Get(ctx, svcB, "k"); !ok || string(v) != svcB {
		t.Errorf("other service's KV = %q, %v", v, ok)
	}
	if c, ok, _ := s.Cursor(ctx, svcB+"/w2"); !ok || c != "c-w2" {
		t.Errorf("other service's cursor = %q, %v", c, ok)
	}
	// Writes for the deleted service are refused until it is registered again.
	if err := s.Set(ctx, svcA, "k", []byte("late")); !errors.Is(err, ErrNotFound) {
		t.Errorf("Set after delete: %v, want ErrNotFound", err)
	}
	if err := s.PutCursor(ctx, svcA+"/w1", "late"); !errors.Is(err, ErrNotFound) {
		t.Errorf("PutCursor after delete: %v, want ErrNotFound", err)
	}

	if found, err := s.DeleteService(ctx, svcA); found || err != nil {
		t.Errorf("second DeleteService = %v, %v", found, err)
	}

	// Registered again, it gets its old signing index back; a new service
	// gets a new one.
	register(t, s, svcA)
	if got, _, _ := s.GetService(ctx, svcA); got.SigningIndex != 1 {
		t.Errorf("re-added service has index %d, want 1", got.SigningIndex)
	}
	if _, ok, _ := s.Get(ctx, svcA, "k"); ok {
		t.Error("re-added service sees old KV data")
	}
	register(t, s, "third")
	if got, _ := s.SigningIndex(ctx, "third"); got != 3 {
		t.Errorf("new service has index %d, want 3", got)
	}
}

func TestSigningIndex(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	// Allocated on first use, with or without a service record.
	for i, id := range []string{svcB, svcA, svcB, "x", svcA} {
		want := map[string]uint32{svcB: 1, svcA: 2, "x": 3}[id]
		got, err := s.SigningIndex(ctx, id)
		if err != nil || got != want {
			t.Errorf("call %d: SigningIndex(%s) = %d, %v; want %d", i, id, got, err, want)
		}
	}
	register(t, s, "x")
	if got, _, _ := s.GetService(ctx, "x"); got.SigningIndex != 3 {
		t.Errorf("PutService took index %d, want the reserved 3", got.SigningIndex)
	}
	if _, err := s.DeleteService(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SigningIndex(ctx, "x"); got != 3 {
		t.Errorf("index after delete = %d, want 3", got)
	}
}

func TestServiceBadInput(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	valid := json.RawMessage(`{"name":"x"}`)
	tests := []struct {
		name string
		rec  ServiceRecord
		want string
	}{
		{"empty id", ServiceRecord{Service: valid}, `store: put service "": service id is empty`},
		{"slash in id", ServiceRecord{ID: "a/b", Service: valid}, `store: put service "a/b": service id "a/b": want no spaces, control characters or /`},
		{"space in id", ServiceRecord{ID: "a b", Service: valid}, `store: put service "a b": service id "a b": want no spaces, control characters or /`},
		{"long id", ServiceRecord{ID: strings.Repeat("a", MaxIDSize+1), Service: valid}, "service id is 257 bytes: want at most 256"},
		{"no JSON", ServiceRecord{ID: "a"}, `store: put service "a": service JSON is not valid JSON`},
		{"bad JSON", ServiceRecord{ID: "a", Service: json.RawMessage(`{"name":`)}, "service JSON is not valid JSON"},
		{"huge JSON", ServiceRecord{ID: "a", Service: json.RawMessage(`"` + strings.Repeat("x", MaxValueSize) + `"`)}, "service JSON is 1048578 bytes: want at most 1048576 (1 MiB)"},
		{"huge status", ServiceRecord{ID: "a", Service: valid, Status: strings.Repeat("s", maxTextSize+1)}, "status is 65537 bytes: want at most 65536"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.PutService(ctx, tt.rec)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want ErrInvalid with %q", err, tt.want)
			}
		})
	}
	if l, _ := s.ListServices(ctx); len(l) != 0 {
		t.Errorf("bad input stored %d services", len(l))
	}
	if _, err := s.SigningIndex(ctx, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("SigningIndex(\"\"): %v", err)
	}
	if _, err := s.DeleteService(ctx, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("DeleteService(\"\"): %v", err)
	}
}

func TestLastErrorIsCut(t *testing.T) {
	s := openTemp(t)
	long := strings.Repeat("é", maxTextSize) // 2 bytes each
	if err := s.PutService(t.Context(), ServiceRecord{ID: "a", Service: json.RawMessage(`{}`), LastError: long}); err != nil {
		t.Fatal(err)
	}
	got, _, _ := s.GetService(t.Context(), "a")
	if len(got.LastError) > maxTextSize || !strings.HasSuffix(got.LastError, "… (cut)") || !strings.HasPrefix(got.LastError, "éé") {
		t.Errorf("LastError is %d bytes, ends %q", len(got.LastError), got.LastError[len(got.LastError)-12:])
	}
}

func TestSigningIndexConcurrent(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	const services, callers = 20, 4
	got := make([][callers]uint32, services)
	var wg sync.WaitGroup
	for i := range services {
		for c := range callers {
			wg.Go(func() {
				idx, err := s.SigningIndex(ctx, fmt.Sprintf("svc-%d", i))
				if err != nil {
					t.Error(err)
				}
				got[i][c] = idx
			})
		}
	}
	wg.Wait()
	seen := map[uint32]int{}
	for i, idxs := range got {
		for _, idx := range idxs {
			if idx != idxs[0] {
				t.Errorf("svc-%d got indexes %v", i, idxs)
			}
		}
		if j, dup := seen[idxs[0]]; dup {
			t.Errorf("svc-%d and svc-%d share index %d", i, j, idxs[0])
		}
		seen[idxs[0]] = i
		if idxs[0] < 1 || idxs[0] > services {
			t.Errorf("svc-%d got index %d, want 1..%d", i, idxs[0], services)
		}
	}
}
