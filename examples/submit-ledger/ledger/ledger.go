// Package ledger is a stand-in for a chain that is not an EVM chain: a
// small ledger that takes WAVS results, run as its own process (cmd/ledger)
// and spoken to over HTTP/JSON on 127.0.0.1.
//
// It has what a submit plugin needs of a chain, in a form of its own:
//
//   - blocks with heights and sha256 hashes: one block per accepted
//     transaction, and an empty one on a timer (Options.BlockInterval). A
//     block is final as soon as it is made.
//   - accounts with addresses of the ledger's own form ("ldg1…", see
//     Address): service managers, each with an operator set (signer →
//     weight, versioned by height), a threshold and a service URI; and
//     handlers, each bound to a manager.
//   - a submit transaction carrying an envelope and its signatures. The
//     ledger checks the signatures with the SDK's envelope.Verify,
//     weighs the signers by the handler's manager at the signatures'
//     reference height, refuses an event id the handler already handled
//     (naming the event id), and records the payload.
//
// Transactions are JSON (Tx); a transaction's id is the sha256 of its
// canonical JSON. The ledger keeps its state in memory, and when given a
// state file rewrites it after every block and replays it at start.
//
// Anyone who reaches the ledger can create and change accounts: it is a
// demonstration, not a chain.
package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/envelope"
)

// Family is the chain family of ledger chain keys: "ledger:<id>".
const Family = "ledger"

