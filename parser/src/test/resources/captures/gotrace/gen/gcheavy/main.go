// A garbage-heavy program traced for a short while: 4 goroutines build and drop trees of small objects with GOGC
// at 20, so GC cycles, mark assists and background mark workers take a large share of the time (a trace whose
// minimum mutator utilization curve has something to show).
//
//	go run ./gcheavy -o gcheavy.trace [-d 150ms]
package main

import (
	"flag"
	"os"
	"runtime/debug"
	"runtime/trace"
	"sync"
	"time"
)

type node struct {
	left, right *node
	pad         [4]int64
}

func build(depth int) *node {
	if depth == 0 {
		return &node{}
	}
	return &node{left: build(depth - 1), right: build(depth - 1)}
}

var keep [4]*node

func main() {
	out := flag.String("o", "gcheavy.trace", "output")
	d := flag.Duration("d", 150*time.Millisecond, "duration")
	flag.Parse()
	debug.SetGCPercent(20)
	f, err := os.Create(*out)
	if err != nil {
		panic(err)
	}
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	end := time.Now().Add(*d)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for time.Now().Before(end) {
				keep[w] = build(12) // about 4,000 nodes, kept until the next round
			}
		}(w)
	}
	wg.Wait()
	trace.Stop()
	f.Close()
}
