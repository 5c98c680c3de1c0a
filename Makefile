# gitpat: `make run` starts the app, `make test` runs every test.
# Both install the Debian packages the build needs, when missing.

GO      ?= go
BIN     := bin
VERSION := $(shell sed -n 's/^const Number = "\(.*\)"/\1/p' internal/version/version.go)
BUILD   := $(shell sed -n 's/^ *Build = \([0-9]*\)/\1/p' FyneApp.toml)
HOSTOS  := $(shell $(GO) env GOHOSTOS)
ARCH    := $(shell $(GO) env GOARCH)
EXE     := $(shell $(GO) env GOEXE)

# What a Fyne (cgo, OpenGL, X11) build needs.
BUILD_DEPS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
              libxinerama-dev libxi-dev libxxf86vm-dev
# What the tests need besides: a virtual X server with software GL, tools
# to find and capture the window, and a real keyring (GNOME Keyring on a
# private D-Bus session).
TEST_DEPS  := xvfb xauth libgl1-mesa-dri xdotool imagemagick dbus dbus-bin gnome-keyring \
              desktop-file-utils appstream xclip
# Cross-compiling the Windows package (its binutils check the exe).
PACKAGE_DEPS := gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64

PREFIX  ?= /usr/local
DESTDIR ?=
APPID   := io.github.gitpat
FYNE    := $(CURDIR)/$(BIN)/fyne$(EXE)
ICON    := $(CURDIR)/assets/icons/512x512.png
# Build tags of the window app. no_emoji leaves out Fyne's bundled colour
# emoji font (4 MB), which Fyne parses again for every text style it draws
# (about 5 MB of memory each): gitpat's own texts have no emoji, and one in
# a name from a host is drawn with the system's emoji font, where there is
# one. Packages add release.
TAGS    := no_emoji

.PHONY: all deps test-deps build run test vet unit keyring-test remind-test e2e install-check install uninstall \
        package package-linux package-windows screenshots bench clean \
        cross actionlint clipboard-test first-frame-test package-macos package-check

all: build

deps:
	@sh scripts/deps.sh $(BUILD_DEPS)

test-deps: deps
	@sh scripts/deps.sh $(TEST_DEPS)

build: deps
	$(GO) build $(BUILDFLAGS) -tags '$(TAGS)' -o $(BIN)/gitpat$(EXE) ./cmd/gitpat
	CGO_ENABLED=0 $(GO) build $(BUILDFLAGS) -o $(BIN)/gitpat-check$(EXE) ./cmd/gitpat-check

run: build
	$(BIN)/gitpat

vet: deps
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }

# Every package under the race detector: a widget touched off the UI
# goroutine, or a test reading what a check writes, fails here. With the
# app's build tags, as it ships.
unit: deps
	$(GO) test -race -tags '$(TAGS)' ./...

# One real window under Xvfb per tab, then the whole flow with the
# keyboard alone against the demo server; screenshots land in out/e2e and
# out/keyboard.
e2e: test-deps build
	$(GO) build -o $(BIN)/demohost ./internal/demohost
	sh scripts/e2e.sh out/e2e
	sh scripts/keyboard.sh out/keyboard

# The keyring tests against a real Secret Service (GNOME Keyring started
# unlocked on a private D-Bus session with a throwaway HOME).
keyring-test: test-deps
	sh scripts/keyring-test.sh

# gitpat --remind on a private D-Bus session with a notification server
# that records what it gets; then without a bus, and with a stuck server.
remind-test: test-deps build
	sh scripts/remind-test.sh

# Install into a scratch DESTDIR and validate the desktop entry and the
# AppStream metainfo.
install-check: test-deps
	@d=$$(mktemp -d) && $(MAKE) --no-print-directory install DESTDIR=$$d >/dev/null && \
	desktop-file-validate $$d$(PREFIX)/share/applications/$(APPID).desktop && \
	appstreamcli validate --no-net --explain $$d$(PREFIX)/share/metainfo/$(APPID).metainfo.xml && \
	echo "install-check: $$(find $$d -type f | wc -l) files installed and valid"; rm -rf $$d

test: test-deps vet cross actionlint unit keyring-test remind-test clipboard-test first-frame-test e2e install-check

