// SPDX-License-Identifier: Apache-2.0

// Command bigpprof writes a large, real Go heap profile for Kiln's benchmark: every allocation is sampled
// (MemProfileRate = 1) and each leaf allocation is reached through a distinct call path, so the allocs profile
// holds two samples per path (two leaf functions): 2*4^depth samples (depth 10: 2,097,152, about 80 MB
// uncompressed), each with a stack over 20 frames deep.
//
//	go run main.go [-depth 10] [-o allocs.pb.gz]
package main

import (
	"flag"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
)

var sink [][]byte

//go:noinline
func leaf(n int) { sink = append(sink, make([]byte, 16+n%64)) }

//go:noinline
func leaf2(n int) { sink = append(sink, make([]byte, 32+n%128)) }

//go:noinline
func walk(depth, path int) {
	if depth == 0 {
		leaf(path)
		leaf2(path)
		return
	}
	switch path % 4 {
	case 0:
		north(depth-1, path/4)
	case 1:
		east(depth-1, path/4)
	case 2:
		south(depth-1, path/4)
	default:
		west(depth-1, path/4)
	}
}

//go:noinline
func north(depth, path int) { walk(depth, path) }

//go:noinline
func east(depth, path int) { walk(depth, path) }

//go:noinline
func south(depth, path int) { walk(depth, path) }

//go:noinline
func west(depth, path int) { walk(depth, path) }

func main() {
	depth := flag.Int("depth", 10, "call-path depth; the profile has 2*4^depth samples")
	out := flag.String("o", "allocs.pb.gz", "output file (gzipped pprof, as runtime/pprof writes it)")
	flag.Parse()
	runtime.MemProfileRate = 1
	paths := 1 << (2 * *depth)
	for p := 0; p < paths; p++ {
		walk(*depth, p)
		if len(sink) > 4096 {
			sink = sink[:0]
		}
	}
	runtime.GC()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
