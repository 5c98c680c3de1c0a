# gitpat: `make run` starts the app, `make test` runs every test.
# Both install the Debian packages the build needs, when missing.

GO      ?= go
BIN     := bin
VERSION := $(shell sed -n 's/^const Number = "\(.*\)"/\1/p' internal/version/version.go)

# What a Fyne (cgo, OpenGL, X11) build needs.
BUILD_DEPS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
              libxinerama-dev libxi-dev libxxf86vm-dev
# What the tests need besides: a virtual X server with software GL, tools
# to find and capture the window, and a real keyring (GNOME Keyring on a
# private D-Bus session).
TEST_DEPS  := xvfb xauth libgl1-mesa-dri xdotool imagemagick dbus dbus-bin gnome-keyring

.PHONY: all deps test-deps build run test vet unit keyring-test e2e bench clean

all: build

deps:
	@sh scripts/deps.sh $(BUILD_DEPS)

test-deps: deps
	@sh scripts/deps.sh $(TEST_DEPS)

build: deps
	$(GO) build -o $(BIN)/gitpat ./cmd/gitpat
	CGO_ENABLED=0 $(GO) build -o $(BIN)/gitpat-check ./cmd/gitpat-check

run: build
	$(BIN)/gitpat

vet: deps
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }

unit: deps
	$(GO) test ./...

# One real window under Xvfb per tab; screenshots land in out/e2e.
e2e: test-deps build
	sh scripts/e2e.sh out/e2e

# The keyring tests against a real Secret Service (GNOME Keyring started
# unlocked on a private D-Bus session with a throwaway HOME).
keyring-test: test-deps
	sh scripts/keyring-test.sh

test: test-deps vet unit keyring-test e2e

clean:
	rm -rf $(BIN) out
