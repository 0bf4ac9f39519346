package cron

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // America/New_York without depending on the system's zoneinfo
)

func TestParseScheduleAccepts(t *testing.T) {
	for _, s := range []string{
		"* * * * *", "*/5 * * * * *", "0 0 * * MON-FRI", "0 0 1 JAN,jul ?", "0 0 ? * sun",
		"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@DAILY",
		"@every 1s", "@every 1m30s", "@every 24h", " 0  0 * * * ", "0 0 * * 7", "15/20 * * * *",
		"0-30/10 * * * *", "0 0 31 4 MON", "0 0 29 2 *", "0 0 1-31/2 * *", "59 59 23 31 12 6",
		"0 0 30 1-3 *", "0 0 31 4,5 *",
	} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}

func TestParseScheduleErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "has 0 fields: " + Want},
		{"* * * *", "has 4 fields: " + Want},
		{"* * * * * * *", "has 7 fields: " + Want},
		{"60 * * * *", `minute field "60": want values 0..59`},
		{"60 * * * * *", `second field "60": want values 0..59`},
		{"* 24 * * *", `hour field "24": want values 0..23`},
		{"* * 0 * *", `day-of-month field "0": want values 1..31`},
		{"* * 32 * *", `day-of-month field "32": want values 1..31`},
		{"* * * 13 *", `month field "13": want values 1..12 or JAN..DEC`},
		{"* * * FOO *", `month field "FOO": want values 1..12 or JAN..DEC`},
		{"* * * * 8", `day-of-week field "8": want values 0..7 or SUN..SAT`},
		{"* * * * MONDAY", `day-of-week field "MONDAY": want values 0..7 or SUN..SAT`},
		{"5-1 * * * *", `minute field "5-1": want a range low-high with low ≤ high`},
		{"*/0 * * * *", `minute field "*/0": want a step 1..60 after /`},
		{"*/61 * * * *", `minute field "*/61": want a step 1..60 after /`},
		{"*/+5 * * * *", `minute field "*/+5": want a step 1..60 after /`},
		{"1/2/3 * * * *", `minute field "1/2/3": want a step 1..60 after /`},
		{"+5 * * * *", `minute field "+5": want values 0..59`},
		{"-5 * * * *", `minute field "-5": want values 0..59`},
		{"1,,2 * * * *", `minute field "": want values 0..59`},
		{"1- * * * *", `minute field "1-": want values 0..59`},
		{"? * * * *", `minute field "?": want values 0..59`},
		{"0 0 ?/2 * *", ""}, // allowed: ? is * in the day fields
		{"60 24 * * *", `minute field "60": want values 0..59; hour field "24": want values 0..23`},
		{"0 0 30 2 *", "never fires: none of its days of the month exist in its months"},
		{"0 0 31 4,6,9,11 *", "never fires: none of its days of the month exist in its months"},
		{"@every", `want "@every <duration>" with a whole number of seconds ≥ 1s, e.g. "@every 30s" or "@every 1h"`},
		{"@every 0s", `want "@every <duration>" with a whole number of seconds ≥ 1s, e.g. "@every 30s" or "@every 1h"`},
		{"@every -5s", `want "@every <duration>" with a whole number of seconds ≥ 1s, e.g. "@every 30s" or "@every 1h"`},
		{"@every 1500ms", `want "@every <duration>" with a whole number of seconds ≥ 1s, e.g. "@every 30s" or "@every 1h"`},
		{"@every 5", `want "@every <duration>" with a whole number of seconds ≥ 1s, e.g. "@every 30s" or "@every 1h"`},
		{"@every5s", "unknown shorthand: " + Want},
		{"@fortnightly", "unknown shorthand: " + Want},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		want := ""
		if tt.want != "" {
			want = "cron schedule " + strconv.Quote(tt.in) + ": " + tt.want
		}
		if got := fmt.Sprint(err); err == nil && want != "" || err != nil && got != want {
			t.Errorf("Parse(%q):\n got %v\nwant %s", tt.in, err, want)
		}
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		sched, after, want string
	}{
		{"*/5 * * * * *", "2024-05-01T12:00:03Z", "2024-05-01T12:00:05Z"},
		{"*/5 * * * * *", "2024-05-01T12:00:05Z", "2024-05-01T12:00:10Z"},
		{"* * * * * *", "2024-05-01T12:00:00.5Z", "2024-05-01T12:00:01Z"},
		{"* * * * *", "2024-05-01T12:00:00Z", "2024-05-01T12:01:00Z"},
		{"* * * * *", "2024-05-01T12:00:59.999Z", "2024-05-01T12:01:00Z"},
		{"15/20 * * * *", "2024-05-01T12:56:00Z", "2024-05-01T13:15:00Z"},
		{"0-30/10 9-17 * * *", "2024-05-01T17:30:00Z", "2024-05-02T09:00:00Z"},
		{"0 0 * * MON-FRI", "2024-03-01T10:00:00Z", "2024-03-04T00:00:00Z"}, // Friday → Monday
		{"0 0 * * 7", "2024-03-01T10:00:00Z", "2024-03-03T00:00:00Z"},       // 7 is Sunday
		{"0 0 * * 0", "2024-03-01T10:00:00Z", "2024-03-03T00:00:00Z"},
		{"0 0 * * 5-7", "2024-03-02T10:00:00Z", "2024-03-03T00:00:00Z"},
		{"0 0 13 * FRI", "2024-09-01T00:00:00Z", "2024-09-06T00:00:00Z"}, // either day field: Friday the 6th first
		{"0 0 13 * FRI", "2024-09-12T00:00:00Z", "2024-09-13T00:00:00Z"},
		{"0 0 */10 * FRI", "2024-09-01T00:00:00Z", "2024-09-06T00:00:00Z"}, // */10 counts as restricted: the 1st has passed, Friday the 6th
		{"0 0 1 * *", "2024-09-01T00:00:00Z", "2024-10-01T00:00:00Z"},
		{"0 0 31 * *", "2024-04-15T00:00:00Z", "2024-05-31T00:00:00Z"},
		{"0 0 1 1 *", "2024-12-31T23:59:59Z", "2025-01-01T00:00:00Z"},
		{"0 0 29 2 *", "2024-03-01T00:00:00Z", "2028-02-29T00:00:00Z"},
		{"0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"}, // 2100 is not a leap year
		{"30 4 1,15 JAN,jul ?", "2024-01-15T04:30:00Z", "2024-07-01T04:30:00Z"},
		{"59 59 23 31 12 *", "2024-06-01T00:00:00Z", "2024-12-31T23:59:59Z"},
		{"@hourly", "2024-05-01T12:00:00Z", "2024-05-01T13:00:00Z"},
		{"@daily", "2024-05-01T12:00:00Z", "2024-05-02T00:00:00Z"},
		{"@weekly", "2024-05-05T00:00:00Z", "2024-05-12T00:00:00Z"}, // Sunday to Sunday
		{"@monthly", "2024-01-31T00:00:00Z", "2024-02-01T00:00:00Z"},
		{"@yearly", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"},
		{"@every 10s", "2024-05-01T12:00:05.5Z", "2024-05-01T12:00:10Z"},
		{"@every 10s", "2024-05-01T12:00:10Z", "2024-05-01T12:00:20Z"},
		{"@every 1h", "2024-05-01T13:59:59Z", "2024-05-01T14:00:00Z"},
		{"@every 7s", "1970-01-01T00:00:00Z", "1970-01-01T00:00:07Z"},
		{"@every 7s", "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z"},
		{"@every 7s", "1969-12-31T23:59:52Z", "1969-12-31T23:59:53Z"}, // -8 → -7
		{"@every 90m", "2024-05-01T00:00:00Z", "2024-05-01T01:30:00Z"},
		{"0 12 * * *", "2024-05-01T12:00:00+02:00", "2024-05-02T12:00:00+02:00"}, // wall clock of after's zone
	}
	for _, tt := range tests {
		s, err := Parse(tt.sched)
		if err != nil {
			t.Fatal(err)
		}
		after := mustTime(t, tt.after)
		got := s.Next(after)
		if want := mustTime(t, tt.want); !got.Equal(want) {
			t.Errorf("%q.Next(%s) = %s, want %s", tt.sched, tt.after, got.Format(time.RFC3339), tt.want)
		}
		if got.Location() != after.Location() {
			t.Errorf("%q.Next(%s) is in %v, want %v", tt.sched, tt.after, got.Location(), after.Location())
		}
	}
}

