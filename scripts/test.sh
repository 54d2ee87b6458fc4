#!/usr/bin/env bash
# Every test: native cargo tests (the core), wasm-bindgen tests in headless Chromium (the web
# layer), and Node tests (the JS API in Node, the runnable examples, the page in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\n[test] %s\n' "$*" >&2; }

bash scripts/setup.sh --test
. target/wasm-toolchain.env

say "format and lints: cargo fmt --check, cargo clippy -D warnings"
cargo fmt --check
cargo clippy --quiet --all-targets -- -D warnings 2>&1

say "native: cargo test"
cargo test --quiet 2>&1

say "wasm: release build for the page"
bash scripts/build.sh

say "types: tsc --noEmit over www/ (JSDoc with checkJs; the wasm's types from www/pkg/*.d.ts)"
npx --no-install tsc --noEmit -p .

say "wasm: wasm-bindgen-test in headless Chromium"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=120
wasm_flags=(--target wasm32-unknown-unknown --test web)
if [ -n "$WASM_BUILD_STD" ]; then
  RUSTC="$WASM_RUSTC" RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C target-feature=+simd128" \
    "$WASM_CARGO" test "${wasm_flags[@]}" -Zbuild-std=std,panic_abort 2>&1
else
  RUSTFLAGS="-C target-feature=+simd128" "$WASM_CARGO" test "${wasm_flags[@]}" 2>&1
fi

say "node: JS API, examples and page tests"
node --test --test-concurrency=1 tests/node/ tests/page/ 2>&1
