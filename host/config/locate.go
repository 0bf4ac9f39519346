package config

import (
	"strconv"
	"strings"
)

// keyLines records the line on which each key of a TOML document is
// written. BurntSushi/toml keeps key positions private (MetaData.keyInfo),
// so this is a small scanner of its own. It is best effort and only ever
// run on documents toml has already parsed: a key it cannot find has line
// 0, and errors then omit the line rather than guess.
type keyLines struct {
	explicit map[string]int // keys written out: "k = v", [k], k inside { }
	implicit map[string]int // tables created by a dotted key or header
}

// pathID is the map key for a key path; NUL cannot appear in a TOML key
// without an escape, so distinct paths never collide in practice.
func pathID(path []string) string { return strings.Join(path, "\x00") }

// line returns the line where path is written, or where the table path
// is first implied; 0 if neither is known. Arrays report the line of
// their key.
func (kl keyLines) line(path []string) int {
	id := pathID(path)
	if n, ok := kl.explicit[id]; ok {
		return n
	}
	return kl.implicit[id]
}

// scanKeyLines indexes the keys of the TOML document src.
func scanKeyLines(src string) keyLines {
	s := &lineScanner{
		src:  src,
		line: 1,
		kl:   keyLines{explicit: map[string]int{}, implicit: map[string]int{}},
	}
	s.document()
	return s.kl
}

type lineScanner struct {
	src  string
	pos  int
	line int
	kl   keyLines
}

func (s *lineScanner) eof() bool { return s.pos >= len(s.src) }

func (s *lineScanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.pos]
}

func (s *lineScanner) hasPrefix(p string) bool { return strings.HasPrefix(s.src[s.pos:], p) }

// advance moves past one byte, counting newlines.
func (s *lineScanner) advance() {
	if s.src[s.pos] == '\n' {
		s.line++
	}
	s.pos++
}

// skipBlank skips spaces and tabs on the current line.
func (s *lineScanner) skipBlank() {
	for !s.eof() && (s.peek() == ' ' || s.peek() == '\t') {
		s.pos++
	}
}

// skipBlankLines skips whitespace, newlines and comments.
func (s *lineScanner) skipBlankLines() {
	for !s.eof() {
		switch s.peek() {
		case ' ', '\t', '\r', '\n':
			s.advance()
		case '#':
			s.skipRestOfLine()
		default:
			return
		}
	}
}

// skipRestOfLine moves to the next newline, leaving it unread.
func (s *lineScanner) skipRestOfLine() {
	for !s.eof() && s.peek() != '\n' {
		s.pos++
	}
}

// define records that path is written at line. The tables between the
// first from elements of path (an enclosing table, already recorded) and
// path itself are implied by it.
func (s *lineScanner) define(path []string, line, from int) {
	if id := pathID(path); s.kl.explicit[id] == 0 {
		s.kl.explicit[id] = line
	}
	for i := from + 1; i < len(path); i++ {
		if id := pathID(path[:i]); s.kl.implicit[id] == 0 {
			s.kl.implicit[id] = line
		}
	}
}

// document scans top-level lines: table headers and key/value pairs.
func (s *lineScanner) document() {
	var table []string
	for {
		s.skipBlankLines()
		if s.eof() {
			return
		}
		line := s.line
		if s.peek() == '[' {
			s.pos++
			if s.peek() == '[' { // [[array of tables]]: recorded by its first header
				s.pos++
			}
			if key, ok := s.key(); ok && s.peek() == ']' {
				table = key
				s.define(key, line, 0)
			}
			s.skipRestOfLine()
			continue
		}
		key, ok := s.key()
		if !ok || s.peek() != '=' {
			s.skipRestOfLine()
			continue
		}
		s.pos++
		full := join(table, key)
		s.define(full, line, len(table))
		s.value(full)
		// Whatever follows the value on its line is a comment.
		s.skipRestOfLine()
	}
}

// key reads a possibly dotted key and the blanks after it.
func (s *lineScanner) key() ([]string, bool) {
	var parts []string
	for {
		s.skipBlank()
		part, ok := s.simpleKey()
		if !ok {
			return nil, false
		}
		parts = append(parts, part)
		s.skipBlank()
		if s.peek() != '.' {
			return parts, true
		}
		s.pos++
	}
}

// simpleKey reads one bare, "basic" or 'literal' key.
func (s *lineScanner) simpleKey() (string, bool) {
	switch s.peek() {
	case '"':
		s.pos++
		return s.basicString()
	case '\'':
		s.pos++
		return s.literalString()
	}
	start := s.pos
	for !s.eof() && isBareKeyChar(s.peek()) {
		s.pos++
	}
	return s.src[start:s.pos], s.pos > start
}

func isBareKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value skips one value. Inside an inline table the keys are recorded
// under path; path is nil where keys need no recording (array elements).
func (s *lineScanner) value(path []string) {
	s.skipBlank()
	switch {
	case s.hasPrefix(`"""`):
		s.pos += 3
		s.multilineString(`"""`)
	case s.hasPrefix(`'''`):
		s.pos += 3
		s.multilineString(`'''`)
	case s.peek() == '"':
		s.pos++
		s.basicString()
	case s.peek() == '\'':
		s.pos++
		s.literalString()
	case s.peek() == '[':
		s.pos++
		s.array()
	case s.peek() == '{':
		s.pos++
		s.inlineTable(path)
	default:
		// Numbers, booleans, dates: anything up to a delimiter.
		for !s.eof() && !strings.ContainsRune(" \t\r\n,]}#", rune(s.peek())) {
			s.pos++
		}
	}
}

// array skips the rest of an array, which may span lines.
func (s *lineScanner) array() {
	for {
		s.skipBlankLines()
		if s.eof() {
			return
		}
		switch s.peek() {
		case ']':
			s.pos++
			return
		case ',':
			s.pos++
			continue
		}
		before := s.pos
		s.value(nil)
		if s.pos == before { // never stall on input we do not understand
			s.advance()
		}
	}
}

// inlineTable records the keys of the rest of an inline table under path.
// Newlines are allowed inside, as TOML 1.1 (and toml v1.6) allows them.
func (s *lineScanner) inlineTable(path []string) {
	for {
		s.skipBlankLines()
		if s.eof() {
			return
		}
		switch s.peek() {
		case '}':
			s.pos++
			return
		case ',':
			s.pos++
			continue
		}
		line, before := s.line, s.pos
		key, ok := s.key()
		if !ok || s.peek() != '=' {
			if s.pos == before {
				s.advance()
			}
			continue
		}
		s.pos++
		var full []string
		if path != nil {
			full = join(path, key)
			s.define(full, line, len(path))
		}
		s.value(full)
	}
}

// basicString reads the rest of a "basic" string, decoding escapes; ok is
// false if it is not closed on its line.
func (s *lineScanner) basicString() (string, bool) {
	var b strings.Builder
	for !s.eof() {
		c := s.peek()
		switch c {
		case '\n':
			return b.String(), false
		case '"':
			s.pos++
			return b.String(), true
		case '\\':
			s.pos++
			s.escape(&b)
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
	return b.String(), false
}

// escape decodes the escape sequence after a backslash.
func (s *lineScanner) escape(b *strings.Builder) {
	if s.eof() {
		return
	}
	c := s.peek()
	s.pos++
	n := 0
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case 'e':
		b.WriteByte(0x1b)
	case 'x':
		n = 2
	case 'u':
		n = 4
	case 'U':
		n = 8
	default: // '"', '\\', and anything toml would have rejected
		b.WriteByte(c)
	}
	if n == 0 {
		return
	}
	if s.pos+n > len(s.src) {
		return
	}
	code, err := strconv.ParseUint(s.src[s.pos:s.pos+n], 16, 32)
	if err != nil {
		return
	}
	s.pos += n
	b.WriteRune(rune(code))
}

// literalString reads the rest of a 'literal' string.
func (s *lineScanner) literalString() (string, bool) {
	start := s.pos
	for !s.eof() {
		switch s.peek() {
		case '\n':
			return s.src[start:s.pos], false
		case '\'':
			s.pos++
			return s.src[start : s.pos-1], true
		}
		s.pos++
	}
	return s.src[start:], false
}

// multilineString skips the rest of a multi-line string, up to delim.
func (s *lineScanner) multilineString(delim string) {
	for !s.eof() {
		if delim[0] == '"' && s.peek() == '\\' {
			s.advance()
			if !s.eof() {
				s.advance()
			}
			continue
		}
		if s.hasPrefix(delim) {
			s.pos += len(delim)
			// Up to two more quotes belong to the string's content.
			for i := 0; i < 2 && s.peek() == delim[0]; i++ {
				s.pos++
			}
			return
		}
		s.advance()
	}
}

// join returns a new slice holding a then b.
func join(a, b []string) []string {
	return append(append(make([]string, 0, len(a)+len(b)), a...), b...)
}
