// Package clip puts a secret on the clipboard and takes it off again.
//
// After a delay the clipboard is cleared, but only if it still holds the
// secret: whatever the user copied since is theirs. Quitting with a
// pending clear clears at once (Guard.Flush).
package clip

import (
	"sync"
	"time"

	"github.com/gitpat/gitpat/internal/secret"
)

// Board is a clipboard; fyne.Clipboard satisfies it.
type Board interface {
	Content() string
	SetContent(string)
}

// SecretBoard is a Board that can put a secret on the clipboard together
// with the markers that ask clipboard managers and clipboard history not to
// record it (see internal/clip/system for each platform's). Guard.Copy uses
// SetSecret when its Board has it, and SetContent otherwise.
type SecretBoard interface {
	Board
	SetSecret(string)
}

// Clock lets tests drive the countdown.
type Clock interface {
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// After is time.After.
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Guard copies secrets and clears them after Delay. Board operations run
// through Do, which a GUI sets to run them on its UI goroutine.
type Guard struct {
	Board Board
	Clock Clock
	Delay time.Duration            // 0 disables clearing
	Do    func(func())             // runs f on the clipboard's goroutine; f() when nil
	Tick  func(left time.Duration) // called each second with the time left, then with 0
	// Done, when set, is called on the clipboard's goroutine when a pending
	// secret is settled (the countdown ran out, or Flush): cleared is true
	// when the clipboard still held the secret and was emptied, false when
	// it held something newer and was left alone.
	Done func(cleared bool)

	mu      sync.Mutex
	pending *secret.Value
	stop    chan struct{}
}

func (g *Guard) do(f func()) {
	if g.Do != nil {
		g.Do(f)
		return
	}
	f()
}

// Copy puts s on the clipboard and starts the countdown, replacing any
// countdown still running. Call it on the clipboard's goroutine.
func (g *Guard) Copy(s secret.Value) {
	g.mu.Lock()
	if g.stop != nil {
		close(g.stop)
	}
	g.pending = &s
	stop := make(chan struct{})
	g.stop = stop
	g.mu.Unlock()

	if sb, ok := g.Board.(SecretBoard); ok {
		sb.SetSecret(s.Reveal())
	} else {
		g.Board.SetContent(s.Reveal())
	}
	delay := g.Delay
	if delay <= 0 {
		return
	}
	clock := g.Clock
	if clock == nil {
		clock = RealClock{}
	}
	go func() {
		for left := delay; left > 0; left -= time.Second {
			if g.Tick != nil {
				l := left
				g.do(func() { g.Tick(l) })
			}
			select {
			case <-clock.After(min(time.Second, left)):
			case <-stop:
				return
			}
		}
		g.do(func() { g.finish(stop) })
	}()
}

// finish clears the clipboard if this countdown is still the current one.
func (g *Guard) finish(stop chan struct{}) {
	g.mu.Lock()
	current := g.stop == stop
	g.mu.Unlock()
	if current {
		g.Flush()
	}
}

// Flush clears the clipboard now if it still holds the secret last copied,
// and ends the countdown. Call it on the clipboard's goroutine, such as
// when the app quits.
func (g *Guard) Flush() {
	g.mu.Lock()
	s := g.pending
	g.pending = nil
	if g.stop != nil {
		close(g.stop)
		g.stop = nil
	}
	g.mu.Unlock()
	if s == nil {
		return
	}
	cleared := g.Board.Content() == s.Reveal()
	if cleared {
		g.Board.SetContent("")
	}
	if g.Tick != nil {
		g.Tick(0)
	}
	if g.Done != nil {
		g.Done(cleared)
	}
}

// Pending reports whether a copied secret waits to be cleared.
func (g *Guard) Pending() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pending != nil
}
