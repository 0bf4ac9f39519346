package engine

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// wavsComponent reads bin/components/<name>.wasm (make wasm-components),
// or skips; with WAVS_REQUIRE_COMPONENTS=1 a missing one fails.
func wavsComponent(t testing.TB, name string) []byte {
	t.Helper()
	path := filepath.Join("..", "..", "bin", "components", name+".wasm")
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("WAVS_REQUIRE_COMPONENTS") == "1" {
			t.Fatalf("%s: %v (build it with make wasm-components)", path, err)
		}
		t.Skipf("%s missing: run make wasm-components (WAVS_REQUIRE_COMPONENTS=1 makes this a failure)", path)
	}
	return b
}

type samplesFile struct {
	Service struct {
		ID, Name, WorkflowID, Chain, Manager string
	}
	Samples []struct {
		Name    string
		Config  map[string]string
		Trigger map[string]json.RawMessage
		Payload string
		Salt    string
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatalf("hex %q: %v", s, err)
	}
	return b
}

func sampleTrigger(t *testing.T, m map[string]json.RawMessage) Trigger {
	t.Helper()
	u := func(s string) uint64 {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for k, raw := range m {
		switch k {
		case "raw":
			var s string
			_ = json.Unmarshal(raw, &s)
			return Trigger{Raw: mustHex(t, s)}
		case "block-interval":
			var b struct{ Chain, BlockHeight string }
			_ = json.Unmarshal(raw, &b)
			return Trigger{Block: &sdk.BlockTick{Chain: b.Chain, BlockNumber: u(b.BlockHeight)}}
		case "cron":
			var c struct{ Nanos string }
			_ = json.Unmarshal(raw, &c)
			return Trigger{Cron: &sdk.CronTick{Time: time.Unix(0, int64(u(c.Nanos))).UTC()}}
		case "evm-contract-event":
			var e struct {
				Chain, Address, Data, TxHash, BlockNumber, LogIndex, BlockHash, TxIndex string
				Topics                                                                  []string
			}
			_ = json.Unmarshal(raw, &e)
			l := &sdk.EvmLog{Chain: e.Chain, Data: mustHex(t, e.Data), BlockNumber: u(e.BlockNumber),
				LogIndex: uint32(u(e.LogIndex)), TxIndex: uint32(u(e.TxIndex))}
			copy(l.Address[:], mustHex(t, e.Address))
			copy(l.TxHash[:], mustHex(t, e.TxHash))
			copy(l.BlockHash[:], mustHex(t, e.BlockHash))
			for _, tp := range e.Topics {
				var h sdk.Hash
				copy(h[:], mustHex(t, tp))
				l.Topics = append(l.Topics, h)
			}
			return Trigger{EvmLog: l}
		}
	}
	t.Fatalf("sample trigger %v: unknown kind", m)
	return Trigger{}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testKV is the in-memory KV of the engine's own tests.
type testKV = MemKV

// TestSquareComponents runs the README's samples through both WAVS test
// components and checks the byte-identical payloads and salts, and what
// each used of the host: config-var, get-service, get-event-id (its id is
// in the log line), log and the key-value store.
func TestSquareComponents(t *testing.T) {
	raw, err := os.ReadFile("../../examples/components/wavs/samples.json")
	if err != nil {
		t.Fatal(err)
	}
	var sf samplesFile
	if err := json.Unmarshal(raw, &sf); err != nil {
		t.Fatal(err)
	}
	sid := strings.TrimPrefix(sf.Service.ID, "0x")
	for _, name := range []string{"square-go", "square-js"} {
		t.Run(name, func(t *testing.T) {
			wasm := wavsComponent(t, name)
			logs := &syncBuf{}
			kv := &testKV{m: map[string][]byte{}}
			ctx := context.Background()
			// The node's own WASI host (package wasip2), as a user meets it.
			e, err := New(ctx, Options{
				KV: kv, MaxConcurrent: 1,
				Logger: hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Debug}),
			})
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close(ctx)
			digest, err := e.AddComponent(ctx, wasm)
			if err != nil {
				t.Fatalf("AddComponent: %v", err)
			}
			d, _ := service.ParseDigest(digest)
			for _, s := range sf.Samples {
				t.Run(s.Name, func(t *testing.T) {
					var mgr service.Address
					copy(mgr[:], mustHex(t, sf.Service.Manager))
					svc := &service.Service{
						Name: sf.Service.Name, Status: service.StatusActive,
						Manager: service.Manager{Evm: &service.EvmManager{Chain: sf.Service.Chain, Address: mgr}},
						Workflows: map[string]service.Workflow{sf.Service.WorkflowID: {
							Component: service.Component{Source: service.Source{Digest: &d}, Config: s.Config},
						}},
					}
					trig := sampleTrigger(t, s.Trigger)
					resps, err := e.Execute(ctx, Request{
						Digest: digest, ServiceID: sid, WorkflowID: sf.Service.WorkflowID,
						Trigger: trig, Config: s.Config, Service: svc, TimeLimit: time.Minute,
					})
					if err != nil {
						var ee *ExecError
						_ = errors.As(err, &ee)
						t.Fatalf("Execute: %v\nfull: %+v\nlogs:\n%s", err, ee.Err, logs)
					}
					if len(resps) != 1 {
						t.Fatalf("%d responses, want 1", len(resps))
					}
					if got, want := resps[0].Payload, mustHex(t, s.Payload); !bytes.Equal(got, want) {
						t.Errorf("payload\n got %x\nwant %x", got, want)
					}
					salt := mustHex(t, s.Salt)
					if got := resps[0].EventIDSalt; !bytes.Equal(got, salt) {
						t.Errorf("salt %x, want %x", got, salt)
					}
					eid, _ := service.NewEventID(sid, sf.Service.WorkflowID, salt)
					if !strings.Contains(logs.String(), hex.EncodeToString(eid[:])) {
						t.Errorf("log has no line with get-event-id's %x:\n%s", eid, logs)
					}
					if !strings.Contains(logs.String(), "service "+sf.Service.Name) {
						t.Errorf("log does not name the service from get-service:\n%s", logs)
					}
					// The square is the payload's last word in both formats.
					want := resps[0].Payload[len(resps[0].Payload)-32:]
					if v, ok, _ := kv.Get(ctx, sid, "wasi-kv/square/last/"+sf.Service.WorkflowID); !ok || !bytes.Equal(v, want) {
						t.Errorf("kv last/default = %x (%v), want %x", v, ok, want)
					}
				})
			}
		})
	}
}
