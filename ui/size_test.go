package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/clip/cliptest"
	"github.com/gitpat/gitpat/internal/vault"
)

// tenTabs is a window with the nine hosts and Saved tokens, one token
// expiring so its title is at its longest.
func tenTabs(t *testing.T, size fyne.Size) *UI {
	t.Helper()
	a := test.NewTempApp(t)
	soon := testNow.AddDate(0, 0, 3)
	list := &memoryList{list: []savedToken{{Account: "a", Host: "github", User: "u", Server: "https://github.com", ExpiresAt: &soon}}}
	if n := len(hosts.All()); n != 9 {
		t.Fatalf("%d hosts: the layout is meant for nine", n)
	}
	u := New(a, Deps{Hosts: hosts.All(), Vault: vault.Store{}, Illustration: blankDrawing, SavedList: list,
		Clock: cliptest.NewClock(), Now: func() time.Time { return testNow }})
	u.win.Resize(size)
	u.opened()
	t.Cleanup(u.Close)
	return u
}

// walkVisible visits what is drawn under obj: hidden objects and what
// they hold are left out.
func walkVisible(obj fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if obj == nil || !obj.Visible() {
		return
	}
	visit(obj)
	switch w := obj.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			walkVisible(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			walkVisible(c, visit)
		}
	}
}

// visibleTexts lists the canvas texts drawn under obj, with where.
func visibleTexts(obj fyne.CanvasObject) map[string]fyne.Position {
	out := map[string]fyne.Position{}
	d := fyne.CurrentApp().Driver()
	walkVisible(obj, func(o fyne.CanvasObject) {
		if t, ok := o.(*canvas.Text); ok && t.Text != "" {
			out[t.Text] = d.AbsolutePositionForObject(o)
		}
	})
	return out
}

// TestTenTabsFitAt800x600: nine hosts and Saved tokens are all shown down
// the leading side at 800x600, with no overflow menu, and no tab needs the
// window wider or taller.
func TestTenTabsFitAt800x600(t *testing.T) {
	u := tenTabs(t, fyne.NewSize(800, 600))
	if n := len(u.tabs.Items); n != 10 {
		t.Fatalf("%d tabs", n)
	}
	for i, item := range u.tabs.Items {
		u.tabs.SelectIndex(i)
		if min := u.win.Content().MinSize(); min.Width > 800 || min.Height > 600 {
			t.Errorf("tab %q needs at least %v", item.Text, min)
		}
		texts := visibleTexts(u.tabs)
		var prev fyne.Position
		for j, other := range u.tabs.Items {
			pos, ok := texts[other.Text]
			switch {
			case !ok:
				t.Errorf("with %q shown, the tab %q is not", item.Text, other.Text)
			case pos.Y+theme.TextSize() > 600 || pos.X > 220:
				t.Errorf("tab %q at %v: not in the leading column within 600 px", other.Text, pos)
			case j > 0 && pos.Y <= prev.Y:
				t.Errorf("tab %q is not below %q", other.Text, u.tabs.Items[j-1].Text)
			}
			prev = pos
		}
		walkVisible(u.tabs, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok && b.Icon != nil && b.Icon.Name() == theme.MoreVerticalIcon().Name() {
				t.Errorf("with %q shown there is an overflow button", item.Text)
			}
		})
	}
	if !strings.HasPrefix(u.savedTab.Text, "Saved tokens (1 expiring)") {
		t.Errorf("saved tab %q", u.savedTab.Text)
	}
}

// TestFieldsHoldTheirTextAt1000px: at the default width a TFS collection
// URL and a 52-character token fit in their fields, which end clear of
// the scroll bar.
func TestFieldsHoldTheirTextAt1000px(t *testing.T) {
	u := tenTabs(t, fyne.NewSize(1000, 720))
	u.SelectHost("tfs")
	tab := u.hostUI[3]
	url := "https://tfs.example.com:8080/tfs/DefaultCollection"
	token := strings.Repeat("abcdefghijklmnopqrstuvwxyz234567", 2)[:52]
	d := fyne.CurrentApp().Driver()
	scrollEnd := d.AbsolutePositionForObject(tab.right).X + tab.right.Size().Width
	for _, c := range []struct {
		obj  fyne.CanvasObject
		text string
	}{{tab.inputs["url"].obj, url}, {tab.secrets[0], token}} {
		need := fyne.MeasureText(c.text, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding()
		if w := c.obj.Size().Width; w < need {
			t.Errorf("%T is %.0f px wide, %q needs %.0f", c.obj, w, c.text, need)
		}
		if end := d.AbsolutePositionForObject(c.obj).X + c.obj.Size().Width; end > scrollEnd-theme.ScrollBarSize() {
			t.Errorf("%T ends at %.0f, under the scroll bar (from %.0f)", c.obj, end, scrollEnd-theme.ScrollBarSize())
		}
	}
}

// TestServerChoiceStaysPut: choosing the Enterprise server adds fields
// below the choice and does not move it.
func TestServerChoiceStaysPut(t *testing.T) {
	u := tenTabs(t, fyne.NewSize(1000, 720))
	tab := u.hostUI[0]
	d := fyne.CurrentApp().Driver()
	tab.panel.Refresh() // the test driver does not lay wrapped text out again by itself
	before := d.AbsolutePositionForObject(tab.variant)
	tab.variant.choose(1)
	tab.panel.Refresh()
	if after := d.AbsolutePositionForObject(tab.variant); after != before {
		t.Errorf("the choice moved from %v to %v", before, after)
	}
}
