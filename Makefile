# wavs-go: the WAVS operator node and its plugins.
#
#   make              build bin/wavs and bin/plugins/*
#   make test         unit, conformance and end-to-end tests
#   make bench        benchmarks (figures go in docs/benchmarks.md)
#   make proto        regenerate sdk/internal/pluginpb from sdk/proto
#   make sdk-proxy    bin/goproxy: the SDK module at sdk/VERSION as a GOPROXY tree
#   make wasm-components  WAVS components (component model) and their check

GO       ?= go
BIN      := bin
# The node's version is its own v<semver> tags' (sdk/<version> tags are the
# SDK module's), else the commit.
VERSION  ?= $(shell git describe --tags --match 'v[0-9]*' --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/wavs-go/wavs/internal/version.Version=$(VERSION)
GOBUILD  := $(GO) build -trimpath -ldflags '$(LDFLAGS)'

# Plugins shipped with the node, one folder each under plugins/.
PLUGINS  := transport-none submit-evm trigger-evm transport-libp2p
# Example plugins, each its own Go module under examples/.
EXAMPLES := trigger-ticker trigger-webhook submit-ledger
# Example components (wasip1 modules) under examples/components/. Each
# builds in either shape of Component ABI v1: a reactor
# (-buildmode=c-shared), which the node snapshots after initialisation so
# that a trigger does not pay the Go runtime's start-up, or a command.
# COMMAND_COMPONENTS keeps one a command, so the node's command path runs
# end to end too.
COMPONENTS := echo-square kv-counter http-fetch evm-square
COMMAND_COMPONENTS := kv-counter

PLUGIN_BINS  := $(addprefix $(BIN)/plugins/wavs-plugin-,$(PLUGINS))
EXAMPLE_BINS := $(addprefix $(BIN)/examples/wavs-plugin-,$(EXAMPLES))
COMPONENT_BINS := $(addprefix $(BIN)/components/,$(addsuffix .wasm,$(COMPONENTS)))

SHELL    := bash
NPROC    := $(shell nproc 2>/dev/null || echo 2)

.PHONY: all demo cluster build wavs plugins components wasm-components examples test test-unit test-examples test-e2e bench lint lint-examples tidy-examples fmt vet proto check-generated tools sdk-proxy clean FORCE

all: build

# The binaries build in parallel; go shares one build cache between them.
build:
	@$(MAKE) --no-print-directory -j$(NPROC) wavs plugins components

wavs: $(BIN)/wavs
plugins: $(PLUGIN_BINS)
components: $(COMPONENT_BINS)
examples:
	@$(MAKE) --no-print-directory -j$(NPROC) $(EXAMPLE_BINS)

$(BIN)/wavs: FORCE
	$(GOBUILD) -o $@ ./cmd/wavs

$(BIN)/plugins/wavs-plugin-%: FORCE
	$(GOBUILD) -o $@ ./plugins/$*

$(BIN)/components/%.wasm: FORCE
	GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath $(if $(filter $*,$(COMMAND_COMPONENTS)),,-buildmode=c-shared) -o $@ ./examples/components/$*

$(BIN)/examples/wavs-plugin-%: FORCE
	cd examples/$* && $(GOBUILD) -o $(CURDIR)/$@ .

# The stand-in ledger that examples/submit-ledger lands results on: a
# process of its own.
examples: $(BIN)/examples/ledger
$(BIN)/examples/ledger: FORCE
	cd examples/submit-ledger && $(GOBUILD) -o $(CURDIR)/$@ ./cmd/ledger

FORCE:

# The node's main job on a local chain: anvil, the contracts, the node with
# the EVM plugins, a service registered by its manager address, a trigger,
# and the result read back from the handler contract. CONTRACTS=wavs runs
# it against contracts that behave like upstream WAVS's; COMPONENT=square-go
# or COMPONENT=square-js runs a WAVS component (WASI 0.2, world
# wavs:operator) instead of evm-square.
CONTRACTS ?= repo
COMPONENT ?= evm-square
demo: build anvil $(if $(filter square-%,$(COMPONENT)),wasm-components)
	$(GO) run ./examples/demo --bin $(BIN) --contracts $(CONTRACTS) --component $(COMPONENT)

# Three operators of one service on this machine (remote mode on
# 127.0.0.1, node 1 the bootstrap node) reaching a 2/3 quorum together:
# one transaction per trigger. See examples/cluster/README.md.
cluster: build anvil
	$(GO) run ./examples/cluster --bin $(BIN)

# The end-to-end tests use the binaries built here instead of building
# their own; tests that need a chain run a real anvil (installed here).
test: build examples anvil wasm-components
	@$(MAKE) --no-print-directory test-unit test-examples test-e2e

# The race detector slows wasm guests several times over, so the engine's
# tests (whose guests run for seconds by design) run without it.
test-unit:
	$(GO) test -race -count=1 $$($(GO) list ./... ./sdk/... | grep -v -e /e2e -e /host/engine)
	$(GO) test -count=1 ./host/engine/...

test-examples:
	@for ex in $(EXAMPLES); do echo "examples/$$ex"; (cd examples/$$ex && $(GO) vet ./... && $(GO) test -count=1 ./...) || exit 1; done

# A failing end-to-end test prints its nodes' and anvil's logs, which bury
# its own messages: the log is kept in $(BIN)/e2e.log and, on failure, the
# failed tests with their messages are printed again at the end.
test-e2e: build examples
	@set -o pipefail; WAVS_E2E_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 25m -v ./e2e/... 2>&1 | tee $(BIN)/e2e.log || { \
	  echo; echo "== e2e failures (whole log: $(BIN)/e2e.log) =="; \
	  awk -f tools/test-failures.awk $(BIN)/e2e.log | tail -n 100; exit 1; }

bench: build anvil
	WAVS_E2E_BIN=$(CURDIR)/$(BIN) $(GO) test -run '^$$' -bench . -benchmem -count 6 ./sdk/ ./e2e/ ./host/engine/ ./internal/signer/ | tee $(BIN)/bench.txt
	$(GO) tool benchstat $(BIN)/bench.txt

lint: vet lint-examples
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod is not tidy: run go mod tidy"; exit 1; }
	@(cd sdk && $(GO) mod tidy -diff >/dev/null) || { echo "sdk/go.mod is not tidy: run go mod tidy in sdk"; exit 1; }

# The SDK is its own module (sdk/go.mod) at the version in sdk/VERSION,
# whose tag is sdk/<version>. sdk-proxy writes that version, made from
# sdk/ as it is now, as a module proxy tree: GOPROXY=file://<tree> lets a
# module that requires the SDK by version, with no replace directive,
# build before the tag is published (internal/modproxy says what goes in
# the module zip). internal/sdkmodule's test builds such a module.
SDK_MODULE := github.com/wavs-go/wavs/sdk
SDK_PROXY  := $(BIN)/goproxy

sdk-proxy:
	@rm -rf $(SDK_PROXY)
	$(GO) run ./internal/cmd/modproxy -dir sdk -out $(SDK_PROXY)

# Each example is a module that requires the SDK by version, as a third
# party's does, and go mod tidy ignores go.work: its tidy check runs
# outside the workspace, with the SDK from $(SDK_PROXY) and everything
# else from this machine's module cache (read as a proxy) or the usual
# proxy. The module cache is a fresh one, since the shared one may hold
# an earlier build of the same SDK version. The SDK's own go.sum lines
# are left out of the check (and of the examples' go.sum): they hash
# this tree, which changes under the same version until it is tagged.
# tidy-examples tidies them so.
SDK_ENV = GOWORK=off GOMODCACHE=$$tmp/mod GOFLAGS="$$GOFLAGS -modcacherw" GONOSUMDB=$(SDK_MODULE) \
	GOPROXY=file://$(CURDIR)/$(SDK_PROXY),file://$(shell $(GO) env GOMODCACHE)/cache/download,$(shell $(GO) env GOPROXY)
SDK_SUMS = ^[-+]?$(subst .,\.,$(SDK_MODULE)) v[^ ]+(/go\.mod)? h1:

lint-examples: sdk-proxy
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for ex in $(EXAMPLES); do \
	  diff=$$(cd examples/$$ex && $(SDK_ENV) $(GO) mod tidy -diff 2>$$tmp/stderr); rc=$$?; \
	  if [ $$rc -ne 0 ] && [ -z "$$diff" ]; then cat $$tmp/stderr; echo "examples/$$ex: go mod tidy failed"; exit 1; fi; \
	  rest=$$(printf '%s\n' "$$diff" | grep -E '^[-+]' | grep -vE '^(---|\+\+\+) ' | grep -vE '$(SDK_SUMS)'); \
	  if [ -n "$$rest" ]; then printf '%s\n' "$$diff"; echo "examples/$$ex/go.mod is not tidy: run make tidy-examples"; exit 1; fi; \
	done

tidy-examples: sdk-proxy
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for ex in $(EXAMPLES); do \
	  echo "examples/$$ex"; \
	  (cd examples/$$ex && $(SDK_ENV) $(GO) mod tidy && sed -E -i '\|$(SDK_SUMS)|d' go.sum) || exit 1; \
	done

vet:
	$(GO) vet ./... ./sdk/...

fmt:
	gofmt -w $$(git ls-files '*.go')

# npm tools (buf, anvil, solc), one install pinned by tools/package-lock.json.
# Not `npm ci`: the lock holds only the platform packages the registry
# serves here, and ci refuses a lock without every optional one. install
# --no-save takes the locked versions and never rewrites the lock.
NPM_TOOLS := tools/node_modules/.bin/buf tools/node_modules/.bin/solcjs tools/node_modules/.bin/anvil tools/node_modules/.bin/jco
$(NPM_TOOLS) &: tools/package.json tools/package-lock.json
	cd tools && npm install --no-audit --no-fund --no-save
	@touch $(NPM_TOOLS)

# protoc-gen-go and protoc-gen-go-grpc are Go tools pinned in go.mod.
$(BIN)/tools/protoc-gen-go $(BIN)/tools/protoc-gen-go-grpc: go.mod
	$(GO) build -o $(BIN)/tools/ google.golang.org/protobuf/cmd/protoc-gen-go google.golang.org/grpc/cmd/protoc-gen-go-grpc

tools: $(NPM_TOOLS) $(BIN)/tools/protoc-gen-go $(BIN)/tools/protoc-gen-go-grpc

proto: tools
	cd sdk && PATH=$(CURDIR)/$(BIN)/tools:$$PATH ../tools/node_modules/.bin/buf lint
	cd sdk && PATH=$(CURDIR)/$(BIN)/tools:$$PATH ../tools/node_modules/.bin/buf generate

# Fails if the committed generated code differs from what the pinned tools
# produce.
check-generated: proto
	@git diff --exit-code -- sdk/internal/pluginpb || { echo "sdk/internal/pluginpb is stale: run make proto and commit"; exit 1; }

# WAVS components (WASI 0.2 components of wavs:operator/wavs-world@2.7.0)
# for the engine's tests, built from source by the pinned jco and
# componentize-js; see examples/components/wavs/README.md. The check
# prints each component's WIT, requires the imports and exports the README
# lists, and runs every sample trigger through the component under jco,
# comparing payloads byte for byte.
WAVS_DIR   := examples/components/wavs
WAVS_WORLD := wavs:operator/wavs-world
WAVS_WIT   := $(wildcard $(WAVS_DIR)/wit/*.wit $(WAVS_DIR)/wit/deps/*/*.wit)
WAVS_TOOL  := node tools/wavs-component.mjs
WAVS_BINS  := $(BIN)/components/square-js.wasm $(BIN)/components/square-go.wasm

wasm-components: $(WAVS_BINS) $(BIN)/components/http-js.wasm
	@for c in $(WAVS_BINS); do \
	  echo "== $$c ($$(wc -c <$$c) bytes)"; \
	  $(WAVS_TOOL) wit $$c >$$c.wit || exit 1; cat $$c.wit; \
	  for want in 'import host: interface {' 'import wasi:keyvalue/store@0.2.0-draft2;' \
	      'config-var: func(key: string) -> option<string>;' 'log: func(level: log-level, message: string);' \
	      'get-service: func() -> service-and-workflow-id;' 'get-event-id: func(salt: option<list<u8>>) -> event-id;' \
	      'export run: func(trigger-action: trigger-action) -> result<list<wasm-response>, string>;'; do \
	    grep -qF "$$want" $$c.wit || { echo "$$c: its WIT lacks: $$want"; exit 1; }; \
	  done; \
	  $(WAVS_TOOL) run $$c $(WAVS_DIR)/samples.json || exit 1; \
	done

$(BIN)/components/square-js.wasm: $(WAVS_DIR)/square-js/square.js $(WAVS_WIT) tools/wavs-component.mjs $(NPM_TOOLS)
	@mkdir -p $(@D)
	$(WAVS_TOOL) js $< $(WAVS_DIR)/wit $(WAVS_WORLD) $@

# http-js fetches its config's url: built with fetch() (wasi:http), checked
# by the engine's tests (it needs a server, not the samples).
$(BIN)/components/http-js.wasm: $(WAVS_DIR)/http-js/http.js $(WAVS_WIT) tools/wavs-component.mjs $(NPM_TOOLS)
	@mkdir -p $(@D)
	$(WAVS_TOOL) js $< $(WAVS_DIR)/wit $(WAVS_WORLD) $@ http
	$(WAVS_TOOL) wit $@ | grep -q 'import wasi:http/outgoing-handler@' || { echo "$@: no wasi:http/outgoing-handler import"; exit 1; }

# The Go toolchain builds a wasip1 reactor; jco embeds the WIT and wraps it
# with the preview1 reactor adapter (cargo-component's shape).
$(BIN)/components/square-go.wasm: $(wildcard $(WAVS_DIR)/square-go/*.go) $(WAVS_WIT) tools/wavs-component.mjs $(NPM_TOOLS)
	@mkdir -p $(@D)
	GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath -buildmode=c-shared -o $(@:.wasm=.core.wasm) ./$(WAVS_DIR)/square-go
	$(WAVS_TOOL) wrap $(@:.wasm=.core.wasm) $(WAVS_DIR)/wit $(WAVS_WORLD) $@

# Hostile WAVS components (examples/components/wavs/hostile/README.md):
# Go ones built like square-go, WAT ones assembled by jco; for the
# engine's and the e2e tests that the node stops or refuses them.
WAVS_HOSTILE := $(patsubst %,$(BIN)/components/hostile-%.wasm,trap loop membomb tablebomb sockets)
wasm-components: $(WAVS_HOSTILE)

$(BIN)/components/hostile-%.wasm: $(WAVS_DIR)/hostile/%/main.go $(WAVS_DIR)/hostile/%/run_wasip1.go $(WAVS_WIT) tools/wavs-component.mjs $(NPM_TOOLS)
	@mkdir -p $(@D)
	GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath -buildmode=c-shared -o $(@:.wasm=.core.wasm) ./$(WAVS_DIR)/hostile/$*
	$(WAVS_TOOL) wrap $(@:.wasm=.core.wasm) $(WAVS_DIR)/wit $(WAVS_WORLD) $@

$(BIN)/components/hostile-tablebomb.wasm: $(WAVS_DIR)/hostile/tablebomb/tablebomb.wat $(WAVS_WIT) tools/wavs-component.mjs $(NPM_TOOLS)
	@mkdir -p $(@D)
	$(WAVS_TOOL) wrap $< $(WAVS_DIR)/wit $(WAVS_WORLD) $@

$(BIN)/components/hostile-sockets.wasm: $(WAVS_DIR)/hostile/sockets/sockets.wat $(wildcard $(WAVS_DIR)/hostile/sockets/wit/*.wit $(WAVS_DIR)/hostile/sockets/wit/deps/*/*.wit) $(WAVS_WIT) tools/wavs-component.mjs $(NPM_TOOLS)
	@mkdir -p $(@D)
	$(WAVS_TOOL) wrap $< $(WAVS_DIR)/hostile/sockets/wit wavs:hostile/sockets $@.tmp.wasm
	$(WAVS_TOOL) wit $@.tmp.wasm | grep -qF 'import wasi:sockets/tcp@0.2.0;' || { echo "$@: its WIT does not import wasi:sockets/tcp@0.2.0"; exit 1; }
	mv $@.tmp.wasm $@

# echo-wat: a hand-written core module (examples/components/wavs/echo-wat),
# assembled and wrapped like the WAT hostile ones: the small component of
# the engine's per-trigger benchmark. It imports nothing and echoes raw
# triggers, so its check runs its own samples, not the square ones.
wasm-components: $(BIN)/components/echo-wat.wasm
$(BIN)/components/echo-wat.wasm: $(WAVS_DIR)/echo-wat/echo.wat $(WAVS_DIR)/echo-wat/samples.json $(WAVS_WIT) tools/wavs-component.mjs $(NPM_TOOLS)
	@mkdir -p $(@D)
	$(WAVS_TOOL) wrap $< $(WAVS_DIR)/wit $(WAVS_WORLD) $@.tmp.wasm
	$(WAVS_TOOL) wit $@.tmp.wasm >$@.wit
	grep -qF 'export run: func(trigger-action: trigger-action) -> result<list<wasm-response>, string>;' $@.wit || { echo "$@: its WIT does not export run"; exit 1; }
	! grep '^ *import ' $@.wit | grep -vE 'import wavs:(types/[a-z]+|operator/(input|output))@2\.7\.0;' || { echo "$@: it imports more than the world's types"; exit 1; }
	$(WAVS_TOOL) run $@.tmp.wasm $(WAVS_DIR)/echo-wat/samples.json
	mv $@.tmp.wasm $@

# aggregator-js: an aggregator component (world wavs:aggregator/aggregator-
# world, WIT in examples/components/wavs/wit-aggregator) built by
# componentize-js; the engine's and the e2e tests run it.
WAVS_AGG_WIT := $(wildcard $(WAVS_DIR)/wit-aggregator/*.wit $(WAVS_DIR)/wit-aggregator/deps/*/*.wit)
wasm-components: $(BIN)/components/aggregator-js.wasm
$(BIN)/components/aggregator-js.wasm: $(WAVS_DIR)/aggregator-js/aggregator.js $(WAVS_AGG_WIT) $(WAVS_WIT) tools/wavs-component.mjs $(NPM_TOOLS)
	@mkdir -p $(@D)
	$(WAVS_TOOL) js $< $(WAVS_DIR)/wit-aggregator wavs:aggregator/aggregator-world $@.tmp.wasm
	$(WAVS_TOOL) wit $@.tmp.wasm >$@.wit
	for want in 'export process-input: func(input: aggregator-input) -> result<list<aggregator-action>, string>;' \
	    'export handle-timer-callback: func(input: aggregator-input) -> result<list<aggregator-action>, string>;' \
	    'export handle-submit-callback: func(input: aggregator-input, tx-result: result<any-tx-hash, string>) -> result<_, string>;'; do \
	  grep -qF "$$want" $@.wit || { echo "$@: its WIT lacks: $$want"; exit 1; }; \
	done
	mv $@.tmp.wasm $@

include contracts/contracts.mk

clean:
	rm -rf $(BIN)
