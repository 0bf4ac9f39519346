// Command ledger runs the stand-in ledger of the submit-ledger example: a
// small non-EVM chain served over HTTP/JSON on 127.0.0.1.
//
//	ledger -listen 127.0.0.1:0 -chain demo -state ledger.json -block-interval 1s
//
// Its first line on stdout is "ledger <chain key> listening on <URL>".
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/wavs-submit-ledger/ledger"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:7000", "address to listen on (loopback only; port 0 picks a free one)")
	chain := flag.String("chain", "demo", `the chain id: the ledger answers to the chain key "ledger:<id>"`)
	state := flag.String("state", "", "a JSON file to keep the blocks in (replayed at start); empty keeps them in memory")
	interval := flag.Duration("block-interval", time.Second, "make an empty block this often (0: blocks only for transactions)")
	flag.Parse()

	l, err := ledger.New(ledger.Options{ChainID: *chain, StatePath: *state})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledger:", err)
		os.Exit(1)
	}
	s, err := ledger.Serve(l, *listen, *interval)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledger:", err)
		os.Exit(1)
	}
	fmt.Printf("ledger %s listening on %s\n", l.Chain(), s.URL)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	_ = s.Close()
}
