package wasip2

import (
	"context"
	"errors"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// A descriptor is a directory (an os.Root, which keeps every path inside
// it: ".." and symlinks cannot leave the preopened folder) or a file
// opened through one. q is the preopened folder's quota (nil: none); a
// file's descriptor is known to it by key while open (tracked).
type descriptor struct {
	dir     *os.Root
	file    *os.File
	flags   cabi.Flags
	q       *Quota
	key     fileKey
	tracked bool
}

func (d *descriptor) close() {
	if d.dir != nil {
		_ = d.dir.Close()
	}
	if d.file != nil {
		if d.tracked {
			d.q.closing(d.key, d.file)
		}
		_ = d.file.Close()
	}
}

// PreopenName is the name of the one preopened directory, the service's
// folder: ".", as WAVS (wasmtime) names it. wasi-libc (Rust, C, and
// StarlingMonkey for JavaScript) resolves relative and absolute paths
// against it alike.
const PreopenName = "."

// descriptor-flags bits.
const (
	dfRead            cabi.Flags = 1 << 0
	dfWrite           cabi.Flags = 1 << 1
	dfMutateDirectory cabi.Flags = 1 << 5
)

// open-flags and path-flags bits.
const (
	ofCreate    cabi.Flags = 1 << 0
	ofDirectory cabi.Flags = 1 << 1
	ofExclusive cabi.Flags = 1 << 2
	ofTruncate  cabi.Flags = 1 << 3

	pfSymlinkFollow cabi.Flags = 1 << 0
)

// descriptor-type cases.
const (
	dtUnknown uint32 = iota
	dtBlockDevice
	dtCharacterDevice
	dtDirectory
	dtFifo
	dtSymbolicLink
	dtRegularFile
	dtSocket
)

// maxDirEntries caps one read-directory listing.
const maxDirEntries = 100_000

var (
	tDescriptorType  = cabi.EnumOf("unknown", "block-device", "character-device", "directory", "fifo", "symbolic-link", "regular-file", "socket")
	tDescriptorFlags = cabi.FlagsOf("read", "write", "file-integrity-sync", "data-integrity-sync", "requested-write-sync", "mutate-directory")
	tPathFlags       = cabi.FlagsOf("symlink-follow")
	tOpenFlags       = cabi.FlagsOf("create", "directory", "exclusive", "truncate")
	tAdvice          = cabi.EnumOf("normal", "sequential", "random", "will-need", "dont-need", "no-reuse")
	tNewTimestamp    = cabi.VariantOf(cabi.Case{Name: "no-change"}, cabi.Case{Name: "now"}, cabi.Case{Name: "timestamp", Type: tDatetime})
	tDescriptorStat  = cabi.RecordOf(
		cabi.Field{Name: "type", Type: tDescriptorType},
		cabi.Field{Name: "link-count", Type: cabi.U64()},
		cabi.Field{Name: "size", Type: cabi.U64()},
		cabi.Field{Name: "data-access-timestamp", Type: cabi.OptionOf(tDatetime)},
		cabi.Field{Name: "data-modification-timestamp", Type: cabi.OptionOf(tDatetime)},
		cabi.Field{Name: "status-change-timestamp", Type: cabi.OptionOf(tDatetime)},
	)
	tDirectoryEntry = cabi.RecordOf(
		cabi.Field{Name: "type", Type: tDescriptorType},
		cabi.Field{Name: "name", Type: cabi.String()},
	)
	tMetadataHash = cabi.RecordOf(
		cabi.Field{Name: "lower", Type: cabi.U64()},
		cabi.Field{Name: "upper", Type: cabi.U64()},
	)
	selfDesc = p("self", cabi.Borrow("descriptor"))
)

func fsResult(ok *cabi.Type) []*cabi.Type { return []*cabi.Type{cabi.ResultOf(ok, tErrorCode)} }

// descFn is a descriptor method: the descriptor is looked up first, a
// returned error becomes the method's error-code (a trap is reserved for
// bad handles and arguments).
func descFn(params []cabi.Param, ok *cabi.Type, run func(s *State, d *descriptor, args []cabi.Value) (cabi.Value, error)) *funcDef {
	return def(append([]cabi.Param{selfDesc}, params...), fsResult(ok),
		func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
			d, err := s.descArg(args, 0)
			if err != nil {
				return nil, err
			}
			v, err := run(s, d, args)
			if err != nil {
				var bad *badArg
				if errors.As(err, &bad) {
					return nil, bad.err
				}
				return fsErr(err)
			}
			return one(cabi.Ok(v))
		})
}

