// Package cron reads the cron schedules of sdk.Cron trigger sources and
// finds when they fire next. The node validates service definitions with
// it and trigger plugins fire cron triggers with it, so a schedule means
// the same to the node, the plugins it ships and third parties' plugins.
package cron

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Want describes the schedules Parse accepts, for error messages.
const Want = `want a cron schedule: 5 fields (minute hour day-of-month month day-of-week), 6 fields (seconds first), @hourly/@daily/@weekly/@monthly/@yearly or "@every <duration>"`

// Schedule is a parsed cron schedule; see [Parse]. The zero
// Schedule never fires.
type Schedule struct {
	src string
	// every > 0 makes an @every schedule; the bit sets are then unused.
	every time.Duration
	// One bit per allowed value: bit 0 is second 0, bit 1 is January (or
	// day 1), bit 0 of dow is Sunday.
	sec, min, hour, dom, month, dow uint64
	// domStar and dowStar are set when the field is "*" or "?": then the
	// day matches on the other field alone; when both are restricted a day
	// matches either (as in Vixie cron).
	domStar, dowStar bool
}

// searchYears bounds the search of Next. ParseSchedule rejects schedules
// that never fire, and a day that exists fires within 8 years (February
// 29 across a century year that is not a leap year).
const searchYears = 9

// Parse reads a cron schedule:
//
//   - 5 fields, "minute hour day-of-month month day-of-week", firing at
//     second 0;
//   - 6 fields, "second minute hour day-of-month month day-of-week";
//   - @yearly (or @annually), @monthly, @weekly, @daily (or @midnight),
//     @hourly;
//   - "@every <duration>", a Go duration of whole seconds ≥ 1s, e.g.
//     "@every 1m30s".
//
// A field is *, a value, a range a-b, any of these with a step (*/15,
// 10-50/10, or 5/15 meaning 5 to the maximum in steps of 15), or a comma
// separated list of them. Ranges are seconds and minutes 0-59, hours 0-23,
// day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 0-7 or SUN-SAT
// (0 and 7 are Sunday); names are case-insensitive. ? means * in the two
// day fields. When both day fields are restricted (neither is * or ?), a
// day matches if either does.
//
// Note that WAVS itself reads cron schedules with the Rust cron crate,
// whose day-of-week numbers are 1-7 for Sunday-Saturday; write day names
// (MON-FRI) for a schedule that means the same in both.
func Parse(s string) (Schedule, error) {
	sch, msg := parseSchedule(s)
	if msg != "" {
		return Schedule{}, fmt.Errorf("cron schedule %s: %s", strconv.Quote(s), msg)
	}
	return sch, nil
}

// String returns the schedule as it was written.
func (s Schedule) String() string { return s.src }

// Every is the interval of an @every schedule; 0 for the others.
func (s Schedule) Every() time.Duration { return s.every }

// Next is the first time the schedule fires strictly after after; the
// zero time if it never does (only for the zero Schedule).
//
// Fields are matched against the wall clock of after's location; pass UTC
// times so that every operator fires at the same instants and no daylight
// saving shift applies (in other zones a time skipped by the shift does
// not fire and a repeated hour fires once). @every schedules are anchored
// at the Unix epoch: "@every 10s" fires at every unix time divisible by
// 10, whenever the node started.
func (s Schedule) Next(after time.Time) time.Time {
	if s.every > 0 {
		d := int64(s.every / time.Second)
		n := after.Unix() // floor: Unix drops the nanoseconds
		k := n / d
		if n%d < 0 {
			k--
		}
		return time.Unix((k+1)*d, 0).In(after.Location())
	}
	if s.month == 0 {
		return time.Time{}
	}
	loc := after.Location()
	// Search wall-clock times in UTC, which has no gaps or repeats, then
	// map each match to an instant in loc.
	c := time.Date(after.Year(), after.Month(), after.Day(), after.Hour(), after.Minute(), after.Second(), 0, time.UTC).Add(time.Second)
	limit := c.Year() + searchYears
	for {
		m, ok := s.nextWall(c, limit)
		if !ok {
			return time.Time{}
		}
		t := time.Date(m.Year(), m.Month(), m.Day(), m.Hour(), m.Minute(), m.Second(), 0, loc)
		if t.After(after) && sameWall(t, m) {
			return t
		}
		c = m.Add(time.Second)
	}
}

