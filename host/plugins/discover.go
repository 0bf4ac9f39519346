package plugins

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	Name string // file name without FilePrefix
	// Path is the executable to run: the private copy in
	// DiscoverOptions.ExecDir, or the file in the plugins folder when
	// discovering without one (listing only).
	Path string
	// Source is the file in the plugins folder Path was copied from.
	Source string
	SHA256 [32]byte // of the bytes at Path
	Info   sdk.Info
}

// DiscoverOptions make discovery safe for running what it finds.
type DiscoverOptions struct {
	// ExecDir is a folder only the node may write, created (0700) if
	// missing. Each plugin is copied into it as a read-only file, the copy
	// is hashed, its pin checked, and only then is it described; the node
	// runs the copy, so the bytes executed are the bytes hashed whatever
	// happens to the plugins folder meanwhile. "": copies go to a
	// temporary folder removed before returning, and Found.Path is the
	// original (for listing plugins, not for running them).
	ExecDir string
	// Pins are wavs.toml's plugins.<name>.sha256 (64 hex, "" or absent:
	// not pinned). A plugin whose copy does not match its pin is never
	// run, not even to describe itself: it is reported as a *PinError.
	Pins map[string]string
	// OnlyPinned refuses, as a *PinError, every plugin without a pin.
	OnlyPinned bool
}

// PinError is a plugin refused before it ran: its checksum differs from
// its pin, or it has no pin while only pinned plugins may run.
type PinError struct {
	Name, Path string
	Got, Want  string // hex; Want "" when the plugin is not pinned
}

func (e *PinError) Error() string {
	if e.Want == "" {
		return fmt.Sprintf("plugin %s: not pinned, and [wavs] only_pinned = true; refusing to run it (pin it with [plugins.%s] sha256 = %q)", e.Path, e.Name, e.Got)
	}
	return fmt.Sprintf("plugin %s: sha256 is %s but plugins.%s.sha256 pins %s; refusing to run it", e.Path, e.Got, e.Name, e.Want)
}

// SHA256Hex is the executable's checksum, as wavs.toml pins it.
func (f Found) SHA256Hex() string { return hex.EncodeToString(f.SHA256[:]) }

// Discover lists the plugins in dir, sorted by name, for showing them:
// see DiscoverWith for running them.
func Discover(ctx context.Context, dir string) (found []Found, problems []error, err error) {
	return DiscoverWith(ctx, dir, DiscoverOptions{})
}

// DiscoverWith lists the plugins in dir, sorted by name. Files without
// FilePrefix are ignored. A plugin file that cannot describe itself, or
// describes itself as something else, is left out and reported in
// problems; so is one refused by its pin (a *PinError). err is for a
// folder that cannot be read or an ExecDir that cannot be made.
func DiscoverWith(ctx context.Context, dir string, o DiscoverOptions) (found []Found, problems []error, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("plugins folder %q: %w", dir, err)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, nil, fmt.Errorf("plugins folder %q: %w", dir, err)
	}
	execDir, listing := o.ExecDir, o.ExecDir == ""
	if listing {
		if execDir, err = os.MkdirTemp("", "wavs-plugins-"); err != nil {
			return nil, nil, fmt.Errorf("plugins: private copy folder: %w", err)
		}
		defer os.RemoveAll(execDir)
	} else if err := privateDir(execDir); err != nil {
		return nil, nil, err
	}

	// Copy (and check) every plugin before running any: a file open for
	// writing while another goroutine forks would make exec fail with
	// "text file busy".
	var todo []Found
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name(), FilePrefix)
		if !ok || name == "" {
			continue
		}
		f, err := copyPlugin(filepath.Join(abs, e.Name()), name, execDir)
		if err == nil {
			err = checkPin(f, o.Pins[name], o.OnlyPinned)
		}
		if err != nil {
			problems = append(problems, err)
			continue
		}
		todo = append(todo, f)
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
	for _, f := range todo {
		ch := make(chan result, 1)
		results = append(results, ch)
		go func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			err := describe(ctx, &f)
			ch <- result{f, err}
		}()
	}
	for _, ch := range results {
		r := <-ch
		if r.err != nil {
			problems = append(problems, r.err)
			continue
		}
		if listing {
			r.f.Path = r.f.Source
		}
		found = append(found, r.f)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
	return found, problems, nil
}

