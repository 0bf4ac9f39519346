package config

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Environment variables read by [Load]. One set to the empty string is
// ignored, as if unset.
const (
	EnvHost        = "WAVS_HOST"
	EnvPort        = "WAVS_PORT"
	EnvData        = "WAVS_DATA"
	EnvLogLevel    = "WAVS_LOG_LEVEL"
	EnvBearerToken = "WAVS_BEARER_TOKEN"
)

// Flag names that errors about [Overrides] are reported under.
const (
	FlagHost     = "--host"
	FlagPort     = "--port"
	FlagData     = "--data"
	FlagLogLevel = "--log-level"
)

// Load builds the configuration: defaults, then the file at path (none if
// path is ""), then WAVS_* environment variables read with lookupEnv
// (os.LookupEnv in production; nil reads none), then o. It expands a
// leading "~/" in wavs.data (using HOME from lookupEnv, else the user's
// home directory), makes wavs.data absolute, and validates.
//
// On failure it returns a nil Config and every problem found, joined with
// errors.Join: a *KeyError for each bad key, naming the file and line,
// environment variable or flag it came from. A file that is not valid
// TOML, or has values of the wrong type, stops loading at that point.
func Load(path string, lookupEnv func(string) (string, bool), o Overrides) (*Config, error) {
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	c := Default()
	c.src = newOrigin()
	var errs []error
	if path != "" {
		problems, err := c.decodeFile(path)
		if err != nil {
			return nil, err
		}
		errs = append(errs, problems...)
	}
	errs = append(errs, c.applyEnv(lookupEnv)...)
	c.applyOverrides(o)
	if err := c.expandData(lookupEnv); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.validate()...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// decodeFile decodes the file at path over c. fatal is set when the file
// cannot be read or decoded; problems lists unknown keys, which do not stop
// loading so that the user sees them together with any other problem.
func (c *Config) decodeFile(path string) (problems []error, fatal error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	text := string(data)
	src := c.src
	src.file = path
	src.lines = scanKeyLines(text)
	md, err := toml.Decode(text, c)
	if err != nil {
		return nil, src.decodeError(text, err)
	}
	src.define(md.Keys())
	if p := c.Wavs.P2P; p != nil {
		// Only an absent listen_address gets the default: an empty one
		// written in the file is a mistake Validate should point at.
		if !md.IsDefined("wavs", "p2p", "listen_address") {
			p.ListenAddress = DefaultP2PListenAddress
		}
		if p.Remote != nil && p.Remote.BootstrapNodes == nil {
			p.Remote.BootstrapNodes = []string{}
		}
	}
	return src.unknownKeys(md), nil
}

// define records keys, and the tables holding them, as written in the file.
func (o *origin) define(keys []toml.Key) {
	for _, k := range keys {
		for i := 1; i <= len(k); i++ {
			o.defined[pathID(k[:i])] = true
		}
	}
}

// decodeError turns toml's error into errors naming the file, line and key.
func (o *origin) decodeError(text string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := "invalid TOML: " + pe.Message
		if pe.LastKey != "" {
			msg += fmt.Sprintf(" (last key %q)", pe.LastKey)
		}
		var wrapped error = pe
		// toml's message may quote the offending text, which near the
		// bearer token may be the token itself.
		if nearSecret(text, pe) {
			msg = "invalid TOML at wavs.bearer_token (value not shown: it is a secret); want a quoted string"
			wrapped = nil
		}
		return o.fileError(pe.LastKey, pe.Position.Line, msg, wrapped)
	}

	// A value of the wrong type. toml stops at the first and describes it
	// in free text; find them all, with key paths, against the schema.
	var raw map[string]any
	md, rawErr := toml.Decode(text, &raw)
	if rawErr != nil {
		return fmt.Errorf("%s: %w", o.file, err)
	}
	o.define(md.Keys())
	var found []mismatch
	checkTypes(raw, reflect.TypeFor[Config](), nil, -1, &found)
	if len(found) == 0 {
		return fmt.Errorf("%s: %w", o.file, err)
	}
	errs := make([]error, len(found))
	for i, m := range found {
		value := showValue(m.value)
		if isSecret(m.path) {
			value = redactedValue
		}
		errs[i] = o.keyError(m.path, m.idx, value, "want "+m.want+", got "+m.got, err)
	}
	return errors.Join(errs...)
}

// nearSecret reports whether a parse error may concern the bearer token.
func nearSecret(text string, pe toml.ParseError) bool {
	if strings.HasSuffix(pe.LastKey, "bearer_token") {
		return true
	}
	lines := strings.Split(text, "\n")
	if n := pe.Position.Line; n >= 1 && n <= len(lines) {
		return strings.Contains(lines[n-1], "bearer_token")
	}
	return false
}

func isSecret(path []string) bool {
	return len(path) == 2 && path[0] == "wavs" && path[1] == "bearer_token"
}

