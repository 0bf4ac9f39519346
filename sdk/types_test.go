package sdk

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseAddressAndHash(t *testing.T) {
	want := Address{0xab, 19: 0x01}
	for _, s := range []string{
		"0xab00000000000000000000000000000000000001",
		"0XAB00000000000000000000000000000000000001",
		"ab00000000000000000000000000000000000001",
	} {
		got, err := ParseAddress(s)
		if err != nil || got != want {
			t.Errorf("ParseAddress(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "0x", "0xab", "0x" + strings.Repeat("0", 42), "0x" + strings.Repeat("g", 40)} {
		_, err := ParseAddress(s)
		if !errors.Is(err, ErrInvalidArgument) || err.Error() != "want a 20-byte hex address (0x + 40 hex digits)" {
			t.Errorf("ParseAddress(%q): %v, want the invalid-argument error that says what is wanted", s, err)
		}
	}
	if _, err := ParseHash("0x" + strings.Repeat("0", 63)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("ParseHash of 63 digits: %v", err)
	}

	// Text forms: JSON strings of 0x and lowercase hex, read back either way.
	type both struct {
		A Address `json:"a"`
		H Hash    `json:"h"`
	}
	v := both{A: want, H: Hash{31: 0xff}}
	raw, err := json.Marshal(v)
	if err != nil || string(raw) != `{"a":"0xab00000000000000000000000000000000000001","h":"0x`+strings.Repeat("0", 62)+`ff"}` {
		t.Fatalf("json.Marshal = %s, %v", raw, err)
	}
	var back both
	if err := json.Unmarshal(raw, &back); err != nil || back != v {
		t.Fatalf("round trip = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"a":"0x12"}`), &back); err == nil {
		t.Fatal("a short address was read")
	}
	if !(Address{}).IsZero() || want.IsZero() {
		t.Fatal("IsZero")
	}
}
