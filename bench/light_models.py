"""The nine ONNX ``light`` models with random weights: dlc next to onnxruntime.

    python bench/light_models.py [--only squeezenet,resnet50] [--runs 5]
                                 [--threads 1] [--memory-limit-gb 16]
                                 [--timeout 1800] [--output table.md] [--json out.json]

For each model (tests/onnx/test_light_models.py builds it: seeded random weights,
the logits exposed as a second output when the model ends in a Softmax), in a
process of its own, so that one model's memory or crash does not touch the next:
import it with dlc (seconds), compile it (seconds, with xDSL's and LLVM's shares
and the three slowest xDSL stages: parsing, a pass, or writing the LLVM IR text),
run it ``--runs`` times after one warm-up run and take the median latency, run the
same model with onnxruntime (intra- and inter-op threads 1 by default, all graph
optimizations) the same way, and compare every output: the normwise relative
error ||dlc - ort||_2 / ||ort||_2 (the test's criterion, at most 1e-3) and the
largest elementwise error relative to the largest magnitude,
max|dlc - ort| / max|ort|. Also printed: the peak memory of the
process. ``--memory-limit-gb`` caps each model's address space, so that a model
that needs more fails with a MemoryError instead of waking the OOM killer on a
shared machine; ``--timeout`` kills a model that takes longer. Writes a markdown
table to stdout (and ``--output``) and every figure to ``--json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULT_PREFIX = "LIGHT-RESULT "
"""Marks the child's line of JSON among anything else it prints."""


def median_seconds(call: Callable[[], Any], runs: int) -> float:
    """The median of ``runs`` timed calls, after one untimed warm-up call."""
    call()
    samples: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(figures: dict[str, Any], runs: int, threads: int) -> None:
    """Every figure for the model ``figures["model"]``, into ``figures`` (its
    ``stage`` says how far it got); runs in the child process."""
    import numpy as np
    import onnxruntime

    import dlc
    from dlc.frontends.onnx import import_model
    from tests.onnx.test_light_models import (
        data_input,
        light_test_model,
        normwise_error,
        random_input,
    )

    figures["stage"] = "randomize"
    model = light_test_model(figures["model"])
    figures["params"] = sum(int(np.prod(init.dims)) for init in model.graph.initializer)
    image = random_input(model)
    feeds = {data_input(model).name: image}
    figures["stage"] = "onnxruntime"
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    expected = session.run(None, feeds)
    figures["ort_ms"] = 1e3 * median_seconds(lambda: session.run(None, feeds), runs)

    figures["stage"] = "import"
    start = time.perf_counter()
    module = import_model(model)
    figures["import_s"] = time.perf_counter() - start
    del model
    figures["stage"] = "compile"
    start = time.perf_counter()
    compiled = dlc.compile(module, threads=threads)
    figures["compile_s"] = time.perf_counter() - start
    figures["xdsl_s"] = compiled.times.xdsl
    figures["llvm_s"] = compiled.times.llvm
    stages = {
        "parse": compiled.times.parse,
        **compiled.times.passes,
        "LLVM IR text": compiled.times.translate,
    }
    slowest = sorted(stages.items(), key=lambda item: -item[1])[:3]
    figures["slowest_stages"] = {k: round(v, 2) for k, v in slowest}
    del module

    figures["stage"] = "run"
    results = compiled(image)
    got = list(results) if isinstance(results, tuple) else [results]
    figures["dlc_ms"] = 1e3 * median_seconds(lambda: compiled(image), runs)
    figures["outputs"] = [
        {
            "name": output.name,
            "shape": list(want.shape),
            "normwise_error": normwise_error(have, want),
            "max_error": float(
                np.abs(have.astype(np.float64) - want).max() / np.abs(want).max()
            ),
            "shape_and_dtype_match": have.shape == want.shape
            and have.dtype == want.dtype,
        }
        for output, have, want in zip(session.get_outputs(), got, expected, strict=True)
    ]
    figures["stage"] = "done"


