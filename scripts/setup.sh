#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing, idempotently; quick when all is
# there. Called by `npm start` and `npm test` (and so by CI).
#   scripts/setup.sh          what the build needs: a wasm-capable Rust, wasm-bindgen CLI, npm packages
#   scripts/setup.sh --test   also Chromium + chromedriver and onnxruntime (Python; for tests/native/onnx.rs)
# Prints a line per step; fails with a message naming the missing piece.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi; }

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $* (no apt-get): install them by hand"
  if [ $apt_updated = 0 ]; then say "apt-get update"; sudo_ apt-get update -qq >/dev/null; apt_updated=1; fi
  say "apt-get install $*"
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

# 1. A Rust that can build wasm32-unknown-unknown. Prefer a rustup toolchain that already has the
#    target (a contributor's laptop); else Debian's rustc-web, which builds std from source.
env_file=target/wasm-toolchain.env
mkdir -p target
if rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  say "rust: rustup toolchain with the wasm32 target"
  printf 'WASM_CARGO=cargo\nWASM_RUSTC=\nWASM_BUILD_STD=\n' > "$env_file"
else
  need=0
  { [ -x /usr/bin/rustc ] && /usr/bin/rustc --print target-list | grep -q '^wasm32-unknown-unknown$'; } || need=1
  [ -d /usr/lib/rustlib/src/rust/library ] || need=1
  [ -x /usr/bin/rust-lld ] || need=1
  if [ $need = 1 ]; then
    say "rust: the rustup toolchain has no wasm32 target; installing Debian's wasm-capable Rust"
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
  fi
  [ -x /usr/bin/cargo ] || die "no /usr/bin/cargo after installing cargo-web"
  say "rust: $(/usr/bin/rustc --version) with -Zbuild-std"
  printf 'WASM_CARGO=/usr/bin/cargo\nWASM_RUSTC=/usr/bin/rustc\nWASM_BUILD_STD=1\n' > "$env_file"
fi

# 2. wasm-bindgen CLI, exactly the version of the wasm-bindgen crate in Cargo.lock.
[ -f Cargo.lock ] || cargo generate-lockfile
bindgen_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
[ -n "$bindgen_version" ] || die "no wasm-bindgen in Cargo.lock"
export PATH="$HOME/.cargo/bin:$PATH"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "wasm-bindgen-cli $bindgen_version: installing with cargo (a few minutes, once)"
  cargo install -q wasm-bindgen-cli --version "$bindgen_version" || die "cargo install wasm-bindgen-cli $bindgen_version failed"
fi
say "wasm-bindgen $bindgen_version"

# 3. npm packages (wasm-opt, dev server, playwright-core) from the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || die "npm ci failed"
fi

if [ $want_test = 1 ]; then
  # 4. A real browser for wasm-bindgen-test and the page tests.
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt_install chromium chromium-driver
  fi
  say "browser: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  # A font with Chinese characters, so screenshots of the zh page show text, not boxes (5 MB).
  if ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk'; then
    apt_install fonts-wqy-microhei
  fi
  # onnxruntime and scikit-learn (Python): tests/native/onnx.rs runs the exported ONNX models in
  # onnxruntime, tests/native/python_export.rs the "Copy as Python" scripts (once, about 60 MB).
  if ! python3 -c 'import onnxruntime, sklearn' 2>/dev/null; then
    command -v python3 >/dev/null || apt_install python3 python3-pip
    python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    say "pip install onnxruntime scikit-learn"
    # (Debian's own Python refuses pip installs unless told: PEP 668)
    python3 -m pip install -q onnxruntime scikit-learn 2>/dev/null \
      || python3 -m pip install -q --break-system-packages onnxruntime scikit-learn \
      || die "pip install onnxruntime scikit-learn failed (tests/native/onnx.rs and tests/native/python_export.rs need them)"
  fi
  say "python: onnxruntime $(python3 -c 'import onnxruntime; print(onnxruntime.__version__)'), scikit-learn $(python3 -c 'import sklearn; print(sklearn.__version__)')"
fi
exit 0
