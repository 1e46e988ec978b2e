"""The CPU thread runtime and parallel loops compiled onto it.

The runtime's ``dlc_parallel_for`` is called directly through ctypes to pin how
it splits work; compiled programs whose schedules have parallel dims run with 1,
2 and 3 threads on 1, 2, 3 and 17 tasks and must equal numpy. No test measures
time: the speed-ups are in docs/runtime.md.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dlc
import dlc.pipelines
from dlc.context import make_context
from dlc.lowering.loop_to_llvm import LoopToLLVMPass
from dlc.targets.cpu import JitModule, emit_shared_library, llvm_ir_text
from dlc.targets.cpu.runtime import PARALLEL_FOR, load_into_jit
from dlc.transforms.loop_parallelize import LoopParallelizePass

ROOT = Path(__file__).resolve().parent.parent

Chunk = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64)
ParallelFor = ctypes.CFUNCTYPE(
    None, Chunk, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64
)


def parallel_for() -> Any:
    return ParallelFor(load_into_jit()[PARALLEL_FOR])


def chunks_of(n: int, threads: int) -> list[tuple[int, int]]:
    """Run dlc_parallel_for over n tasks; return the chunks it ran, sorted."""
    ran: list[tuple[int, int]] = []
    lock = threading.Lock()

    def chunk(ctx: int | None, begin: int, end: int) -> None:
        with lock:
            ran.append((begin, end))

    parallel_for()(Chunk(chunk), None, n, threads)
    return sorted(ran)


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("n", [1, 2, 3, 17])
def test_parallel_for_runs_each_task_once_in_balanced_contiguous_chunks(
    n: int, threads: int
):
    chunks = chunks_of(n, threads)
    count = min(n, threads)
    sizes = [n // count + (1 if c < n % count else 0) for c in range(count)]
    starts = [sum(sizes[:c]) for c in range(count)]
    assert chunks == [(s, s + size) for s, size in zip(starts, sizes, strict=True)]


def test_parallel_for_with_no_tasks_runs_nothing():
    assert chunks_of(0, 2) == []
    assert chunks_of(-5, 2) == []


def test_a_region_started_inside_a_chunk_runs_inline():
    """The pool is busy with the outer region: the inner one runs on the caller."""
    inner: list[list[tuple[int, int]]] = []

    def chunk(ctx: int | None, begin: int, end: int) -> None:
        inner.append(chunks_of(5, 3))

    parallel_for()(Chunk(chunk), None, 2, 2)
    assert inner == [[(0, 5)], [(0, 5)]]


def run_python(code: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **environment}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_thread_count_zero_means_DLC_NUM_THREADS_at_run_time():
    code = """
        from tests.test_runtime import chunks_of
        print(len(chunks_of(17, 0)))
    """
    assert run_python(code, DLC_NUM_THREADS="3").stdout.strip() == "3"
    assert run_python(code, DLC_NUM_THREADS="1").stdout.strip() == "1"


def test_DLC_NUM_THREADS_is_the_compile_default(monkeypatch: pytest.MonkeyPatch):
    text = "func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
    text += "  %y = nn.relu %x : tensor<2xf32>\n  func.return %y : tensor<2xf32>\n}"
    monkeypatch.setenv("DLC_NUM_THREADS", "3")
    assert dlc.compile(text).threads == 3
    assert dlc.compile(text, threads=2).threads == 2
    monkeypatch.delenv("DLC_NUM_THREADS")
    assert dlc.compile(text).threads == (os.cpu_count() or 1)
    monkeypatch.setenv("DLC_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="DLC_NUM_THREADS must be a positive integer"):
        dlc.compile(text)
    with pytest.raises(ValueError, match="threads must be at least 1, got 0"):
        dlc.compile(text, threads=0)


@pytest.fixture
def eager_parallelize(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Parallelize every parallel loop with two or more tasks, however small."""
    pipeline = tuple(
        replace(p, min_task_work=1) if isinstance(p, LoopParallelizePass) else p
        for p in dlc.pipelines.CPU_PIPELINE
    )
    monkeypatch.setattr(dlc.pipelines, "CPU_PIPELINE", pipeline)
    yield


