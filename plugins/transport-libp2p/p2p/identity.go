package p2p

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/wavs-go/wavs/internal/atomicfile"
)

// identityFile is the name of the key file inside the data folder.
const identityFile = "identity.key"

// loadIdentity reads the node's Ed25519 key from dir, creating it (mode
// 0600) on first start. An empty dir gives a key that lives only as long
// as the process.
func loadIdentity(dir string) (crypto.PrivKey, error) {
	if dir == "" {
		key, _, err := crypto.GenerateEd25519Key(nil)
		if err != nil {
			return nil, fmt.Errorf("identity: generate key: %w", err)
		}
		return key, nil
	}
	path := filepath.Join(dir, identityFile)
	raw, err := os.ReadFile(path)
	switch {
	case err == nil:
		key, err := crypto.UnmarshalPrivateKey(raw)
		if err != nil {
			return nil, fmt.Errorf("identity: key file %s: %w", path, err)
		}
		return key, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("identity: read key file %s: %w", path, err)
	}

	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		return nil, fmt.Errorf("identity: generate key: %w", err)
	}
	raw, err = crypto.MarshalPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("identity: encode key: %w", err)
	}
	if err := atomicfile.Write(path, raw, 0o600); err != nil {
		return nil, fmt.Errorf("identity: key file %s: %w", path, err)
	}
	return key, nil
}
