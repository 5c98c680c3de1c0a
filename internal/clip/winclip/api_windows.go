//go:build windows

package winclip

import (
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32                  = windows.NewLazySystemDLL("user32.dll")
	kernel32                = windows.NewLazySystemDLL("kernel32.dll")
	openClipboard           = user32.NewProc("OpenClipboard")
	closeClipboard          = user32.NewProc("CloseClipboard")
	emptyClipboard          = user32.NewProc("EmptyClipboard")
	setClipboardData        = user32.NewProc("SetClipboardData")
	getClipboardData        = user32.NewProc("GetClipboardData")
	registerClipboardFormat = user32.NewProc("RegisterClipboardFormatW")
	createWindowEx          = user32.NewProc("CreateWindowExW")
	globalAlloc             = kernel32.NewProc("GlobalAlloc")
	globalFree              = kernel32.NewProc("GlobalFree")
	globalLock              = kernel32.NewProc("GlobalLock")
	globalUnlock            = kernel32.NewProc("GlobalUnlock")
	globalSize              = kernel32.NewProc("GlobalSize")
)

const (
	gmemMoveable = 0x0002
	hwndMessage  = ^uintptr(2) // HWND_MESSAGE, (HWND)-3: a message-only window
)

// System is the Windows clipboard itself.
func System() API { return &system{} }

type system struct {
	once sync.Once
	hwnd uintptr
	err  error
}

// window is gitpat's own message-only window, made on first use. The
// clipboard needs one: after OpenClipboard(NULL), "EmptyClipboard sets the
// clipboard owner to NULL; this causes SetClipboardData to fail"
// (MicrosoftDocs/sdk-api, nf-winuser-openclipboard.md). It belongs to the
// thread that makes it, the UI thread, whose message loop (GLFW's) also
// serves it; with no delayed rendering it only ever gets notifications.
func (s *system) window() (uintptr, error) {
	s.once.Do(func() {
		class, _ := windows.UTF16PtrFromString("STATIC")
		name, _ := windows.UTF16PtrFromString("gitpat clipboard")
		h, _, err := createWindowEx.Call(0, uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(name)),
			0, 0, 0, 0, 0, hwndMessage, 0, 0, 0)
		if h == 0 {
			s.err = err
		}
		s.hwnd = h
	})
	return s.hwnd, s.err
}

// Open retries for a moment: another program may have the clipboard open
// briefly ("OpenClipboard fails if another window has the clipboard open").
func (s *system) Open() error {
	hwnd, err := s.window()
	if err != nil {
		return err
	}
	for range 10 {
		var r uintptr
		r, _, err = openClipboard.Call(hwnd)
		if r != 0 {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}

func (s *system) Close() error {
	if r, _, err := closeClipboard.Call(); r == 0 {
		return err
	}
	return nil
}

func (s *system) Empty() error {
	if r, _, err := emptyClipboard.Call(); r == 0 {
		return err
	}
	return nil
}

func (s *system) Register(name string) (uint32, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, err
	}
	f, _, err := registerClipboardFormat.Call(uintptr(unsafe.Pointer(p)))
	if f == 0 {
		return 0, err
	}
	return uint32(f), nil
}

// Set copies data into movable global memory, which the system owns once
// SetClipboardData succeeds (nf-winuser-setclipboarddata.md).
func (s *system) Set(format uint32, data []byte) error {
	n := max(len(data), 1)
	h, _, err := globalAlloc.Call(gmemMoveable, uintptr(n))
	if h == 0 {
		return err
	}
	p, _, err := globalLock.Call(h)
	if p == 0 {
		globalFree.Call(h)
		return err
	}
	copy(unsafe.Slice((*byte)(pointer(p)), n), data)
	globalUnlock.Call(h)
	if r, _, err := setClipboardData.Call(uintptr(format), h); r == 0 {
		globalFree.Call(h)
		return err
	}
	return nil
}

func (s *system) Get(format uint32) ([]byte, bool) {
	h, _, _ := getClipboardData.Call(uintptr(format))
	if h == 0 {
		return nil, false
	}
	p, _, _ := globalLock.Call(h)
	if p == 0 {
		return nil, false
	}
	defer globalUnlock.Call(h)
	n, _, _ := globalSize.Call(h)
	if n == 0 {
		return nil, false
	}
	return append([]byte(nil), unsafe.Slice((*byte)(pointer(p)), n)...), true
}

// pointer turns an address that Windows returned (locked global memory,
// not Go's) into a pointer.
func pointer(addr uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&addr)) }