func TestNextZeroSchedule(t *testing.T) {
	if got := (Schedule{}).Next(time.Now()); !got.IsZero() {
		t.Errorf("zero Schedule fires at %v", got)
	}
}

func TestNextDaylightSaving(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, ny) }
	tests := []struct {
		sched       string
		after, want time.Time
	}{
		// 2024-03-10 02:00 EST jumps to 03:00 EDT: 02:30 does not exist that day.
		{"30 2 * * *", at(2024, 3, 10, 0, 0), at(2024, 3, 11, 2, 30)},
		{"*/30 * * * *", at(2024, 3, 10, 1, 30), at(2024, 3, 10, 3, 0)},
		// 2024-11-03 02:00 EDT falls back to 01:00 EST: 01:30 fires once.
		{"30 1 * * *", at(2024, 11, 3, 0, 0), time.Date(2024, 11, 3, 5, 30, 0, 0, time.UTC)},
		{"30 1 * * *", time.Date(2024, 11, 3, 5, 30, 0, 0, time.UTC).In(ny), at(2024, 11, 4, 1, 30)},
		{"0 * * * *", time.Date(2024, 11, 3, 5, 0, 0, 0, time.UTC).In(ny), time.Date(2024, 11, 3, 7, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		s, err := Parse(tt.sched)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Next(tt.after); !got.Equal(tt.want) || !got.After(tt.after) {
			t.Errorf("%q.Next(%s) = %s, want %s", tt.sched, tt.after, got, tt.want)
		}
	}
}

// TestNextMatchesBruteForce compares Next with a search, minute by minute,
// that matches each field with a naive reading of the expression.
func TestNextMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := 150
	if testing.Short() {
		cases = 20
	}
	for range cases {
		expr := randomSchedule(rng)
		s, err := Parse(expr)
		if err != nil {
			if strings.Contains(err.Error(), "never fires") {
				continue
			}
			t.Fatalf("Parse(%q): %v", expr, err)
		}
		o := newOracle(t, expr)
		after := time.Date(2020+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60), rng.IntN(1e9), time.UTC)
		for range 3 {
			want := o.next(after, after.AddDate(3, 0, 0))
			got := s.Next(after)
			if !want.IsZero() && !got.Equal(want) || want.IsZero() && got.Before(after.AddDate(3, 0, 0)) {
				t.Fatalf("%q.Next(%s) = %s, brute force says %s", expr, after.Format(time.RFC3339Nano), got, want)
			}
			if got.IsZero() {
				break
			}
			after = got
		}
	}
}

