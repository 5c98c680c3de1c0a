package ui

import (
	"testing"
)

// TestWindowUsableAt800x600: the content's minimum size fits a small screen,
// so the window can shrink to 800x600 without cutting anything off.
func TestWindowUsableAt800x600(t *testing.T) {
	f := newFixture(t, nil)
	for i, h := range f.ui.hostUI {
		f.ui.tabs.SelectIndex(i)
		t.Logf("%s: steps %v, split %v", h.host.Name, h.steps.MinSize(), h.content.MinSize())
		if min := f.ui.win.Content().MinSize(); min.Width > 800 || min.Height > 600 {
			t.Errorf("tab %q needs at least %v", f.ui.tabs.Items[i].Text, min)
		}
	}
}
