package watch

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// logPos is the position of a log in the chain: block number, then log
// index within the block.
type logPos struct {
	block uint64
	index uint64
}

// after reports whether p comes after q in the chain.
func (p logPos) after(q logPos) bool {
	return p.block > q.block || (p.block == q.block && p.index > q.index)
}

// endOf is the position after every log of block b.
func endOf(b uint64) logPos { return logPos{block: b, index: math.MaxUint64} }

// logCursor formats a log position as "%020d:%010d", so that cursors sort
// as the chain does.
func logCursor(p logPos) string { return fmt.Sprintf("%020d:%010d", p.block, p.index) }

// parseLogCursor reads a cursor of logCursor.
func parseLogCursor(s string) (logPos, error) {
	if len(s) != 31 || s[20] != ':' {
		return logPos{}, fmt.Errorf("%w: cursor %q: want \"<20-digit block>:<10-digit log index>\"", sdk.ErrInvalidArgument, s)
	}
	b, err1 := strconv.ParseUint(s[:20], 10, 64)
	i, err2 := strconv.ParseUint(s[21:], 10, 32)
	if err1 != nil || err2 != nil {
		return logPos{}, fmt.Errorf("%w: cursor %q: want \"<20-digit block>:<10-digit log index>\"", sdk.ErrInvalidArgument, s)
	}
	return logPos{block: b, index: i}, nil
}

// numberCursor formats a block number or unix nanoseconds as "%020d".
func numberCursor(n uint64) string { return fmt.Sprintf("%020d", n) }

// parseNumberCursor reads a cursor of numberCursor.
func parseNumberCursor(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || len(s) != 20 {
		return 0, fmt.Errorf("%w: cursor %q: want 20 decimal digits", sdk.ErrInvalidArgument, s)
	}
	return n, nil
}

// timeCursor formats a fire time as numberCursor of its unix nanoseconds.
func timeCursor(t time.Time) string { return numberCursor(uint64(t.UnixNano())) }

// parseTimeCursor reads a cursor of timeCursor.
func parseTimeCursor(s string) (time.Time, error) {
	n, err := parseNumberCursor(s)
	if err != nil {
		return time.Time{}, err
	}
	if n > math.MaxInt64 {
		return time.Time{}, fmt.Errorf("%w: cursor %q: time out of range", sdk.ErrInvalidArgument, s)
	}
	return time.Unix(0, int64(n)).UTC(), nil
}