// Options configure a Ledger.
type Options struct {
	// ChainID is the <id> of the chain key "ledger:<id>" (default "demo").
	ChainID string
	// StatePath, if set, is a JSON file holding every block: replayed at
	// start, rewritten after each block.
	StatePath string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Ledger is the ledger's state. Its methods are safe for concurrent use.
type Ledger struct {
	chain string
	path  string
	now   func() time.Time

	mu       sync.Mutex
	blocks   []Block               // by height
	bodies   [][]Tx                // the transactions of each block
	txs      map[string]*TxRecord  // by id
	managers map[Address]*manager  // by address
	handlers map[Address]*handler  // by address
	handled  map[handledKey]string // handler and event id → tx id
	toHand   map[Address][]string  // handler → its submit tx ids, in order
}

type manager struct {
	name    string
	created uint64
	uri     string
	sets    []operatorSet // ascending heights
}

// operatorSet is a manager's operators from a height on.
type operatorSet struct {
	height    uint64
	weights   map[sdk.Address]uint64
	threshold Threshold
}

type handler struct {
	name    string
	created uint64
	manager Address
}

type handledKey struct {
	handler Address
	eventID [20]byte
}

// New returns a ledger with its genesis block, or the state replayed from
// o.StatePath when the file exists.
func New(o Options) (*Ledger, error) {
	if o.ChainID == "" {
		o.ChainID = "demo"
	}
	key := Family + ":" + o.ChainID
	if !sdk.ChainKeyPattern.MatchString(key) {
		return nil, fmt.Errorf("chain id %q: the chain key %q does not match %s", o.ChainID, key, sdk.ChainKeyPattern)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	l := &Ledger{
		chain: key, path: o.StatePath, now: o.Now,
		txs: map[string]*TxRecord{}, managers: map[Address]*manager{}, handlers: map[Address]*handler{},
		handled: map[handledKey]string{}, toHand: map[Address][]string{},
	}
	if o.StatePath != "" {
		loaded, err := l.load()
		if err != nil {
			return nil, err
		}
		if loaded {
			return l, nil
		}
	}
	l.seal(nil)
	if err := l.save(); err != nil {
		return nil, err
	}
	return l, nil
}

// Chain is the chain key the ledger answers to.
func (l *Ledger) Chain() string { return l.chain }

// Info describes the ledger.
func (l *Ledger) Info() Info {
	return Info{Chain: l.chain, Head: l.Head()}
}

// Head returns the last block.
func (l *Ledger) Head() Block {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.blocks[len(l.blocks)-1]
}

// BlockAt returns the block at a height.
func (l *Ledger) BlockAt(height uint64) (Block, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if height >= uint64(len(l.blocks)) {
		return Block{}, notFound("no block at height %d (the head is %d)", height, len(l.blocks)-1)
	}
	return l.blocks[height], nil
}

// Tx returns a transaction by id (hex).
func (l *Ledger) Tx(id string) (TxRecord, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, ok := l.txs[strings.ToLower(id)]
	if !ok {
		return TxRecord{}, notFound("no transaction %s", id)
	}
	return *r, nil
}

// Account returns a manager's or handler's account.
func (l *Ledger) Account(addr string) (Account, error) {
	a, err := ParseAddress(addr)
	if err != nil {
		return Account{}, badRequest("%v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if m, ok := l.managers[a]; ok {
		return Account{Address: a.String(), Kind: KindManager, Name: m.name, Created: m.created, ServiceURI: m.uri}, nil
	}
	if h, ok := l.handlers[a]; ok {
		return Account{Address: a.String(), Kind: KindHandler, Name: h.name, Created: h.created, Manager: h.manager.String()}, nil
	}
	return Account{}, notFound("no account %s", a)
}

// Operators returns a manager's operator set at a height.
func (l *Ledger) Operators(addr string, height uint64) (OperatorSet, error) {
	a, err := ParseAddress(addr)
	if err != nil {
		return OperatorSet{}, badRequest("%v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	set, err := l.setAt(a, height)
	if err != nil {
		return OperatorSet{}, err
	}
	out := OperatorSet{Manager: a.String(), Height: height, Threshold: set.threshold, Operators: []Operator{}}
	for _, s := range sortedSigners(set.weights) {
		out.Operators = append(out.Operators, Operator{Signer: s.Hex(), Weight: set.weights[s]})
		out.TotalWeight += set.weights[s]
	}
	return out, nil
}

// setAt is a manager's operator set at a height; l.mu is held.
func (l *Ledger) setAt(a Address, height uint64) (operatorSet, error) {
	m, ok := l.managers[a]
	if !ok {
		return operatorSet{}, notFound("no manager %s", a)
	}
	if head := uint64(len(l.blocks) - 1); height > head {
		return operatorSet{}, notFound("height %d is past the head %d", height, head)
	}
	i := sort.Search(len(m.sets), func(i int) bool { return m.sets[i].height > height }) - 1
	if i < 0 {
		return operatorSet{}, notFound("manager %s has no operator set at height %d: it was created at %d", a, height, m.created)
	}
	return m.sets[i], nil
}

func sortedSigners(w map[sdk.Address]uint64) []sdk.Address {
	out := make([]sdk.Address, 0, len(w))
	for s := range w {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b sdk.Address) int { return bytes.Compare(a[:], b[:]) })
	return out
}

// HandlerTxs lists the submit transactions to a handler at heights from
// on, at most limit (0: 1000).
func (l *Ledger) HandlerTxs(addr string, from uint64, limit int) (HandlerTxs, error) {
	a, err := ParseAddress(addr)
	if err != nil {
		return HandlerTxs{}, badRequest("%v", err)
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.handlers[a]; !ok {
		return HandlerTxs{}, notFound("no handler %s", a)
	}
	out := HandlerTxs{Handler: a.String(), From: from, Head: uint64(len(l.blocks) - 1), Txs: []TxRecord{}}
	ids := l.toHand[a]
	i := sort.Search(len(ids), func(i int) bool { return l.txs[ids[i]].Height >= from })
	for ; i < len(ids) && len(out.Txs) < limit; i++ {
		out.Txs = append(out.Txs, *l.txs[ids[i]])
	}
	if len(out.Txs) == limit && i < len(ids) {
		// Cut: the listing covers the heights up to the last one shown.
		out.Head = out.Txs[len(out.Txs)-1].Height
	}
	return out, nil
}

// Validate is a dry run of a submit transaction: the checks Apply makes
// of the signatures and the quorum, at the current head.
func (l *Ledger) Validate(tx Tx) (Validation, error) {
	if tx.Type != TxSubmit {
		return Validation{}, badRequest("validate takes a %q transaction, not %q", TxSubmit, tx.Type)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := l.checkSubmit(tx)
	if err != nil {
		var le *Error
		if errors.As(err, &le) && le.Status == http.StatusUnprocessableEntity {
			return Validation{Valid: false, Code: le.Code, Reason: le.Message, SignedWeight: c.signed, TotalWeight: c.total}, nil
		}
		return Validation{}, err
	}
	return Validation{Valid: true, SignedWeight: c.signed, TotalWeight: c.total}, nil
}

// Apply checks a transaction against the state and, when it passes,
// makes a block holding it.
func (l *Ledger) Apply(tx Tx) (Receipt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.apply(tx)
}

// Tick makes an empty block.
func (l *Ledger) Tick() (Block, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.seal(nil)
	return b, l.save()
}

func (l *Ledger) apply(tx Tx) (Receipt, error) {
	canon, id, err := Canonical(tx)
	if err != nil {
		return Receipt{}, badRequest("%v", err)
	}
	if r, ok := l.txs[id]; ok {
		return Receipt{}, &Error{Status: http.StatusConflict, Code: CodeDuplicate, TxID: id,
			Message: fmt.Sprintf("transaction %s is already in block %d", id, r.Height)}
	}
	height := uint64(len(l.blocks))
	var effect func() // applied once the block is made
	var made Address
	switch canon.Type {
	case TxCreateManager:
		if !NamePattern.MatchString(canon.Name) {
			return Receipt{}, badRequest("name %q: want %s", canon.Name, NamePattern)
		}
		made = AccountAddress(KindManager, canon.Name)
		if _, ok := l.managers[made]; ok {
			return Receipt{}, refused("a manager named %q exists already: %s", canon.Name, made)
		}
		set, err := operatorsOf(canon.Operators, canon.Threshold, height)
		if err != nil {
			return Receipt{}, err
		}
		effect = func() {
			l.managers[made] = &manager{name: canon.Name, created: height, uri: canon.ServiceURI, sets: []operatorSet{set}}
		}
	case TxSetOperators:
		_, m, err := l.managerOf(canon.Manager)
		if err != nil {
			return Receipt{}, err
		}
		set, err := operatorsOf(canon.Operators, canon.Threshold, height)
		if err != nil {
			return Receipt{}, err
		}
		effect = func() { m.sets = append(m.sets, set) }
	case TxSetServiceURI:
		_, m, err := l.managerOf(canon.Manager)
		if err != nil {
			return Receipt{}, err
		}
		effect = func() { m.uri = canon.ServiceURI }
	case TxCreateHandler:
		if !NamePattern.MatchString(canon.Name) {
			return Receipt{}, badRequest("name %q: want %s", canon.Name, NamePattern)
		}
		ma, _, err := l.managerOf(canon.Manager)
		if err != nil {
			return Receipt{}, err
		}
		made = AccountAddress(KindHandler, canon.Name)
		if _, ok := l.handlers[made]; ok {
			return Receipt{}, refused("a handler named %q exists already: %s", canon.Name, made)
		}
		effect = func() { l.handlers[made] = &handler{name: canon.Name, created: height, manager: ma} }
	case TxSubmit:
		c, err := l.checkSubmit(canon)
		if err != nil {
			return Receipt{}, err
		}
		if prev, ok := l.handled[handledKey{c.handler, c.env.EventID}]; ok {
			return Receipt{}, &Error{Status: http.StatusConflict, Code: CodeAlreadyHandled, EventID: Hex0x(c.env.EventID[:]), TxID: prev,
				Message: fmt.Sprintf("event %s already handled by %s (transaction %s at height %d)", Hex0x(c.env.EventID[:]), c.handler, prev, l.txs[prev].Height)}
		}
		effect = func() {
			l.handled[handledKey{c.handler, c.env.EventID}] = id
			l.toHand[c.handler] = append(l.toHand[c.handler], id)
		}
	default:
		return Receipt{}, badRequest("transaction type %q: want one of %s, %s, %s, %s, %s", canon.Type, TxCreateManager, TxSetOperators, TxSetServiceURI, TxCreateHandler, TxSubmit)
	}
	effect()
	b := l.seal([]Tx{canon})
	l.txs[id] = &TxRecord{ID: id, Height: b.Height, BlockHash: b.Hash, Tx: canon}
	r := Receipt{ID: id, Height: b.Height, BlockHash: b.Hash}
	if made != (Address{}) {
		r.Address = made.String()
	}
	return r, l.save()
}

func (l *Ledger) managerOf(s string) (Address, *manager, error) {
	a, err := ParseAddress(s)
	if err != nil {
		return a, nil, badRequest("manager: %v", err)
	}
	m, ok := l.managers[a]
	if !ok {
		return a, nil, refused("no manager %s", a)
	}
	return a, m, nil
}

// operatorsOf reads an operator set and its threshold.
func operatorsOf(ops []Operator, th *Threshold, height uint64) (operatorSet, error) {
	set := operatorSet{height: height, weights: map[sdk.Address]uint64{}}
	if th == nil || th.Numerator == 0 || th.Denominator == 0 || th.Numerator > th.Denominator {
		return set, badRequest("threshold %+v: want 0 < numerator ≤ denominator", th)
	}
	set.threshold = *th
	var total uint64
	for i, op := range ops {
		b, err := parseHex0x(fmt.Sprintf("operators[%d].signer", i), op.Signer, 20)
		if err != nil {
			return set, badRequest("%v", err)
		}
		s := sdk.Address(b)
		if _, dup := set.weights[s]; dup {
			return set, badRequest("operators[%d]: signer %s is listed twice", i, s)
		}
		if op.Weight == 0 {
			return set, badRequest("operators[%d]: weight 0; leave the signer out instead", i)
		}
		if total+op.Weight < total {
			return set, badRequest("operators: the total weight overflows")
		}
		total += op.Weight
		set.weights[s] = op.Weight
	}
	return set, nil
}

// checked is what checkSubmit found.
type checked struct {
	handler       Address
	env           sdk.Envelope
	signed, total uint64
}

// checkSubmit checks a submit transaction's handler, signatures and
// quorum against the state; l.mu is held. Refusals are 422 errors.
func (l *Ledger) checkSubmit(tx Tx) (checked, error) {
	var c checked
	ha, err := ParseAddress(tx.Handler)
	if err != nil {
		return c, badRequest("handler: %v", err)
	}
	c.handler = ha
	h, ok := l.handlers[ha]
	if !ok {
		return c, refused("no handler %s", ha)
	}
	env, err := tx.Envelope.SDK()
	if err != nil {
		return c, badRequest("%v", err)
	}
	c.env = env
	sd, err := tx.Signatures.SDK()
	if err != nil {
		return c, badRequest("%v", err)
	}
	head := uint64(len(l.blocks) - 1)
	if sd.Reference > head {
		return c, refused("signatures: reference height %d is past the head %d", sd.Reference, head)
	}
	set, err := l.setAt(h.manager, sd.Reference)
	if err != nil {
		return c, refused("signatures: the handler's manager %s at the reference height %d: %v", h.manager, sd.Reference, err)
	}
	for _, w := range set.weights {
		c.total += w
	}
	signers, err := envelope.Verify(env, sd)
	if err != nil {
		return c, refused("signatures: %v", err)
	}
	for i, s := range signers {
		w, ok := set.weights[s]
		if !ok {
			return c, refused("signatures: signers[%d] %s is not an operator of manager %s at height %d", i, s, h.manager, sd.Reference)
		}
		c.signed += w
	}
	th := set.threshold
	if !meets(c.signed, c.total, th) {
		return c, refused("signatures: insufficient quorum: signed weight %d of %d, the threshold is %d/%d of it", c.signed, c.total, th.Numerator, th.Denominator)
	}
	return c, nil
}

// meets reports whether signed × denominator ≥ total × numerator, in 128
// bits (weights are uint64).
func meets(signed, total uint64, th Threshold) bool {
	shi, slo := bits.Mul64(signed, th.Denominator)
	thi, tlo := bits.Mul64(total, th.Numerator)
	return signed > 0 && (shi > thi || (shi == thi && slo >= tlo))
}

// seal makes the next block with txs; l.mu is held.
func (l *Ledger) seal(txs []Tx) Block {
	b := Block{Height: uint64(len(l.blocks)), TimeMs: l.now().UnixMilli(), Txs: []string{}}
	if b.Height > 0 {
		b.Parent = l.blocks[b.Height-1].Hash
	} else {
		b.Parent = strings.Repeat("0", 64)
	}
	for _, tx := range txs {
		_, id, _ := Canonical(tx)
		b.Txs = append(b.Txs, id)
	}
	b.Hash = blockHash(b)
	l.blocks = append(l.blocks, b)
	l.bodies = append(l.bodies, txs)
	return b
}

// blockHash is sha256 of the chain key's family, the height, the time,
// the parent's hash and the transaction ids.
func blockHash(b Block) string {
	h := sha256.New()
	h.Write([]byte("ldg-block\x00"))
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], b.Height)
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(b.TimeMs))
	h.Write(n[:])
	h.Write([]byte(b.Parent))
	for _, id := range b.Txs {
		h.Write([]byte(id))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Canonical returns the transaction in canonical form (hex in lowercase,
// addresses as the ledger writes them) and its id: the sha256 of its
// JSON, in hex.
func Canonical(tx Tx) (Tx, string, error) {
	c := tx
	lower := func(s string) string { return strings.ToLower(s) }
	if c.Envelope != nil {
		e := *c.Envelope
		e.EventID, e.Ordering, e.Payload = lower(e.EventID), lower(e.Ordering), lower(e.Payload)
		c.Envelope = &e
	}
	if c.Signatures != nil {
		s := *c.Signatures
		s.Signers = slices.Clone(s.Signers)
		s.Signatures = slices.Clone(s.Signatures)
		for i := range s.Signers {
			s.Signers[i] = lower(s.Signers[i])
		}
		for i := range s.Signatures {
			s.Signatures[i] = lower(s.Signatures[i])
		}
		c.Signatures = &s
	}
	if len(c.Operators) > 0 {
		c.Operators = slices.Clone(c.Operators)
		for i := range c.Operators {
			c.Operators[i].Signer = lower(c.Operators[i].Signer)
		}
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return c, "", fmt.Errorf("transaction: %w", err)
	}
	sum := sha256.Sum256(raw)
	return c, hex.EncodeToString(sum[:]), nil
}