// badArg is an argument this package's tables got wrong: a trap.
type badArg struct{ err error }

func (b *badArg) Error() string { return b.err.Error() }

func unsupported(what string) func(*State, *descriptor, []cabi.Value) (cabi.Value, error) {
	return func(*State, *descriptor, []cabi.Value) (cabi.Value, error) {
		return nil, fsFail(ecUnsupported, errors.New(what+" is not supported"))
	}
}

func init() {
	str := func(n string) cabi.Param { return p(n, cabi.String()) }
	u64 := func(n string) cabi.Param { return p(n, cabi.U64()) }
	register("wasi:filesystem/preopens", nil, map[string]*funcDef{
		"get-directories": def(nil, []*cabi.Type{cabi.ListOf(cabi.TupleOf(cabi.Own("descriptor"), cabi.String()))},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				if s.cfg.Dir == "" {
					return one([]cabi.Value{})
				}
				root, err := os.OpenRoot(s.cfg.Dir)
				if err != nil {
					return nil, err // the node's folder is missing: its fault, not the guest's
				}
				h, err := s.add("descriptor", &descriptor{dir: root, flags: dfRead | dfWrite | dfMutateDirectory, q: s.cfg.Quota})
				if err != nil {
					_ = root.Close()
					return nil, err
				}
				return one([]cabi.Value{cabi.Fields(cabi.Handle(h), PreopenName)})
			}),
	})
	register("wasi:filesystem/types", []string{"descriptor", "directory-entry-stream"}, map[string]*funcDef{
		"[method]descriptor.read-via-stream": descFn([]cabi.Param{u64("offset")}, cabi.Own("input-stream"), (*State).readViaStream),
		"[method]descriptor.write-via-stream": descFn([]cabi.Param{u64("offset")}, cabi.Own("output-stream"), func(s *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			off, err := argU64(a, 1)
			if err != nil {
				return nil, &badArg{err}
			}
			return s.writeViaStream(d, int64(off), false)
		}),
		"[method]descriptor.append-via-stream": descFn(nil, cabi.Own("output-stream"), func(s *State, d *descriptor, _ []cabi.Value) (cabi.Value, error) {
			return s.writeViaStream(d, 0, true)
		}),
		"[method]descriptor.advise": descFn([]cabi.Param{u64("offset"), u64("length"), p("advice", tAdvice)}, nil, func(*State, *descriptor, []cabi.Value) (cabi.Value, error) {
			return nil, nil // advice may be ignored
		}),
		"[method]descriptor.sync-data": descFn(nil, nil, syncFile),
		"[method]descriptor.sync":      descFn(nil, nil, syncFile),
		"[method]descriptor.get-flags": descFn(nil, tDescriptorFlags, func(_ *State, d *descriptor, _ []cabi.Value) (cabi.Value, error) {
			return d.flags, nil
		}),
		"[method]descriptor.get-type": descFn(nil, tDescriptorType, func(_ *State, d *descriptor, _ []cabi.Value) (cabi.Value, error) {
			fi, err := d.stat()
			if err != nil {
				return nil, err
			}
			return cabi.Enum(typeOf(fi.Mode())), nil
		}),
		"[method]descriptor.set-size": descFn([]cabi.Param{u64("size")}, nil, func(_ *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			n, err := argU64(a, 1)
			if err != nil {
				return nil, &badArg{err}
			}
			return nil, d.setSize(int64(min(n, 1<<62)))
		}),
		"[method]descriptor.set-times": descFn([]cabi.Param{p("data-access-timestamp", tNewTimestamp), p("data-modification-timestamp", tNewTimestamp)}, nil, unsupported("set-times")),
		"[method]descriptor.read": descFn([]cabi.Param{u64("length"), u64("offset")}, cabi.TupleOf(tU8List, cabi.Bool()), func(_ *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			n, err1 := argU64(a, 1)
			off, err2 := argU64(a, 2)
			if err := errors.Join(err1, err2); err != nil {
				return nil, &badArg{err}
			}
			f, err := d.readableFile()
			if err != nil {
				return nil, err
			}
			buf := make([]byte, min(n, maxRead))
			k, err := f.ReadAt(buf, int64(min(off, 1<<62)))
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return cabi.Fields(buf[:k], errors.Is(err, io.EOF)), nil
		}),
		"[method]descriptor.write": descFn([]cabi.Param{p("buffer", tU8List), u64("offset")}, cabi.U64(), func(_ *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			b, err1 := argBytes(a, 1)
			off, err2 := argU64(a, 2)
			if err := errors.Join(err1, err2); err != nil {
				return nil, &badArg{err}
			}
			k, err := d.writeAt(b, int64(min(off, 1<<62)), false)
			if err != nil {
				return nil, err
			}
			return uint64(k), nil
		}),
		"[method]descriptor.read-directory": descFn(nil, cabi.Own("directory-entry-stream"), (*State).readDirectory),
		"[method]descriptor.create-directory-at": descFn([]cabi.Param{str("path")}, nil, func(_ *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			dir, name, err := d.pathArg(a, 1, true)
			if err != nil {
				return nil, err
			}
			if err := d.q.lock(); err != nil {
				return nil, err
			}
			defer d.q.unlock()
			if err := d.q.fits(0, 1); err != nil {
				return nil, err
			}
			if err := dir.Mkdir(name, 0o700); err != nil {
				return nil, err
			}
			d.q.add(0, 1)
			return nil, nil
		}),
		"[method]descriptor.stat": descFn(nil, tDescriptorStat, func(_ *State, d *descriptor, _ []cabi.Value) (cabi.Value, error) {
			fi, err := d.stat()
			if err != nil {
				return nil, err
			}
			return statValue(fi), nil
		}),
		"[method]descriptor.stat-at": descFn([]cabi.Param{p("path-flags", tPathFlags), str("path")}, tDescriptorStat, func(_ *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			fi, err := d.statAt(a)
			if err != nil {
				return nil, err
			}
			return statValue(fi), nil
		}),
		"[method]descriptor.set-times-at": descFn([]cabi.Param{p("path-flags", tPathFlags), str("path"), p("data-access-timestamp", tNewTimestamp), p("data-modification-timestamp", tNewTimestamp)}, nil, unsupported("set-times-at")),
		"[method]descriptor.link-at":      descFn([]cabi.Param{p("old-path-flags", tPathFlags), str("old-path"), p("new-descriptor", cabi.Borrow("descriptor")), str("new-path")}, nil, unsupported("link-at")),
		"[method]descriptor.open-at":      descFn([]cabi.Param{p("path-flags", tPathFlags), str("path"), p("open-flags", tOpenFlags), p("flags", tDescriptorFlags)}, cabi.Own("descriptor"), (*State).openAt),
		"[method]descriptor.readlink-at": descFn([]cabi.Param{str("path")}, cabi.String(), func(_ *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			dir, name, err := d.pathArg(a, 1, false)
			if err != nil {
				return nil, err
			}
			return dir.Readlink(name)
		}),
		"[method]descriptor.remove-directory-at": descFn([]cabi.Param{str("path")}, nil, func(_ *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			return nil, d.removeAt(a, true)
		}),
		"[method]descriptor.unlink-file-at": descFn([]cabi.Param{str("path")}, nil, func(_ *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			return nil, d.removeAt(a, false)
		}),
		"[method]descriptor.rename-at":  descFn([]cabi.Param{str("old-path"), p("new-descriptor", cabi.Borrow("descriptor")), str("new-path")}, nil, (*State).renameAt),
		"[method]descriptor.symlink-at": descFn([]cabi.Param{str("old-path"), str("new-path")}, nil, unsupported("symlink-at")),
		"[method]descriptor.is-same-object": def([]cabi.Param{selfDesc, p("other", cabi.Borrow("descriptor"))}, []*cabi.Type{cabi.Bool()},
			func(_ context.Context, s *State, a []cabi.Value) ([]cabi.Value, error) {
				d, err := s.descArg(a, 0)
				if err != nil {
					return nil, err
				}
				o, err := s.descArg(a, 1)
				if err != nil {
					return nil, err
				}
				fa, err1 := d.stat()
				fb, err2 := o.stat()
				return one(err1 == nil && err2 == nil && os.SameFile(fa, fb))
			}),
		"[method]descriptor.metadata-hash": descFn(nil, tMetadataHash, func(_ *State, d *descriptor, _ []cabi.Value) (cabi.Value, error) {
			fi, err := d.stat()
			if err != nil {
				return nil, err
			}
			return metadataHash(fi), nil
		}),
		"[method]descriptor.metadata-hash-at": descFn([]cabi.Param{p("path-flags", tPathFlags), str("path")}, tMetadataHash, func(_ *State, d *descriptor, a []cabi.Value) (cabi.Value, error) {
			fi, err := d.statAt(a)
			if err != nil {
				return nil, err
			}
			return metadataHash(fi), nil
		}),
		"[method]directory-entry-stream.read-directory-entry": def([]cabi.Param{p("self", cabi.Borrow("directory-entry-stream"))}, fsResult(cabi.OptionOf(tDirectoryEntry)),
			func(_ context.Context, s *State, a []cabi.Value) ([]cabi.Value, error) {
				h, err := argHandle(a, 0)
				if err != nil {
					return nil, err
				}
				ds, err := getAs[*dirStream](s, h, "directory-entry-stream")
				if err != nil {
					return nil, err
				}
				if len(ds.entries) == 0 {
					return one(cabi.Ok(cabi.None()))
				}
				e := ds.entries[0]
				ds.entries = ds.entries[1:]
				return one(cabi.Ok(cabi.Some(cabi.Fields(cabi.Enum(typeOf(e.Type())), e.Name()))))
			}),
		"filesystem-error-code": def([]cabi.Param{p("err", cabi.Borrow("error"))}, []*cabi.Type{cabi.OptionOf(tErrorCode)},
			func(_ context.Context, s *State, a []cabi.Value) ([]cabi.Value, error) {
				e, err := s.errorArg(a, 0)
				if err != nil {
					return nil, err
				}
				if e.code < 0 {
					return one(cabi.None())
				}
				return one(cabi.Some(cabi.Enum(e.code)))
			}),
	})
}

