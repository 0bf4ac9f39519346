package component

import (
	"fmt"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// CoreSort is the sort of a core item (the binary format's core:sort).
type CoreSort uint8

// Core sorts, with their binary codes.
const (
	CoreFunc     CoreSort = 0x00
	CoreTable    CoreSort = 0x01
	CoreMemory   CoreSort = 0x02
	CoreGlobal   CoreSort = 0x03
	CoreTag      CoreSort = 0x04 // only in core module type declarations
	CoreTypeSort CoreSort = 0x10
	CoreModule   CoreSort = 0x11
	CoreInstance CoreSort = 0x12
)

func (s CoreSort) String() string {
	switch s {
	case CoreFunc:
		return "core func"
	case CoreTable:
		return "core table"
	case CoreMemory:
		return "core memory"
	case CoreGlobal:
		return "core global"
	case CoreTag:
		return "core tag"
	case CoreTypeSort:
		return "core type"
	case CoreModule:
		return "core module"
	case CoreInstance:
		return "core instance"
	}
	return fmt.Sprintf("core sort 0x%02x", uint8(s))
}

// Sort is the sort of a component-level item; core items carry their
// CoreSort.
type Sort struct {
	Core   bool
	CoreOf CoreSort // when Core
	Extern ExternKind
}

func (s Sort) String() string {
	if s.Core {
		return s.CoreOf.String()
	}
	return s.Extern.String()
}

// Component is a decoded component: its index spaces, in definition order,
// plus its imports and exports. Items that alias others (outer aliases,
// exports re-entering an index space) share the same pointer.
type Component struct {
	// Core index spaces.
	Modules       []*Module
	CoreInstances []*CoreInstanceDef
	CoreFuncs     []*CoreFuncDef
	CoreTables    []*CoreItemRef
	CoreMemories  []*CoreItemRef
	CoreGlobals   []*CoreItemRef
	CoreTypes     []*CoreType

	// Component index spaces.
	Funcs      []*Func
	Types      []*Type
	Instances  []*Instance
	Components []*Component

	Imports []*Import
	Exports []*Export

	// Custom sections by name, in order (names may repeat).
	Customs []Custom

	// Offset of the component's preamble in the outermost binary.
	Offset int

	// types that stand for this component's type imports, by import name,
	// substituted when the component is instantiated.
	typeImports map[*Type]string
}

// Custom is a custom section's name and payload.
type Custom struct {
	Name string
	Data []byte
}

// Module is an embedded core module: its bytes (a slice of the input) and
// where they start.
type Module struct {
	Index  int
	Bytes  []byte
	Offset int
	// Import is set when the module is imported rather than embedded.
	Import *Import
}

// CoreInstanceDef is a core instance: an instantiation of a module with
// named arguments, or a bag of exports gathered from other items.
type CoreInstanceDef struct {
	Index int
	// Instantiate: Module is set.
	Module *Module
	Args   []CoreArg
	// Bag of exports (Module nil).
	Exports []CoreExport
	// Set when the instance comes from aliasing another instance's export.
	Alias *CoreAlias
}

// CoreArg is one (with name (instance i)) of a core instantiation.
type CoreArg struct {
	Name     string
	Instance uint32
}

// CoreExport is one export of a bag of core exports.
type CoreExport struct {
	Name  string
	Sort  CoreSort
	Index uint32
}

// CoreAlias is a core item taken from a core instance's export.
type CoreAlias struct {
	Instance uint32
	Name     string
}

// CoreItemRef is a core table, memory or global: an export of a core
// instance.
type CoreItemRef struct {
	Instance uint32
	Name     string
}

// CoreFuncKind says where a core function comes from.
type CoreFuncKind uint8

// Origins of core functions.
const (
	CoreFuncAlias        CoreFuncKind = iota // an export of a core instance
	CoreFuncLower                            // canon lower of a component function
	CoreFuncResourceNew                      // canon resource.new
	CoreFuncResourceDrop                     // canon resource.drop
	CoreFuncResourceRep                      // canon resource.rep
)

func (k CoreFuncKind) String() string {
	switch k {
	case CoreFuncAlias:
		return "alias"
	case CoreFuncLower:
		return "canon lower"
	case CoreFuncResourceNew:
		return "canon resource.new"
	case CoreFuncResourceDrop:
		return "canon resource.drop"
	case CoreFuncResourceRep:
		return "canon resource.rep"
	}
	return fmt.Sprintf("core func kind %d", k)
}

// CoreFuncDef is a core function.
type CoreFuncDef struct {
	Kind CoreFuncKind
	// CoreFuncAlias.
	Alias CoreAlias
	// CoreFuncLower: the component function lowered and the options.
	Func    uint32
	Options CanonOptions
	// Resource built-ins: the resource type.
	Resource *Type
}

// StringEncoding is a canon option: the canonical ABI's (cabi), which
// lifts and lowers strings in it.
type StringEncoding = cabi.StringEncoding

// String encodings.
const (
	UTF8        = cabi.UTF8
	UTF16       = cabi.UTF16
	Latin1UTF16 = cabi.Latin1UTF16
)

// CanonOptions are the options of canon lift or lower. Indices are in the
// component's core memory and core func index spaces.
type CanonOptions struct {
	StringEncoding StringEncoding
	Memory         *uint32
	Realloc        *uint32
	PostReturn     *uint32
}

// FuncKind says where a component function comes from.
type FuncKind uint8

// Origins of component functions.
const (
	FuncImport FuncKind = iota // imported by name
	FuncAlias                  // an export of a component instance
	FuncLift                   // canon lift of a core function
)

// Func is a component function. Type is its func type when known (always
// for imports and lifts; for aliases when the instance's type says).
type Func struct {
	Kind FuncKind
	Type *Type
	// FuncImport.
	Import *Import
	// FuncAlias.
	Instance uint32
	Name     string
	// FuncLift.
	CoreFunc uint32
	Options  CanonOptions
}

// InstanceKind says where a component instance comes from.
type InstanceKind uint8

// Origins of component instances.
const (
	InstanceImport      InstanceKind = iota // imported by name
	InstanceInstantiate                     // a nested component instantiated
	InstanceExports                         // a bag of exports
	InstanceAlias                           // an export of another instance
)

// Instance is a component instance.
type Instance struct {
	Kind InstanceKind
	// InstanceImport: the import and its instance type.
	Import *Import
	Type   *Type
	// InstanceInstantiate.
	Component *Component
	Args      []Arg
	// InstanceExports.
	Exports []Arg
	// InstanceAlias.
	Of   uint32
	Name string
}

// Arg is a named item: an instantiation argument or an inline export.
type Arg struct {
	Name  string
	Sort  Sort
	Index uint32
}

// Import is a component import. Name is the full name as written (e.g.
// "wasi:cli/environment@0.2.3"); Type is the func, instance or component
// type, the type bound of a type import, or nil for a core module import.
type Import struct {
	Name    string
	Kind    ExternKind
	Type    *Type
	Index   int    // index in its sort's index space
	Version string // version suffix from an annotated name, if any
}

// Export is a component export of the item at Index in Sort's index
// space. Type is the optional ascribed type.
type Export struct {
	Name  string
	Sort  Sort
	Index uint32
	Type  *Type
}
