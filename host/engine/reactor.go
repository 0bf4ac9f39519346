package engine

import (
	"context"
	"errors"
	"io/fs"

	"github.com/hashicorp/go-hclog"
	"github.com/tetratelabs/wazero"
)

// moduleCode is a compiled wasip1 module and how to run it. A reactor
// compiles to its snapshot, whose executions call wavs_run alone, or,
// when it could not be snapshotted, to the reactor itself, whose
// executions call _initialize then wavs_run. (A command compiles to its
// wazero.CompiledModule, run as a moduleCode of shapeCommand.)
type moduleCode struct {
	mod   wazero.CompiledModule
	shape moduleShape
	// clock is, for a snapshot, the monotonic clock at the end of its
	// initialisation: an execution's monotonic clock goes on from there.
	clock int64
	// image is, for a snapshot compiled without its data segments, the
	// memory an execution starts with; nil when the data segments give
	// it.
	image *memImage
}

func (c *moduleCode) Close(ctx context.Context) error {
	err := c.mod.Close(ctx)
	if c.image != nil {
		err = errors.Join(err, c.image.Close())
	}
	return err
}

// compileReactor compiles the reactor digest, wasm with its tables
// bounded: its snapshot (from the cache, or taken now and cached) when
// one can be taken, else the reactor itself, saying why in the log. A
// module that is not a valid reactor fails as compile says.
func (e *Engine) compileReactor(ctx context.Context, digest string, wasm []byte) (compiledCode, error) {
	log := e.opts.Logger.With("component", digest[:12])
	snap, err := e.cachedSnapshot(digest)
	if err == nil {
		code, cerr := e.compileSnapshot(ctx, log, snap, true)
		if cerr == nil {
			return code, nil
		}
		if errors.Is(cerr, ErrClosed) {
			return nil, cerr
		}
		err = cerr
	}
	if !errors.Is(err, fs.ErrNotExist) && e.opts.CacheDir != "" {
		log.Warn("cached snapshot not used", "error", err.Error())
	}
	snap, err = e.snapshot(ctx, wasm, log)
	if err == nil {
		code, cerr := e.compileSnapshot(ctx, log, snap, false)
		if cerr == nil {
			if err := e.cacheSnapshot(digest, snap); err != nil {
				log.Warn("snapshot not cached", "error", err.Error())
			}
			return code, nil
		}
		if errors.Is(cerr, ErrClosed) {
			return nil, cerr
		}
		err = cerr
	}
	if e.closed() {
		return nil, ErrClosed
	}
	if !errors.Is(err, errInvalidReactor) {
		log.Warn("component not snapshotted: each execution runs its initialisation", "reason", err.Error())
	}
	mod, err := e.compileModule(ctx, wasm, shapeReactor)
	if err != nil {
		return nil, err
	}
	return &moduleCode{mod: mod, shape: shapeReactor}, nil
}

// compileSnapshot compiles a snapshot: without its data segments and with
// its memory as a memImage where the system allows, else whole.
func (e *Engine) compileSnapshot(ctx context.Context, log hclog.Logger, snap *snapshotResult, cached bool) (*moduleCode, error) {
	code := &moduleCode{shape: shapeSnapshot, clock: snap.clock}
	wasm := snap.bare
	image, err := e.newMemImage(snap)
	if err == nil {
		code.image = image
	} else {
		log.Debug("component snapshot: its memory is copied from data segments in each execution", "reason", err.Error())
		if wasm, err = snap.module(); err != nil {
			return nil, err
		}
	}
	mod, err := e.compileModule(ctx, wasm, shapeSnapshot)
	if err != nil {
		if image != nil {
			image.Close()
		}
		return nil, err
	}
	code.mod = mod
	log.Debug("component snapshot taken", "cached", cached,
		"pages", snap.pages, "data_segments", snap.segments, "data_bytes", snap.data,
		"memory_image", code.image != nil, "took", snap.took)
	return code, nil
}

// newMemImage is snap's memory as a memImage, unless the system cannot
// make one (or a test turned them off).
func (e *Engine) newMemImage(snap *snapshotResult) (*memImage, error) {
	if e.noMemImages {
		return nil, errors.New("memory images are off")
	}
	return newMemImage(snap.memory, snap.runs)
}