// dirStream is a directory listing taken when read-directory was called.
type dirStream struct{ entries []fs.DirEntry }

func (s *State) descArg(args []cabi.Value, i int) (*descriptor, error) {
	h, err := argHandle(args, i)
	if err != nil {
		return nil, err
	}
	return getAs[*descriptor](s, h, "descriptor")
}

func (d *descriptor) stat() (fs.FileInfo, error) {
	if d.file != nil {
		return d.file.Stat()
	}
	return d.dir.Stat(".")
}

func (d *descriptor) readableFile() (*os.File, error) {
	if d.file == nil {
		return nil, fsFail(ecIsDirectory, errors.New("descriptor is a directory"))
	}
	if d.flags&dfRead == 0 {
		return nil, fsFail(ecBadDescriptor, errors.New("descriptor is not open for reading"))
	}
	return d.file, nil
}

func (d *descriptor) writableFile() (*os.File, error) {
	if d.file == nil {
		return nil, fsFail(ecIsDirectory, errors.New("descriptor is a directory"))
	}
	if d.flags&dfWrite == 0 {
		return nil, fsFail(ecBadDescriptor, errors.New("descriptor is not open for writing"))
	}
	return d.file, nil
}

// pathArg is the directory and the relative path argument i names in it.
// WASI paths are relative: an absolute one is not-permitted, like any
// path os.Root finds leaving the folder. mutate says the operation
// changes the directory, which its flags must allow.
func (d *descriptor) pathArg(args []cabi.Value, i int, mutate bool) (*os.Root, string, error) {
	name, err := argString(args, i)
	if err != nil {
		return nil, "", &badArg{err}
	}
	if d.dir == nil {
		return nil, "", fsFail(ecNotDirectory, errors.New("descriptor is not a directory"))
	}
	if mutate && d.flags&dfMutateDirectory == 0 {
		return nil, "", fsFail(ecReadOnly, errors.New("directory is read-only"))
	}
	if strings.HasPrefix(name, "/") {
		return nil, "", fsFail(ecNotPermitted, errors.New("absolute path "+name))
	}
	if name == "" {
		return nil, "", fsFail(ecNoEntry, errors.New("empty path"))
	}
	if strings.ContainsRune(name, 0) {
		return nil, "", fsFail(ecInvalid, errors.New("path holds a NUL"))
	}
	// os.Root resolves ".." itself, component by component, so a path
	// through a missing folder fails as it would on POSIX.
	return d.dir, name, nil
}

