// Command bigout writes to stdout forever.
package main

import (
	"bytes"
	"os"
)

func main() {
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for {
		os.Stdout.Write(chunk)
	}
}