// privateDir makes dir a folder only this user may use and empties it of
// copies from an earlier run.
func privateDir(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("plugins: private copy folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("plugins: private copy folder %s: %w", dir, err)
	}
	return os.Chmod(dir, 0o700)
}

// copyPlugin copies the executable at path into execDir as a read-only
// file, hashing the bytes as they are written: the copy is what runs.
func copyPlugin(path, name, execDir string) (Found, error) {
	f := Found{Name: name, Path: path, Source: path}
	st, err := os.Stat(path)
	if err != nil {
		return f, fmt.Errorf("plugin %s: %w", path, err)
	}
	if !st.Mode().IsRegular() || st.Mode()&0o111 == 0 {
		return f, fmt.Errorf("plugin %s: not an executable file (mode %v)", path, st.Mode())
	}
	src, err := os.Open(path)
	if err != nil {
		return f, fmt.Errorf("plugin %s: %w", path, err)
	}
	defer src.Close()
	// Write a new file and rename it into place: a running process of an
	// earlier copy keeps its own inode.
	dst := filepath.Join(execDir, FilePrefix+name)
	out, err := os.CreateTemp(execDir, ".copy-*")
	if err != nil {
		return f, fmt.Errorf("plugin %s: private copy: %w", path, err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), src)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(out.Name(), 0o500)
	}
	if err == nil {
		err = os.Rename(out.Name(), dst)
	}
	if err != nil {
		os.Remove(out.Name())
		return f, fmt.Errorf("plugin %s: private copy: %w", path, err)
	}
	copy(f.SHA256[:], h.Sum(nil))
	f.Path = dst
	return f, nil
}

func checkPin(f Found, pin string, onlyPinned bool) error {
	if pin == "" {
		if onlyPinned {
			return &PinError{Name: f.Name, Path: f.Source, Got: f.SHA256Hex()}
		}
		return nil
	}
	return CheckPin(f, pin)
}

// describe runs `<plugin> describe` on f.Path and fills f.Info.
func describe(ctx context.Context, f *Found) error {
	path, name := f.Path, f.Name
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
	shown := f.Source
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if ctx.Err() != nil {
			return fmt.Errorf("plugin %s: `%s %s` did not finish in time: %w", shown, filepath.Base(path), sdk.DescribeCommand, ctx.Err())
		}
		return fmt.Errorf("plugin %s: `%s %s` failed: %v: %s", shown, filepath.Base(path), sdk.DescribeCommand, err, msg)
	}
	dec := json.NewDecoder(&stdout)
	if err := dec.Decode(&f.Info); err != nil {
		return fmt.Errorf("plugin %s: `%s` did not print plugin info as JSON: %v", shown, sdk.DescribeCommand, err)
	}
	if err := f.Info.Validate(); err != nil {
		return fmt.Errorf("plugin %s: %w", shown, err)
	}
	if f.Info.Name != name {
		return fmt.Errorf("plugin %s: describes itself as %q; the file must be named %s%s", shown, f.Info.Name, FilePrefix, f.Info.Name)
	}
	return nil
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
		shown := f.Source
		if shown == "" {
			shown = f.Path
		}
		return &PinError{Name: f.Name, Path: shown, Got: f.SHA256Hex(), Want: pin}
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
// It is an sdk.ErrNotFound.
var ErrNotFound error = notFound{}

type notFound struct{}

func (notFound) Error() string { return "plugin not found" }
func (notFound) Unwrap() error { return sdk.ErrNotFound }
