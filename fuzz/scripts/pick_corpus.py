#!/usr/bin/env python3
"""Picks a small corpus that keeps most of a big one's coverage.

Usage: pick_corpus.py CONTROL_FILE OUT_DIR MAX_FILES [MAX_BYTES]

CONTROL_FILE is what a libFuzzer set-cover merge wrote with
`-set_cover_merge=1 -use_counters=0 -merge_control_file=CONTROL_FILE`: its FT
lines then list every edge each file covers. Every `seed-*` and `crash-*` file
is kept; then, greedily, the file covering the most edges not yet covered
(the smaller on a tie), until MAX_FILES or MAX_BYTES (default 100000) is
reached or nothing adds coverage. OUT_DIR "-" only prints the summary.
"""
import os
import shutil
import sys


def main():
    ctl, out, max_files = sys.argv[1], sys.argv[2], int(sys.argv[3])
    max_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000
    lines = open(ctl).read().split("\n")
    count = int(lines[0])
    files = lines[2 : 2 + count]
    edges = {}
    for line in lines[2 + count :]:
        parts = line.split()
        if parts and parts[0] == "FT":
            edges[int(parts[1])] = set(map(int, parts[2:]))
    if not edges:
        sys.exit("no FT lines: was the merge run with -set_cover_merge=1?")
    sizes = {i: os.path.getsize(files[i]) for i in edges}
    universe = set().union(*edges.values())
    chosen, covered, total = [], set(), 0
    for i in edges:
        if os.path.basename(files[i]).startswith(("seed-", "crash-")):
            chosen.append(i)
            covered |= edges[i]
            total += sizes[i]
    kept = len(chosen)
    while len(chosen) < max_files:
        best, score = None, 0
        for i, covers in edges.items():
            if i in chosen or total + sizes[i] > max_bytes:
                continue
            new = len(covers - covered)
            if new and new * 1_000_000 - sizes[i] > score:
                best, score = i, new * 1_000_000 - sizes[i]
        if best is None:
            break
        chosen.append(best)
        covered |= edges[best]
        total += sizes[best]
    if out != "-":
        os.makedirs(out, exist_ok=True)
        for i in chosen:
            shutil.copy(files[i], out)
    print(
        f"{kept} seed/crash files; kept {len(chosen)} files, {total} bytes, "
        f"{len(covered)}/{len(universe)} edges ({100 * len(covered) / len(universe):.1f}%)"
    )


if __name__ == "__main__":
    main()
