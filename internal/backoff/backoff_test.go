package backoff

import (
	"math"
	"testing"
	"time"
)

func TestDoubling(t *testing.T) {
	for _, tt := range []struct {
		first, most time.Duration
		n           int
		want        time.Duration
	}{
		{time.Second, time.Minute, 0, time.Second},
		{time.Second, time.Minute, -3, time.Second},
		{time.Second, time.Minute, 1, 2 * time.Second},
		{time.Second, time.Minute, 5, 32 * time.Second},
		{time.Second, time.Minute, 6, time.Minute},
		{time.Second, time.Minute, 1000, time.Minute},
		{time.Second, 500 * time.Millisecond, 0, 500 * time.Millisecond},
		{0, time.Minute, 3, 0},
		{time.Duration(math.MaxInt64 / 3), time.Duration(math.MaxInt64), 5, time.Duration(math.MaxInt64)},
	} {
		if got := Doubling(tt.first, tt.most, tt.n); got != tt.want {
			t.Errorf("Doubling(%v, %v, %d) = %v, want %v", tt.first, tt.most, tt.n, got, tt.want)
		}
	}
}
