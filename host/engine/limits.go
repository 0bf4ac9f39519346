package engine

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/tetratelabs/wazero/experimental"
)

// Causes of an execution context's cancellation, told apart after the run.
var (
	errTimeLimit   = errors.New("time limit reached")
	errOutputLimit = errors.New("output limit reached")
)

// Bounds of what an execution may pass to the host logger.
const (
	maxLogBytes     = 64 << 10 // stderr, and log() messages, per execution
	maxLogLine      = 4 << 10  // longer lines are cut
	stderrTailBytes = 1 << 10  // kept for the error of a failed execution
)

// boundedMemory is a linear memory that refuses to grow past limit bytes,
// and tells its execution when it did: a refused memory.grow is the only
// sure sign that a guest ran out of memory, whatever its language does
// next (Go exits with code 2, Rust aborts with a trap, C may carry on).
type boundedMemory struct {
	buf     []byte
	limit   uint64
	refused func(size uint64)
}

var _ experimental.LinearMemory = (*boundedMemory)(nil)

// Reallocate grows the memory to size bytes, or returns nil past the limit.
// Memory never shrinks, so the bytes between len and cap have never been
// handed out and are still zero, as a grown wasm memory must be.
func (m *boundedMemory) Reallocate(size uint64) []byte {
	if size > m.limit {
		m.refused(size)
		return nil
	}
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
		return m.buf
	}
	// Grow like append, so a guest growing page by page copies O(n) bytes.
	newCap := max(size, uint64(cap(m.buf))+uint64(cap(m.buf))/2)
	newCap = min(newCap, m.limit)
	buf := make([]byte, size, newCap)
	copy(buf, m.buf)
	m.buf = buf
	return buf
}

// Free drops the memory.
func (m *boundedMemory) Free() { m.buf = nil }

// outputBuffer is stdout: it keeps at most max bytes and, on the first
// write past that, calls over (which stops the execution).
type outputBuffer struct {
	buf  []byte
	max  int
	full bool
	over func()
}

func (w *outputBuffer) Write(p []byte) (int, error) {
	if w.full {
		return 0, errOutputLimit
	}
	if len(w.buf)+len(p) > w.max {
		w.full = true
		w.over()
		return 0, errOutputLimit
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// stderrSink passes stderr to the logger line by line at debug level, up
// to maxLogBytes, and keeps its last stderrTailBytes for errors.
type stderrSink struct {
	log     hclog.Logger
	line    []byte
	budget  int
	dropped int
	tail    []byte
}

func newStderrSink(log hclog.Logger) *stderrSink {
	return &stderrSink{log: log, budget: maxLogBytes}
}

func (s *stderrSink) Write(p []byte) (int, error) {
	s.keepTail(p)
	rest := p
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			room := maxLogLine - len(s.line)
			if len(rest) < room {
				s.line = append(s.line, rest...)
				break
			}
			s.line = append(s.line, rest[:room]...)
			rest = rest[room:]
			s.emit()
			continue
		}
		s.line = append(s.line, rest[:min(i, max(0, maxLogLine-len(s.line)))]...)
		rest = rest[i+1:]
		s.emit()
	}
	return len(p), nil
}

func (s *stderrSink) keepTail(p []byte) {
	if len(p) >= stderrTailBytes {
		s.tail = append(s.tail[:0], p[len(p)-stderrTailBytes:]...)
		return
	}
	s.tail = append(s.tail, p...)
	if len(s.tail) > 2*stderrTailBytes {
		s.tail = append(s.tail[:0], s.tail[len(s.tail)-stderrTailBytes:]...)
	}
}

// Tail is the last stderrTailBytes of stderr.
func (s *stderrSink) Tail() string {
	t := s.tail
	if len(t) > stderrTailBytes {
		t = t[len(t)-stderrTailBytes:]
	}
	return strings.ToValidUTF8(string(t), "?")
}

func (s *stderrSink) emit() {
	line := s.line
	s.line = s.line[:0]
	if len(line) > s.budget {
		s.dropped += len(line)
		return
	}
	s.budget -= len(line)
	s.log.Debug(strings.ToValidUTF8(string(line), "?"), "stream", "stderr")
}

// Flush logs a last unterminated line and what was dropped.
func (s *stderrSink) Flush() {
	if len(s.line) > 0 {
		s.emit()
	}
	if s.dropped > 0 {
		s.log.Debug("component stderr cut", "dropped_bytes", s.dropped, "kept_bytes", maxLogBytes)
	}
}

// sleeper is the guest's nanosleep: it wakes early when the execution
// ends, so a guest blocked in a long sleep (poll_oneoff) returns to its
// code, where wazero stops it at once.
func sleeper(ctx context.Context) func(ns int64) {
	return func(ns int64) {
		if ns <= 0 {
			return
		}
		t := time.NewTimer(time.Duration(ns))
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}
