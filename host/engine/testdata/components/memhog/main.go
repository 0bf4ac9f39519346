// Command memhog allocates 1 MiB blocks, touching and keeping each, until
// its memory cannot grow.
package main

func main() {
	var keep [][]byte
	for i := 0; ; i++ {
		b := make([]byte, 1<<20)
		for j := range b {
			if j%4096 == 0 {
				b[j] = byte(i)
			}
		}
		keep = append(keep, b)
	}
}
