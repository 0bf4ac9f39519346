package engine

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
)

func TestBoundedMemory(t *testing.T) {
	var refused uint64
	m := &boundedMemory{buf: make([]byte, 0, 10), limit: 100, refused: func(n uint64) { refused = n }}
	b := m.Reallocate(10)
	b[9] = 7
	if b = m.Reallocate(40); len(b) != 40 || b[9] != 7 || b[39] != 0 {
		t.Fatalf("grown memory: len %d, kept %d", len(b), b[9])
	}
	if b = m.Reallocate(100); len(b) != 100 || cap(b) > 100 {
		t.Fatalf("memory at the limit: len %d cap %d", len(b), cap(b))
	}
	if b = m.Reallocate(101); b != nil || refused != 101 {
		t.Fatalf("past the limit: %d bytes, refused %d", len(b), refused)
	}
}

func TestOutputBuffer(t *testing.T) {
	over := 0
	w := &outputBuffer{max: 5, over: func() { over++ }}
	if n, err := w.Write([]byte("abc")); n != 3 || err != nil {
		t.Fatal(n, err)
	}
	if _, err := w.Write([]byte("def")); err == nil || !w.full || over != 1 {
		t.Fatalf("write past the limit: %v, full %v, over called %d times", err, w.full, over)
	}
	if _, err := w.Write([]byte("g")); err == nil || over != 1 {
		t.Fatal("a full buffer took more")
	}
	if string(w.buf) != "abc" {
		t.Fatalf("kept %q", w.buf)
	}
}

func TestStderrSink(t *testing.T) {
	var out bytes.Buffer
	s := newStderrSink(hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: &out}))
	s.Write([]byte("first li"))
	s.Write([]byte("ne\nsecond\nthird"))
	s.Flush()
	for _, l := range []string{"first line", "second", "third"} {
		if !strings.Contains(out.String(), l) {
			t.Errorf("log lacks %q:\n%s", l, out.String())
		}
	}

	// Bounded: a flood is cut at maxLogBytes, the tail keeps the end.
	out.Reset()
	s = newStderrSink(hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: &out}))
	line := strings.Repeat("x", 99) + "\n"
	for range 2000 { // 200 KB
		s.Write([]byte(line))
	}
	s.Write([]byte("the end\n"))
	s.Flush()
	if n := strings.Count(out.String(), strings.Repeat("x", 99)); n > maxLogBytes/99+1 || n < maxLogBytes/99-1 {
		t.Errorf("%d lines logged, want about %d", n, maxLogBytes/99)
	}
	if !strings.Contains(out.String(), "dropped_bytes") {
		t.Error("the cut was not logged")
	}
	if tail := s.Tail(); len(tail) != stderrTailBytes || !strings.HasSuffix(tail, "the end\n") {
		t.Errorf("tail of %d bytes ending %q", len(tail), tail[max(0, len(tail)-20):])
	}
	// A very long line is split rather than kept whole.
	out.Reset()
	s = newStderrSink(hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: &out}))
	s.Write(bytes.Repeat([]byte("y"), 3*maxLogLine))
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("a %d-byte line gave %d log lines, want 3", 3*maxLogLine, n)
	}
}