func (d *descriptor) statAt(a []cabi.Value) (fs.FileInfo, error) {
	pf, err := argFlags(a, 1)
	if err != nil {
		return nil, &badArg{err}
	}
	dir, name, err := d.pathArg(a, 2, false)
	if err != nil {
		return nil, err
	}
	if pf&pfSymlinkFollow != 0 {
		return dir.Stat(name)
	}
	return dir.Lstat(name)
}

func (d *descriptor) removeAt(a []cabi.Value, wantDir bool) error {
	dir, name, err := d.pathArg(a, 1, true)
	if err != nil {
		return err
	}
	if err := d.q.lock(); err != nil {
		return err
	}
	defer d.q.unlock()
	fi, err := dir.Lstat(name)
	if err != nil {
		return err
	}
	switch {
	case wantDir && !fi.IsDir():
		return fsFail(ecNotDirectory, errors.New(name+" is not a directory"))
	case !wantDir && fi.IsDir():
		return fsFail(ecIsDirectory, errors.New(name+" is a directory"))
	}
	if err := dir.Remove(name); err != nil {
		return err
	}
	d.q.removed(fi)
	return nil
}

// writeAt writes b at off (at the end when appending) within the quota:
// all of b or, past the quota, nothing (insufficient-space).
func (d *descriptor) writeAt(b []byte, off int64, appending bool) (int, error) {
	f, err := d.writableFile()
	if err != nil {
		return 0, err
	}
	if err := d.q.lock(); err != nil {
		return 0, err
	}
	defer d.q.unlock()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := fi.Size()
	if appending {
		off = size
	}
	if err := d.q.fits(off+int64(len(b))-size, 0); err != nil {
		return 0, err
	}
	n, err := f.WriteAt(b, off)
	d.q.add(max(off+int64(n)-size, 0), 0)
	return n, err
}

