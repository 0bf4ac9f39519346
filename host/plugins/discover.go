package plugins

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// FilePrefix starts the file name of every plugin executable; the rest of
// the name is the plugin's name, e.g. wavs-plugin-transport-none.
const FilePrefix = "wavs-plugin-"

// describeTimeout bounds a plugin's `describe` run.
const describeTimeout = 10 * time.Second

// maxDescribeBytes bounds what `describe` may print.
const maxDescribeBytes = 64 << 10

// Found is a plugin executable that described itself.
type Found struct {
	Name   string // file name without FilePrefix
	Path   string // absolute path
	SHA256 [32]byte
	Info   sdk.Info
}

// SHA256Hex is the executable's checksum, as wavs.toml pins it.
func (f Found) SHA256Hex() string { return hex.EncodeToString(f.SHA256[:]) }

// Discover lists the plugins in dir, sorted by name. Files without
// FilePrefix are ignored. A plugin file that cannot describe itself, or
// describes itself as something else, is left out and reported in
// problems. err is for a folder that cannot be read.
func Discover(ctx context.Context, dir string) (found []Found, problems []error, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("plugins folder %q: %w", dir, err)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, nil, fmt.Errorf("plugins folder %q: %w", dir, err)
	}
	// Plugins describe themselves in parallel, each within its own time
	// limit, so one that hangs delays discovery by describeTimeout at most.
	type result struct {
		f   Found
		err error
	}
	var (
		results []chan result
		slots   = make(chan struct{}, 8)
	)
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name(), FilePrefix)
		if !ok || name == "" {
			continue
		}
		ch := make(chan result, 1)
		results = append(results, ch)
		go func(path string) {
			slots <- struct{}{}
			defer func() { <-slots }()
			f, err := describe(ctx, path, name)
			ch <- result{f, err}
		}(filepath.Join(abs, e.Name()))
	}
	for _, ch := range results {
		r := <-ch
		if r.err != nil {
			problems = append(problems, r.err)
			continue
		}
		found = append(found, r.f)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
	return found, problems, nil
}

func describe(ctx context.Context, path, name string) (Found, error) {
	f := Found{Name: name, Path: path}
	st, err := os.Stat(path)
	if err != nil {
		return f, fmt.Errorf("plugin %s: %w", path, err)
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		return f, fmt.Errorf("plugin %s: not an executable file (mode %v)", path, st.Mode())
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return f, fmt.Errorf("plugin %s: %w", path, err)
	}
	f.SHA256 = sum

	ctx, cancel := context.WithTimeout(ctx, describeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, sdk.DescribeCommand)
	// On timeout end the whole process group: a child left holding the
	// output pipe would otherwise keep Wait from returning.
	killGroupOnCancel(cmd)
	cmd.WaitDelay = time.Second
	// A plugin describes itself from nothing: no secrets, no host state.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &stdout, n: maxDescribeBytes}
	cmd.Stderr = &limitedWriter{w: &stderr, n: maxDescribeBytes}
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if ctx.Err() != nil {
			return f, fmt.Errorf("plugin %s: `%s %s` did not finish in time: %w", path, filepath.Base(path), sdk.DescribeCommand, ctx.Err())
		}
		return f, fmt.Errorf("plugin %s: `%s %s` failed: %v: %s", path, filepath.Base(path), sdk.DescribeCommand, err, msg)
	}
	dec := json.NewDecoder(&stdout)
	if err := dec.Decode(&f.Info); err != nil {
		return f, fmt.Errorf("plugin %s: `%s` did not print plugin info as JSON: %v", path, sdk.DescribeCommand, err)
	}
	if err := f.Info.Validate(); err != nil {
		return f, fmt.Errorf("plugin %s: %w", path, err)
	}
	if f.Info.Name != name {
		return f, fmt.Errorf("plugin %s: describes itself as %q; the file must be named %s%s", path, f.Info.Name, FilePrefix, f.Info.Name)
	}
	return f, nil
}

func fileSHA256(path string) ([32]byte, error) {
	var sum [32]byte
	fh, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// CheckPin compares a plugin's checksum with a pin from wavs.toml (64 hex
// characters; empty means not pinned).
func CheckPin(f Found, pin string) error {
	if pin == "" {
		return nil
	}
	want, err := hex.DecodeString(pin)
	if err != nil || len(want) != sha256.Size {
		return fmt.Errorf("plugins.%s.sha256 = %q: want 64 hex characters", f.Name, pin)
	}
	if !bytes.Equal(want, f.SHA256[:]) {
		return fmt.Errorf("plugin %s: sha256 is %s but plugins.%s.sha256 pins %s; refusing to run it", f.Path, f.SHA256Hex(), f.Name, pin)
	}
	return nil
}

// limitedWriter keeps at most n bytes and drops the rest.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	size := len(p)
	if l.n <= 0 {
		return size, nil
	}
	if len(p) > l.n {
		p = p[:l.n]
	}
	n, err := l.w.Write(p)
	l.n -= n
	if err != nil {
		return n, err
	}
	return size, nil
}

// ErrNotFound says a plugin the configuration needs is not in the folder.
var ErrNotFound = errors.New("plugin not found")
