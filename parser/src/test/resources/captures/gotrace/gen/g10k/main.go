// 10,000 goroutines that each wake every few milliseconds, traced for a second.
package main

import (
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	f, _ := os.Create(os.Args[1])
	trace.Start(f)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < 10000; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t := time.NewTicker(time.Duration(20+i%80) * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					s := 0
					for j := 0; j < 1000; j++ {
						s += j
					}
					_ = s
				}
			}
		}(i)
	}
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	trace.Stop()
	f.Close()
}
