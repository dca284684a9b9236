#!/usr/bin/env python3
"""Noise budget: sprawl findings outside planted files, split by whether Kingfisher flags the file.

Usage: noise.py --truth P/truth.json --sprawl sprawl.json --kingfisher kingfisher.json --root P/repos

A finding in a file where nothing was planted is either a real (test) secret of the base repository
or noise. Files Kingfisher also flags are taken as real; the rest are listed: that is the budget
issue 2 caps at 5.
"""
import argparse, json, os, collections

ap = argparse.ArgumentParser()
ap.add_argument("--truth", required=True)
ap.add_argument("--sprawl", required=True)
ap.add_argument("--kingfisher", required=True)
ap.add_argument("--root", required=True, help="the directory both scanners were given")
ap.add_argument("--kingfisher-cwd", default=".", help="the directory Kingfisher ran in (its paths are relative to it)")
a = ap.parse_args()

truth = json.load(open(a.truth))
planted = {l["path"] for c in truth["credentials"] for l in c["locations"]}
report = json.load(open(a.sprawl))
kf = json.load(open(a.kingfisher))
root = os.path.abspath(a.root)
kf_files = set()
for f in kf.get("findings", []):
    p = os.path.abspath(os.path.join(a.kingfisher_cwd, f["finding"]["path"]))
    kf_files.add(os.path.relpath(p, root))
outside = [f for f in report["findings"] if f["path"] not in planted]
noise = [f for f in outside if f["path"] not in kf_files]
print(f"outside planted files: {len(outside)} findings; in files Kingfisher also flags: {len(outside) - len(noise)}")
print(f"noise (files Kingfisher does not flag): {len(noise)} findings in {len({f['path'] for f in noise})} files")
for f in noise:
    print(f"  {f['rule']:28} {f['path']}:{f['line']}  {f['redacted']}")
print("by rule:", dict(collections.Counter(f["rule"] for f in noise)))