def child(name: str, runs: int, threads: int) -> None:
    figures: dict[str, Any] = {"model": name}
    try:
        measure(figures, runs, threads)
    except BaseException as error:  # reported to the parent, whatever it is
        figures["error"] = f"{type(error).__name__}: {error}"[:2000]
    figures["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(RESULT_PREFIX + json.dumps(figures), flush=True)


def run_child(
    name: str, runs: int, threads: int, memory_gb: float | None, timeout: float
) -> dict[str, Any]:
    """Measure one model in a fresh process; a crash or timeout is a result."""

    def limit_memory() -> None:
        if memory_gb is not None:
            limit = int(memory_gb * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    command = [
        sys.executable,
        __file__,
        "--child",
        name,
        "--runs",
        str(runs),
        "--threads",
        str(threads),
    ]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=limit_memory,
        )
    except subprocess.TimeoutExpired:
        return {"model": name, "error": f"timed out after {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            figures = json.loads(line[len(RESULT_PREFIX) :])
            figures["wall_s"] = time.perf_counter() - start
            return figures
    tail = " ".join(done.stderr.split()[-60:])
    return {"model": name, "error": f"exit status {done.returncode}: {tail}"}


def cell(figures: dict[str, Any], key: str, digits: int) -> str:
    value = figures.get(key)
    return "-" if value is None else f"{value:.{digits}f}"


def table(results: Sequence[dict[str, Any]], threads: int) -> str:
    lines = [
        f"| model | params (M) | import (s) | compile (s) | xDSL / LLVM / other (s) | "
        f"dlc ({threads} thr, ms) | onnxruntime ({threads} thr, ms) | dlc / ort | "
        "normwise error | max error | peak RSS (GB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    notes: list[str] = []
    for figures in results:
        outputs = figures.get("outputs", [])
        normwise = max((o["normwise_error"] for o in outputs), default=None)
        max_error = max((o["max_error"] for o in outputs), default=None)
        ratio = None
        if "dlc_ms" in figures and "ort_ms" in figures:
            ratio = figures["dlc_ms"] / figures["ort_ms"]
        params = figures.get("params")
        split = "-"
        if "xdsl_s" in figures:
            other = figures["compile_s"] - figures["xdsl_s"] - figures["llvm_s"]
            split = f"{figures['xdsl_s']:.1f} / {figures['llvm_s']:.1f} / {other:.1f}"
        lines.append(
            f"| {figures['model']} | "
            f"{'-' if params is None else f'{params / 1e6:.1f}'} | "
            f"{cell(figures, 'import_s', 1)} | {cell(figures, 'compile_s', 1)} | "
            f"{split} | {cell(figures, 'dlc_ms', 1)} | {cell(figures, 'ort_ms', 1)} | "
            f"{'-' if ratio is None else f'{ratio:.2f}'} | "
            f"{'-' if normwise is None else f'{normwise:.1e}'} | "
            f"{'-' if max_error is None else f'{max_error:.1e}'} | "
            f"{cell(figures, 'peak_rss_gb', 1)} |"
        )
        if "error" in figures:
            stage = figures.get("stage", "?")
            notes.append(f"- {figures['model']} failed at {stage}: {figures['error']}")
        elif "slowest_stages" in figures:
            stages = ", ".join(
                f"{k} {v:.1f} s" for k, v in figures["slowest_stages"].items()
            )
            notes.append(f"- {figures['model']}: slowest xDSL stages {stages}")
    text = "\n".join(lines) + "\n"
    text += (
        "\nCompile time splits into xDSL (parsing, passes, LLVM IR text), LLVM "
        "(optimizing, code generation) and other (what dlc.compile does outside "
        "those timers, such as verifying the final module). Errors are over all "
        "outputs (the model's output and, after a Softmax, its logits): normwise "
        "||dlc - ort||_2 / ||ort||_2, max max|dlc - ort| / max|ort|.\n"
    )
    return text + ("\n" + "\n".join(notes) + "\n" if notes else "")


def main(argv: Sequence[str] | None = None) -> int:
    from tests.onnx.test_light_models import MODELS, TOLERANCE

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated model names")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--memory-limit-gb", type=float)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.runs, args.threads)
        return 0
    names = args.only.split(",") if args.only else list(MODELS)
    unknown = sorted(set(names) - set(MODELS))
    if unknown:
        parser.error(f"unknown models {unknown} (known: {', '.join(MODELS)})")
    results: list[dict[str, Any]] = []
    for name in names:
        figures = run_child(
            name, args.runs, args.threads, args.memory_limit_gb, args.timeout
        )
        results.append(figures)
        print(f"{name}: {json.dumps(figures)}", file=sys.stderr, flush=True)
    text = table(results, args.threads)
    sys.stdout.write(text)
    if args.output is not None:
        args.output.write_text(text)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    bad = [
        r
        for r in results
        if "error" in r
        or any(o["normwise_error"] > TOLERANCE for o in r.get("outputs", []))
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
