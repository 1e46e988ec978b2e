"""The thread runtime's cost per parallel region, and speed-ups at 2 threads.

    python bench/parallel.py [--runs 21] [--size 1024]

Prints:

* the cost of an empty parallel region of 2 tasks, back to back (the workers
  still spinning) and after 3 ms idle (the workers asleep; this one includes a
  ctypes call of about 1 us);
* the median and best latency of a matmul and of an elementwise nest compiled
  with 1 and with 2 threads (``parallel`` schedules), runs interleaved;
* a control: two processes burning CPU against one, which tells how many cores
  the machine really gives (a shared 2-core VM may give one).

Every compiled result is checked against numpy before it is timed.
"""

from __future__ import annotations

import argparse
import ctypes
import multiprocessing
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dlc  # noqa: E402
from dlc.targets.cpu import JitModule  # noqa: E402

EMPTY_REGIONS = """
declare void @dlc_parallel_for(ptr, ptr, i64, i64)
define void @nothing(ptr %ctx, i64 %begin, i64 %end) {
  ret void
}
define void @regions(i64 %count, i64 %threads) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  call void @dlc_parallel_for(ptr @nothing, ptr null, i64 2, i64 %threads)
  %next = add i64 %i, 1
  %more = icmp ult i64 %next, %count
  br i1 %more, label %loop, label %exit
exit:
  ret void
}
"""


def matmul(n: int) -> str:
    """Rows in tiles of 32, run in parallel; k blocked by 4, so that the inner
    loop runs along rows of b and the output (LLVM vectorizes it)."""
    t = f"tensor<{n}x{n}xf32>"
    return f"""
func.func @matmul(%a: {t}, %b: {t}) -> {t} {{
  %c = tensor.compute (%i, %j) reduce add (%k) in [{n}] init 0.0
      schedule<tile = [32, 0, 4], parallel = [0]> : {t} {{
    %x = tensor.read %a[%i, %k] : {t}
    %y = tensor.read %b[%k, %j] : {t}
    %p = arith.mulf %x, %y : f32
    tensor.yield %p : f32
  }}
  func.return %c : {t}
}}"""


def elementwise(n: int) -> str:
    t = f"tensor<{n}x{n}xf32>"
    return f"""
func.func @tanh_exp(%a: {t}) -> {t} {{
  %c = tensor.compute (%i, %j) schedule<parallel = [0]> : {t} {{
    %x = tensor.read %a[%i, %j] : {t}
    %e = math.exp %x : f32
    %t = math.tanh %e : f32
    tensor.yield %t : f32
  }}
  func.return %c : {t}
}}"""


def region_costs(runs: int) -> None:
    jit = JitModule(EMPTY_REGIONS)
    regions = ctypes.CFUNCTYPE(None, ctypes.c_int64, ctypes.c_int64)(
        jit.function_address("regions")
    )
    for threads in (1, 2):
        back_to_back = []
        for _ in range(runs):
            start = time.perf_counter()
            regions(10_000, threads)
            back_to_back.append((time.perf_counter() - start) / 10_000)
        after_idle = []
        for _ in range(runs):
            time.sleep(0.003)
            start = time.perf_counter()
            regions(1, threads)
            after_idle.append(time.perf_counter() - start)
        print(
            f"empty region, {threads} thread(s): back to back "
            f"{statistics.median(back_to_back) * 1e6:.2f} us "
            f"(best {min(back_to_back) * 1e6:.2f}); after 3 ms idle "
            f"{statistics.median(after_idle) * 1e6:.2f} us "
            f"(best {min(after_idle) * 1e6:.2f})"
        )


def speed_up(name: str, text: str, inputs: list[Any], expected: Any, runs: int) -> None:
    compiled = {t: dlc.compile(text, threads=t) for t in (1, 2)}
    for function in compiled.values():
        np.testing.assert_allclose(function(*inputs), expected, rtol=1e-3, atol=1e-2)
    seconds: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(runs):
        for threads, function in compiled.items():
            start = time.perf_counter()
            function(*inputs)
            seconds[threads].append(time.perf_counter() - start)
    one, two = (statistics.median(seconds[t]) for t in (1, 2))
    best_one, best_two = min(seconds[1]), min(seconds[2])
    print(
        f"{name}: 1 thread {one * 1e3:.2f} ms, 2 threads {two * 1e3:.2f} ms, "
        f"speed-up {one / two:.2f}x (best {best_one * 1e3:.2f} / "
        f"{best_two * 1e3:.2f} ms = {best_one / best_two:.2f}x)"
    )


def burn(iterations: int) -> int:
    total = 0
    for i in range(iterations):
        total += i
    return total


def effective_cores() -> float:
    """How many of two CPU-bound processes run at once (2.0 on 2 free cores)."""
    iterations = 3_000_000
    start = time.perf_counter()
    burn(iterations)
    one = time.perf_counter() - start
    with multiprocessing.Pool(2) as pool:
        pool.map(burn, [1, 1])
        start = time.perf_counter()
        pool.map(burn, [iterations, iterations])
        two = time.perf_counter() - start
    return 2 * one / two


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args()
    print(f"effective cores (control): {effective_cores():.2f}")
    region_costs(args.runs)
    rng = np.random.default_rng(0)
    n = args.size
    a = rng.standard_normal((n, n)).astype(np.float32)
    b = rng.standard_normal((n, n)).astype(np.float32)
    speed_up(f"matmul {n}", matmul(n), [a, b], a.astype(np.float64) @ b, args.runs)
    speed_up(
        f"tanh(exp(x)) {n}x{n}",
        elementwise(n),
        [a],
        np.tanh(np.exp(a.astype(np.float64))),
        args.runs,
    )
    print(f"effective cores (control): {effective_cores():.2f}")


if __name__ == "__main__":
    main()