def scheduled_program(m: int) -> str:
    """A matmul parallel over its row tiles (of 2), a transposing relu parallel
    over its second dim, and a doubling parallel over both of its dims."""
    return f"""
func.func @f(%a: tensor<{m}x7xf32>, %b: tensor<7x5xf32>)
    -> (tensor<5x{m}xf32>, tensor<{m}x7xf32>) {{
  %c = tensor.compute (%i, %j) reduce add (%k) in [7] init 0.0
      schedule<tile = [2, 0, 0], parallel = [0]> : tensor<{m}x5xf32> {{
    %x = tensor.read %a[%i, %k] : tensor<{m}x7xf32>
    %y = tensor.read %b[%k, %j] : tensor<7x5xf32>
    %p = arith.mulf %x, %y : f32
    tensor.yield %p : f32
  }}
  %d = tensor.compute (%j, %i) schedule<parallel = [1]> : tensor<5x{m}xf32> {{
    %x = tensor.read %c[%i, %j] : tensor<{m}x5xf32>
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %x, %z : f32
    tensor.yield %r : f32
  }}
  %e = tensor.compute (%i, %k) schedule<parallel = [0, 1]> : tensor<{m}x7xf32> {{
    %x = tensor.read %a[%i, %k] : tensor<{m}x7xf32>
    %s = arith.addf %x, %x : f32
    tensor.yield %s : f32
  }}
  func.return %d, %e : tensor<5x{m}xf32>, tensor<{m}x7xf32>
}}"""


