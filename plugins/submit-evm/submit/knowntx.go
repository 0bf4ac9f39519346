package submit

import (
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// A transaction's hash commits to its content: once the plugin has read a
// transaction's recipient and input (or signed it itself), what it
// carries is known for good, and only whether and where it is mined can
// change. Checking a landing again (the host's landing watch looks at
// every landing until its block is final, and a peer may name the same
// transaction twice) then needs only the receipt, not the transaction as
// well: one chain call where there were two.

// handlerTx is what a handleSignedEnvelope transaction carries.
type handlerTx struct {
	to      common.Address
	eventID [20]byte
	envHash common.Hash
}

// knownTxCap bounds the transactions remembered per chain: well over the
// landings a node watches at once (a landing is final within minutes).
const knownTxCap = 4096

// knownTxs remembers the handler calls of recent transactions, by hash,
// the oldest forgotten first.
type knownTxs struct {
	mu    sync.Mutex
	byTx  map[common.Hash]handlerTx
	order []common.Hash // a ring of the remembered hashes
	next  int           // where the next hash goes in order
}

// remember notes what transaction hash carries.
func (k *knownTxs) remember(hash common.Hash, tx handlerTx) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.byTx == nil {
		k.byTx = make(map[common.Hash]handlerTx)
		k.order = make([]common.Hash, knownTxCap)
	}
	if _, ok := k.byTx[hash]; ok {
		return
	}
	if old := k.order[k.next]; old != (common.Hash{}) {
		delete(k.byTx, old)
	}
	k.order[k.next] = hash
	k.next = (k.next + 1) % len(k.order)
	k.byTx[hash] = tx
}

// lookup returns what transaction hash carries, if it is remembered.
func (k *knownTxs) lookup(hash common.Hash) (handlerTx, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	tx, ok := k.byTx[hash]
	return tx, ok
}
