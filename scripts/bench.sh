#!/usr/bin/env bash
# Side-by-side benchmark of sprawl and its peers, in one run, as ratios of medians (these machines
# are shared and noisy: absolute seconds mean little, ratios measured together do).
#
# Usage: scripts/bench.sh [CORPUS_DIR]        (default ../corpus, built with ../shared/tools/corpus.sh)
#   RUNS=5        timed runs per tool (after one untimed warm-up each)
#   PEERS="kingfisher gitleaks"   which peers to run beside sprawl (gitleaks takes ~45 s a run here)
#   BENCH="trees history staged"   which benchmarks (default: all three)
#     trees    directory scan of CORPUS/trees (no history)
#     history  full-history scan of CORPUS/history.git (about 3,100 commits), with a comparison of
#              what Kingfisher reports against what sprawl reports
#     staged   `scan --staged` of a commit of a few files in a clone of one corpus repository
# Prints, per benchmark, each tool's median wall time and peak memory, and sprawl's ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:-$here/../corpus}" 2>/dev/null && pwd) || { echo "bench: no corpus; run ../shared/tools/corpus.sh DIR" >&2; exit 2; }
runs=${RUNS:-5}
peers=${PEERS:-kingfisher gitleaks}
benches=${BENCH:-trees history staged}
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
  case "$name" in kingfisher*) [[ " $peers " == *" kingfisher "* ]] || return 0;; gitleaks*) [[ " $peers " == *" gitleaks "* ]] || return 0;; esac
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
names = [n for n in names if __import__("os").path.exists(f"{work}/{n}")]
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
  run kingfisher-warmup "$KINGFISHER" scan "$trees" --no-validate --git-history none --no-dedup -f json -o "$work/kf.json"
  run gitleaks-warmup "$GITLEAKS" dir "$trees" --report-format json --report-path "$work/gl.json" --no-banner --log-level error
  for _ in $(seq "$runs"); do
    run sprawl "$sprawl" scan "$trees" --format json -o "$work/sprawl.json"
    run kingfisher "$KINGFISHER" scan "$trees" --no-validate --git-history none --no-dedup -f json -o "$work/kf.json"
    run gitleaks "$GITLEAKS" dir "$trees" --report-format json --report-path "$work/gl.json" --no-banner --log-level error
  done
  report "directory scan: $trees" sprawl kingfisher gitleaks
fi

if [[ " $benches " == *" history "* ]]; then
  history="$corpus/history.git"
  echo "history scan of $history ($(git -C "$history" rev-list --all | wc -l) commits), $runs runs each" >&2
  run warmup "$sprawl" scan --git "$history" --format json -o "$work/sprawl-history.json"
  run kingfisher-warmup "$KINGFISHER" scan "$history" --no-validate -f json -o "$work/kf-history.json"
  run gitleaks-warmup "$GITLEAKS" git "$history" --report-format json --report-path "$work/gl-history.json" --no-banner --log-level error
  for _ in $(seq "$runs"); do
    run sprawl-history "$sprawl" scan --git "$history" --format json -o "$work/sprawl-history.json"
    run kingfisher-history "$KINGFISHER" scan "$history" --no-validate -f json -o "$work/kf-history.json"
    run gitleaks-history "$GITLEAKS" git "$history" --report-format json --report-path "$work/gl-history.json" --no-banner --log-level error
  done
  report "full-history scan: $history" sprawl-history kingfisher-history gitleaks-history
  # Every secret Kingfisher reports in that history should be in sprawl's report too: matched by
  # path and line (within 3 lines: the tools point at different characters of multi-line keys).
  python3 - "$work/kf-history.json" "$work/sprawl-history.json" <<'PY'
import json, sys
kf = json.load(open(sys.argv[1])).get("findings", [])
sp = json.load(open(sys.argv[2]))["findings"]
places = {}
for f in sp:
    places.setdefault(f["path"], []).append(f["line"])
missing = [f for f in kf if not any(abs(l - f["finding"]["line"]) <= 3 for l in places.get(f["finding"]["path"], []))]
print(f"\nKingfisher reports {len(kf)} findings in the history; sprawl reports {len(sp)}; "
      f"{len(kf) - len(missing)} of Kingfisher's are in sprawl's report, {len(missing)} are not:")
for f in missing:
    print(f"  {f['rule']['id']:36} {f['finding']['path']}:{f['finding']['line']}")
PY
fi

if [[ " $benches " == *" staged "* ]]; then
  all_repos=("$corpus"/repos/*/)
  source_repo=${all_repos[$(( ${#all_repos[@]} > 40 ? 39 : ${#all_repos[@]} - 1 ))]}
  source_repo=${source_repo%/}
  clone="$work/staged-repo"
  git clone -q "$source_repo" "$clone"
  # A typical commit: three files changed, one added (no secret: the hook passes).
  for f in $(git -C "$clone" ls-files | grep -E '\.(swift|md|yml)$' | head -3); do echo "// edited for the benchmark" >> "$clone/$f"; done
  printf 'name: bench\nvalue: 42\n' > "$clone/bench-config.yml"
  git -C "$clone" add -A
  echo "staged scan of a commit of $(git -C "$clone" diff --cached --name-only | wc -l) files in $(basename "$source_repo"), $((runs * 4)) runs each" >&2
  run warmup "$sprawl" scan --staged "$clone"
  run kingfisher-warmup "$KINGFISHER" scan "$clone" --staged --no-validate
  run gitleaks-warmup "$GITLEAKS" git "$clone" --pre-commit --staged --no-banner --log-level error
  for _ in $(seq $((runs * 4))); do
    run sprawl-staged "$sprawl" scan --staged "$clone"
    run kingfisher-staged "$KINGFISHER" scan "$clone" --staged --no-validate
    run gitleaks-staged "$GITLEAKS" git "$clone" --pre-commit --staged --no-banner --log-level error
  done
  report "pre-commit (--staged): $(basename "$source_repo")" sprawl-staged kingfisher-staged gitleaks-staged
fi
