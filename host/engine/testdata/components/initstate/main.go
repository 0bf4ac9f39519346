// Command initstate returns what it read during initialisation and what
// it reads while handling, one response each, as decimal or text:
//
//	[0] the wall clock at initialisation (unix nanoseconds)
//	[1] a math/rand/v2 number drawn at initialisation
//	[2] a math/rand/v2 number drawn now
//	[3] 8 bytes of crypto/rand drawn now, in hex
//	[4] the wall clock now (unix nanoseconds)
//	[5] WAVS_ENV_X as read at initialisation
//	[6] WAVS_ENV_X as read now
//	[7] the monotonic time since initialisation (nanoseconds, >= 0)
//	[8] WAVS_SNAPSHOT as read at initialisation
//	[9] WAVS_SNAPSHOT as read now
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/wavs-go/wavs/sdk/component"
)

var (
	initTime = time.Now()
	initRand = mrand.Int64()
	initEnv  = os.Getenv("WAVS_ENV_X")
	initSnap = os.Getenv("WAVS_SNAPSHOT")
)

func init() { component.Handle(handle) }

func main() { component.Run(handle) }

func handle(context.Context, component.Input) ([]component.Response, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	out := []string{
		strconv.FormatInt(initTime.UnixNano(), 10),
		strconv.FormatInt(initRand, 10),
		strconv.FormatInt(mrand.Int64(), 10),
		hex.EncodeToString(b[:]),
		strconv.FormatInt(time.Now().UnixNano(), 10),
		initEnv,
		os.Getenv("WAVS_ENV_X"),
		strconv.FormatInt(int64(time.Since(initTime)), 10),
		initSnap,
		os.Getenv("WAVS_SNAPSHOT"),
	}
	resps := make([]component.Response, len(out))
	for i, s := range out {
		resps[i] = component.Response{Payload: []byte(s)}
	}
	return resps, nil
}
