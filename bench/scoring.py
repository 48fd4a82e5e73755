"""Benchmark: vectorised engine vs the plain per-candidate reference, every scoring method.

Run: PYTHONPATH=. python bench/scoring.py [--candidates 10000] [--indicators 100] [--runs 7]
     [--large] [--no-reference]
--large scores 100,000 candidates (unless --candidates is given) and skips the reference.
The floor (bench/scoring_floor.py: the same arithmetic in bare numpy) is timed in the same
runs, alternating with the engine; ratio = engine / floor. peak_mb is the most memory
(tracemalloc) one engine call holds, measured in a separate untimed call.
The last line printed is JSON: engine_s (median), floor_s, ratio, peak_mb, reference_s,
speedup, equal.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from bench.scoring_floor import floor_score  # noqa: E402
from emulation.scoring import loads_rules, score, validate_values  # noqa: E402
from tests.scoring.compare import differences  # noqa: E402
from tests.scoring.reference import reference_score  # noqa: E402
from tests.scoring.synthetic import synthetic_rules_text, synthetic_values  # noqa: E402


def council_points(rs, values, count: int, seed: int) -> dict:
    """A few council overrides, so the override path is measured too."""
    rng = np.random.default_rng(seed)
    units = rng.choice(values["unit_code"].to_numpy(), count)
    items = rng.choice(np.array(rs.indicators, dtype=object), count)
    return {
        (unit, item.code): float(np.round(rng.random() * item.max_points, 1))
        for unit, item in zip(units, items, strict=True)
    }


def main(argv: list[str] | None = None) -> dict:
    """Time the engine (median of several runs) and the reference once; check they agree."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--large", action="store_true", help="100,000 candidates, no reference")
    parser.add_argument("--no-reference", action="store_true", help="skip the slow reference")
    args = parser.parse_args(argv)
    if args.large:
        args.no_reference = True
        if "--candidates" not in (argv if argv is not None else sys.argv):
            args.candidates = 100_000

    rs = loads_rules(synthetic_rules_text(args.indicators), source="bench-synthetic.toml")
    values = synthetic_values(rs, args.candidates, seed=2024)
    manual = council_points(rs, values, 200, seed=7)
    methods = Counter(item.method for item in rs.indicators)
    print(f"rules: {len(rs.indicators)} indicators, {len(rs.bonus)} bonus, "
          f"{len(rs.penalties)} penalty; methods: {dict(sorted(methods.items()))}")  # fmt: skip
    print(f"values: {len(values)} candidates x {values.shape[1]} columns")

    # the first call pays for imports and first allocations; it is not timed
    score(rs, values, manual_points=manual, round_code="r1")
    floor_score(rs, values)
    times, floors = [], []
    for _ in range(args.runs):
        # collect the previous run's garbage outside the timed region
        gc.collect()
        start = time.perf_counter()
        result = score(rs, values, manual_points=manual, round_code="r1")
        times.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        floor_score(rs, values)
        floors.append(time.perf_counter() - start)
    engine_s = statistics.median(times)
    floor_s = statistics.median(floors)
    print("engine runs (s): " + ", ".join(f"{t:.3f}" for t in times))
    print("floor runs (s):  " + ", ".join(f"{t:.3f}" for t in floors))
    del result
    gc.collect()
    tracemalloc.start()
    result = score(rs, values, manual_points=manual, round_code="r1")
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"engine {engine_s:.3f} s, floor {floor_s:.3f} s, ratio {engine_s / floor_s:.1f}, "
          f"peak {peak_mb:.0f} MB")  # fmt: skip

    reference_s, problems = None, []
    if not args.no_reference:
        start = time.perf_counter()
        frame = validate_values(values, rs)
        table, details = reference_score(rs, frame, round_code="r1", manual_points=manual)
        reference_s = time.perf_counter() - start
        problems = differences(result, table, details)
        for problem in problems:
            print("DIFF", problem)
        print(f"reference {reference_s:.2f} s, speedup {reference_s / engine_s:.1f}x, "
              f"equal: {not problems}")  # fmt: skip
    awarded = Counter(result.table["award_code"])
    print(f"details rows: {len(result.details)}; disqualified: "
          f"{int(result.table['disqualified'].sum())}; awards: {dict(awarded)}")  # fmt: skip
    figures = {
        "candidates": args.candidates,
        "indicators": args.indicators,
        "engine_s": round(engine_s, 4),
        "floor_s": round(floor_s, 4),
        "ratio": round(engine_s / floor_s, 1),
        "peak_mb": round(peak_mb),
        "reference_s": None if reference_s is None else round(reference_s, 3),
        "speedup": None if reference_s is None else round(reference_s / engine_s, 1),
        "equal": None if reference_s is None else not problems,
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
