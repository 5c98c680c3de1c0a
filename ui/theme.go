package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// prefTheme is the preference for the colour scheme: "system" (or unset),
// "light" or "dark".
const prefTheme = "theme"

// themeChoices are the colour schemes offered, as shown.
var themeChoices = []struct{ label, value string }{
	{"System", "system"}, {"Light", "light"}, {"Dark", "dark"},
}

// colorNameFocusRing is the ring drawn around the focused control.
const colorNameFocusRing fyne.ThemeColorName = "gitpat-focus-ring"

// appTheme is Fyne's default theme with colours that keep every text
// readable: each text colour has a contrast of at least 4.5:1 (WCAG 2.1 AA)
// on every background it is drawn on, and the focus ring at least 3:1, in
// both variants (TestThemeContrast computes them). Fyne's own orange,
// red and green on white reach only 1.5 to 3.7:1.
type appTheme struct {
	fyne.Theme                    // the default theme: sizes, fonts, icons, other colours
	forced     *fyne.ThemeVariant // light or dark whatever the system says; nil follows it
}

// palette holds the colours appTheme changes. Dark: light accents with
// dark text on them; light: dark accents with white text on them.
var palette = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantDark: {
		theme.ColorNamePrimary:             rgb(0x7c, 0xac, 0xf8),
		theme.ColorNameForegroundOnPrimary: rgb(0x17, 0x17, 0x18),
		theme.ColorNameHyperlink:           rgb(0x7c, 0xac, 0xf8),
		theme.ColorNameError:               rgb(0xff, 0x7b, 0x6e),
		theme.ColorNameForegroundOnError:   rgb(0x17, 0x17, 0x18),
		theme.ColorNameWarning:             rgb(0xff, 0x98, 0x00),
		theme.ColorNameForegroundOnWarning: rgb(0x17, 0x17, 0x18),
		theme.ColorNameSuccess:             rgb(0x5f, 0xd3, 0x5b),
		theme.ColorNameForegroundOnSuccess: rgb(0x17, 0x17, 0x18),
		theme.ColorNameDisabled:            rgb(0x8a, 0x8a, 0x8a),
		theme.ColorNameFocus:               color.NRGBA{R: 0x7c, G: 0xac, B: 0xf8, A: 0x40},
		colorNameFocusRing:                 rgb(0x7c, 0xac, 0xf8),
	},
	theme.VariantLight: {
		theme.ColorNamePrimary:             rgb(0x0b, 0x5c, 0xd5),
		theme.ColorNameForegroundOnPrimary: rgb(0xff, 0xff, 0xff),
		theme.ColorNameHyperlink:           rgb(0x0b, 0x5c, 0xd5),
		theme.ColorNameError:               rgb(0xc6, 0x28, 0x28),
		theme.ColorNameForegroundOnError:   rgb(0xff, 0xff, 0xff),
		theme.ColorNameWarning:             rgb(0x9a, 0x52, 0x00),
		theme.ColorNameForegroundOnWarning: rgb(0xff, 0xff, 0xff),
		theme.ColorNameSuccess:             rgb(0x20, 0x7a, 0x2c),
		theme.ColorNameForegroundOnSuccess: rgb(0xff, 0xff, 0xff),
		theme.ColorNamePlaceHolder:         rgb(0x6b, 0x6b, 0x6b),
		theme.ColorNameDisabled:            rgb(0x8f, 0x8f, 0x8f),
		theme.ColorNameFocus:               color.NRGBA{R: 0x0b, G: 0x5c, B: 0xd5, A: 0x30},
		colorNameFocusRing:                 rgb(0x0b, 0x5c, 0xd5),
	},
}

func rgb(r, g, b uint8) color.NRGBA { return color.NRGBA{R: r, G: g, B: b, A: 0xff} }

// newAppTheme returns the theme for a prefTheme value.
func newAppTheme(pref string) *appTheme {
	t := &appTheme{Theme: theme.DefaultTheme()}
	switch pref {
	case "light":
		v := theme.VariantLight
		t.forced = &v
	case "dark":
		v := theme.VariantDark
		t.forced = &v
	}
	return t
}

// Color returns the colour of a name in the chosen variant.
func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced != nil {
		v = *t.forced
	}
	if c, ok := palette[v][n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}

// themeColor looks a colour up in the theme a widget is drawn with.
func themeColor(w fyne.Widget, n fyne.ThemeColorName) color.Color {
	return theme.CurrentForWidget(w).Color(n, fyne.CurrentApp().Settings().ThemeVariant())
}

// applyTheme changes to the colour scheme named by a prefTheme value.
func (u *UI) applyTheme(pref string) {
	u.app.Settings().SetTheme(newAppTheme(pref))
	u.themes++
	if u.tabs != nil {
		u.themeSeen[u.tabs.Selected()] = u.themes
	}
}

// themeSelect lets the user pick the colour scheme; the choice is kept.
func (u *UI) themeSelect() *selectBox {
	labels := make([]string, len(themeChoices))
	for i, c := range themeChoices {
		labels[i] = c.label
	}
	current := u.app.Preferences().StringWithFallback(prefTheme, "system")
	s := newSelect(u, labels, func(label string) {
		for _, c := range themeChoices {
			if c.label == label && c.value != u.app.Preferences().StringWithFallback(prefTheme, "system") {
				u.app.Preferences().SetString(prefTheme, c.value)
				u.applyTheme(c.value)
			}
		}
	})
	for _, c := range themeChoices {
		if c.value == current {
			s.SetSelected(c.label)
		}
	}
	return s
}
