"""The long differential run: random nn programs in dlc and in onnxruntime.

    python bench/fuzz_differential.py --count 5000 [--seed 1] [--minutes 60]
        [--max-ops 8] [--out DIR]

Each program (tests/strategies.py) is compiled by dlc and exported to ONNX for
onnxruntime (tests/test_differential_onnx.py: ``compare`` and its tolerances).
Unlike the test, the run does not stop at the first mismatch: it counts the
programs that agreed, mismatched, or that onnxruntime could not load, which ops
the mismatching programs hold, and writes each mismatch to DIR as
``<n>.mlir`` with the inputs' seed and what differed. Minimize one with the test:
``pytest tests/test_differential_onnx.py`` shrinks what it finds, or write a
regression test in tests/regressions/ from the file. ``--minutes`` or SIGTERM
ends the run early, with its counts so far. Exits 1 on any mismatch or error.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.strategies import Program, programs  # noqa: E402
from tests.test_differential_onnx import EXPORTABLE, Outcome, compare  # noqa: E402


class StopRun(Exception):
    """Raised out of the test function to end the run: time is up or SIGTERM."""


class Run:
    """Counts of one run, and where its mismatches went."""

    def __init__(self, out: Path, deadline: float):
        self.out = out
        self.deadline = deadline
        self.outcomes: Counter[str] = Counter()
        self.mismatch_ops: Counter[str] = Counter()
        self.unsupported: Counter[str] = Counter()
        self.programs_with_op: Counter[str] = Counter()
        self.failures = 0

    def record(self, program: Program, input_seed: int) -> None:
        if time.perf_counter() > self.deadline:
            raise StopRun
        try:
            comparison = compare(program, input_seed)
        except Exception:
            self.outcomes["error"] += 1
            self.write(program, input_seed, traceback.format_exc())
            return
        self.outcomes[comparison.outcome] += 1
        self.programs_with_op.update(set(comparison.ops))
        if comparison.outcome is Outcome.UNSUPPORTED:
            self.unsupported[comparison.detail[:120]] += 1
        if comparison.outcome is Outcome.MISMATCH:
            self.mismatch_ops.update(set(comparison.ops))
            self.write(program, input_seed, comparison.detail)
        done = sum(self.outcomes.values())
        if done % 500 == 0:
            print(f"  {done} programs, {dict(self.outcomes)}", flush=True)

    def write(self, program: Program, input_seed: int, detail: str) -> None:
        self.failures += 1
        self.out.mkdir(parents=True, exist_ok=True)
        stem = self.out / str(self.failures)
        stem.with_suffix(".mlir").write_text(str(program.module) + "\n")
        stem.with_suffix(".txt").write_text(f"input seed {input_seed}\n{detail}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="programs to draw")
    parser.add_argument("--seed", type=int, default=1, help="hypothesis seed")
    parser.add_argument("--minutes", type=float, default=60.0, help="stop after")
    parser.add_argument("--max-ops", type=int, default=8, help="ops per program")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(tempfile.gettempdir()) / "dlc-differential-mismatches",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    run = Run(args.out, start + 60 * args.minutes)

    @seed(args.seed)
    @settings(
        max_examples=args.count,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(programs(max_ops=args.max_ops, specs=EXPORTABLE), st.integers(0, 2**16))
    def draw(program: Program, input_seed: int) -> None:
        run.record(program, input_seed)

    def stop(signum: int, frame: object) -> None:
        run.deadline = 0.0

    signal.signal(signal.SIGTERM, stop)
    try:
        draw()
    except StopRun:
        print("  stopped: out of time or terminated", flush=True)
    total = sum(run.outcomes.values())
    print(
        f"\n{total} programs (seed {args.seed}) in {time.perf_counter() - start:.0f} s"
    )
    for outcome in [*Outcome, "error"]:
        print(f"  {outcome:<24} {run.outcomes[outcome]:>6}")
    print("\nprograms per op (how often each op was tested):")
    for name, count in sorted(run.programs_with_op.items()):
        mismatched = run.mismatch_ops[name]
        print(f"  {name:<24} {count:>6}  mismatched {mismatched}")
    if run.unsupported:
        print("\nonnxruntime could not load:")
        for detail, count in run.unsupported.most_common():
            print(f"  {count:>5}  {detail}")
    if run.failures:
        print(f"\n{run.failures} mismatches and errors written to {args.out}/")
        sys.exit(1)


if __name__ == "__main__":
    main()
