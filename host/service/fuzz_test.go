package service

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzDecode checks that Decode never panics, that whatever it accepts
// encodes and decodes to an equal value with a stable encoding, and that
// UnmarshalJSON on the same input never panics either.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var loose Service
		_ = json.Unmarshal(data, &loose)

		s, err := Decode(data)
		if err != nil {
			if s != nil {
				t.Fatal("Decode returned a service and an error")
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("Marshal of an accepted service: %v", err)
		}
		s2, err := Decode(b)
		if err != nil {
			t.Fatalf("Decode(Marshal(s)): %v\n%s", err, b)
		}
		if !reflect.DeepEqual(s, s2) {
			t.Fatalf("round trip changed the service:\n%s", b)
		}
		if s.ID() != s2.ID() {
			t.Fatalf("round trip changed the id")
		}
		b2, err := json.Marshal(s2)
		if err != nil || string(b) != string(b2) {
			t.Fatalf("encoding is not stable (%v):\n%s\n%s", err, b, b2)
		}
	})
}
