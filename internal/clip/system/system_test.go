package system

import (
	"testing"

	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/clip/x11"
)

type plain struct{ s string }

func (p *plain) Content() string     { return p.s }
func (p *plain) SetContent(s string) { p.s = s }

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestAnX11SessionGetsTheMarkingBoard(t *testing.T) {
	tk := &plain{}
	c := forUnix(env(map[string]string{"DISPLAY": ":7"}), tk)
	b, ok := c.Board.(*x11.Board)
	if !ok || !c.Marks || c.Note != NoteX11 {
		t.Fatalf("got %T, marks %v, note %q", c.Board, c.Marks, c.Note)
	}
	if b.Display != ":7" || b.Fallback != clip.Board(tk) {
		t.Errorf("display %q, fallback %v", b.Display, b.Fallback)
	}
	if _, ok := c.Board.(clip.SecretBoard); !ok {
		t.Error("the X11 board cannot take a secret with the hint")
	}
}

func TestAWaylandSessionKeepsThePlainClipboardAndSaysSo(t *testing.T) {
	tk := &plain{}
	for _, e := range []map[string]string{
		{"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, // Xwayland is there, but the session is Wayland
		{"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"},
	} {
		c := forUnix(env(e), tk)
		if c.Board != clip.Board(tk) || c.Marks || c.Note != NoteWayland {
			t.Errorf("%v: got %T, marks %v, note %q", e, c.Board, c.Marks, c.Note)
		}
	}
}

func TestNoDisplayKeepsThePlainClipboard(t *testing.T) {
	tk := &plain{}
	c := forUnix(env(nil), tk)
	if c.Board != clip.Board(tk) || c.Marks || c.Note != NotePlain {
		t.Errorf("got %T, marks %v, note %q", c.Board, c.Marks, c.Note)
	}
}
