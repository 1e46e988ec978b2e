"""Compile time and single-thread latency of the example models, next to numpy.

    python bench/examples.py [--runs 20] [--only mlp,conv]

For each model of examples/: the compile time from text to callable, split into
xDSL (parse, passes, translation to LLVM IR) and LLVM (optimization, code
generation); then the median latency of the compiled function and of numpy doing the
same math (tests/example_models.py) on the same float32 inputs, with runs
interleaved so that machine noise hits both alike. Every dlc result is checked
against numpy first, so no number comes from a wrong answer.

numpy runs with one BLAS thread (set here, before numpy loads); its gelu uses
``np.vectorize(math.erf)``, a Python loop, which dominates its transformer time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dlc  # noqa: E402
from tests.example_models import EXAMPLE_MODELS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", help="comma-separated example names")
    args = parser.parse_args()
    chosen = set(args.only.split(",")) if args.only else None
    header = (
        f"{'model':<18} {'compile s':>9} {'xDSL s':>7} {'LLVM s':>7} "
        f"{'dlc ms':>9} {'numpy ms':>9} {'dlc/numpy':>9}"
    )
    print(header)
    print("-" * len(header))
    for example in EXAMPLE_MODELS:
        if chosen is not None and example.name not in chosen:
            continue
        compiled = dlc.compile(example.text, filename=f"examples/{example.name}.mlir")
        inputs = [
            a.astype(np.float32) for a in example.inputs(np.random.default_rng(0))
        ]
        expected = example.reference(*inputs)
        got = compiled(*inputs)
        error = np.max(np.abs(got - expected)) / max(np.max(np.abs(expected)), 1e-6)
        if not error <= 1e-4:
            raise SystemExit(f"{example.name}: relative error {error:.3g} > 1e-4")
        dlc_times, numpy_times = [], []
        for _ in range(args.runs):
            dlc_times.append(timed(compiled, inputs))
            numpy_times.append(timed(example.reference, inputs))
        t = compiled.times
        dlc_ms = statistics.median(dlc_times) * 1e3
        numpy_ms = statistics.median(numpy_times) * 1e3
        print(
            f"{example.name:<18} {t.total:>9.2f} {t.xdsl:>7.2f} {t.llvm:>7.2f} "
            f"{dlc_ms:>9.2f} {numpy_ms:>9.2f} {dlc_ms / numpy_ms:>9.2f}"
        )


def timed(function: object, inputs: list[np.ndarray]) -> float:
    start = time.perf_counter()
    function(*inputs)  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
