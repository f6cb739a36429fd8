// A leak: every request starts a goroutine that waits on a channel nobody sends on; traced for 400 ms.
package main

import (
	"os"
	"runtime/trace"
	"time"
)

func handle(i int, results chan<- int) {
	reply := make(chan int)
	go func() { reply <- i * 2 }() // answered
	results <- <-reply
	lost := make(chan int)
	go waitForever(lost) // leaked: nobody ever sends on lost
}

func waitForever(c chan int) { <-c }

func main() {
	f, _ := os.Create(os.Args[1])
	trace.Start(f)
	results := make(chan int, 100)
	for i := 0; i < 30; i++ {
		handle(i, results)
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(400 * time.Millisecond)
	trace.Stop()
	f.Close()
}
