package x11

import "testing"

type plainBoard struct{ s string }

func (p *plainBoard) Content() string     { return p.s }
func (p *plainBoard) SetContent(s string) { p.s = s }

func TestWithoutAnXServerTheFallbackGetsTheText(t *testing.T) {
	fb := &plainBoard{}
	b := &Board{Display: ":65000", Fallback: fb} // no such display
	b.SetSecret(canary)
	if fb.s != canary || b.Content() != canary {
		t.Fatalf("fallback holds %q, Content %q", fb.s, b.Content())
	}
	if b.Standalone() {
		t.Error("Standalone() is true though the toolkit's clipboard is used")
	}
	b.SetContent("")
	if fb.s != "" {
		t.Error("clearing did not reach the fallback")
	}
}