// setSize truncates or extends the file within the quota.
func (d *descriptor) setSize(n int64) error {
	f, err := d.writableFile()
	if err != nil {
		return err
	}
	if err := d.q.lock(); err != nil {
		return err
	}
	defer d.q.unlock()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := d.q.fits(n-fi.Size(), 0); err != nil {
		return err
	}
	terr := f.Truncate(n)
	// Count what truncate did, even when it failed part way.
	now := fi.Size()
	if terr == nil {
		now = n
	}
	if after, err := f.Stat(); err == nil {
		now = after.Size()
	}
	d.q.add(now-fi.Size(), 0)
	return terr
}

func syncFile(_ *State, d *descriptor, _ []cabi.Value) (cabi.Value, error) {
	if d.file == nil || d.flags&dfWrite == 0 {
		return nil, nil
	}
	return nil, d.file.Sync()
}

func (s *State) readViaStream(d *descriptor, a []cabi.Value) (cabi.Value, error) {
	off, err := argU64(a, 1)
	if err != nil {
		return nil, &badArg{err}
	}
	f, err := d.readableFile()
	if err != nil {
		return nil, err
	}
	pos := int64(min(off, 1<<62))
	h, err := s.newInputStream(&inputStream{r: func(max int) ([]byte, error) {
		buf := make([]byte, max)
		n, err := f.ReadAt(buf, pos)
		pos += int64(n)
		if n > 0 {
			return buf[:n], nil
		}
		if err == nil {
			err = io.EOF
		}
		return nil, err
	}})
	if err != nil {
		return nil, &badArg{err}
	}
	return h, nil
}

