package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/netguard"
)

const secret = "hunter2-do-not-echo"

func loopbackClient(t *testing.T) *http.Client {
	allow, err := netguard.ParseAllow("outbound_allow", []string{"127.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	return netguard.New(netguard.Options{Allow: allow}).Client(0)
}

// A service URI from the chain can name neither a local file nor, unless
// the operator allows the range, a loopback address such as the node's
// own API.
func TestFetchServiceJSONRefusesLocalTargets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"secret":"` + secret + `"}`))
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "creds.json")
	if err := os.WriteFile(file, []byte(`{"secret":"`+secret+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	guarded := &Registry{o: Options{HTTPClient: netguard.New(netguard.Options{}).Client(0)}}
	for _, uri := range []string{"file://" + file, srv.URL + "/info", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/info"} {
		raw, _, err := guarded.fetchServiceJSON(context.Background(), uri)
		if err == nil {
			t.Errorf("%s: fetched %q", uri, raw)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: error echoes the content: %v", uri, err)
		}
	}
	if _, _, err := guarded.fetchServiceJSON(context.Background(), srv.URL); !errors.Is(err, netguard.ErrDenied) && !strings.Contains(err.Error(), "refused") {
		t.Errorf("loopback: %v, want a refusal", err)
	}
	allowed := &Registry{o: Options{HTTPClient: loopbackClient(t)}}
	raw, meta, err := allowed.fetchServiceJSON(context.Background(), srv.URL+"/info")
	if err != nil || meta.status != 200 || meta.size != len(raw) {
		t.Fatalf("allowed loopback: %v, %+v", err, meta)
	}
}

// What a URI returned is never echoed in an error: not its content, not
// the values the decoder quotes, not its hash.
func TestFetchedContentNotEchoed(t *testing.T) {
	for _, body := range []string{
		`{"secret":"` + secret + `"}`,
		`{"name":"` + secret + `","workflows":"` + secret + `"}`,
		secret,
		`[` + secret + `]`,
	} {
		_, err := service.Decode([]byte(body))
		if err == nil {
			t.Fatalf("%s decoded", body)
		}
		if got := fieldsOnly(err); strings.Contains(got, secret) || got == "" {
			t.Errorf("fieldsOnly(%v) = %q", err, got)
		}
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(secret)) }))
	defer srv.Close()
	r := &Registry{o: Options{HTTPClient: loopbackClient(t)}}
	err := r.download(context.Background(), srv.URL+"/c.wasm?token="+secret, strings.Repeat("ab", 32))
	if err == nil {
		t.Fatal("a component with the wrong digest was accepted")
	}
	sum := sha256.Sum256([]byte(secret))
	for _, leak := range []string{secret, hex.EncodeToString(sum[:])[:16]} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("download error %q holds %q", err, leak)
		}
	}
	if !strings.Contains(err.Error(), "bytes downloaded do not have the sha256") {
		t.Errorf("download error %q", err)
	}
}
