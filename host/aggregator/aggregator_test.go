package aggregator

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// TestSurelyShort: the manager's views rule a set out only when no
// rounding of theirs could let it pass; without views nothing is ruled out
// and validate decides.
// views is a manager's views: its total weight (none when negative),
// quorum fraction and absolute threshold weight (none when negative).
func views(total int64, num, den uint64, abs int64) sdk.Quorum {
	q := sdk.Quorum{ThresholdNumerator: num, ThresholdDenominator: den}
	if total >= 0 {
		q.TotalWeight = big.NewInt(total)
	}
	if abs >= 0 {
		q.ThresholdWeight = big.NewInt(abs)
	}
	return q
}

func TestSurelyShort(t *testing.T) {
	cases := []struct {
		name   string
		q      sdk.Quorum
		signed int64
		want   string // "" = not ruled out
	}{
		{"alone with all weight", views(100, 2, 3, -1), 100, ""},
		{"exactly two thirds", views(3, 2, 3, -1), 2, ""},
		// floor(100 × 2/3) = 66: an EigenLayer-style manager rounding down
		// accepts 66, an exact one does not; validate tells which.
		{"66 of 100 at 2/3 (floor)", views(100, 2, 3, -1), 66, ""},
		{"65 of 100 at 2/3", views(100, 2, 3, -1), 65, "short of 2/3"},
		{"below the absolute threshold", views(300, 2, 3, 250), 200, "below the manager's threshold weight 250"},
		{"at the absolute threshold", views(300, 2, 3, 200), 200, ""},
		{"no operators", views(0, 2, 3, -1), 5, "no operator weight"},
		{"nothing signed", views(100, 2, 3, -1), 0, "no signed weight"},
		{"no views at all", sdk.Quorum{}, 1, ""},
		{"a total without a fraction", sdk.Quorum{TotalWeight: big.NewInt(100)}, 1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := surelyShort(c.q, big.NewInt(c.signed))
			if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
				t.Errorf("surelyShort = %q, want %q", got, c.want)
			}
		})
	}
}

func TestViewsPass(t *testing.T) {
	cases := []struct {
		name   string
		q      sdk.Quorum
		signed int64
		want   bool
	}{
		{"two of three at 2/3", views(300, 2, 3, -1), 200, true},
		{"all of it", views(300, 2, 3, -1), 300, true},
		// 66 of 100 passes a manager that rounds the threshold down, not
		// one that compares exactly: the views do not say.
		{"66 of 100 at 2/3", views(100, 2, 3, -1), 66, false},
		{"one of three", views(300, 2, 3, -1), 100, false},
		{"at the absolute threshold", views(-1, 0, 0, 200), 200, true},
		{"below the absolute threshold", views(-1, 0, 0, 250), 200, false},
		{"fraction met, threshold not", views(300, 2, 3, 250), 200, false},
		{"both met", views(300, 2, 3, 200), 200, true},
		{"no views", sdk.Quorum{}, 100, false},
		{"a total without a fraction", views(100, 0, 0, -1), 100, false},
		{"no operator weight", views(0, 2, 3, -1), 5, false},
		{"nothing signed", views(300, 2, 3, 0), 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := viewsPass(c.q, big.NewInt(c.signed)); (got != "") != c.want {
				t.Errorf("viewsPass = %q, want passing %v", got, c.want)
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

func TestHolds(t *testing.T) {
	a, b, c := strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)
	cases := []struct {
		key, sub string
		want     bool
	}{
		{a + b + c, a + c, true},
		{a + b + c, a + b + c, true},
		{a + c, a + b, false},
		{a, a + b, false},
		{a + b, "", true},
	}
	for _, tc := range cases {
		if got := holds(tc.key, tc.sub); got != tc.want {
			t.Errorf("holds(%d signers, %d signers) = %v, want %v", len(tc.key)/40, len(tc.sub)/40, got, tc.want)
		}
	}
}
