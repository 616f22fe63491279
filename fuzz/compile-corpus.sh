#!/usr/bin/env bash
# Semantic check of fuzz findings that parse but might not compile: replays
# up to <count> corpus inputs of <target>, writes each crate that generates
# into one scratch workspace, and runs `cargo clippy -D warnings` over all.
#   fuzz/compile-corpus.sh <target> [count]
set -euo pipefail
target=${1:?usage: fuzz/compile-corpus.sh <target> [count]}
count=${2:-100}
here=$(cd "$(dirname "$0")" && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$here/target}
bin="$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release/$target"
[ -x "$bin" ] || (cd "$here" && cargo +nightly fuzz build --release "$target")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/crates" "$work/inputs"
{ find "$here/corpus/$target.local" "$here/seeds/$target" -type f 2>/dev/null || true; } | sort >"$work/all"
head -n "$count" "$work/all" | while read -r f; do cp "$f" "$work/inputs/" 2>/dev/null || true; done
FUZZ_DUMP_DIR="$work/crates" "$bin" -runs=0 "$work/inputs" >/dev/null 2>&1 || true
members=$(cd "$work/crates" && ls | sed 's/.*/"&"/' | paste -sd, -)
echo "compile-corpus: $(ls "$work/crates" | wc -l) crates from $(ls "$work/inputs" | wc -l) inputs"
printf '[workspace]\nresolver = "3"\nmembers = [%s]\n' "$members" > "$work/crates/Cargo.toml"
cp "$here/../Cargo.lock" "$work/crates/Cargo.lock"
cd "$work/crates"
CARGO_TARGET_DIR="$here/target/compile-corpus" cargo clippy --workspace --keep-going --quiet -- -D warnings
echo "compile-corpus: all compile"
