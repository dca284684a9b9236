#!/usr/bin/env bash
# Side-by-side benchmark of sprawl and its peers, in one run, as ratios of medians (these machines
# are shared and noisy: absolute seconds mean little, ratios measured together do).
#
# Usage: scripts/bench.sh [CORPUS_DIR]        (default ../corpus, built with ../shared/tools/corpus.sh)
#   RUNS=5        timed runs per tool (after one untimed warm-up each)
#   BENCH=trees   which benchmarks: trees (directory scan); more are added as they exist
# Prints, per benchmark, each tool's median wall time and peak memory, and sprawl's ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:-$here/../corpus}" 2>/dev/null && pwd) || { echo "bench: no corpus; run ../shared/tools/corpus.sh DIR" >&2; exit 2; }
runs=${RUNS:-5}
benches=${BENCH:-trees}
shared="$here/../shared/tools"

"$here/scripts/setup"
(cd "$here" && swift build -c release >&2)
sprawl="$here/.build/release/sprawl"
eval "$("$shared/peers.sh")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME CMD...: one timed run; appends "wall_seconds peak_kib" to $work/NAME.
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
  tail -1 "$work/time" >> "$work/$name"
}

# report TITLE NAMES...: median wall and memory per tool, and sprawl's ratio to each peer.
report() {
  local title=$1; shift
  python3 - "$work" "$title" "$@" <<'PY'
import statistics, sys
work, title, names = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = {}
for n in names:
    vals = [tuple(map(float, l.split())) for l in open(f"{work}/{n}") if l.strip()]
    rows[n] = (statistics.median(v[0] for v in vals), statistics.median(v[1] for v in vals) / 1024, len(vals))
print(f"\n## {title}")
print(f"{'tool':24} {'median wall s':>14} {'median peak MB':>15} {'runs':>5}")
for n, (wall, mem, k) in rows.items():
    print(f"{n:24} {wall:14.2f} {mem:15.1f} {k:5d}")
base = names[0]
for n in names[1:]:
    print(f"ratio {base}/{n}: {rows[base][0] / rows[n][0]:.3f} (wall, medians)")
PY
}

if [[ " $benches " == *" trees "* ]]; then
  trees="$corpus/trees"
  echo "directory scan of $trees ($(du -sh "$trees" | cut -f1), $(find "$trees" -type f | wc -l) files), $runs runs each" >&2
  run warmup "$sprawl" scan "$trees" --format json -o "$work/sprawl.json"
  run warmup "$KINGFISHER" scan "$trees" --no-validate --git-history none --no-dedup -f json -o "$work/kf.json"
  run warmup "$GITLEAKS" dir "$trees" --report-format json --report-path "$work/gl.json" --no-banner --log-level error
  for _ in $(seq "$runs"); do
    run sprawl "$sprawl" scan "$trees" --format json -o "$work/sprawl.json"
    run kingfisher "$KINGFISHER" scan "$trees" --no-validate --git-history none --no-dedup -f json -o "$work/kf.json"
    run gitleaks "$GITLEAKS" dir "$trees" --report-format json --report-path "$work/gl.json" --no-banner --log-level error
  done
  report "directory scan: $trees" sprawl kingfisher gitleaks
fi