// randomSchedule writes a random 5- or 6-field schedule.
func randomSchedule(rng *rand.Rand) string {
	part := func(lo, hi int, names []string) string {
		val := func() string {
			v := lo + rng.IntN(hi-lo+1)
			if names != nil && rng.IntN(3) == 0 && v-lo < len(names) {
				return strings.ToLower(names[v-lo])
			}
			return strconv.Itoa(v)
		}
		switch rng.IntN(7) {
		case 0, 1:
			return "*"
		case 2:
			return val()
		case 3:
			a, b := lo+rng.IntN(hi-lo+1), lo+rng.IntN(hi-lo+1)
			return strconv.Itoa(min(a, b)) + "-" + strconv.Itoa(max(a, b))
		case 4:
			return "*/" + strconv.Itoa(1+rng.IntN(hi-lo+1))
		case 5:
			return val() + "/" + strconv.Itoa(1+rng.IntN(min(10, hi-lo+1)))
		default:
			return val() + "," + val() + "," + val()
		}
	}
	months := []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	days := []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"}
	fields := []string{part(0, 59, nil), part(0, 23, nil), part(1, 31, nil), part(1, 12, months), part(0, 7, days)}
	if rng.IntN(2) == 0 {
		fields = append([]string{part(0, 59, nil)}, fields...)
	}
	return strings.Join(fields, " ")
}

// oracle matches times against a schedule read independently of
// parseSchedule.
type oracle struct {
	sec, min, hour, dom, month, dow [64]bool
	domStar, dowStar                bool
}

var oraclePart = regexp.MustCompile(`^(\*|\?|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:/([0-9]+))?$`)

func newOracle(t *testing.T, expr string) *oracle {
	fs := strings.Fields(expr)
	if len(fs) == 5 {
		fs = append([]string{"0"}, fs...)
	}
	names := map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
		"sep": 9, "oct": 10, "nov": 11, "dec": 12}
	dayNames := map[string]int{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
	num := func(s string, lookup map[string]int) int {
		if v, ok := lookup[strings.ToLower(s)]; ok {
			return v
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("oracle: %q in %q", s, expr)
		}
		return v
	}
	read := func(f string, lo, hi int, lookup map[string]int, set *[64]bool) bool {
		for p := range strings.SplitSeq(f, ",") {
			m := oraclePart.FindStringSubmatch(p)
			if m == nil {
				t.Fatalf("oracle: %q in %q", p, expr)
			}
			a, b, step := lo, hi, 1
			if m[1] != "*" && m[1] != "?" {
				a = num(m[1], lookup)
				b = a
				if m[2] != "" {
					b = num(m[2], lookup)
				} else if m[3] != "" {
					b = hi
				}
			}
			if m[3] != "" {
				step, _ = strconv.Atoi(m[3])
			}
			for v := a; v <= b; v++ {
				if (v-a)%step == 0 {
					set[v] = true
				}
			}
		}
		return f == "*" || f == "?"
	}
	o := &oracle{}
	read(fs[0], 0, 59, nil, &o.sec)
	read(fs[1], 0, 59, nil, &o.min)
	read(fs[2], 0, 23, nil, &o.hour)
	o.domStar = read(fs[3], 1, 31, nil, &o.dom)
	read(fs[4], 1, 12, names, &o.month)
	o.dowStar = read(fs[5], 0, 7, dayNames, &o.dow)
	o.dow[0] = o.dow[0] || o.dow[7]
	return o
}

// next searches minute by minute for the first matching second after
// after, up to end; zero if there is none.
func (o *oracle) next(after, end time.Time) time.Time {
	for m := after.Truncate(time.Minute); m.Before(end); m = m.Add(time.Minute) {
		dom, dow := o.dom[m.Day()], o.dow[int(m.Weekday())]
		day := dom && dow
		if !o.domStar && !o.dowStar {
			day = dom || dow
		}
		if !o.month[int(m.Month())] || !day || !o.hour[m.Hour()] || !o.min[m.Minute()] {
			continue
		}
		for s := range 60 {
			if c := m.Add(time.Duration(s) * time.Second); o.sec[s] && c.After(after) {
				return c
			}
		}
	}
	return time.Time{}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
