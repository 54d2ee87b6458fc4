#!/usr/bin/env bash
# Builds the wasm module in release (SIMD on), generates the JS bindings into www/pkg, and shrinks
# the wasm with wasm-opt. Incremental: does nothing when www/pkg is newer than every source.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '[build] %s\n' "$*" >&2; }
. target/wasm-toolchain.env

node scripts/vendor.mjs # KaTeX into www/vendor (quick when it is there)

out=www/pkg
stamp=$out/.built
if [ -f "$stamp" ] && [ -z "$(find src Cargo.toml Cargo.lock scripts/build.sh -newer "$stamp" -print -quit)" ]; then
  say "www/pkg is up to date"
  node scripts/bundle.mjs # page files may have changed
  node scripts/offline-manifest.mjs
  exit 0
fi

flags=(--release --lib --target wasm32-unknown-unknown)
# LLVM inlines less than its default (225): −18 KB gzipped, and the models are as fast (bench);
# 25, 35, 70 and 100 all gave a larger file than 50.
export RUSTFLAGS="-C target-feature=+simd128 -C llvm-args=-inline-threshold=50 ${RUSTFLAGS:-}"
if [ -n "$WASM_BUILD_STD" ]; then
  export RUSTC="$WASM_RUSTC" RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
  # std built for size: smaller sorts, integer formatting and string helpers (−11 KB gzipped);
  # the models do not use std's sorts in hot loops (the tree has its own radix sort).
  flags+=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
  # `{:?}` prints nothing (−4 KB gzipped). Learner-facing messages use Display only; a panic
  # keeps its message and location, but a Debug-formatted value in it (unwrap of an Err) is empty.
  export RUSTFLAGS="$RUSTFLAGS -Zfmt-debug=none"
fi
say "cargo build (wasm32, release, simd128)"
"$WASM_CARGO" build "${flags[@]}"

wasm=target/wasm32-unknown-unknown/release/ml_playground.wasm
say "wasm-bindgen --target web"
wasm-bindgen --target web --out-dir "$out" "$wasm"
say "wasm-opt -O3"
npx --no-install wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-simd --strip-producers --strip-target-features \
  "$out/ml_playground_bg.wasm" -o "$out/ml_playground_bg.wasm"
raw=$(stat -c %s "$out/ml_playground_bg.wasm")
gz=$(gzip -9c "$out/ml_playground_bg.wasm" | wc -c)
say "www/pkg/ml_playground_bg.wasm: $((raw / 1024)) KiB, $((gz / 1024)) KiB gzipped"
# Precompressed copies of what the build made (only those: they are remade together, so a copy
# can never be older than its source), served by scripts/serve.mjs and any static host.
node -e '
const fs = require("node:fs"), zlib = require("node:zlib");
for (const f of process.argv.slice(1)) {
  const data = fs.readFileSync(f);
  fs.writeFileSync(f + ".gz", zlib.gzipSync(data, { level: 9 }));
  fs.writeFileSync(f + ".br", zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
}' "$out/ml_playground_bg.wasm" "$out/ml_playground.js"
say "brotli: $(( $(stat -c %s "$out/ml_playground_bg.wasm.br") / 1024 )) KiB"
node scripts/bundle.mjs
node scripts/offline-manifest.mjs
touch "$stamp"
