# Solidity contracts, their artifacts and Go bindings, and the local chain.
# Included from the top-level Makefile; paths are relative to the repo root.
#
#   make contracts        compile contracts/src/*.sol → contracts/artifacts/<Name>.abi/.bin
#                         (solc-js, pinned in tools/package-lock.json) and regenerate
#                         contracts/bindings/<name>.go (abigen --v2, a Go tool pinned in go.mod)
#   make check-contracts  fail if the committed artifacts or bindings differ from what
#                         `make contracts` produces
#   make anvil            install the pinned anvil into tools/node_modules (tests need it)
#   make test-contracts   go test ./contracts/... against a real anvil
#
# Artifacts and bindings are committed: a plain `go build` needs neither npm nor solc.

GO  ?= go
NPM ?= npm
# abigen is a Go tool of this module (go.mod `tool` block); override to use another.
ABIGEN ?= $(GO) tool abigen

# solc's evmVersion. anvil 1.x runs the latest hardfork by default (osaka), which
# executes prague code; prague also runs on every chain that has had Pectra.
CONTRACTS_EVM_VERSION ?= prague

CONTRACTS_SRC   := $(sort $(wildcard contracts/src/*.sol))
CONTRACTS_NAMES := $(basename $(notdir $(CONTRACTS_SRC)))

.PHONY: contracts contracts-artifacts contracts-bindings check-contracts anvil test-contracts

contracts: contracts-bindings

contracts-artifacts: tools/node_modules/.bin/solcjs
	node contracts/compile.mjs contracts/src contracts/artifacts $(CONTRACTS_EVM_VERSION)

# One file per contract, package bindings. Only files abigen wrote are
# replaced, so hand-written files in the folder (doc.go) stay.
contracts-bindings: contracts-artifacts
	@grep -l '^// Code generated via abigen' contracts/bindings/*.go 2>/dev/null | xargs -r rm -f
	@set -e; for n in $(CONTRACTS_NAMES); do \
		out=contracts/bindings/$$(echo $$n | tr 'A-Z' 'a-z').go; \
		echo "abigen $$n → $$out"; \
		$(ABIGEN) --v2 --pkg bindings --type $$n \
			--abi contracts/artifacts/$$n.abi --bin contracts/artifacts/$$n.bin --out $$out; \
		chmod 644 $$out; \
	done

check-contracts: contracts
	@git diff --exit-code -- contracts/artifacts contracts/bindings || \
		{ echo "contracts/artifacts or contracts/bindings is stale: run make contracts and commit"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- contracts/artifacts contracts/bindings); \
		if [ -n "$$untracked" ]; then echo "not committed:"; echo "$$untracked"; exit 1; fi

# The npm tools (solcjs, anvil) are installed by the top-level Makefile's
# NPM_TOOLS rule, one install for all of them.

# Runs the installed anvil once, so that a platform without a prebuilt
# binary fails here and not in the middle of a test.
anvil: tools/node_modules/.bin/anvil
	@tools/node_modules/.bin/anvil --version | head -n 1

test-contracts: anvil
	$(GO) test -count=1 ./contracts/...
