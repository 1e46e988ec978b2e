"""dlc-run: compile an nn function for the host CPU, run it, and report.

    dlc-run examples/mlp.mlir --random --check --bench 20 --threads 2 --stats

prints the compile time by stage, a summary of each output, with ``--check`` the
error against the reference interpreter, with ``--bench N`` the median latency, and
with ``--stats`` the memory of the temporaries: the arena a call allocates (the
peak), the bytes of all temporaries, and the most that are live at once.
Bad input gives ``file:line:col: error:`` and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from xdsl.utils.exceptions import InterpretationError

from dlc.diagnostics import DiagnosticError
from dlc.targets.cuda.driver import CudaError, CudaUnavailableError

NumpyArray = np.ndarray[Any, Any]

RELATIVE_TOLERANCE = {"float16": 2e-2, "float32": 1e-4, "float64": 1e-9}
"""--check passes when max|out - ref| <= RELATIVE_TOLERANCE * max|ref| per output.

NaN where the reference has NaN, and the reference's infinities, count as equal;
outputs of other dtypes must be equal."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlc-run", description=__doc__.split("\n")[0])
    parser.add_argument("input_file", help="an .mlir file in the nn dialect")
    parser.add_argument("--entry", help="the function to run (default: the only one)")
    parser.add_argument(
        "--target",
        choices=("cpu", "cuda"),
        default="cpu",
        help="where to run: this CPU, or an NVIDIA GPU (needs its driver)",
    )
    parser.add_argument(
        "--gpu-arch", metavar="sm_XY", help="with --target cuda (default: the GPU's)"
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--inputs", nargs="+", metavar="X.npy", help="one .npy per argument"
    )
    source.add_argument(
        "--random", action="store_true", help="draw inputs from N(0, 0.1^2) (default)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for --random")
    parser.add_argument(
        "--check", action="store_true", help="compare with the reference interpreter"
    )
    parser.add_argument(
        "--bench", type=int, metavar="N", help="time N runs, print the median"
    )
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="threads for parallel loops (default: $DLC_NUM_THREADS, else all CPUs)",
    )
    parser.add_argument(
        "--stats", action="store_true", help="print the memory of the temporaries"
    )
    parser.add_argument("--opt-level", type=int, default=3, choices=(0, 1, 2, 3))
    parser.add_argument(
        "--bounds-check",
        action="store_true",
        help="check every buffer index at run time; abort on an out-of-bounds access",
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        sys.exit(run(args))
    except DiagnosticError as error:
        if args.debug:
            raise
        print(error.format(), file=sys.stderr)
        sys.exit(1)
    except (
        OSError,
        ValueError,
        TypeError,
        InterpretationError,
        CudaError,
        CudaUnavailableError,
    ) as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)


def run(args: argparse.Namespace) -> int:
    import dlc
    from dlc.compiler import compile as compile_nn

    with open(args.input_file, encoding="utf-8") as f:
        text = f.read()
    compiled = compile_nn(
        text,
        args.target,
        entry=args.entry,
        filename=args.input_file,
        opt_level=args.opt_level,
        bounds_check=args.bounds_check,
        threads=args.threads,
        gpu_arch=args.gpu_arch,
    )
    times = compiled.times
    passes = ", ".join(f"{name} {sec * 1e3:.0f}" for name, sec in times.passes.items())
    print(
        f"compiled @{compiled.name} in {times.total:.2f} s: xDSL {times.xdsl:.2f} s "
        f"(parse {times.parse * 1e3:.0f} ms; passes ms: {passes}; "
        f"to LLVM IR {times.translate * 1e3:.0f} ms), LLVM {times.llvm:.2f} s; "
        f"{where(compiled)}"
    )
    if args.stats:
        print(describe_memory(getattr(compiled, "stats", None)))
    inputs = load_inputs(args, compiled.inputs)
    outputs = as_tuple(compiled(*inputs))
    for index, output in enumerate(outputs):
        print(f"output {index}: {summarize(output)}")
    status = 0
    if args.check:
        module = dlc.parse(text, args.input_file)
        expected = as_tuple(dlc.interpret(module, compiled.name, *inputs))
        for index, (got, want) in enumerate(zip(outputs, expected, strict=True)):
            abs_error, scale = compare(got, want)
            tolerance = RELATIVE_TOLERANCE.get(str(want.dtype), 0.0)
            ok = abs_error <= tolerance * scale
            status = status or (0 if ok else 1)
            print(
                f"check output {index}: max abs error {abs_error:.3g}, "
                f"relative {abs_error / scale:.3g} "
                f"({'ok' if ok else 'FAILED'}, tolerance {tolerance:g})"
            )
    if args.bench:
        seconds = bench(compiled, inputs, args.bench)
        median = statistics.median(seconds) * 1e3
        print(
            f"latency over {args.bench} runs: median {median:.3f} ms, "
            f"min {min(seconds) * 1e3:.3f} ms"
        )
    return status