@pytest.mark.usefixtures("eager_parallelize")
@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("m", [1, 2, 3, 17])
def test_parallel_loops_compute_what_numpy_does(m: int, threads: int):
    compiled = dlc.compile(scheduled_program(m), threads=threads)
    rng = np.random.default_rng(m)
    a = rng.standard_normal((m, 7)).astype(np.float32)
    b = rng.standard_normal((7, 5)).astype(np.float32)
    relu, doubled = compiled(a, b)
    expected = np.maximum(a.astype(np.float64) @ b, 0.0).T
    np.testing.assert_allclose(relu, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(doubled, 2 * a)
    # A loop of one task stays serial (the matmul and the relu of one row); the
    # doubling looks through a single row to its 7 columns.
    regions = compiled.llvm_ir.count(f'call ccc void @"{PARALLEL_FOR}"(')
    assert regions == (0 if threads == 1 else 3 if m > 1 else 1)


NESTED = """
func.func private @row(%x: memref<17x9xf32>, %i: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c9 = arith.constant 9 : index
  loop.parallel (%j) = (%c0) to (%c9) step (%c1) mapping [cpu.thread] {
    %v = memref.load %x[%i, %j] : memref<17x9xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %x[%i, %j] : memref<17x9xf32>
  } {threads = 3 : i64}
  func.return
}
func.func @twice(%x: memref<17x9xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c17 = arith.constant 17 : index
  loop.parallel (%i) = (%c0) to (%c17) step (%c1) mapping [cpu.thread] {
    func.call @row(%x, %i) : (memref<17x9xf32>, index) -> ()
  } {threads = 2 : i64}
  func.call @row(%x, %c0) : (memref<17x9xf32>, index) -> ()
  func.return
}
"""


def test_a_parallel_function_called_from_a_parallel_loop_runs_inline():
    module = dlc.parse(NESTED)
    LoopToLLVMPass().apply(make_context(), module)
    jit = JitModule(llvm_ir_text(module))
    twice = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(jit.function_address("twice"))
    x = np.arange(17 * 9, dtype=np.float32).reshape(17, 9)
    expected = 2 * x
    expected[0] *= 2
    twice(x.ctypes.data)
    np.testing.assert_array_equal(x, expected)


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")
def test_a_shared_library_carries_its_own_runtime(tmp_path: Path):
    module = dlc.parse(NESTED)
    LoopToLLVMPass().apply(make_context(), module)
    library = tmp_path / "libnested.so"
    emit_shared_library(llvm_ir_text(module), library)
    symbols = subprocess.run(
        ["nm", "-D", "--defined-only", str(library)], capture_output=True, text=True
    ).stdout
    assert "twice" in symbols and "dlc_" not in symbols
    twice = ctypes.CDLL(str(library)).twice
    twice.argtypes = [ctypes.c_void_p]
    x = np.ones((17, 9), np.float32)
    twice(x.ctypes.data)
    assert x[0, 0] == 4 and np.all(x[1:] == 2)


HUGE = """
func.func @huge(%x: memref<4xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = memref.alloc() : memref<1152921504606846976xf32>
  loop.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %t[%i] : memref<1152921504606846976xf32>
  }
  loop.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %t[%i] : memref<1152921504606846976xf32>
    memref.store %v, %y[%i] : memref<4xf32>
  }
  memref.dealloc %t : memref<1152921504606846976xf32>
  func.return
}
"""


def test_an_arena_that_cannot_be_allocated_is_reported_not_a_crash():
    """2^62 bytes of temporaries: aligned_alloc fails, the runtime says so.

    At -O0: at -O3 LLVM sees that the four elements used can live in registers
    and removes the allocation altogether.
    """
    code = """
        import ctypes
        import dlc
        from dlc.context import make_context
        from dlc.lowering.loop_to_llvm import LoopToLLVMPass
        from dlc.targets.cpu import JitModule, llvm_ir_text
        from dlc.transforms.loop_memory_plan import LoopMemoryPlanPass
        from tests.test_runtime import HUGE
        module = dlc.parse(HUGE)
        LoopMemoryPlanPass().apply(make_context(), module)
        LoopToLLVMPass().apply(make_context(), module)
        jit = JitModule(llvm_ir_text(module), opt_level=0)
        address = jit.function_address("huge")
        huge = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(address)
        x = (ctypes.c_float * 4)()
        huge(ctypes.addressof(x), ctypes.addressof(x))
        print("not reached")
    """
    run = run_python(code)
    assert run.returncode == -signal.SIGABRT, run.stderr
    assert "not reached" not in run.stdout
    assert (
        "dlc: out of memory: cannot allocate 4611686018427387904 bytes of "
        "temporaries" in run.stderr
    )


COUNTING = """
declare void @dlc_parallel_for(ptr, ptr, i64, i64)
define void @add_one(ptr %counts, i64 %begin, i64 %end) {
entry:
  br label %loop
loop:
  %i = phi i64 [ %begin, %entry ], [ %next, %body ]
  %more = icmp slt i64 %i, %end
  br i1 %more, label %body, label %exit
body:
  %slot = getelementptr inbounds i64, ptr %counts, i64 %i
  %old = load i64, ptr %slot
  %new = add i64 %old, 1
  store i64 %new, ptr %slot
  %next = add i64 %i, 1
  br label %loop
exit:
  ret void
}
define void @count(ptr %counts, i64 %n, i64 %regions, i64 %threads) {
entry:
  br label %loop
loop:
  %r = phi i64 [ 0, %entry ], [ %r1, %loop ]
  call void @dlc_parallel_for(ptr @add_one, ptr %counts, i64 %n, i64 %threads)
  %r1 = add i64 %r, 1
  %more = icmp ult i64 %r1, %regions
  br i1 %more, label %loop, label %exit
exit:
  ret void
}
"""


def test_back_to_back_regions_from_two_threads_run_every_task_once_each():
    """Regions in quick succession (workers still spinning), started by two
    Python threads at once (one of them runs inline): no task is lost or run
    twice, and every chunk's writes are visible when dlc_parallel_for returns."""
    jit = JitModule(COUNTING)
    count = ctypes.CFUNCTYPE(
        None, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64
    )(jit.function_address("count"))
    arrays = [np.zeros(37, np.int64) for _ in range(2)]
    callers = [
        threading.Thread(target=count, args=(array.ctypes.data, 37, 500, 3))
        for array in arrays
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    for array in arrays:
        np.testing.assert_array_equal(array, 500)
