package aggregator

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

func TestMeetsQuorum(t *testing.T) {
	q := func(total int64, num, den uint64) sdk.Quorum {
		return sdk.Quorum{TotalWeight: big.NewInt(total), ThresholdNumerator: num, ThresholdDenominator: den}
	}
	cases := []struct {
		name   string
		q      sdk.Quorum
		signed []int64
		want   string // "" = met
	}{
		{"alone with all weight", q(100, 2, 3), []int64{100}, ""},
		{"exactly two thirds", q(3, 2, 3), []int64{2}, ""},
		{"just under two thirds", q(300, 2, 3), []int64{199}, "insufficient quorum: signed weight 199 of total 300, needs 2/3"},
		{"two of three equal", q(3, 2, 3), []int64{1, 1}, ""},
		{"one of two equal", q(2, 2, 3), []int64{1}, "insufficient quorum"},
		{"no operators", q(0, 2, 3), []int64{0}, "no operator weight"},
		{"zero denominator", q(10, 2, 0), []int64{10}, "denominator of 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ws []*big.Int
			for _, w := range c.signed {
				ws = append(ws, big.NewInt(w))
			}
			err := meetsQuorum(c.q, ws)
			if c.want == "" {
				if err != nil {
					t.Errorf("got %v, want met", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, errRetry) {
				t.Errorf("got %v, want a retryable error containing %q", err, c.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	a := New(Options{RetryMin: time.Second, RetryMax: 10 * time.Second})
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := a.backoff(i); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i, got, w)
		}
	}
}
