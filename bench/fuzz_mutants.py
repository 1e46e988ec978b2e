"""The long mutation-fuzzing run: many mutants of valid IR through every entry point.

    python bench/fuzz_mutants.py --count 10000 [--seed 1] [--jobs 2] [--out DIR]
    python bench/fuzz_mutants.py --onnx --count 5000 [--onnx-seeds all|exported]

Each mutant goes through dlc-opt (no passes; canonicalize,cse; dlc-cpu),
dlc.compile, the compiled callable on good and bad arguments and dlc-run --check
(tests/fuzz/harness.py). With ``--onnx``, mutants are damaged .onnx files
(tests/fuzz/onnx_mutate.py) through dlc-import-onnx and import_model, and what
imports goes on through dlc.compile, the callable and dlc-run --check.

Prints how many mutants succeeded everywhere, were rejected with a clean
diagnostic, or made something fail (a traceback, an internal compiler error, a
hang, a crashed process), then the failures grouped by kind. Each failing mutant
is written to DIR as ``<index>.mlir`` (``.onnx``) with ``<index>.txt`` saying what
failed; rerun one with ``--only INDEX``. Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz.harness import (  # noqa: E402
    MutantResult,
    Outcome,
    check_mutant,
    run_mutants,
    write_failure,
)
from tests.fuzz.mutate import make_mutant  # noqa: E402
from tests.fuzz.onnx_mutate import (  # noqa: E402
    SEED_SETS,
    OnnxMutant,
    check_onnx_mutant,
    make_onnx_mutant,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10000, help="mutants to run")
    parser.add_argument("--start", type=int, default=0, help="index of the first")
    parser.add_argument("--seed", type=int, default=1, help="base seed of the run")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per mutant"
    )
    parser.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "dlc-fuzz-failures"
    )
    parser.add_argument(
        "--only", type=int, help="run mutant INDEX in this process and print it"
    )
    parser.add_argument("--onnx", action="store_true", help="mutate .onnx files")
    parser.add_argument("--onnx-seeds", choices=sorted(SEED_SETS), default="all")
    args = parser.parse_args()
    make, check = make_mutant, check_mutant
    if args.onnx:
        SEED_SETS[args.onnx_seeds]()  # once, before the workers fork
        make = functools.partial(make_onnx_mutant, seeds=args.onnx_seeds)
        check = check_onnx_mutant
    if args.only is not None:
        show(check(make(args.only, args.seed)))
        return

    start = time.perf_counter()
    outcomes: Counter[Outcome] = Counter()
    checks: Counter[tuple[str, Outcome]] = Counter()
    kinds: Counter[tuple[str, str]] = Counter()
    first_of_kind: dict[tuple[str, str], int] = {}
    native = 0
    indices = range(args.start, args.start + args.count)
    results = run_mutants(
        indices, args.seed, args.jobs, args.timeout, make=make, check=check
    )
    for done, result in enumerate(results, start=1):
        outcomes[result.outcome] += 1
        native += any(c.name == "call" for c in result.checks)
        for check in result.checks:
            name = check.name
            if name.startswith("call with "):
                name = "call with bad arguments"
            checks[(name, check.outcome)] += 1
        for failure in result.failures:
            kind = (failure.name, failure.signature)
            kinds[kind] += 1
            first_of_kind.setdefault(kind, result.mutant.index)
        if result.failures:
            write_failure(args.out, result)
        if done % 1000 == 0:
            seconds = time.perf_counter() - start
            print(f"  {done} mutants, {seconds:.0f} s", flush=True)

    total = sum(outcomes.values())
    seconds = time.perf_counter() - start
    print(f"\n{total} mutants (seed {args.seed}) in {seconds:.0f} s")
    for outcome in Outcome:
        print(f"  {outcome:<18} {outcomes[outcome]:>6}")
    print(f"  compiled and run natively: {native}")
    print("\nby entry point:")
    for name in dict.fromkeys(name for name, _ in checks):
        counts = ", ".join(
            f"{outcome} {checks[(name, outcome)]}"
            for outcome in Outcome
            if checks[(name, outcome)]
        )
        print(f"  {name:<26} {counts}")
    if kinds:
        print(f"\nfailures by kind (mutants written to {args.out}/):")
        for (name, signature), count in kinds.most_common():
            example = first_of_kind[(name, signature)]
            print(f"  {count:>5}  {name}: {signature} (e.g. mutant {example})")
        sys.exit(1)


def show(result: MutantResult) -> None:
    mutant = result.mutant
    print(f"mutant {mutant.index} of {mutant.seed} ({', '.join(mutant.mutations)}):")
    if isinstance(mutant, OnnxMutant):
        print(f"{len(mutant.data)} bytes, --input-shape {mutant.input_shapes}")
    print(mutant.text)
    for check in result.checks:
        print(f"--- {check.name}: {check.outcome}")
        if check.detail:
            print(check.detail)


if __name__ == "__main__":
    main()