// sameWall reports whether a and b show the same date and time of day.
func sameWall(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute() && a.Second() == b.Second()
}

// nextWall is the first matching UTC time at or after c, within year limit.
func (s Schedule) nextWall(c time.Time, limit int) (time.Time, bool) {
	for c.Year() <= limit {
		switch {
		case s.month&(1<<uint(c.Month())) == 0:
			c = time.Date(c.Year(), c.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		case !s.dayMatches(c):
			c = time.Date(c.Year(), c.Month(), c.Day()+1, 0, 0, 0, 0, time.UTC)
		case s.hour&(1<<uint(c.Hour())) == 0:
			c = c.Truncate(time.Hour).Add(time.Hour)
		case s.min&(1<<uint(c.Minute())) == 0:
			c = c.Truncate(time.Minute).Add(time.Minute)
		case s.sec&(1<<uint(c.Second())) == 0:
			c = c.Add(time.Second)
		default:
			return c, true
		}
	}
	return time.Time{}, false
}

func (s Schedule) dayMatches(t time.Time) bool {
	dom := s.dom&(1<<uint(t.Day())) != 0
	dow := s.dow&(1<<uint(t.Weekday())) != 0
	if s.domStar || s.dowStar {
		return dom && dow
	}
	return dom || dow
}

// field describes one field of a cron expression.
type field struct {
	name     string
	min, max int
	names    []string // names of the values nameBase, nameBase+1, …
	nameBase int
	question bool // "?" allowed, meaning "*"
}

// fields are the six fields of a schedule, seconds first.
func fields() [6]field {
	return [6]field{
		{name: "second", min: 0, max: 59},
		{name: "minute", min: 0, max: 59},
		{name: "hour", min: 0, max: 23},
		{name: "day-of-month", min: 1, max: 31, question: true},
		{name: "month", min: 1, max: 12, nameBase: 1,
			names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
		{name: "day-of-week", min: 0, max: 7, question: true,
			names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
	}
}

// descriptor expands an @ shorthand to a 6-field schedule.
func descriptor(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "@yearly", "@annually":
		return "0 0 0 1 1 *", true
	case "@monthly":
		return "0 0 0 1 * *", true
	case "@weekly":
		return "0 0 0 * * 0", true
	case "@daily", "@midnight":
		return "0 0 0 * * *", true
	case "@hourly":
		return "0 0 * * * *", true
	default:
		return "", false
	}
}

// parseSchedule returns the schedule, or what is wrong with s.
// Problem says what is wrong with a schedule, or "" if it is fine.
func Problem(s string) string {
	_, msg := parseSchedule(s)
	return msg
}

func parseSchedule(s string) (Schedule, string) {
	src := s
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "@every"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil || d < time.Second || d%time.Second != 0 {
			return Schedule{}, `want "@every <duration>" with a whole number of seconds ≥ 1s, e.g. "@every 30s" or "@every 1h"`
		}
		return Schedule{src: src, every: d}, ""
	}
	if strings.HasPrefix(s, "@") {
		full, ok := descriptor(s)
		if !ok {
			return Schedule{}, "unknown shorthand: " + Want
		}
		s = full
	}
	fs := strings.Fields(s)
	if len(fs) == 5 {
		fs = append([]string{"0"}, fs...)
	} else if len(fs) != 6 {
		return Schedule{}, "has " + strconv.Itoa(len(fs)) + " fields: " + Want
	}
	sch := Schedule{src: src}
	var msgs []string
	specs := fields()
	for i, f := range []struct {
		bits *uint64
		star *bool
	}{
		{&sch.sec, nil}, {&sch.min, nil}, {&sch.hour, nil},
		{&sch.dom, &sch.domStar}, {&sch.month, nil}, {&sch.dow, &sch.dowStar},
	} {
		bits, star, msg := specs[i].parse(fs[i])
		if msg != "" {
			msgs = append(msgs, msg)
			continue
		}
		*f.bits = bits
		if f.star != nil {
			*f.star = star
		}
	}
	if len(msgs) > 0 {
		return Schedule{}, strings.Join(msgs, "; ")
	}
	// Sunday may be written 0 or 7.
	if sch.dow&(1<<7) != 0 {
		sch.dow = sch.dow&^(1<<7) | 1
	}
	if msg := sch.checkFires(); msg != "" {
		return Schedule{}, msg
	}
	return sch, ""
}

// checkFires rejects a schedule whose days of the month exist in none of
// its months, such as "0 0 30 2 *".
func (s Schedule) checkFires() string {
	if s.domStar || !s.dowStar {
		return "" // every week has each weekday
	}
	for m := 1; m <= 12; m++ {
		if s.month&(1<<uint(m)) == 0 {
			continue
		}
		// The most days month m has: February in a leap year.
		last := time.Date(2000, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		for d := 1; d <= last; d++ {
			if s.dom&(1<<uint(d)) != 0 {
				return ""
			}
		}
	}
	return "never fires: none of its days of the month exist in its months"
}

// parse reads one field: a comma-separated list of *, ?, values, ranges
// and steps. star reports that the field is exactly "*" or "?".
func (f *field) parse(expr string) (bits uint64, star bool, msg string) {
	if expr == "*" || expr == "?" && f.question {
		return f.span(f.min, f.max, 1), true, ""
	}
	for part := range strings.SplitSeq(expr, ",") {
		b, m := f.parsePart(part)
		if m != "" {
			return 0, false, m
		}
		bits |= b
	}
	return bits, false, ""
}

func (f *field) parsePart(part string) (uint64, string) {
	rng, stepStr, hasStep := strings.Cut(part, "/")
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepStr)
		if err != nil || n < 1 || n > f.max-f.min+1 || strings.TrimLeft(stepStr, "0123456789") != "" {
			return 0, fmt.Sprintf("%s field %s: want a step 1..%d after /", f.name, strconv.Quote(part), f.max-f.min+1)
		}
		step = n
	}
	var lo, hi int
	switch {
	case rng == "*" || rng == "?" && f.question:
		lo, hi = f.min, f.max
	default:
		loStr, hiStr, isRange := strings.Cut(rng, "-")
		var ok bool
		if lo, ok = f.value(loStr); !ok {
			return 0, f.wantValues(part)
		}
		hi = lo
		if isRange {
			if hi, ok = f.value(hiStr); !ok {
				return 0, f.wantValues(part)
			}
			if hi < lo {
				return 0, fmt.Sprintf("%s field %s: want a range low-high with low ≤ high", f.name, strconv.Quote(part))
			}
		} else if hasStep {
			hi = f.max // "5/15" is "5-max/15"
		}
	}
	return f.span(lo, hi, step), ""
}

// value reads a number or (for month and day-of-week) a name.
func (f *field) value(s string) (int, bool) {
	if s != "" && strings.TrimLeft(s, "0123456789") == "" && len(s) <= 2 {
		n, _ := strconv.Atoi(s)
		return n, n >= f.min && n <= f.max
	}
	for i, name := range f.names {
		if strings.EqualFold(s, name) {
			return f.nameBase + i, true
		}
	}
	return 0, false
}

func (f *field) wantValues(part string) string {
	want := fmt.Sprintf("%d..%d", f.min, f.max)
	if len(f.names) > 0 {
		want += " or " + f.names[0] + ".." + f.names[len(f.names)-1]
	}
	return fmt.Sprintf("%s field %s: want values %s", f.name, strconv.Quote(part), want)
}

// span sets the bits lo, lo+step, … ≤ hi.
func (f *field) span(lo, hi, step int) uint64 {
	var b uint64
	for v := lo; v <= hi; v += step {
		b |= 1 << uint(v)
	}
	return b
}
