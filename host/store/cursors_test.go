package store

import (
	"errors"
	"strings"
	"testing"
)

func TestCursors(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	register(t, s, svcA)
	trig := svcA + "/price"
	if c, found, err := s.Cursor(ctx, trig); c != "" || found || err != nil {
		t.Fatalf("Cursor before any = %q, %v, %v", c, found, err)
	}
	for _, c := range []string{"block:10", "block:11"} {
		if err := s.PutCursor(ctx, trig, c); err != nil {
			t.Fatal(err)
		}
		if got, found, err := s.Cursor(ctx, trig); got != c || !found || err != nil {
			t.Errorf("Cursor = %q, %v, %v; want %q", got, found, err, c)
		}
	}
	// DeleteCursor forgets one trigger's cursor, and none is no error.
	if err := s.PutCursor(ctx, svcA+"/other", "block:3"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.DeleteCursor(ctx, svcA+"/other"); err != nil {
			t.Fatal(err)
		}
	}
	if c, found, err := s.Cursor(ctx, svcA+"/other"); found || err != nil {
		t.Errorf("Cursor after DeleteCursor = %q, %v, %v", c, found, err)
	}
	if c, _, _ := s.Cursor(ctx, trig); c != "block:11" {
		t.Errorf("DeleteCursor of another trigger took %q: now %q", trig, c)
	}
	if err := s.DeleteCursor(ctx, "no-slash"); err == nil {
		t.Error("DeleteCursor of a malformed trigger id: no error")
	}
	// A trigger of another service whose id starts the same way is not
	// touched by a delete.
	register(t, s, svcA+"x")
	if err := s.PutCursor(ctx, svcA+"x/price", "other"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteService(ctx, svcA); err != nil {
		t.Fatal(err)
	}
	if c, _, _ := s.Cursor(ctx, svcA+"x/price"); c != "other" {
		t.Errorf("cursor of %sx = %q after deleting %s", svcA, c, svcA)
	}
}

func TestCursorBadInput(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	register(t, s, svcA)
	tests := []struct {
		trigger, cursor, want string
	}{
		{"", "c", `trigger id "": want "<service id>/<workflow id>"`},
		{svcA, "c", `want "<service id>/<workflow id>"`},
		{svcA + "/", "c", `want "<service id>/<workflow id>"`},
		{"/price", "c", "service id in trigger id is empty"},
		{svcA + "/price", "", "cursor is empty"},
		{svcA + "/" + strings.Repeat("w", MaxKeySize), "c", "trigger id is 1089 bytes: want at most 1024"},
		{svcA + "/price", strings.Repeat("c", maxTextSize+1), "cursor is 65537 bytes"},
	}
	for _, tt := range tests {
		err := s.PutCursor(ctx, tt.trigger, tt.cursor)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("PutCursor(%.30q, %.10q) = %v, want ErrInvalid with %q", tt.trigger, tt.cursor, err, tt.want)
		}
	}
	if _, _, err := s.Cursor(ctx, "no-slash"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Cursor(no-slash): %v", err)
	}
}
