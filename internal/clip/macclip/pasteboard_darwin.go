//go:build darwin

package macclip

import (
	"errors"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/ebitengine/purego/objc"
)

// System is the general pasteboard, reached through the Objective-C runtime
// with purego (no cgo, so this file is built and vetted on any platform).
func System() (Pasteboard, error) {
	load.Do(func() { loadErr = loadAppKit() })
	if loadErr != nil {
		return nil, loadErr
	}
	return general{}, nil
}

var (
	load    sync.Once
	loadErr error

	classPasteboard, classPasteboardItem, classString, classData, classArray, classPool objc.ID

	selGeneral, selClear, selWrite, selStringForType, selUTF8, selStringWithUTF8 objc.SEL
	selAlloc, selInit, selRelease, selSetDataForType, selDataWithBytes, selData  objc.SEL
	selArrayWithObject, selNew, selDrain                                         objc.SEL
)

func loadAppKit() error {
	if _, err := purego.Dlopen("/System/Library/Frameworks/AppKit.framework/AppKit", purego.RTLD_GLOBAL|purego.RTLD_NOW); err != nil {
		return err
	}
	for _, c := range []struct {
		id   *objc.ID
		name string
	}{
		{&classPasteboard, "NSPasteboard"}, {&classPasteboardItem, "NSPasteboardItem"}, {&classString, "NSString"},
		{&classData, "NSData"}, {&classArray, "NSArray"}, {&classPool, "NSAutoreleasePool"},
	} {
		*c.id = objc.ID(objc.GetClass(c.name))
		if *c.id == 0 {
			return errors.New("no Objective-C class " + c.name)
		}
	}
	for _, s := range []struct {
		sel  *objc.SEL
		name string
	}{
		{&selGeneral, "generalPasteboard"}, {&selClear, "clearContents"}, {&selWrite, "writeObjects:"},
		{&selStringForType, "stringForType:"}, {&selUTF8, "UTF8String"}, {&selStringWithUTF8, "stringWithUTF8String:"},
		{&selAlloc, "alloc"}, {&selInit, "init"}, {&selRelease, "release"},
		{&selSetDataForType, "setData:forType:"}, {&selDataWithBytes, "dataWithBytes:length:"}, {&selData, "data"},
		{&selArrayWithObject, "arrayWithObject:"}, {&selNew, "new"}, {&selDrain, "drain"},
	} {
		*s.sel = objc.RegisterName(s.name)
	}
	return nil
}

type general struct{}

// pooled runs f inside an autorelease pool: the objects the convenience
// constructors return are freed when it drains, whichever thread runs f.
func pooled(f func()) {
	pool := classPool.Send(selNew)
	defer pool.Send(selDrain)
	f()
}

func nsString(s string) objc.ID { return classString.Send(selStringWithUTF8, s) }

func nsData(b []byte) objc.ID {
	if len(b) == 0 {
		return classData.Send(selData)
	}
	return classData.Send(selDataWithBytes, unsafe.Pointer(&b[0]), uintptr(len(b)))
}

func (general) Write(types []string, data [][]byte) (ok bool) {
	pooled(func() {
		item := classPasteboardItem.Send(selAlloc).Send(selInit)
		defer item.Send(selRelease)
		for i, t := range types {
			if !objc.Send[bool](item, selSetDataForType, nsData(data[i]), nsString(t)) {
				return
			}
		}
		pb := classPasteboard.Send(selGeneral)
		pb.Send(selClear)
		ok = objc.Send[bool](pb, selWrite, classArray.Send(selArrayWithObject, item))
	})
	return ok
}

func (general) Clear() {
	pooled(func() { classPasteboard.Send(selGeneral).Send(selClear) })
}

func (general) String(typ string) (s string, ok bool) {
	pooled(func() {
		str := classPasteboard.Send(selGeneral).Send(selStringForType, nsString(typ))
		if str == 0 {
			return
		}
		s, ok = objc.Send[string](str, selUTF8), true
	})
	return s, ok
}