func (s *State) writeViaStream(d *descriptor, off int64, appending bool) (cabi.Value, error) {
	if _, err := d.writableFile(); err != nil {
		return nil, err
	}
	pos := min(off, 1<<62)
	h, err := s.newOutputStream(&outputStream{w: func(b []byte) error {
		n, err := d.writeAt(b, pos, appending)
		pos += int64(n) // unused when appending: each write goes to the end
		return err
	}})
	if err != nil {
		return nil, &badArg{err}
	}
	return h, nil
}

func (s *State) readDirectory(d *descriptor, _ []cabi.Value) (cabi.Value, error) {
	if d.dir == nil {
		return nil, fsFail(ecNotDirectory, errors.New("descriptor is not a directory"))
	}
	f, err := d.dir.Open(".")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := f.ReadDir(maxDirEntries)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	h, err := s.add("directory-entry-stream", &dirStream{entries: entries})
	if err != nil {
		return nil, &badArg{err}
	}
	return cabi.Handle(h), nil
}

func (s *State) openAt(d *descriptor, a []cabi.Value) (cabi.Value, error) {
	pf, err1 := argFlags(a, 1)
	of, err2 := argFlags(a, 3)
	df, err3 := argFlags(a, 4)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, &badArg{err}
	}
	writes := df&(dfWrite|dfMutateDirectory) != 0 || of&(ofCreate|ofTruncate) != 0
	dir, name, err := d.pathArg(a, 2, writes)
	if err != nil {
		return nil, err
	}
	nd, err := d.openLocked(dir, name, pf, of, df)
	if err != nil {
		return nil, err
	}
	h, err := s.add("descriptor", nd)
	if err != nil {
		nd.close()
		return nil, &badArg{err}
	}
	return cabi.Handle(h), nil
}

