package engine

import (
	"errors"
	"fmt"
	"strconv"
)

// The reactor shape of Component ABI v1 and its snapshot module.
//
// A reactor exports _initialize (the language runtime's start-up and the
// program's initialisation) and wavs_run (one execution: input on stdin,
// output on stdout, as a command's _start). Its snapshot is the module
// rewritten to start where _initialize ended: its memory and globals as
// _initialize left them. snapshotPlan checks that a module can be
// snapshotted and makes the instrumented module (every mutable global
// exported, so the engine can read it after _initialize) and, from what
// was read, the snapshot module.

// The exports of a reactor.
const (
	reactorInit  = "_initialize"
	reactorEntry = "wavs_run"
	commandStart = "_start"
)

// snapshotFormat versions how a snapshot module is made from a reactor:
// bump it whenever the bytes it gives change (the deterministic
// environment of initialisation, the layout of the data segments).
const snapshotFormat = 1

// snapshotGlobalPrefix names the exports the instrumented module adds.
const snapshotGlobalPrefix = "wavs-snapshot-global-"

// dataGapMerge is the largest run of zero bytes between two non-zero runs
// of memory that the snapshot copies rather than starting a new data
// segment: instantiation pays per segment, and a gap shorter than a page
// cannot hold a whole page the guest would otherwise not touch.
const dataGapMerge = 4096

// snapshotPlan is a reactor ready to be snapshotted.
type snapshotPlan struct {
	secs []wasmSection
	// Indexes in secs of the sections the snapshot rewrites; -1 if
	// absent.
	global, export, memory, data, dataCount int
	importedGlobals                         uint32
	globals                                 []wasmGlobal
	exports                                 []wasmExport
	mem                                     wasmLimits
	// captured lists the indexes (in globals) of the mutable globals the
	// instrumented module exports, by their export names.
	captured []int
	names    []string
}

// errNoSnapshot marks the reasons a module cannot be snapshotted.
var errNoSnapshot = errors.New("cannot snapshot")

func noSnapshot(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errNoSnapshot, fmt.Sprintf(format, args...))
}

// planSnapshot checks that wasm (a valid module) has only state a
// snapshot carries over: one memory it defines, globals of number types
// it defines, no start function, only active data segments, and code that
// never changes a table or a segment (so tables are as instantiation
// makes them, in the snapshot as in the original).
func planSnapshot(wasm []byte) (*snapshotPlan, error) {
	secs, err := splitModule(wasm)
	if err != nil {
		return nil, noSnapshot("%v", err)
	}
	p := &snapshotPlan{secs: secs, global: -1, export: -1, memory: -1, data: -1, dataCount: -1}
	for i, s := range secs {
		var err error
		switch s.id {
		case sectionImport:
			var im wasmImports
			if im, err = readImports(s.body); err == nil {
				switch {
				case im.memories > 0:
					err = errors.New("it imports a memory")
				case im.tables > 0:
					err = errors.New("it imports a table")
				case im.globals > 0:
					err = errors.New("it imports a global")
				}
			}
		case sectionMemory:
			p.memory = i
			p.mem, err = readMemory(s.body)
		case sectionGlobal:
			p.global = i
			p.globals, err = readGlobals(s.body)
		case sectionExport:
			p.export = i
			p.exports, err = readExports(s.body)
		case sectionStart:
			err = errors.New("it has a start function")
		case sectionCode:
			err = scanCode(s.body, func(op instr) error {
				if mutatesTables(op) {
					return fmt.Errorf("its code changes a table or a segment (instruction %v)", op)
				}
				return nil
			})
		case sectionData:
			p.data = i
			err = checkActiveData(s.body)
		case sectionDataCount:
			p.dataCount = i
		}
		if err != nil {
			return nil, noSnapshot("%v", err)
		}
	}
	if p.memory < 0 {
		return nil, noSnapshot("it defines no memory")
	}
	names := map[string]bool{}
	for _, e := range p.exports {
		names[e.name] = true
	}
	for i, g := range p.globals {
		if !g.mutable {
			continue // its initializer gives its value
		}
		if _, ok := constExpr(g.typ, 0); !ok {
			return nil, noSnapshot("its global %d has type 0x%02x", p.importedGlobals+uint32(i), g.typ)
		}
		name := snapshotGlobalPrefix + strconv.Itoa(i)
		if names[name] {
			return nil, noSnapshot("it exports %q", name)
		}
		p.captured = append(p.captured, i)
		p.names = append(p.names, name)
	}
	return p, nil
}

// instrumented is the module with every mutable global exported.
func (p *snapshotPlan) instrumented() []byte {
	exports := append([]wasmExport(nil), p.exports...)
	for k, i := range p.captured {
		exports = append(exports, wasmExport{name: p.names[k], kind: externGlobal, idx: p.importedGlobals + uint32(i)})
	}
	secs := append([]wasmSection(nil), p.secs...)
	sec := wasmSection{id: sectionExport, body: encodeExports(exports)}
	if p.export >= 0 {
		secs[p.export] = sec
	} else {
		secs = insertSection(secs, sec)
	}
	return joinModule(secs)
}

