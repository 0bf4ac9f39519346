package engine

import "context"

// Snapshot is the snapshot module the engine makes of the reactor wasm,
// for the tests and benchmarks of package engine_test.
func (e *Engine) Snapshot(ctx context.Context, wasm []byte) ([]byte, error) {
	bounded, err := boundModule(wasm, e.opts.MaxTableElements)
	if err != nil {
		return nil, err
	}
	res, err := e.snapshot(ctx, bounded, e.opts.Logger)
	if err != nil {
		return nil, err
	}
	return res.module()
}

// DisableMemImages makes e's snapshots start their memory from data
// segments, as on systems without memfd.
func (e *Engine) DisableMemImages() { e.noMemImages = true }
