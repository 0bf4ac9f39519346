package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClient(t *testing.T) {
	var gotAuth, gotType, gotQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotType, gotQuery = r.Header.Get("Authorization"), r.Header.Get("Content-Type"), r.URL.RawQuery
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/services":
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(`{"id":"cd","signing_address":"0x01"}`))
				return
			}
			_, _ = w.Write([]byte(`{"services":[{"id":"ab","name":"n","workflows":["w"]}]}`))
		case "/services/ab/results":
			_, _ = w.Write([]byte(`{"results":[{"event_id":"0x01","status":"submitted","quorum":{"signed_weight":"2"}}],"next_cursor":"c"}`))
		case "/p2p/status":
			_, _ = w.Write([]byte(`{"enabled":true,"local_peer_id":"p","connected_peers":2,"topic_peer_counts":{"t":2}}`))
		case "/aggregator":
			_, _ = w.Write([]byte(`{"pending":1,"pending_events":[{"event_id":"0x02","attempts":3}],"submitted":9}`))
		case "/teapot":
			w.WriteHeader(http.StatusTeapot)
			_, _ = w.Write([]byte(`{"error":"no coffee"}`))
		case "/html":
			_, _ = w.Write([]byte(`<html>`))
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("not here\nsecond line"))
		}
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL+"/", "tok")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	svcs, err := c.Services(ctx)
	if err != nil || len(svcs) != 1 || svcs[0].ID != "ab" || svcs[0].Workflows[0] != "w" {
		t.Fatalf("Services = %+v, %v", svcs, err)
	}
	if gotAuth != "Bearer tok" || gotType != "" {
		t.Errorf("GET sent Authorization %q, Content-Type %q; want the token and no type", gotAuth, gotType)
	}
	page, err := c.Results(ctx, "ab", ResultsQuery{Limit: 5, Payloads: true})
	if err != nil || len(page.Results) != 1 || page.Results[0].Quorum.SignedWeight != "2" || page.NextCursor != "c" {
		t.Fatalf("Results = %+v, %v", page, err)
	}
	if gotQuery != "limit=5&payloads=true" {
		t.Errorf("query %q", gotQuery)
	}
	st, err := c.P2PStatus(ctx)
	if err != nil || !st.Enabled || st.ConnectedPeers != 2 || st.TopicPeerCounts["t"] != 2 {
		t.Fatalf("P2PStatus = %+v, %v", st, err)
	}
	agg, err := c.Aggregator(ctx)
	if err != nil || agg.Pending != 1 || agg.PendingEvents[0].Attempts != 3 {
		t.Fatalf("Aggregator = %+v, %v", agg, err)
	}
	added, err := c.AddService(ctx, nil)
	if err != nil || added.ID != "cd" || added.SigningAddress != "0x01" {
		t.Fatalf("AddService = %+v, %v", added, err)
	}
	if gotType != "application/json" {
		t.Errorf("POST without a body sent Content-Type %q, want application/json", gotType)
	}

	for path, want := range map[string]StatusError{
		"/teapot":  {Status: http.StatusTeapot, Message: "no coffee"},
		"/missing": {Status: http.StatusNotFound, Message: "not here"},
	} {
		_, err := c.Get(ctx, path, nil)
		var se *StatusError
		if !errors.As(err, &se) || *se != want {
			t.Errorf("GET %s: %v, want %+v", path, err, want)
		}
	}
	if _, err := c.Get(ctx, "/html", nil); !errors.Is(err, ErrNotJSON) {
		t.Error("an answer that is not JSON was taken")
	}
	for _, bad := range []string{"127.0.0.1:8041", "ftp://x", "http://"} {
		if _, err := NewClient(bad, ""); err == nil {
			t.Errorf("NewClient(%q) took it", bad)
		}
	}
}
