package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// luminance is a colour's relative luminance (WCAG 2.1).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// over paints c (which may be translucent) on the opaque bg.
func over(c, bg color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(n.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(n.R, b.R), G: mix(n.G, b.G), B: mix(n.B, b.B), A: 255}
}

// TestThemeContrast: every pair of colours gitpat draws text with, and
// the focus ring, stands out from what it is drawn on, in the light and
// the dark theme: 4.5:1 for text (WCAG 2.1 AA), 3:1 for the ring (1.4.11).
func TestThemeContrast(t *testing.T) {
	test.NewTempApp(t)
	const text, ui = 4.5, 3.0
	for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := newAppTheme(map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"}[variant])
		col := func(n fyne.ThemeColorName) color.Color {
			return th.Color(n, theme.VariantDark+theme.VariantLight-variant)
		}
		bg := col(theme.ColorNameBackground)
		flat := func(n fyne.ThemeColorName) color.Color { return over(col(n), bg) }
		// Backgrounds text is drawn on: the window, fields, buttons,
		// dialogs, menus (a select's list), focused and hovered buttons.
		surfaces := map[string]color.Color{
			"background":    bg,
			"input":         flat(theme.ColorNameInputBackground),
			"button":        flat(theme.ColorNameButton),
			"overlay":       flat(theme.ColorNameOverlayBackground),
			"menu":          flat(theme.ColorNameMenuBackground),
			"header":        flat(theme.ColorNameHeaderBackground),
			"focusedButton": over(col(theme.ColorNameFocus), flat(theme.ColorNameButton)),
			"hoveredButton": over(col(theme.ColorNameHover), flat(theme.ColorNameButton)),
			"focusedSelect": over(col(theme.ColorNameFocus), flat(theme.ColorNameInputBackground)),
		}
		texts := []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameHyperlink,
			theme.ColorNameError, theme.ColorNameWarning, theme.ColorNameSuccess}
		for _, n := range texts {
			for s, c := range surfaces {
				if n != theme.ColorNameForeground && (s == "focusedButton" || s == "hoveredButton" || s == "focusedSelect") {
					continue // only button text (the foreground) is drawn on buttons
				}
				if r := contrast(col(n), c); r < text {
					t.Errorf("%s theme: %s text on %s: %.2f:1", variantName(variant), n, s, r)
				}
			}
		}
		if r := contrast(col(theme.ColorNamePlaceHolder), surfaces["input"]); r < text {
			t.Errorf("%s theme: placeholder text in a field: %.2f:1", variantName(variant), r)
		}
		// Text on coloured buttons and on the step numbers.
		for _, p := range [][2]fyne.ThemeColorName{
			{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
			{theme.ColorNameForegroundOnError, theme.ColorNameError},
			{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning},
			{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess},
		} {
			fill := flat(p[1])
			for _, f := range []color.Color{fill, over(col(theme.ColorNameFocus), fill)} {
				if r := contrast(col(p[0]), f); r < text {
					t.Errorf("%s theme: %s on %s: %.2f:1", variantName(variant), p[0], p[1], r)
				}
			}
		}
		for s, c := range surfaces {
			if r := contrast(col(colorNameFocusRing), c); r < ui {
				t.Errorf("%s theme: focus ring on %s: %.2f:1", variantName(variant), s, r)
			}
		}
	}
}

func variantName(v fyne.ThemeVariant) string {
	if v == theme.VariantLight {
		return "light"
	}
	return "dark"
}

// TestThemeIsASetting: the colour scheme chosen in Settings is applied and
// kept.
func TestThemeIsASetting(t *testing.T) {
	a := test.NewTempApp(t)
	u := newSavedFixture(t, a).UI
	var s *selectBox
	walk(u.savedView().content, func(o fyne.CanvasObject) {
		if sel, ok := o.(*selectBox); ok && sel.Selected == "System" {
			s = sel
		}
	})
	if s == nil {
		t.Fatal("no colour setting")
	}
	s.SetSelected("Light")
	if a.Preferences().String(prefTheme) != "light" {
		t.Errorf("preference %q", a.Preferences().String(prefTheme))
	}
	bg := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark)
	if luminance(bg) < 0.9 {
		t.Errorf("the light theme's background is %v", bg)
	}
}
