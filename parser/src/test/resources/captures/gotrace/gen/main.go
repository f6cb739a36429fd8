// A small service-like program traced for a few seconds: a ticker, workers on a channel, a mutex, sleeps.
package main

import (
	"context"
	"flag"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	out := flag.String("o", "trace.out", "output")
	d := flag.Duration("d", 2500*time.Millisecond, "duration")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	ctx, task := trace.NewTask(context.Background(), "serve")
	jobs := make(chan int, 4)
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				trace.WithRegion(ctx, "job", func() {
					s := 0
					for i := 0; i < 20000*(j%5+1); i++ {
						s += i % 7
					}
					mu.Lock()
					total += s
					mu.Unlock()
				})
			}
		}()
	}
	end := time.Now().Add(*d)
	for i := 0; time.Now().Before(end); i++ {
		jobs <- i
		if i%10 == 0 {
			time.Sleep(20 * time.Millisecond)
			trace.Log(ctx, "tick", "sleep")
		}
	}
	close(jobs)
	wg.Wait()
	task.End()
	trace.Stop()
	f.Close()
}
