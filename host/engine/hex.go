package engine

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// hexBytes is a byte string in the ABI's JSON form: "0x" followed by
// lowercase hex. Decoding also accepts uppercase digits.
type hexBytes []byte

func (h hexBytes) MarshalJSON() ([]byte, error) {
	out := make([]byte, 0, 4+2*len(h))
	out = append(out, `"0x`...)
	out = hex.AppendEncode(out, h)
	return append(out, '"'), nil
}

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("want a 0x-prefixed hex string")
	}
	v, err := decodeHex(s)
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// decodeHex decodes a 0x-prefixed hex string; "0x" is an empty, non-nil
// slice.
func decodeHex(s string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return nil, fmt.Errorf("%q is not 0x-prefixed hex", abbrev(s))
	}
	v, err := hex.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("%q is not 0x-prefixed hex: %v", abbrev(s), err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// abbrev shortens s for an error message.
func abbrev(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
