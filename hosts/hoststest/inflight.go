package hoststest

import (
	"sync"
	"time"
)

// InFlight counts the requests a fake is answering at once, so a test can
// prove a check bounds the requests it sends about many repositories.
// Hold keeps each request in the handler that long, so requests sent
// together are counted together.
type InFlight struct {
	Hold time.Duration

	mu        sync.Mutex
	now, most int
}

// enter counts a request in until the returned function is called.
func (f *InFlight) enter() func() {
	f.mu.Lock()
	f.now++
	f.most = max(f.most, f.now)
	hold := f.Hold
	f.mu.Unlock()
	if hold > 0 {
		time.Sleep(hold)
	}
	return func() {
		f.mu.Lock()
		f.now--
		f.mu.Unlock()
	}
}

// Most is the largest number of requests answered at once so far.
func (f *InFlight) Most() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.most
}
