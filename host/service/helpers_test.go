package service

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readFixture returns testdata/name.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeFixture decodes a good fixture.
func decodeFixture(t testing.TB, name string) *Service {
	t.Helper()
	s, err := Decode(readFixture(t, name))
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	return s
}

// errLines splits a joined error into its lines; nil for nil.
func errLines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

func ptr[T any](v T) *T { return &v }
