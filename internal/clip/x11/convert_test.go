package x11

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/jezek/xgb/xproto"
)

// testAtoms are made-up atom values; a real X server hands out others.
var testAtoms = atomsFrom([]xproto.Atom{100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110})

const canary = "ghp_CANARYx11CANARYx11CANARYx11CANARY00"

func atomsOf(t *testing.T, p property) []xproto.Atom {
	t.Helper()
	if p.typ != xproto.AtomAtom || p.format != 32 || len(p.data)%4 != 0 {
		t.Fatalf("TARGETS answered type %d format %d", p.typ, p.format)
	}
	var out []xproto.Atom
	for i := 0; i < len(p.data); i += 4 {
		out = append(out, xproto.Atom(binary.LittleEndian.Uint32(p.data[i:])))
	}
	return out
}

func TestASecretOffersTheHintNextToTheTextTargets(t *testing.T) {
	a := testAtoms
	p, ok := a.convert(offer{text: canary, secret: true, since: 7}, a.targets)
	if !ok {
		t.Fatal("TARGETS refused")
	}
	got := atomsOf(t, p)
	for _, want := range []xproto.Atom{a.targets, a.timestamp, a.multiple, a.utf8String, a.textPlainUTF8, a.text, a.str, a.textPlain, a.hint} {
		if !slices.Contains(got, want) {
			t.Errorf("TARGETS %v lacks %d", got, want)
		}
	}
	h, ok := a.convert(offer{text: canary, secret: true}, a.hint)
	if !ok || string(h.data) != "secret" || h.typ != a.hint || h.format != 8 {
		t.Errorf("hint = %q type %d format %d ok %v, want \"secret\" typed as the target", h.data, h.typ, h.format, ok)
	}
	for _, target := range []xproto.Atom{a.utf8String, a.textPlainUTF8, a.text, a.str, a.textPlain} {
		if p, ok := a.convert(offer{text: canary, secret: true}, target); !ok || string(p.data) != canary {
			t.Errorf("target %d: %q, %v", target, p.data, ok)
		}
	}
}

func TestPlainTextHasNoHint(t *testing.T) {
	a := testAtoms
	p, _ := a.convert(offer{text: "https://example.com"}, a.targets)
	if slices.Contains(atomsOf(t, p), a.hint) {
		t.Error("plain text offers the password hint")
	}
	if _, ok := a.convert(offer{text: "https://example.com"}, a.hint); ok {
		t.Error("plain text converts to the password hint")
	}
}

func TestTextOutsideLatin1IsOfferedAsUTF8Only(t *testing.T) {
	a := testAtoms
	o := offer{text: "tök€n"}
	if _, ok := a.convert(o, a.str); ok {
		t.Error("STRING (Latin-1) offered for a €")
	}
	if _, ok := a.convert(o, a.textPlain); ok {
		t.Error("text/plain offered for non-ASCII text")
	}
	p, ok := a.convert(o, a.utf8String)
	if !ok || string(p.data) != "tök€n" || p.typ != a.utf8String {
		t.Errorf("UTF8_STRING = %q %v", p.data, ok)
	}
	// TEXT names its encoding in the property type: UTF-8.
	if p, ok := a.convert(o, a.text); !ok || p.typ != a.utf8String {
		t.Errorf("TEXT typed %d", p.typ)
	}
	p, _ = a.convert(offer{text: "tök"}, a.str)
	if string(p.data) != "t\xf6k" {
		t.Errorf("STRING = %q, want Latin-1", p.data)
	}
	got := atomsOf(t, must(a.convert(o, a.targets)))
	if slices.Contains(got, a.str) || slices.Contains(got, a.textPlain) {
		t.Errorf("TARGETS %v lists encodings the text does not fit", got)
	}
}

func must(p property, ok bool) property {
	if !ok {
		panic("refused")
	}
	return p
}

func TestTimestampIsTheOwnershipTime(t *testing.T) {
	a := testAtoms
	p, ok := a.convert(offer{text: "x", since: 123456}, a.timestamp)
	if !ok || p.typ != xproto.AtomInteger || binary.LittleEndian.Uint32(p.data) != 123456 {
		t.Errorf("TIMESTAMP = %v %v", p, ok)
	}
}

func TestRequestsOlderThanTheOwnershipAreRefused(t *testing.T) {
	o := offer{text: "x", since: 1000}
	if o.accepts(999) {
		t.Error("a request from before the ownership was accepted")
	}
	if !o.accepts(1000) || !o.accepts(xproto.TimeCurrentTime) {
		t.Error("a current request was refused")
	}
}

func TestOversizedTextIsRefusedRatherThanCut(t *testing.T) {
	a := testAtoms
	if _, ok := a.convert(offer{text: strings.Repeat("a", maxText+1)}, a.utf8String); ok {
		t.Error("text beyond one property was offered without INCR")
	}
}

func TestMultipleConvertsEachPairAndMarksFailures(t *testing.T) {
	a := testAtoms
	var set []xproto.Atom
	pairs := []xproto.Atom{a.utf8String, 900, 555 /* unknown target */, 901, a.hint, 902, a.multiple, 903}
	out := a.convertMultiple(offer{text: canary, secret: true}, pairs, func(prop xproto.Atom, p property) { set = append(set, prop) })
	want := []xproto.Atom{a.utf8String, 900, xproto.AtomNone, 901, a.hint, 902, xproto.AtomNone, 903}
	if !slices.Equal(out, want) {
		t.Errorf("MULTIPLE answer %v, want %v", out, want)
	}
	if !slices.Equal(set, []xproto.Atom{900, 902}) {
		t.Errorf("properties set %v, want 900 and 902 in order", set)
	}
}
