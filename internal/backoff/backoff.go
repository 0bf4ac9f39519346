// Package backoff computes doubling waits: the node's retries, re-sends
// and redials all wait first, then twice that, and so on, up to a cap.
package backoff

import "time"

// Doubling is the wait after n doublings of first, capped at most:
// first for n ≤ 0, then 2×first, 4×first, …, never above most (nor
// overflowing). A first ≤ 0 gives 0; a most below first gives most.
func Doubling(first, most time.Duration, n int) time.Duration {
	if first <= 0 {
		return 0
	}
	d := first
	for i := 0; i < n && d < most; i++ {
		if d > most/2 {
			return most
		}
		d *= 2
	}
	return min(d, most)
}