// openLocked is open-at under the quota's lock: a file it creates is one
// more entry, one it truncates releases its bytes.
func (d *descriptor) openLocked(dir *os.Root, name string, pf, of, df cabi.Flags) (*descriptor, error) {
	if err := d.q.lock(); err != nil {
		return nil, err
	}
	defer d.q.unlock()
	var err error
	if pf&pfSymlinkFollow == 0 {
		if fi, err := dir.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, fsFail(ecLoop, errors.New(name+" is a symbolic link"))
		}
	}
	nd := &descriptor{flags: df, q: d.q}
	fi, statErr := dir.Stat(name)
	switch {
	case of&ofDirectory != 0 || (statErr == nil && fi.IsDir()):
		if of&(ofCreate|ofExclusive) == ofCreate|ofExclusive && statErr == nil {
			return nil, fsFail(ecExist, errors.New(name+" exists"))
		}
		if statErr == nil && !fi.IsDir() {
			return nil, fsFail(ecNotDirectory, errors.New(name+" is not a directory"))
		}
		if df&dfWrite != 0 {
			return nil, fsFail(ecIsDirectory, errors.New(name+" is a directory"))
		}
		if nd.dir, err = dir.OpenRoot(name); err != nil {
			return nil, err
		}
	default:
		flag := os.O_RDONLY
		switch {
		case df&dfRead != 0 && df&dfWrite != 0:
			flag = os.O_RDWR
		case df&dfWrite != 0:
			flag = os.O_WRONLY
		}
		if of&ofCreate != 0 {
			flag |= os.O_CREATE
		}
		if of&ofExclusive != 0 {
			flag |= os.O_EXCL
		}
		if of&ofTruncate != 0 {
			flag |= os.O_TRUNC
		}
		creates := of&ofCreate != 0 && statErr != nil
		if creates {
			if err := d.q.fits(0, 1); err != nil {
				return nil, err
			}
		}
		if nd.file, err = dir.OpenFile(name, flag, 0o600); err != nil {
			return nil, err
		}
		after, err := nd.file.Stat()
		if err != nil {
			_ = nd.file.Close()
			return nil, err
		}
		switch {
		case creates:
			d.q.add(after.Size(), 1)
		case fi.Mode().IsRegular():
			d.q.add(after.Size()-fi.Size(), 0)
		}
		nd.key, nd.tracked = d.q.opened(after)
	}
	return nd, nil
}

func (s *State) renameAt(d *descriptor, a []cabi.Value) (cabi.Value, error) {
	dir, oldName, err := d.pathArg(a, 1, true)
	if err != nil {
		return nil, err
	}
	nd, err := s.descArg(a, 2)
	if err != nil {
		return nil, &badArg{err}
	}
	if nd != d {
		return nil, fsFail(ecCrossDevice, errors.New("rename between two directory descriptors is not supported"))
	}
	_, newName, err := d.pathArg(a, 3, true)
	if err != nil {
		return nil, err
	}
	if err := d.q.lock(); err != nil {
		return nil, err
	}
	defer d.q.unlock()
	src, err := dir.Lstat(oldName)
	if err != nil {
		return nil, err
	}
	dst, dstErr := dir.Lstat(newName)
	if err := dir.Rename(oldName, newName); err != nil {
		return nil, err
	}
	if dstErr == nil && !os.SameFile(src, dst) {
		d.q.removed(dst) // the file or empty folder it replaced
	}
	return nil, nil
}

func typeOf(m fs.FileMode) uint32 {
	switch {
	case m.IsDir():
		return dtDirectory
	case m.IsRegular():
		return dtRegularFile
	case m&fs.ModeSymlink != 0:
		return dtSymbolicLink
	case m&fs.ModeNamedPipe != 0:
		return dtFifo
	case m&fs.ModeSocket != 0:
		return dtSocket
	case m&fs.ModeCharDevice != 0:
		return dtCharacterDevice
	case m&fs.ModeDevice != 0:
		return dtBlockDevice
	}
	return dtUnknown
}

// statValue is descriptor-stat; only the modification time is portable.
func statValue(fi fs.FileInfo) cabi.Record {
	return cabi.Fields(cabi.Enum(typeOf(fi.Mode())), uint64(1), uint64(max(fi.Size(), 0)),
		cabi.None(), cabi.Some(datetime(fi.ModTime())), cabi.None())
}

// metadataHash changes when the object's size, mode or modification time
// does (the spec asks for no more than that).
func metadataHash(fi fs.FileInfo) cabi.Record {
	h := fnv.New128a()
	_, _ = h.Write([]byte(fi.Name() + "\x00" + fi.Mode().String() + "\x00" + fi.ModTime().Format(time.RFC3339Nano)))
	var sz [8]byte
	for i := range sz {
		sz[i] = byte(fi.Size() >> (8 * i))
	}
	_, _ = h.Write(sz[:])
	sum := h.Sum(nil)
	var lo, hi uint64
	for i := range 8 {
		lo |= uint64(sum[i]) << (8 * i)
		hi |= uint64(sum[8+i]) << (8 * i)
	}
	return cabi.Fields(lo, hi)
}
