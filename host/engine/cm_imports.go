package engine

import (
	"fmt"
	"strings"

	"github.com/wavs-go/wavs/host/engine/component"
)

// iface is what serves an import of a WAVS component.
type iface uint8

const (
	ifaceUnknown   iface = iota
	ifaceTypes           // wavs:types/* and wavs:operator/{input,output}: types only
	ifaceHost            // the world's inline `host` interface
	ifaceKVStore         // wasi:keyvalue/store@0.2.0-draft2
	ifaceKVAtomics       // wasi:keyvalue/atomics@0.2.0-draft2
	ifaceKVBatch         // wasi:keyvalue/batch@0.2.0-draft2
	ifaceWASI            // other wasi:* interfaces: the WASI host's
	ifaceRefused         // wasi:sockets, wasi:tls: never served
)

// ifaceOf classifies an import name such as "wasi:cli/stdout@0.2.3". The
// inline host interface is plain "host" in real binaries; the qualified
// "wavs:operator/host@2.x" is accepted too. WAVS names resolve for any
// 2.x version.
func ifaceOf(name string) iface {
	pkg, rest, _ := strings.Cut(name, "/")
	iface, ver, _ := strings.Cut(rest, "@")
	if rest == "" {
		iface, ver, _ = strings.Cut(pkg, "@")
		pkg = ""
	}
	major2 := strings.HasPrefix(ver, "2.")
	switch {
	case pkg == "" && iface == "host":
		return ifaceHost
	case (pkg == "wavs:operator" || pkg == "wavs:aggregator") && iface == "host" && major2:
		return ifaceHost
	case pkg == "wavs:types" && major2, (pkg == "wavs:operator" || pkg == "wavs:aggregator") && (iface == "input" || iface == "output") && major2:
		return ifaceTypes
	case pkg == "wasi:keyvalue" && strings.HasPrefix(ver, "0.2.0-draft"):
		switch iface {
		case "store":
			return ifaceKVStore
		case "atomics":
			return ifaceKVAtomics
		case "batch":
			return ifaceKVBatch
		}
	case pkg == "wasi:sockets", pkg == "wasi:tls":
		return ifaceRefused
	case strings.HasPrefix(pkg, "wasi:"):
		return ifaceWASI
	}
	return ifaceUnknown
}

// checkImports refuses, naming it, the first import the node cannot
// serve: sockets and TLS, unknown interfaces, functions of the host and
// key-value interfaces it does not know, and whatever the WASI host
// refuses.
func (e *Engine) checkImports(imports []component.ImportInfo) error {
	for _, im := range imports {
		switch ifaceOf(im.Name) {
		case ifaceRefused:
			return fmt.Errorf("it imports %s: network sockets and TLS are not available to components on this node", im.Name)
		case ifaceUnknown:
			if im.Kind == component.ExternInstance || im.Kind == component.ExternFunc {
				return fmt.Errorf("it imports %s, an interface this node does not provide", im.Name)
			}
		case ifaceTypes:
			if len(im.Funcs) > 0 {
				return fmt.Errorf("it imports function %s#%s, which this node does not provide", im.Name, im.Funcs[0].Name)
			}
		case ifaceHost, ifaceKVStore, ifaceKVAtomics, ifaceKVBatch:
			for _, f := range im.Funcs {
				if !knownFunc(ifaceOf(im.Name), f.Name) {
					return fmt.Errorf("it imports function %s#%s, which this node does not provide", im.Name, f.Name)
				}
			}
		}
	}
	if err := e.opts.WASI.Check(imports); err != nil {
		return err
	}
	return nil
}

// knownFunc reports whether the node serves function name of interface i.
func knownFunc(i iface, name string) bool {
	switch i {
	case ifaceHost:
		_, ok := hostHandlers[name]
		return ok
	case ifaceKVStore, ifaceKVAtomics, ifaceKVBatch:
		_, ok := kvHandlers[name]
		return ok
	}
	return false
}
