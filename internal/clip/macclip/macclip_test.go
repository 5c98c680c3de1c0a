package macclip

import (
	"slices"
	"testing"
)

const canary = "ghp_CANARYmacosCANARYmacosCANARYmacos00"

// fakePasteboard keeps the one item the board writes, as NSPasteboard
// would, and logs each call.
type fakePasteboard struct {
	item     map[string][]byte
	writes   int
	failNext bool
}

func (p *fakePasteboard) Write(types []string, data [][]byte) bool {
	p.writes++
	if p.failNext {
		p.failNext = false
		p.item = map[string][]byte{types[0]: data[0]} // a partial write
		return false
	}
	p.item = map[string][]byte{}
	for i, t := range types {
		p.item[t] = data[i]
	}
	return true
}

func (p *fakePasteboard) Clear() { p.item = nil }

func (p *fakePasteboard) String(typ string) (string, bool) {
	d, ok := p.item[typ]
	return string(d), ok
}

func TestASecretIsConcealedAndTransientInOneWrite(t *testing.T) {
	p := &fakePasteboard{}
	b := New(p)
	b.SetSecret(canary)
	if b.Content() != canary {
		t.Fatalf("Content = %q", b.Content())
	}
	for _, typ := range []string{ConcealedType, TransientType} {
		if _, ok := p.item[typ]; !ok {
			t.Errorf("%s missing", typ)
		}
		if len(p.item[typ]) != 0 {
			t.Errorf("%s carries data: the secret belongs only under the text type", typ)
		}
	}
	if p.writes != 1 {
		t.Errorf("%d writes: the markers and the text must arrive together", p.writes)
	}
}

func TestPlainTextHasNoMarkers(t *testing.T) {
	p := &fakePasteboard{}
	New(p).SetContent("https://example.com")
	var types []string
	for typ := range p.item {
		types = append(types, typ)
	}
	if !slices.Equal(types, []string{TypeString}) {
		t.Errorf("types %v, want only the text", types)
	}
}

func TestClearingEmptiesThePasteboard(t *testing.T) {
	p := &fakePasteboard{}
	b := New(p)
	b.SetSecret(canary)
	b.SetContent("")
	if b.Content() != "" || p.item != nil {
		t.Errorf("after clearing: %v", p.item)
	}
}

func TestAFailedWriteLeavesNothing(t *testing.T) {
	p := &fakePasteboard{failNext: true}
	b := New(p)
	b.SetSecret(canary)
	if p.item != nil {
		t.Errorf("after a failed write the pasteboard holds %v", p.item)
	}
}
