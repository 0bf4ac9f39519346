package submit

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// TestKnownTxsForgetsTheOldest: past knownTxCap hashes the oldest go
// first, and a hash remembered twice takes one place.
func TestKnownTxsForgetsTheOldest(t *testing.T) {
	var k knownTxs
	h := func(i int) common.Hash {
		var x common.Hash
		x[0], x[1], x[2] = 1, byte(i>>8), byte(i)
		return x
	}
	for i := range knownTxCap {
		k.remember(h(i), handlerTx{eventID: [20]byte{byte(i)}})
	}
	k.remember(h(0), handlerTx{eventID: [20]byte{0xff}}) // already there: no change
	if tx, ok := k.lookup(h(0)); !ok || tx.eventID[0] != 0 {
		t.Fatalf("lookup(first) = %+v, %v; want the first entry kept", tx, ok)
	}
	k.remember(h(knownTxCap), handlerTx{})
	if _, ok := k.lookup(h(0)); ok {
		t.Error("the oldest is still remembered past the cap")
	}
	for _, i := range []int{1, knownTxCap - 1, knownTxCap} {
		if _, ok := k.lookup(h(i)); !ok {
			t.Errorf("hash %d forgotten", i)
		}
	}
	if len(k.byTx) != knownTxCap {
		t.Errorf("%d remembered, want %d", len(k.byTx), knownTxCap)
	}
}