// unknownKeys reports keys the schema does not have, each once, at the
// outermost unknown table, in file order.
func (o *origin) unknownKeys(md toml.MetaData) []error {
	root := reflect.TypeFor[Config]()
	var found []*KeyError
	seen := map[string]bool{}
	check := func(key toml.Key) {
		n, table, ok := resolve(root, key)
		if ok {
			return
		}
		bad := key[:n+1]
		if seen[pathID(bad)] {
			return
		}
		seen[pathID(bad)] = true
		found = append(found, o.fileError(displayKey(bad, -1), o.lines.line(bad), unknownKeyMsg(bad, table), nil))
	}
	for _, k := range md.Undecoded() {
		check(k)
	}
	// toml matches keys to fields ignoring case, so "Port" fills Port and
	// is never undecoded. TOML keys are case-sensitive, and wavs.toml is
	// read by other tools too, so such keys are reported as unknown.
	for _, k := range md.Keys() {
		check(k)
	}
	// File order; a key whose line was not found goes last.
	slices.SortStableFunc(found, func(a, b *KeyError) int { return cmp.Compare(sortLine(a.Line), sortLine(b.Line)) })
	errs := make([]error, len(found))
	for i, e := range found {
		errs[i] = e
	}
	return errs
}

func sortLine(n int) int {
	if n == 0 {
		return math.MaxInt
	}
	return n
}

// unknownKeyMsg says that key is unknown and what its table allows.
func unknownKeyMsg(key []string, table reflect.Type) string {
	msg := fmt.Sprintf("unknown key %q", displayKey(key, -1))
	if table == nil {
		return msg
	}
	allowed := tableKeys(table)
	if s := suggest(key[len(key)-1], allowed); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	where := "the top level"
	if len(key) > 1 {
		where = "[" + displayKey(key[:len(key)-1], -1) + "]"
	}
	return msg + "; " + where + " allows: " + strings.Join(allowed, ", ")
}

// suggest returns the allowed key closest to a misspelt one, or "".
func suggest(key string, allowed []string) string {
	best, bestDist := "", 3 // more than two edits away is not a typo
	for _, a := range allowed {
		d := editDistance(strings.ToLower(key), a)
		if d < bestDist && d < len(key) {
			best, bestDist = a, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// applyEnv applies the WAVS_* variables and returns an error for each
// value that cannot be parsed.
func (c *Config) applyEnv(lookup func(string) (string, bool)) []error {
	var errs []error
	get := func(name string) (string, bool) {
		v, ok := lookup(name)
		return v, ok && v != ""
	}
	setString := func(name string, path []string, dst *string) {
		if v, ok := get(name); ok {
			*dst = v
			c.src.setOverride(path, name, name+"="+quote(v))
		}
	}
	setString(EnvHost, []string{"wavs", "host"}, &c.Wavs.Host)
	if v, ok := get(EnvPort); ok {
		if n, err := strconv.Atoi(v); err != nil {
			errs = append(errs, &KeyError{Key: "wavs.port", Source: EnvPort, Msg: EnvPort + "=" + quote(v) + ": " + wantPort, Err: err})
		} else {
			c.Wavs.Port = n
			c.src.setOverride([]string{"wavs", "port"}, EnvPort, EnvPort+"="+quote(v))
		}
	}
	setString(EnvData, []string{"wavs", "data"}, &c.Wavs.Data)
	setString(EnvLogLevel, []string{"wavs", "log_level"}, &c.Wavs.LogLevel)
	if v, ok := get(EnvBearerToken); ok {
		c.Wavs.BearerToken = v
		c.src.setOverride([]string{"wavs", "bearer_token"}, EnvBearerToken, EnvBearerToken+"="+redactedValue)
	}
	return errs
}

// applyOverrides applies the flags that were given.
func (c *Config) applyOverrides(o Overrides) {
	if o.Host != nil {
		c.Wavs.Host = *o.Host
		c.src.setOverride([]string{"wavs", "host"}, FlagHost, flagLabel(FlagHost, *o.Host))
	}
	if o.Port != nil {
		c.Wavs.Port = *o.Port
		c.src.setOverride([]string{"wavs", "port"}, FlagPort, flagLabel(FlagPort, *o.Port))
	}
	if o.Data != nil {
		c.Wavs.Data = *o.Data
		c.src.setOverride([]string{"wavs", "data"}, FlagData, flagLabel(FlagData, *o.Data))
	}
	if o.LogLevel != nil {
		c.Wavs.LogLevel = *o.LogLevel
		c.src.setOverride([]string{"wavs", "log_level"}, FlagLogLevel, flagLabel(FlagLogLevel, *o.LogLevel))
	}
}

// expandData expands a leading "~/" in wavs.data and makes it absolute
// (relative to the working directory). A value Validate will reject is
// left alone for Validate to explain.
func (c *Config) expandData(lookup func(string) (string, bool)) error {
	path := []string{"wavs", "data"}
	d := c.Wavs.Data
	if d == "~" || strings.HasPrefix(d, "~/") {
		home, ok := lookup("HOME")
		if !ok || home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return c.src.keyError(path, -1, quote(d),
					`cannot expand "~": `+err.Error()+`; want HOME set, or an absolute path`, err)
			}
			home = h
		}
		d = filepath.Join(home, d[1:])
	}
	if checkDataDir(d) != "" {
		return nil
	}
	abs, err := filepath.Abs(d)
	if err != nil {
		return c.src.keyError(path, -1, quote(d), "cannot make it absolute: "+err.Error(), err)
	}
	c.Wavs.Data = abs
	return nil
}
