// Command sleep sleeps for an hour.
package main

import "time"

func main() { time.Sleep(time.Hour) }