# The binaries, icons, desktop entry and AppStream metainfo, so gitpat
# shows in the desktop menu. PREFIX and DESTDIR are honoured.
install: build
	install -Dm755 $(BIN)/gitpat $(DESTDIR)$(PREFIX)/bin/gitpat
	install -Dm755 $(BIN)/gitpat-check $(DESTDIR)$(PREFIX)/bin/gitpat-check
	install -Dm644 assets/linux/$(APPID).desktop $(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop
	install -Dm644 assets/linux/$(APPID).metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/$(APPID).metainfo.xml
	install -Dm644 assets/icon.svg $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APPID).svg
	for s in 32 48 64 128 256 512; do \
		install -Dm644 assets/icons/$${s}x$${s}.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$${s}/apps/$(APPID).png; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/gitpat $(DESTDIR)$(PREFIX)/bin/gitpat-check \
	      $(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop \
	      $(DESTDIR)$(PREFIX)/share/metainfo/$(APPID).metainfo.xml \
	      $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APPID).svg
	for s in 32 48 64 128 256 512; do rm -f $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$${s}/apps/$(APPID).png; done

# Windows and macOS from here: every package that needs no cgo builds and
# vets for them. The ones that open a window need it (GLFW), and on macOS
# so does everything that uses Fyne's widgets: ui, and the tests of assets
# (built, not vetted). The real Windows and macOS builds and tests run on
# their own machines (.github/workflows/ci.yml).
CGO_PKGS         := cmd/gitpat internal/floorapp
CGO_PKGS_DARWIN  := $(CGO_PKGS) ui
CGO_TESTS_DARWIN := assets
CROSS            := windows/amd64 darwin/arm64 darwin/amd64

# vet type-checks each package (with its tests) and compiles all it
# imports; build compiles the rest and links gitpat-check.
cross:
	@all=$$($(GO) list ./...) && for t in $(CROSS); do \
		case $$t in \
		darwin/*) skip="$(CGO_PKGS_DARWIN)"; novet="$(CGO_TESTS_DARWIN)" ;; \
		*) skip="$(CGO_PKGS)"; novet= ;; \
		esac; \
		pick() { for p in $$all; do keep=y; for s in $$*; do case $$p in */$$s) keep= ;; esac; done; \
			[ -z "$$keep" ] || echo $$p; done; }; \
		echo "cross: $$t: all but $$skip (and the tests of $${novet:-none})"; \
		export GOOS=$${t%/*} GOARCH=$${t#*/} CGO_ENABLED=0; \
		$(GO) vet $$(pick $$skip $$novet) && $(GO) build $$(pick $$skip) && \
		$(GO) build -o /dev/null ./cmd/gitpat-check || exit 1; \
	done

# The hosted workflow, checked as GitHub would read it.
ACTIONLINT := $(CURDIR)/$(BIN)/actionlint$(EXE)
$(ACTIONLINT):
	GOBIN=$(CURDIR)/$(BIN) $(GO) install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

