package x11

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/jezek/xgb/xproto"
)

// PasswordHint is the target KDE defined for secrets: a clipboard manager
// that finds it with the value "secret" does not record the content. KDE's
// Klipper checks it before it adds anything to its history
// (KDE/plasma-workspace, klipper/historymodel.cpp: `if
// (data->data(QStringLiteral("x-kde-passwordManagerHint")) ==
// QByteArrayView("secret")) { setHasPassword(true); return; }`), KeePassXC
// sets it on every copied password (keepassxreboot/keepassxc,
// src/gui/Clipboard.cpp, Clipboard::setText), and the clipboard managers
// that follow Klipper (GPaste, CopyQ, wl-clipboard's "sensitive" state)
// honour it too.
const PasswordHint = "x-kde-passwordManagerHint"

// maxText is the most text offered in one property. Larger selections need
// the INCR protocol (ICCCM 2.5), which a token never does, so gitpat
// refuses them rather than sending a part.
const maxText = 64 << 10

// atoms are the atoms a selection owner answers with. Real values come from
// the X server (InternAtom); the tests use made-up ones.
type atoms struct {
	clipboard, targets, timestamp, multiple, atomPair xproto.Atom
	utf8String, text, textPlain, textPlainUTF8, hint  xproto.Atom
	stampProperty                                     xproto.Atom // on our window, to get a server time
	atom, integer, str                                xproto.Atom // predefined: ATOM, INTEGER, STRING
}

// atomNames lists the atoms to intern, in the order atomsFrom reads them.
var atomNames = []string{
	"CLIPBOARD", "TARGETS", "TIMESTAMP", "MULTIPLE", "ATOM_PAIR",
	"UTF8_STRING", "TEXT", "text/plain", "text/plain;charset=utf-8", PasswordHint,
	"GITPAT_TIMESTAMP",
}

func atomsFrom(ids []xproto.Atom) atoms {
	return atoms{
		clipboard: ids[0], targets: ids[1], timestamp: ids[2], multiple: ids[3], atomPair: ids[4],
		utf8String: ids[5], text: ids[6], textPlain: ids[7], textPlainUTF8: ids[8], hint: ids[9],
		stampProperty: ids[10],
		atom:          xproto.AtomAtom, integer: xproto.AtomInteger, str: xproto.AtomString,
	}
}

// offer is what the owner holds: the text, whether it is a secret (then
// the hint is offered too), and the server time it took the selection.
type offer struct {
	text   string
	secret bool
	since  xproto.Timestamp
}

// property is one converted target, ready for ChangeProperty.
type property struct {
	typ    xproto.Atom
	format byte // 8 or 32 bits per item
	data   []byte
}

// items is the item count ChangeProperty wants.
func (p property) items() uint32 { return uint32(len(p.data) * 8 / int(p.format)) }

// latin1 is s in ISO Latin-1, the encoding of the STRING target (ICCCM
// 2.6.2); false when s has a character outside it.
func latin1(s string) ([]byte, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff || r == utf8.RuneError {
			return nil, false
		}
		b = append(b, byte(r))
	}
	return b, true
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// targets lists what o can be converted to, for the TARGETS answer. ICCCM
// 2.6.2 requires TARGETS, MULTIPLE and TIMESTAMP; the text targets are those
// Qt and GTK ask for; the hint comes only with a secret.
func (a atoms) targetsFor(o offer) []xproto.Atom {
	t := []xproto.Atom{a.targets, a.timestamp, a.multiple, a.utf8String, a.textPlainUTF8, a.text}
	if _, ok := latin1(o.text); ok {
		t = append(t, a.str)
	}
	if ascii(o.text) {
		t = append(t, a.textPlain)
	}
	if o.secret {
		t = append(t, a.hint)
	}
	return t
}

func atomList(list []xproto.Atom) []byte {
	b := make([]byte, 4*len(list))
	for i, x := range list {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x)) // xgb speaks little-endian to the server
	}
	return b
}

// convert answers one target; false refuses it (the requestor then gets
// property None, ICCCM 2.2).
func (a atoms) convert(o offer, target xproto.Atom) (property, bool) {
	if len(o.text) > maxText {
		return property{}, false
	}
	switch target {
	case a.targets:
		return property{a.atom, 32, atomList(a.targetsFor(o))}, true
	case a.timestamp:
		b := make([]byte, 4)
		binary.LittleEndian.PutUint32(b, uint32(o.since))
		return property{a.integer, 32, b}, true
	case a.utf8String, a.text:
		// TEXT lets the owner pick the encoding and name it in the
		// property's type (ICCCM 2.7.1): UTF-8.
		return property{a.utf8String, 8, []byte(o.text)}, true
	case a.textPlainUTF8:
		return property{a.textPlainUTF8, 8, []byte(o.text)}, true
	case a.str:
		if b, ok := latin1(o.text); ok {
			return property{a.str, 8, b}, true
		}
	case a.textPlain:
		if ascii(o.text) {
			return property{a.textPlain, 8, []byte(o.text)}, true
		}
	case a.hint:
		// Qt, which Klipper and KeePassXC use, stores a MIME type's data
		// with the target itself as the property's type.
		if o.secret {
			return property{a.hint, 8, []byte("secret")}, true
		}
	}
	return property{}, false
}

// convertMultiple converts the (target, property) pairs of a MULTIPLE request in
// order (ICCCM 2.6.2): each pair succeeds or fails on its own, and a
// target that cannot be converted is replaced with None in the list that
// goes back. set stores one converted property on the requestor's window.
func (a atoms) convertMultiple(o offer, pairs []xproto.Atom, set func(prop xproto.Atom, p property)) []xproto.Atom {
	out := append([]xproto.Atom(nil), pairs...)
	for i := 0; i+1 < len(out); i += 2 {
		target, prop := out[i], out[i+1]
		if p, ok := a.convert(o, target); ok && target != a.multiple && prop != xproto.AtomNone {
			set(prop, p)
			continue
		}
		out[i] = xproto.AtomNone
	}
	return out
}

// accepts reports whether a request made at time t may be answered from
// o: ICCCM 2.2 has the owner refuse requests older than its ownership.
func (o offer) accepts(t xproto.Timestamp) bool {
	return t == xproto.TimeCurrentTime || t >= o.since
}
