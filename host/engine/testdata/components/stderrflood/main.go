// Command stderrflood writes to stderr as fast as it can, forever.
package main

import (
	"os"
	"strings"
)

func main() {
	line := []byte(strings.Repeat("flood ", 1000) + "\n")
	for {
		os.Stderr.Write(line)
	}
}
