package signer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/btcutil/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/tyler-smith/go-bip39"
)

// HDBasePath is the BIP-44 path of Ethereum account 0's external chain; the
// key at index i is HDBasePath/i (the path MetaMask, Foundry and WAVS use).
// Index 0 is the operator's own identity; services get indexes ≥ 1.
const HDBasePath = "m/44'/60'/0'/0"

// MaxHDIndex is the largest key index: BIP-32 indexes from 2^31 up are
// hardened and would name a different path.
const MaxHDIndex = hdkeychain.HardenedKeyStart - 1

// hdChain derives keys below HDBasePath. It holds only the extended key at
// HDBasePath, not the mnemonic or the seed. It is not safe for concurrent
// use (hdkeychain memoizes the parent public key on first Derive): Signer
// serializes calls.
type hdChain struct {
	base *hdkeychain.ExtendedKey
}

// newHDChain checks a BIP-39 mnemonic (English word list, no passphrase)
// and derives the extended key at HDBasePath from it. Words may be separated
// by any white space. Errors never quote the words.
func newHDChain(mnemonic string) (*hdChain, error) {
	words := strings.Fields(mnemonic)
	if err := checkMnemonic(words); err != nil {
		return nil, err
	}
	// BIP-39 hashes the sentence itself: join the words with single spaces
	// so that stray white space in the variable cannot change the keys.
	seed := bip39.NewSeed(strings.Join(words, " "), "")
	defer clear(seed)

	key, err := hdkeychain.NewMaster(seed, &chaincfg.MainNetParams)
	if err != nil {
		return nil, fmt.Errorf("derive master key: %w", err)
	}
	for _, i := range []uint32{
		hdkeychain.HardenedKeyStart + 44,
		hdkeychain.HardenedKeyStart + 60,
		hdkeychain.HardenedKeyStart + 0,
		0,
	} {
		child, err := key.Derive(i)
		key.Zero()
		if err != nil {
			return nil, fmt.Errorf("derive %s: %w", HDBasePath, err)
		}
		key = child
	}
	return &hdChain{base: key}, nil
}

// checkMnemonic reports what is wrong with a mnemonic by count and
// position only: the words are secret.
func checkMnemonic(words []string) error {
	switch n := len(words); n {
	case 12, 15, 18, 21, 24:
	default:
		return fmt.Errorf("not a BIP-39 mnemonic: %d words, want 12, 15, 18, 21 or 24", n)
	}
	for i, w := range words {
		if _, ok := bip39.GetWordIndex(w); !ok {
			return fmt.Errorf("not a BIP-39 mnemonic: word %d is not in the English word list (words are lower case)", i+1)
		}
	}
	if _, err := bip39.EntropyFromMnemonic(strings.Join(words, " ")); err != nil {
		if errors.Is(err, bip39.ErrChecksumIncorrect) {
			return errors.New("not a BIP-39 mnemonic: checksum does not match (a word is wrong or out of order)")
		}
		// bip39's other messages may quote a word: keep only the kind.
		return errors.New("not a BIP-39 mnemonic")
	}
	return nil
}

// key derives the key at HDBasePath/index.
func (c *hdChain) key(index uint32) (*Key, error) {
	if index > MaxHDIndex {
		return nil, fmt.Errorf("key index %d is above %d (hardened indexes name another path)", index, MaxHDIndex)
	}
	path := fmt.Sprintf("%s/%d", HDBasePath, index)
	child, err := c.base.Derive(index)
	if err != nil {
		// ErrInvalidChild: about 1 in 2^127; the caller picks another index.
		return nil, fmt.Errorf("derive %s: %w", path, err)
	}
	defer child.Zero()
	bpriv, err := child.ECPrivKey()
	if err != nil {
		return nil, fmt.Errorf("derive %s: %w", path, err)
	}
	raw := bpriv.Serialize()
	defer clear(raw)
	bpriv.Zero()
	priv, err := crypto.ToECDSA(raw)
	if err != nil {
		return nil, fmt.Errorf("derive %s: %w", path, errWithoutValue(err))
	}
	return newKey(priv, path), nil
}