def where(compiled: Any) -> str:
    """What the code runs on: CPU threads, or the GPU and the PTX target."""
    from dlc.compiler import CompiledFunction

    if isinstance(compiled, CompiledFunction):
        return f"{compiled.threads} thread{'s' if compiled.threads > 1 else ''}"
    return f"{compiled.device_name}, {compiled.gpu_arch}"


def describe_memory(stats: Any) -> str:
    """The ``--stats`` line: arena (peak), all temporaries, most live at once."""
    if stats is None:
        return "temporaries: not planned"
    return (
        f"temporaries: peak {stats.arena_bytes} bytes (one arena), "
        f"{stats.temporary_bytes} bytes in {stats.buffers} buffers, "
        f"at most {stats.live_bytes} bytes live at once; "
        f"{stats.in_place} computed in place"
    )


def load_inputs(
    args: argparse.Namespace, signatures: Sequence[Any]
) -> list[NumpyArray]:
    if args.inputs:
        if len(args.inputs) != len(signatures):
            raise ValueError(
                f"--inputs got {len(args.inputs)} files, "
                f"the function takes {len(signatures)}"
            )
        return [np.load(path) for path in args.inputs]
    rng = np.random.default_rng(args.seed)
    return [
        np.asarray(0.1 * rng.standard_normal(sig.shape), dtype=sig.dtype)
        for sig in signatures
    ]


def compare(got: NumpyArray, want: NumpyArray) -> tuple[float, float]:
    """The largest absolute error (NaN if a NaN is misplaced) and the scale.

    The scale is the largest finite reference magnitude (1 if there is none).
    """
    got64, want64 = got.astype(np.float64), want.astype(np.float64)
    same = (got64 == want64) | (np.isnan(got64) & np.isnan(want64))
    with np.errstate(invalid="ignore"):
        errors = np.where(same, 0.0, np.abs(got64 - want64))
    finite = np.abs(want64[np.isfinite(want64)])
    return float(np.max(errors, initial=0.0)), float(np.max(finite, initial=0.0)) or 1.0


def bench(compiled: Any, inputs: Sequence[NumpyArray], runs: int) -> list[float]:
    compiled(*inputs)  # warm up
    seconds: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        compiled(*inputs)
        seconds.append(time.perf_counter() - start)
    return seconds


def summarize(array: NumpyArray) -> str:
    head = np.array2string(array.reshape(-1)[:4], precision=4, separator=", ")
    finite = array[np.isfinite(array)]
    stats = (
        f"min {finite.min():.4g}, max {finite.max():.4g}, mean {finite.mean():.4g}"
        if finite.size
        else "no finite values"
    )
    return f"{array.dtype}{list(array.shape)} {stats}; first {head}"


def as_tuple(value: Any) -> tuple[NumpyArray, ...]:
    return value if isinstance(value, tuple) else (value,)


if __name__ == "__main__":
    main()
