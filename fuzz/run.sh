#!/usr/bin/env bash
# Runs one fuzz target for a fixed time in one libFuzzer process (one core).
#   fuzz/run.sh <markdown|pipeline_bytes|pipeline_structured> <seconds>
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# New corpus entries go to fuzz/corpus/<target>.local (not committed); the
# committed seeds in fuzz/seeds/<target> are only read. Crashes land in
# fuzz/artifacts/<target>/.
set -euo pipefail
target=${1:?usage: fuzz/run.sh <target> <seconds>}
seconds=${2:?usage: fuzz/run.sh <target> <seconds>}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$here/target}
case $target in
  markdown|pipeline_bytes) max_len=65536 ;;
  pipeline_structured) max_len=4096 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
mkdir -p "corpus/$target.local" "artifacts/$target"
seeds=()
[ -d "seeds/$target" ] && seeds+=("seeds/$target")

cargo +nightly fuzz run --release "$target" "corpus/$target.local" "${seeds[@]}" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len="$max_len" -print_final_stats=1 \
  -artifact_prefix="artifacts/$target/"