actionlint: $(ACTIONLINT)
	$(ACTIONLINT) .github/workflows/*.yml

# The clipboard against a real X server: the X11 owner on its own, then
# the real window copying and quitting every way there is (screenshots and
# the TARGETS list land in out/clipboard).
clipboard-test: test-deps
	xvfb-run -a $(GO) test -count=1 -tags xvfb ./internal/clip/x11/
	GITPAT_XVFB_OUT=$(CURDIR)/out/clipboard xvfb-run -a -s "-screen 0 1280x800x24" \
		$(GO) test -count=1 -tags 'xvfb,$(TAGS)' -run Xvfb ./ui/

# The first frame the real window paints already shows the steps' text,
# at scale 1 and 2 (the frames land in out/first-frame), on a screen the
# window fits at scale 2. With the race detector: the window is created
# while another goroutine builds the tabs.
first-frame-test: test-deps
	GITPAT_XVFB_OUT=$(CURDIR)/out/first-frame xvfb-run -a -s "-screen 0 2560x1600x24" \
		$(GO) test -race -count=1 -tags 'xvfb,$(TAGS)' -run FirstFrame ./ui/

# Packages in dist/, each checked by package-check: on Linux the Linux
# tar.xz and the Windows zip (cross-compiled with mingw-w64), on Windows
# the Windows zip, on macOS the .app with gitpat-check in a zip. `fyne
# package` reads FyneApp.toml (and gitpat.exe.manifest) from the source
# folder and rewrites it, so it works on copies there; the top-level
# FyneApp.toml stays as it is.
RELEASE := -trimpath -tags release -ldflags "-s -w"
PKG     := $(CURDIR)/out/pkg
NAME    := gitpat-$(VERSION)

$(FYNE):
	GOBIN=$(CURDIR)/$(BIN) $(GO) install fyne.io/tools/cmd/fyne@v1.7.4

ifeq ($(HOSTOS),linux)
PACKAGES := package-linux package-windows
WINCC    := CC=x86_64-w64-mingw32-gcc
else ifeq ($(HOSTOS),windows)
PACKAGES := package-windows
else ifeq ($(HOSTOS),darwin)
PACKAGES := package-macos
endif

package: $(PACKAGES)
	$(MAKE) --no-print-directory package-check

package-check: deps
	@if [ "$(HOSTOS)" = linux ]; then sh scripts/deps.sh desktop-file-utils appstream $(PACKAGE_DEPS); fi
	GITPAT_DIST=$(CURDIR)/dist $(GO) test -count=1 -tags packages ./internal/pkgtest/

# The tree `make install` makes, relative to PREFIX, with a Makefile that
# installs it the same way.
package-linux: deps
	rm -rf $(PKG)/linux && mkdir -p dist $(PKG)/linux
	$(MAKE) --no-print-directory install DESTDIR=$(PKG)/linux/$(NAME) PREFIX= BUILDFLAGS='$(RELEASE)' TAGS='$(TAGS),release'
	install -m644 assets/linux/Makefile.dist $(PKG)/linux/$(NAME)/Makefile
	tar -C $(PKG)/linux -cJf dist/$(NAME)-linux-$(ARCH).tar.xz $(NAME)

package-windows: deps $(FYNE)
	@if [ "$(HOSTOS)" = linux ]; then sh scripts/deps.sh $(PACKAGE_DEPS); fi
	rm -rf $(PKG)/windows && mkdir -p dist $(PKG)/windows/$(NAME)
	cp FyneApp.toml cmd/gitpat/FyneApp.toml
	sed 's/@VERSION@/$(VERSION).$(BUILD)/' assets/windows/gitpat.exe.manifest > cmd/gitpat/gitpat.exe.manifest
	cd cmd/gitpat && $(WINCC) CGO_ENABLED=1 GOOS=windows GOARCH=amd64 $(FYNE) package -os windows -release -tags $(TAGS) -icon $(ICON); \
	rc=$$?; rm -f FyneApp.toml gitpat.exe.manifest fyne_metadata_init.go *.syso; exit $$rc
	mv cmd/gitpat/gitpat.exe $(PKG)/windows/$(NAME)/
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build $(RELEASE) -o $(PKG)/windows/$(NAME)/gitpat-check.exe ./cmd/gitpat-check
	$(GO) run ./internal/zipdir dist/$(NAME)-windows-amd64.zip $(PKG)/windows $(NAME)

package-macos: deps $(FYNE)
	@[ "$(HOSTOS)" = darwin ] || { echo "package-macos: the .app is built on macOS (see .github/workflows/ci.yml)"; exit 1; }
	rm -rf $(PKG)/macos && mkdir -p dist $(PKG)/macos/$(NAME)
	cp FyneApp.toml cmd/gitpat/FyneApp.toml
	cd cmd/gitpat && $(FYNE) package -os darwin -release -tags $(TAGS) -icon $(ICON); \
	rc=$$?; rm -f FyneApp.toml fyne_metadata_init.go; exit $$rc
	mv cmd/gitpat/gitpat.app $(PKG)/macos/$(NAME)/
	CGO_ENABLED=0 $(GO) build $(RELEASE) -o $(PKG)/macos/$(NAME)/gitpat-check ./cmd/gitpat-check
	$(GO) run ./internal/zipdir dist/$(NAME)-macos-$(ARCH).zip $(PKG)/macos $(NAME)

# README screenshots, from the real window under Xvfb.
screenshots: test-deps build
	$(GO) build -o $(BIN)/demohost ./internal/demohost
	sh scripts/screenshots.sh docs/screenshots
	sh scripts/screenshots-reminders.sh docs/screenshots

# Benchmarks (no timed assertions in tests): start-up against a one-label
# Fyne app, each check against its fake with 100 ms added per request, the
# CLI process, the parsers, and building and switching tabs. Results and floors: docs/BENCHMARKS.md.
bench: test-deps build
	$(GO) build -tags '$(TAGS)' -o $(BIN)/floorapp ./internal/floorapp
	sh scripts/bench-startup.sh 9
	$(GO) test -run '^$$' -bench 'CheckLatency' -benchtime 5x ./hosts
	$(GO) test -run '^$$' -bench 'Process' -benchtime 20x ./cmd/gitpat-check
	$(GO) test -run '^$$' -bench 'Classify|ParseServerURL|Parse|Outline' ./hosts ./internal/... ./assets
	$(GO) test -run '^$$' -bench 'Tab' -benchtime 10x ./ui

clean:
	rm -rf $(BIN) out dist
