#!/usr/bin/env bash
# Fuzzes with cargo-fuzz and the rustup nightly, each target in turn: the CSV importer (parse_csv
# on arbitrary bytes), the URL state (JSON → State → session build, train, draw) and model files
# (JSON → AnyModel → validate → predict on a probe, round trip).
# Not part of `cargo test` or CI: fuzz/ has its own workspace.
#   scripts/fuzz.sh                    # 600 seconds for each target
#   scripts/fuzz.sh 60                 # 60 seconds for each target
#   scripts/fuzz.sh 300 model_file     # one target
# Crashes are written to fuzz/artifacts/<target>/; each corpus grows in fuzz/corpus/<target>/,
# seeded from fuzz/seeds/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(csv_import state model_file)
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz
fi
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  cp -n "fuzz/seeds/$target"/* "fuzz/corpus/$target/" 2>/dev/null || true
  (cd fuzz && cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=65536)
done
