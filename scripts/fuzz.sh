#!/usr/bin/env bash
# Fuzzes the CSV importer (parse_csv on arbitrary bytes) with cargo-fuzz and the rustup nightly.
# Not part of `cargo test` or CI: fuzz/ has its own workspace.
#   scripts/fuzz.sh            # 600 seconds
#   scripts/fuzz.sh 60         # 60 seconds
# Crashes are written to fuzz/artifacts/csv_import/; the corpus grows in fuzz/corpus/csv_import/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz
fi
mkdir -p fuzz/corpus/csv_import
cp -n fuzz/seeds/* fuzz/corpus/csv_import/ 2>/dev/null || true
cd fuzz
exec cargo +nightly fuzz run csv_import corpus/csv_import -- -max_total_time="$seconds" -max_len=65536
