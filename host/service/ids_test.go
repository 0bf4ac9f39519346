package service

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/crypto/ripemd160"
)

// The fixed vectors below were computed once and checked with a second
// implementation (Python's hashlib, i.e. OpenSSL):
//
//	sha256(b"evm" + b"evm:31337" + bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3"))
//	ripemd160(bytes.fromhex(service_id) + b"price")
const (
	fullServiceID    = "76d41ff256803de151fce2ed99d145cf985af50e6def0809072e9f68932f5d11" // testdata/full.json
	minimalServiceID = "c229b166079686dc69343ab6fd280206c11cf294033b0e088bbdd9a46ee332ed" // testdata/minimal.json (chain evm:1)
)

func TestServiceID(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"full.json", fullServiceID},
		{"minimal.json", minimalServiceID},
	}
	for _, tt := range tests {
		s := decodeFixture(t, tt.file)
		if got := s.ID(); got != tt.want {
			t.Errorf("%s: ID() = %s, want %s", tt.file, got, tt.want)
		}
		// The same, from the definition.
		m := s.Manager.Evm
		sum := sha256.Sum256(append([]byte("evm"+m.Chain), m.Address[:]...))
		if got := s.ID(); got != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: ID() = %s, want sha256 %x", tt.file, got, sum)
		}
		if got, want := s.Topic(), "wavs/"+tt.want+"/topic/v1"; got != want {
			t.Errorf("%s: Topic() = %s, want %s", tt.file, got, want)
		}
	}
	if id := (&Service{}).ID(); id != "" {
		t.Errorf("ID of a service without manager = %q, want empty", id)
	}
}

func TestEventID(t *testing.T) {
	tests := []struct {
		serviceID, workflowID string
		salt                  []byte
		want                  string // fixed vector; "" to check only against the definition
	}{
		{fullServiceID, "price", nil, "e60fc8ca7a85b8c628ee42761f4e1e29aed7b009"},
		{fullServiceID, "tick", []byte{0, 0, 0, 0, 0x65, 0x54, 0x43, 0xe0}, "673d669fc03afecffd914a33e9560bea6ce30722"},
		{minimalServiceID, "only", []byte("salt"), ""},
		{minimalServiceID, "only", []byte{}, ""},
	}
	for _, tt := range tests {
		got, err := NewEventID(tt.serviceID, tt.workflowID, tt.salt)
		if err != nil {
			t.Fatalf("NewEventID(%s, %s, %x): %v", tt.serviceID, tt.workflowID, tt.salt, err)
		}
		sid, _ := hex.DecodeString(tt.serviceID)
		h := ripemd160.New()
		h.Write(sid)
		h.Write([]byte(tt.workflowID))
		h.Write(tt.salt)
		if def := hex.EncodeToString(h.Sum(nil)); hex.EncodeToString(got[:]) != def {
			t.Errorf("NewEventID(%s, %s, %x) = %s, want %s", tt.serviceID, tt.workflowID, tt.salt, got, def)
		}
		if tt.want != "" && hex.EncodeToString(got[:]) != tt.want {
			t.Errorf("NewEventID(%s, %s, %x) = %s, want %s", tt.serviceID, tt.workflowID, tt.salt, got, tt.want)
		}
	}
	// Different salts, workflows and services give different ids.
	a, _ := NewEventID(fullServiceID, "price", []byte{1})
	b, _ := NewEventID(fullServiceID, "price", []byte{2})
	c, _ := NewEventID(minimalServiceID, "price", []byte{1})
	if a == b || a == c {
		t.Errorf("event ids collide: %s %s %s", a, b, c)
	}
}

func TestEventIDErrors(t *testing.T) {
	tests := []struct {
		serviceID, workflowID, want string
	}{
		{"", "w", `event id: service id "": want 64 hex digits`},
		{fullServiceID[:62], "w", `event id: service id "` + fullServiceID[:62] + `": want 64 hex digits`},
		{"0x" + fullServiceID[2:], "w", `event id: service id "0x` + fullServiceID[2:] + `": want 64 hex digits`},
		{fullServiceID, "", `event id: workflow id "": ` + wantWorkflowID},
		{fullServiceID, "a.b", `event id: workflow id "a.b": ` + wantWorkflowID},
	}
	for _, tt := range tests {
		if _, err := NewEventID(tt.serviceID, tt.workflowID, nil); err == nil || err.Error() != tt.want {
			t.Errorf("NewEventID(%q, %q): error %v, want %s", tt.serviceID, tt.workflowID, err, tt.want)
		}
	}
}

func TestTriggerID(t *testing.T) {
	if got, want := TriggerID(fullServiceID, "price"), fullServiceID+"/price"; got != want {
		t.Errorf("TriggerID = %s, want %s", got, want)
	}
}

func TestParseEventID(t *testing.T) {
	id, err := NewEventID(fullServiceID, "price", []byte{1})
	if err != nil {
		t.Fatal(err)
	}
	text := id.String()
	if got, err := ParseEventID(text); err != nil || got != id {
		t.Fatalf("ParseEventID(%s) = %s, %v; want the id back", text, got, err)
	}
	for _, bad := range []string{"", "0x" + text[2:], strings.ToUpper(text), text[:38], text + "00", strings.Repeat("zz", 20)} {
		if _, err := ParseEventID(bad); err == nil || err.Error() != wantEventID {
			t.Errorf("ParseEventID(%q) = %v, want %q", bad, err, wantEventID)
		}
	}
	// In JSON it is its text, as the store's evidence records hold it.
	raw, err := json.Marshal(struct{ ID EventID }{id})
	if err != nil || string(raw) != `{"ID":"`+text+`"}` {
		t.Fatalf("json = %s, %v", raw, err)
	}
	var back struct{ ID EventID }
	if err := json.Unmarshal(raw, &back); err != nil || back.ID != id {
		t.Errorf("json back = %s, %v", back.ID, err)
	}
	if err := json.Unmarshal([]byte(`{"ID":"0x`+text[2:]+`"}`), &back); err == nil {
		t.Error("json: a 0x event id was read")
	}
}
