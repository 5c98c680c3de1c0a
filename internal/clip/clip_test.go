package clip

import (
	"sync"
	"testing"
	"time"

	"github.com/gitpat/gitpat/internal/clip/cliptest"
	"github.com/gitpat/gitpat/internal/secret"
)

type board struct {
	mu sync.Mutex
	s  string
}

func (b *board) Content() string     { b.mu.Lock(); defer b.mu.Unlock(); return b.s }
func (b *board) SetContent(s string) { b.mu.Lock(); b.s = s; b.mu.Unlock() }

const canary = "CANARY-clipboard-secret"

func newGuard(b *board, c Clock, ticks chan time.Duration) *Guard {
	return &Guard{Board: b, Clock: c, Delay: 3 * time.Second, Tick: func(l time.Duration) { ticks <- l }}
}

func TestClearsAfterTheDelayWithACountdown(t *testing.T) {
	b, c, ticks := &board{}, cliptest.NewClock(), make(chan time.Duration, 10)
	g := newGuard(b, c, ticks)
	g.Copy(secret.New(canary))
	if b.Content() != canary {
		t.Fatal("not copied")
	}
	c.Advance(2)
	if b.Content() != canary {
		t.Fatal("cleared too early")
	}
	c.Advance(1)
	var got []time.Duration
	for l := range ticks {
		got = append(got, l)
		if l == 0 {
			break
		}
	}
	if want := []time.Duration{3 * time.Second, 2 * time.Second, time.Second, 0}; len(got) != 4 || got[0] != want[0] || got[3] != 0 {
		t.Errorf("ticks = %v, want %v", got, want)
	}
	if b.Content() != "" || g.Pending() {
		t.Errorf("clipboard = %q pending %v after the delay", b.Content(), g.Pending())
	}
}

func TestLeavesWhatTheUserCopiedSince(t *testing.T) {
	b, c, ticks := &board{}, cliptest.NewClock(), make(chan time.Duration, 10)
	g := newGuard(b, c, ticks)
	g.Copy(secret.New(canary))
	b.SetContent("something else")
	c.Advance(3)
	for l := range ticks {
		if l == 0 {
			break
		}
	}
	if b.Content() != "something else" {
		t.Errorf("clipboard = %q: the user's own copy was cleared", b.Content())
	}
}

func TestFlushClearsAtOnce(t *testing.T) {
	b, c, ticks := &board{}, cliptest.NewClock(), make(chan time.Duration, 10)
	g := newGuard(b, c, ticks)
	g.Copy(secret.New(canary))
	<-ticks
	g.Flush()
	if b.Content() != "" {
		t.Errorf("clipboard = %q after Flush", b.Content())
	}
}

func TestANewCopyRestartsTheCountdown(t *testing.T) {
	b, c, ticks := &board{}, cliptest.NewClock(), make(chan time.Duration, 20)
	g := newGuard(b, c, ticks)
	g.Copy(secret.New(canary))
	c.Advance(2)
	g.Copy(secret.New(canary + "2"))
	// The first countdown may still be waiting on its clock: release it.
	c.Release()
	for l := range ticks {
		if l == 0 {
			break
		}
	}
	if b.Content() != "" {
		t.Errorf("clipboard = %q", b.Content())
	}
}

func TestNoDelayMeansNoClearing(t *testing.T) {
	b := &board{}
	g := &Guard{Board: b}
	g.Copy(secret.New(canary))
	if b.Content() != canary {
		t.Fatal("not copied")
	}
}

// TestDoneSaysWhetherItCleared: the countdown's end reports whether the
// secret was cleared or the user's newer copy was left alone.
func TestDoneSaysWhetherItCleared(t *testing.T) {
	for _, replaced := range []bool{false, true} {
		b, c, ticks := &board{}, cliptest.NewClock(), make(chan time.Duration, 10)
		g := newGuard(b, c, ticks)
		done := make(chan bool, 1)
		g.Done = func(cleared bool) { done <- cleared }
		g.Copy(secret.New(canary))
		if replaced {
			b.SetContent("the user's own text")
		}
		c.Advance(3)
		if cleared := <-done; cleared == replaced {
			t.Errorf("replaced %v: Done(%v)", replaced, cleared)
		}
		if replaced && b.Content() != "the user's own text" {
			t.Errorf("clipboard = %q", b.Content())
		}
	}
}

func TestFlushReportsOnlyAPendingSecret(t *testing.T) {
	b := &board{}
	calls := 0
	g := &Guard{Board: b, Done: func(bool) { calls++ }}
	g.Flush()
	g.Copy(secret.New(canary))
	g.Flush()
	g.Flush()
	if calls != 1 || b.Content() != "" {
		t.Errorf("Done called %d times, clipboard %q", calls, b.Content())
	}
}

// markingBoard records whether the secret came with the markers.
type markingBoard struct {
	board
	marked bool
}

func (b *markingBoard) SetSecret(s string)  { b.SetContent(s); b.marked = true }
func (b *markingBoard) SetContent(s string) { b.board.SetContent(s); b.marked = false }

func TestASecretBoardGetsTheSecretWithItsMarkers(t *testing.T) {
	b, c, ticks := &markingBoard{}, cliptest.NewClock(), make(chan time.Duration, 10)
	g := &Guard{Board: b, Clock: c, Delay: time.Second, Tick: func(l time.Duration) { ticks <- l }}
	g.Copy(secret.New(canary))
	if b.Content() != canary || !b.marked {
		t.Fatalf("clipboard = %q, marked %v: want the secret with its markers", b.Content(), b.marked)
	}
	c.Advance(1)
	for l := range ticks {
		if l == 0 {
			break
		}
	}
	if b.Content() != "" {
		t.Errorf("clipboard = %q after the delay", b.Content())
	}
}