// snapshotStats describes a snapshot module.
type snapshotStats struct {
	pages    uint32 // its initial memory
	segments int    // its data segments
	data     int    // the bytes they hold
}

// emit makes the snapshot module without its data segments (bare):
// memory holds the whole memory after _initialize and values the raw
// values of the captured globals, in the order of p.captured. Its memory
// starts at the captured size, its globals start at the captured values,
// it no longer exports _initialize, and its data section is empty: an
// engine gives each instance the captured memory itself (memImage), or
// makes the whole snapshot module with withDataSegments, whose data
// segments hold the memory's non-zero runs.
func (p *snapshotPlan) emit(memory []byte, values []uint64) (bare []byte, runs []memRun, st snapshotStats, err error) {
	if len(memory)%wasmPageSize != 0 {
		return nil, nil, st, fmt.Errorf("memory of %d bytes is not whole pages", len(memory))
	}
	if len(values) != len(p.captured) {
		return nil, nil, st, fmt.Errorf("%d global values for %d globals", len(values), len(p.captured))
	}
	st.pages = uint32(len(memory) / wasmPageSize)
	if st.pages < p.mem.min || (p.mem.hasMax && st.pages > p.mem.max) {
		return nil, nil, st, fmt.Errorf("memory of %d pages outside its limits [%d, %d]", st.pages, p.mem.min, p.mem.max)
	}
	secs := append([]wasmSection(nil), p.secs...)

	mem := p.mem
	mem.min = st.pages
	secs[p.memory].body = encodeMemory(mem)

	if p.global >= 0 {
		globals := append([]wasmGlobal(nil), p.globals...)
		for k, i := range p.captured {
			init, _ := constExpr(globals[i].typ, values[k])
			globals[i].init = init
		}
		secs[p.global].body = encodeGlobals(globals)
	}

	var exports []wasmExport
	for _, e := range p.exports {
		if e.name != reactorInit {
			exports = append(exports, e)
		}
	}
	secs[p.export].body = encodeExports(exports)

	runs = nonZeroRuns(memory)
	for _, r := range runs {
		st.data += r.end - r.start
	}
	st.segments = len(runs)
	return joinModule(withData(p, secs, encodeData(memory, nil), 0)), runs, st, nil
}

// withData is secs with the data section body (of n segments).
func withData(p *snapshotPlan, secs []wasmSection, body []byte, n int) []wasmSection {
	secs = append([]wasmSection(nil), secs...)
	if p.dataCount >= 0 {
		secs[p.dataCount].body = appendLEB(nil, uint32(n))
	}
	sec := wasmSection{id: sectionData, body: body}
	if p.data >= 0 {
		secs[p.data] = sec
		return secs
	}
	return insertSection(secs, sec)
}

// memRun is a run of memory, [start, end).
type memRun struct{ start, end int }

// nonZeroRuns are the runs of memory holding its non-zero bytes, runs
// closer than dataGapMerge joined.
func nonZeroRuns(memory []byte) []memRun {
	var runs []memRun
	for i := 0; i < len(memory); {
		if memory[i] == 0 {
			i++
			continue
		}
		end := i
		for end < len(memory) && memory[end] != 0 {
			end++
		}
		if n := len(runs); n > 0 && i-runs[n-1].end <= dataGapMerge {
			runs[n-1].end = end
		} else {
			runs = append(runs, memRun{i, end})
		}
		i = end
	}
	return runs
}

// encodeData is a data section of one active segment per run of memory.
func encodeData(memory []byte, runs []memRun) []byte {
	body := appendLEB(nil, uint32(len(runs)))
	for _, r := range runs {
		body = append(body, 0x00, opI32Const)
		body = appendSLEB(body, int64(int32(uint32(r.start))))
		body = append(body, opEnd)
		body = appendLEB(body, uint32(r.end-r.start))
		body = append(body, memory[r.start:r.end]...)
	}
	return body
}

// sectionOrder is the place of each non-custom section in a module.
var sectionOrder = map[byte]int{
	sectionType: 1, sectionImport: 2, sectionFunction: 3, sectionTable: 4,
	sectionMemory: 5, sectionGlobal: 6, sectionExport: 7, sectionStart: 8,
	sectionElement: 9, sectionDataCount: 10, sectionCode: 11, sectionData: 12,
}

// insertSection inserts sec, a section secs lacks, where the binary
// format orders it: before the first non-custom section that comes after
// it, or after the last non-custom section.
func insertSection(secs []wasmSection, sec wasmSection) []wasmSection {
	at := len(secs)
	last := -1
	for i, s := range secs {
		if s.id == sectionCustom {
			continue
		}
		if sectionOrder[s.id] > sectionOrder[sec.id] {
			at = i
			break
		}
		last = i
	}
	if at == len(secs) {
		at = last + 1
	}
	out := make([]wasmSection, 0, len(secs)+1)
	out = append(out, secs[:at]...)
	out = append(out, sec)
	return append(out, secs[at:]...)
}
