"""Build a JIT module's back end in parallel processes, one part of the kernels each.

Once the loop passes are done, a model is an entry function calling kernel
functions (``loop-outline-kernels``), and the rest of the build (loop-to-llvm,
the LLVM IR text, LLVM's O3 and code generation: resnet50's 8 of 13 seconds)
treats each function on its own. MLIR's pass manager runs such function-local
work on several threads; Python's GIL, and llvmlite's lock around every LLVM
call, rule threads out here, so dlc forks: the functions are split into parts of
about equal size (:func:`partition`), and each part but the first is built into
an object file by a child process (:class:`PartBuild`), while this process
builds the first part. The JIT engine then loads the first part's module and the
children's objects together, and resolves the calls between them.

Each part is the whole module with the other parts' functions reduced to
declarations (:func:`restrict`), so every global and symbol keeps its name. A
kernel that another part calls gets external linkage instead of internal, the
one visible difference in the code: LLVM sees the same functions, each with the
same body, and kernels are ``noinline`` in any case.

A child is a fork of this process: it needs no pickling of the IR, and it starts
in milliseconds. It sends back the object file, or the error it met, which is
raised here as it would have been raised in a serial build. Where ``os.fork``
does not exist, or the module is small (:data:`MIN_PART_OPS`), the build stays
in one process.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, NoReturn

from llvmlite.binding import ffi as llvm_ffi
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr

MIN_PART_OPS = 4000
"""Ops a part must hold for a process of its own to pay off (a fork and a pipe
cost milliseconds; LLVM builds about 10k ops per second)."""


def build_jobs(jobs: int | None) -> int:
    """How many processes build the back end: ``jobs`` if given, else
    ``$DLC_COMPILE_JOBS`` if set, else the CPUs this process may run on; 1
    where the platform cannot fork."""
    if not hasattr(os, "fork"):
        return 1
    if jobs is None:
        setting = os.environ.get("DLC_COMPILE_JOBS")
        if setting is not None:
            try:
                jobs = int(setting)
            except ValueError:
                jobs = 0
            if jobs < 1:
                raise ValueError(
                    f"DLC_COMPILE_JOBS must be a positive integer, not {setting!r}"
                )
        elif hasattr(os, "sched_getaffinity"):
            jobs = len(os.sched_getaffinity(0))
        else:
            jobs = os.cpu_count() or 1
    return max(1, jobs)


def partition(
    module: ModuleOp, jobs: int, min_part_ops: int | None = None
) -> list[set[str]]:
    """The module's defined functions in parts of about equal op count: at
    most ``jobs`` parts, and at most one per ``min_part_ops`` (default
    :data:`MIN_PART_OPS`) ops in all. The first part holds the public functions
    (the entry points callers look up)."""
    if min_part_ops is None:
        min_part_ops = MIN_PART_OPS
    sizes: dict[str, int] = {}
    public: set[str] = set()
    for op in module.ops:
        if isinstance(op, func.FuncOp) and op.body.blocks:
            name = op.sym_name.data
            sizes[name] = sum(1 for _ in op.walk())
            if op.sym_visibility is None or op.sym_visibility.data == "public":
                public.add(name)
    total = sum(sizes.values())
    count = max(1, min(jobs, total // max(1, min_part_ops), len(sizes)))
    parts: list[set[str]] = [set() for _ in range(count)]
    loads = [0] * count
    for name in sorted(public):
        parts[0].add(name)
        loads[0] += sizes[name]
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        if name in public:
            continue
        lightest = min(range(count), key=lambda k: (loads[k], k))
        parts[lightest].add(name)
        loads[lightest] += sizes[name]
    return [part for part in parts if part] or [set()]


def restrict(module: ModuleOp, own: set[str], parts: list[set[str]]) -> None:
    """Make ``module`` the part ``own``: the other parts' functions become
    declarations, and functions called from another part become public."""
    owner = {name: index for index, part in enumerate(parts) for name in part}
    called_across: set[str] = set()
    for function in module.ops:
        if not isinstance(function, func.FuncOp) or not function.body.blocks:
            continue
        caller = owner.get(function.sym_name.data)
        for op in function.walk():
            if isinstance(op, func.CallOp):
                callee = op.callee.root_reference.data
                if callee in owner and owner[callee] != caller:
                    called_across.add(callee)
    for function in list(module.ops):
        if not isinstance(function, func.FuncOp) or not function.body.blocks:
            continue
        name = function.sym_name.data
        if name not in own:
            # Detached, not erased: the body is garbage, and no value of it
            # is used outside it.
            function.body.detach_block(function.body.block)
            function.sym_visibility = StringAttr("private")
        elif name in called_across:
            function.sym_visibility = None


@dataclass
class PartBuild:
    """A child process building one part into an object file."""

    pid: int
    pipe: int
    done: bool = False

    def result(self) -> Any:
        """Wait for what the child built; the child's error is raised here.
        Interrupted (a signal's exception), it stops the child first."""
        chunks: list[bytes] = []
        try:
            while chunk := os.read(self.pipe, 1 << 20):
                chunks.append(chunk)
        except BaseException:
            self.cancel()
            raise
        os.close(self.pipe)
        _, status = os.waitpid(self.pid, 0)
        self.done = True
        if not chunks:
            raise RuntimeError(
                f"the process building a part of the module died (status {status})"
            )
        ok, value = pickle.loads(b"".join(chunks))
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop and reap the child unless its result came (this process failed
        first); nothing otherwise."""
        if self.done:
            return
        self.done = True
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.pipe)
        os.waitpid(self.pid, 0)


def start_part_build(build: Callable[[], Any]) -> PartBuild:
    """Fork a child that runs ``build`` and sends back its (picklable) result,
    or its error.

    The fork happens while this thread holds llvmlite's lock, so that no other
    thread of the process is inside LLVM at that moment: the child would find
    the lock taken by a thread it does not have, and wait for ever.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    with _llvm_lock():
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _child(build, write)
    os.close(write)
    return PartBuild(pid, read)


def _child(build: Callable[[], Any], write: int) -> NoReturn:
    """Run ``build`` in the child, send what it gives or raises, and exit."""
    status = 0
    try:
        try:
            payload = pickle.dumps((True, build()))
        except BaseException as error:  # sent to the parent, raised there
            try:
                payload = pickle.dumps((False, error))
            except Exception:
                payload = pickle.dumps((False, RuntimeError(repr(error))))
        with os.fdopen(write, "wb") as stream:
            stream.write(payload)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _llvm_lock() -> AbstractContextManager[Any]:
    """llvmlite's lock around every LLVM call (private to llvmlite, hence the
    fallback)."""
    lock = getattr(getattr(llvm_ffi, "lib", None), "_lock", None)
    return lock if lock is not None else nullcontext()


def objects(builds: list[PartBuild]) -> Iterator[Any]:
    """What the children built, waiting for each in turn."""
    for build in builds:
        yield build.result()
