package secret

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const canary = "ghp_CANARYcanaryCANARYcanaryCANARY0000"

func TestValueNeverFormatsItself(t *testing.T) {
	v := New(canary)
	wrapped := struct{ Token Value }{v}
	outs := []string{
		fmt.Sprint(v), fmt.Sprintf("%v %+v %#v %s %q %x %X %d", v, v, v, v, v, v, v, v),
		fmt.Sprintf("%v %+v %#v", wrapped, wrapped, wrapped), fmt.Sprintf("%v", &v),
	}
	b, err := json.Marshal(wrapped)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(b))
	for _, out := range outs {
		if strings.Contains(out, "CANARY") {
			t.Errorf("formatted value leaks the secret: %q", out)
		}
	}
	if v.Reveal() != canary {
		t.Error("Reveal does not return the secret")
	}
}

func TestParseTrimsWhatSurroundsAPaste(t *testing.T) {
	for _, in := range []string{canary, " " + canary, canary + "\n", "\t" + canary + "\r\n", "\ufeff" + canary + "  "} {
		v, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if v.Reveal() != canary {
			t.Errorf("Parse(%q) = %q", in, v.Reveal())
		}
	}
}

func TestParseRefusesInnerWhiteSpace(t *testing.T) {
	for in, want := range map[string]string{
		"":                            "nothing",
		"  \n ":                       "nothing",
		canary[:10] + " " + canary:    "space",
		canary[:10] + "\n" + canary:   "more than one line",
		canary[:10] + "\x00" + canary: "control",
	} {
		_, err := Parse(in)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(pe.Error(), want) {
			t.Errorf("Parse(%q) error = %v, want one mentioning %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "CANARY") {
			t.Errorf("error leaks the secret: %v", err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(canary)
	f.Add(" a b ")
	f.Add("\ufeff\u00a0x\u2028")
	f.Fuzz(func(t *testing.T, in string) {
		v, err := Parse(in)
		if err != nil {
			if !v.IsZero() {
				t.Fatal("error with a value")
			}
			return
		}
		if strings.TrimSpace(v.Reveal()) != v.Reveal() || v.IsZero() {
			t.Fatalf("Parse(%q) = %q: not trimmed", in, v.Reveal())
		}
	})
}
