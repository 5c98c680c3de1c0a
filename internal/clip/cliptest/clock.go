// Package cliptest has a clock for tests of clipboard clearing: a second
// passes only when the test says so, so countdowns are tested without
// waiting and without timing.
package cliptest

import "time"

// Clock satisfies clip.Clock. Each After call waits until Advance (or
// Release) lets it fire.
type Clock struct{ c chan chan time.Time }

// NewClock returns a stopped clock.
func NewClock() *Clock { return &Clock{c: make(chan chan time.Time)} }

// After returns a channel that fires when the test lets the time pass.
func (c *Clock) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.c <- ch
	return ch
}

// Advance lets n waits pass, one after the other; it blocks until n
// countdown steps have asked for the time.
func (c *Clock) Advance(n int) {
	for range n {
		(<-c.c) <- time.Time{}
	}
}

// Release lets every wait from now on pass at once, in the background.
func (c *Clock) Release() {
	go func() {
		for ch := range c.c {
			ch <- time.Time{}
		}
	}()
}
