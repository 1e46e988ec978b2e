"""Building the back end in parallel processes changes the time, not the code.

dlc.compile splits the kernels into parts built by forked children
(dlc/targets/cpu/parallel_build.py). The examples must compute the same bits
with one process or two (the parts forced small enough to split), a child's
error must reach the caller as the same error, and a child that dies must give
an error, not a hang.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

import numpy as np
import pytest
from xdsl.dialects.func import FuncOp

import dlc
from dlc.diagnostics import DiagnosticError
from dlc.targets.cpu import jit, parallel_build
from dlc.targets.cpu.parallel_build import build_jobs, partition
from tests.example_models import EXAMPLE_MODELS, Example
from tests.test_loop_outline_kernels import loop_level, outlined

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture
def small_parts(monkeypatch: Any) -> None:
    """Parts of any size get a process of their own."""
    monkeypatch.setattr(parallel_build, "MIN_PART_OPS", 1)


def f32_inputs(example: Example) -> list[np.ndarray[Any, Any]]:
    return [a.astype(np.float32) for a in example.inputs(np.random.default_rng(0))]


@pytest.mark.parametrize("example", EXAMPLE_MODELS, ids=lambda e: e.name)
def test_examples_compute_the_same_bits_built_in_two_processes(
    example: Example, small_parts: None
):
    inputs = f32_inputs(example)
    serial = dlc.compile(example.text, threads=2, jobs=1)
    split = dlc.compile(example.text, threads=2, jobs=2)
    assert serial.llvm_ir.count("; ModuleID") == 1
    assert split.llvm_ir.count("; ModuleID") == 2
    want, got = serial(*inputs), split(*inputs)
    for have, expected in zip(np.atleast_1d(got), np.atleast_1d(want), strict=True):
        np.testing.assert_array_equal(have, expected)


def test_parts_are_balanced_and_the_entry_stays_in_the_first():
    module = outlined(loop_level(dlc.parse(EXAMPLE_MODELS[3].text)))
    sizes = {
        op.sym_name.data: sum(1 for _ in op.walk())
        for op in module.ops
        if isinstance(op, FuncOp) and op.body.blocks
    }
    parts = partition(module, jobs=2, min_part_ops=1)
    assert len(parts) == 2
    assert sorted(name for part in parts for name in part) == sorted(sizes)
    assert "transformer_block" in parts[0]
    loads = [sum(sizes[name] for name in part) for part in parts]
    assert max(loads) - min(loads) <= max(sizes.values())
    assert partition(module, jobs=2, min_part_ops=sum(sizes.values())) == [set(sizes)]
    assert len(partition(module, jobs=1, min_part_ops=1)) == 1


def test_an_error_in_a_child_is_raised_by_compile(small_parts: None, monkeypatch: Any):
    def failing(*_: Any) -> Any:
        raise DiagnosticError("the part could not be built")

    monkeypatch.setattr(jit, "build_part", failing)
    with pytest.raises(DiagnosticError, match="the part could not be built"):
        dlc.compile(EXAMPLE_MODELS[0].text, threads=1, jobs=2)


def test_a_child_that_dies_is_an_error(small_parts: None, monkeypatch: Any):
    def dying(*_: Any) -> Any:
        os._exit(3)

    monkeypatch.setattr(jit, "build_part", dying)
    with pytest.raises(RuntimeError, match="died"):
        dlc.compile(EXAMPLE_MODELS[0].text, threads=1, jobs=2)


def test_jobs_come_from_the_argument_then_the_environment(monkeypatch: Any):
    monkeypatch.setenv("DLC_COMPILE_JOBS", "3")
    assert build_jobs(None) == 3
    assert build_jobs(1) == 1
    monkeypatch.setenv("DLC_COMPILE_JOBS", "zero")
    with pytest.raises(ValueError, match="DLC_COMPILE_JOBS"):
        build_jobs(None)
    monkeypatch.delenv("DLC_COMPILE_JOBS")
    assert build_jobs(None) >= 1


def test_a_thread_inside_llvm_does_not_hang_the_child(
    small_parts: None, monkeypatch: Any
):
    """Forking while another thread holds llvmlite's lock would leave the child
    waiting for ever on its first LLVM call; the fork waits for the lock.

    Another thread takes the lock right before the forks (once the parts are
    known) and keeps it for a second.
    """
    lock = parallel_build._llvm_lock()  # pyright: ignore[reportPrivateUsage]
    go, held = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        go.wait()
        with lock:
            held.set()
            time.sleep(1.0)

    partition = parallel_build.partition

    def partition_then_hold(*args: Any, **kwargs: Any) -> Any:
        parts = partition(*args, **kwargs)
        go.set()
        held.wait()
        return parts

    monkeypatch.setattr(parallel_build, "partition", partition_then_hold)
    holder = threading.Thread(target=hold_the_lock)
    holder.start()

    def give_up(*_: Any) -> None:
        raise TimeoutError("the parallel build hung")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(60)
    try:
        compiled = dlc.compile(EXAMPLE_MODELS[0].text, threads=1, jobs=2)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        go.set()
        holder.join()
    assert compiled.llvm_ir.count("; ModuleID") == 2
