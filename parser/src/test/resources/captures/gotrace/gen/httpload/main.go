// HTTP over loopback, RWMutex, Cond, select, file syscalls and a CPU profile: a program no test reads, for checking the
// trace reader on a trace it never saw (usage: go run . OUT.trace [DURATION, default 1.5s]; writes OUT.trace.cpu too).
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

type cache struct {
	mu sync.RWMutex
	m  map[int][]byte
}

func main() {
	f, _ := os.Create(os.Args[1])
	cpu, _ := os.Create(os.Args[1] + ".cpu")
	pprof.StartCPUProfile(cpu)
	trace.Start(f)
	c := &cache{m: map[int][]byte{}}
	http.HandleFunc("/k", func(w http.ResponseWriter, r *http.Request) {
		k := len(r.URL.RawQuery)
		c.mu.RLock()
		v, ok := c.m[k]
		c.mu.RUnlock()
		if !ok {
			v = make([]byte, 1<<16)
			for i := range v {
				v[i] = byte(i * k)
			}
			c.mu.Lock()
			c.m[k] = v
			c.mu.Unlock()
		}
		w.Write(v[:1024])
	})
	go http.ListenAndServe("127.0.0.1:18765", nil)
	time.Sleep(50 * time.Millisecond)
	var cond = sync.NewCond(&sync.Mutex{})
	ready := 0
	var wg sync.WaitGroup
	run := 1500 * time.Millisecond
	if len(os.Args) > 2 {
		run, _ = time.ParseDuration(os.Args[2])
	}
	stop := time.Now().Add(run)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for n := 0; time.Now().Before(stop); n++ {
				resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:18765/k?%0*d", (i*n)%40, 0))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if n%50 == 0 {
					cond.L.Lock()
					ready++
					cond.Broadcast()
					cond.L.Unlock()
				}
			}
		}(i)
	}
	go func() {
		out, _ := os.CreateTemp("", "fresh")
		defer os.Remove(out.Name())
		t := time.NewTicker(3 * time.Millisecond)
		buf := make([]byte, 8192)
		for time.Now().Before(stop) {
			select {
			case <-t.C:
				out.Write(buf)
				out.Sync()
			case <-time.After(time.Millisecond):
			}
		}
	}()
	go func() {
		cond.L.Lock()
		for ready < 100 && time.Now().Before(stop) {
			cond.Wait()
		}
		cond.L.Unlock()
	}()
	wg.Wait()
	trace.Stop()
	pprof.StopCPUProfile()
	f.Close()
}
