package config

import (
	"fmt"
	"strconv"

	"github.com/BurntSushi/toml"
)

// KeyError is one problem with one configuration key. Load and Validate
// return every problem found, joined with errors.Join; use errors.As to
// reach each KeyError.
type KeyError struct {
	// Key is the full dotted key, e.g. "wavs.p2p.remote.bootstrap_nodes[1]".
	Key string
	// File is the config file the value came from; "" when it came from
	// the environment, a flag, a default, or a Config built in code.
	File string
	// Line is Key's line in File; 0 when it could not be found.
	Line int
	// Source names the environment variable or flag the value came from,
	// e.g. "WAVS_PORT" or "--port"; "" otherwise.
	Source string
	// Msg says what is wrong: the key or source, the offending value
	// (never a secret), and what is allowed.
	Msg string
	// Err is the underlying error, if any.
	Err error
}

// Error returns "<file>:<line>: <msg>", dropping the parts that are unknown.
func (e *KeyError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	case e.File != "":
		return e.File + ": " + e.Msg
	default:
		return e.Msg
	}
}

// Unwrap returns the underlying error.
func (e *KeyError) Unwrap() error { return e.Err }

// origin records where a loaded Config's values came from.
type origin struct {
	file    string          // the config file as given to Load; "" for none
	lines   keyLines        // where each key is written in file
	defined map[string]bool // pathID of every key (and its tables) in file
	over    map[string]override
}

// override is a value taken from the environment or a flag.
type override struct {
	source string // "WAVS_PORT" or "--port"
	label  string // how to show it: `WAVS_PORT="abc"`, `--port 0`
}

func newOrigin() *origin {
	return &origin{defined: map[string]bool{}, over: map[string]override{}}
}

// setOverride records that the key at path now comes from source.
func (o *origin) setOverride(path []string, source, label string) {
	o.over[pathID(path)] = override{source: source, label: label}
}

// keyError builds the error for the value at path (element idx of an array
// when idx >= 0). value is the value as it should be shown, or "" to show
// none; want says what is wrong and what is allowed. o may be nil.
func (o *origin) keyError(path []string, idx int, value, want string, err error) *KeyError {
	e := &KeyError{Key: displayKey(path, idx), Err: err}
	if o != nil {
		if ov, ok := o.over[pathID(path)]; ok {
			e.Source = ov.source
			e.Msg = ov.label + ": " + want
			return e
		}
	}
	if value != "" {
		e.Msg = e.Key + " = " + value + ": " + want
	} else {
		e.Msg = e.Key + ": " + want
	}
	if o != nil && o.file != "" && o.defined[pathID(path)] {
		e.File = o.file
		e.Line = o.lines.line(path)
	}
	return e
}

// fileError builds an error about the file itself at line (0 if unknown).
func (o *origin) fileError(key string, line int, msg string, err error) *KeyError {
	return &KeyError{Key: key, File: o.file, Line: line, Msg: msg, Err: err}
}

// displayKey writes path the way TOML would, quoting where needed, with
// "[idx]" appended for an array element.
func displayKey(path []string, idx int) string {
	s := toml.Key(path).String()
	if idx >= 0 {
		s += "[" + strconv.Itoa(idx) + "]"
	}
	return s
}

// quote shows a string value.
func quote(s string) string { return strconv.Quote(s) }

// showInt shows an integer value.
func showInt(n int) string { return strconv.Itoa(n) }

// flagLabel shows a flag and its value the way a user would have typed it.
func flagLabel(flag string, v any) string {
	if s, ok := v.(string); ok {
		return flag + " " + quote(s)
	}
	return fmt.Sprintf("%s %v", flag, v)
}
