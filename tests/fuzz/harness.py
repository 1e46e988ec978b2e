"""Run mutants through dlc's entry points and judge each run: success, a clean
diagnostic, or a failure (anything a user should never see).

For one mutant, :func:`check_mutant` runs

* ``dlc-opt`` in-process three ways: no passes, ``-p canonicalize,cse`` and
  ``--pass-pipeline='builtin.module(dlc-cpu)'``. It must exit 0, or exit 1 with an
  ``error:`` diagnostic (``file:line:col: error:`` where the error has a place) and
  no traceback and no internal compiler error;
* ``dlc.compile(text)``, which must return a callable or raise ``DiagnosticError``;
* the callable, on correctly shaped random arrays (it must run), and on a wrong
  argument count, wrong shapes, wrong dtypes, non-arrays and non-contiguous
  arrays (each must raise ``TypeError`` or ``ValueError`` before any native code
  runs: that rejection is the call's success);
* ``dlc-run --random --check`` on mutants that compiled: it must exit 0 or 1 with
  a diagnostic, and never report that the native code and the reference
  interpreter disagree by more than the tolerance, unless rounding explains it
  (:func:`ill_conditioned`; a NaN or an infinity in one of them only is let pass
  too: rounding near the edge of a domain, as in the sqrt of a value about 0,
  decides it).

:func:`run_mutants` runs mutants in forked worker processes. A worker that dies (a
segfault in native code or in LLVM) or that takes longer than the time limit is
reported as a failure of the mutant it was running, at the stage it had reached
(``make_mutant`` included: the type repair runs dlc's shape inference), and
replaced; the run goes on.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import multiprocessing.connection
import os
import re
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from math import prod
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp, TensorType

import dlc
from dlc.diagnostics import DiagnosticError
from dlc.dialects.tensor import ComputeOp
from tests.fuzz.mutate import Mutant, make_mutant

DIAGNOSTIC_LINE = re.compile(r"^(?:.+:\d+:\d+: )?error: \S")
FAILED_CHECK = re.compile(r"max abs error (\S+),.*\(FAILED")
OPT_RUNS: dict[str, tuple[str, ...]] = {
    "dlc-opt": (),
    "dlc-opt canonicalize,cse": ("-p", "canonicalize,cse"),
    "dlc-opt dlc-cpu": ("--pass-pipeline=builtin.module(dlc-cpu)",),
}
MAX_TENSOR_ELEMENTS = 1 << 22
MAX_LOOP_ITERATIONS = 1 << 27
"""A mutant with a larger tensor, or a tensor.compute running more points, is
compiled but not run: it would take minutes or more memory than the host has
(``tensor<1099511627776xf32>`` and ``reduce ... in [9223372036854775807]`` are
valid IR)."""
MEMORY_LIMIT_BYTES = 4 << 30
"""Each worker's address-space limit: a huge allocation fails instead of the host."""


class Outcome(StrEnum):
    SUCCEEDED = "succeeded"
    DIAGNOSTIC = "clean diagnostic"
    FAILURE = "failure"


@dataclass(frozen=True)
class Check:
    """The verdict of one entry point on one mutant.

    ``signature`` names a failure's class (the exception and where it was raised),
    so that a long run can count distinct bugs rather than mutants.
    """

    name: str
    outcome: Outcome
    detail: str = ""
    signature: str = ""


@dataclass
class MutantResult:
    mutant: Mutant
    checks: list[Check] = field(default_factory=list[Check])

    @property
    def outcome(self) -> Outcome:
        """The worst verdict: a failure anywhere, else a diagnostic anywhere."""
        outcomes = {check.outcome for check in self.checks}
        for outcome in (Outcome.FAILURE, Outcome.DIAGNOSTIC):
            if outcome in outcomes:
                return outcome
        return Outcome.SUCCEEDED

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.outcome is Outcome.FAILURE]


# --- The entry points --------------------------------------------------------------


ExitStatus = int | str | None
"""What ``sys.exit`` was given: 0 or None on success."""


def run_tool(
    main: Callable[[Sequence[str]], None], argv: Sequence[str], stdin: str
) -> tuple[ExitStatus, str, str]:
    """Run a tool's ``main`` in-process; its exit status, stdout and stderr.

    An exception other than ``SystemExit`` propagates: that is a crash.
    """
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    status: ExitStatus = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(list(argv))
    except SystemExit as exit_:
        status = exit_.code
    finally:
        sys.stdin = saved_stdin
    return status, out.getvalue(), err.getvalue()


def judge_exit(name: str, status: ExitStatus, stderr: str) -> Check:
    """Exit 0, or exit 1 with a diagnostic and neither traceback nor internal error."""
    if status in (0, None):
        return Check(name, Outcome.SUCCEEDED)
    first_line = stderr.split("\n", 1)[0]
    clean = (
        status == 1
        and DIAGNOSTIC_LINE.match(first_line) is not None
        and "Traceback" not in stderr
        and "internal compiler error" not in stderr
        and "internal error in" not in stderr
    )
    if clean:
        return Check(name, Outcome.DIAGNOSTIC, first_line)
    signature = re.sub(r"\S*:\d+:\d+: |<.*?>|\d+", "", first_line)[:120]
    return Check(name, Outcome.FAILURE, f"exit status {status}:\n{stderr}", signature)


def crash(name: str, error: BaseException) -> Check:
    text = "".join(traceback.format_exception(error))
    frames = traceback.extract_tb(error.__traceback__)
    where = f" in {Path(frames[-1].filename).name}:{frames[-1].name}" if frames else ""
    return Check(
        name,
        Outcome.FAILURE,
        f"{type(error).__name__}: {error}\n{text}",
        f"{type(error).__name__}{where}",
    )


def check_dlc_opt(name: str, argv: Sequence[str], text: str) -> Check:
    from dlc.tools.dlc_opt import main

    try:
        status, _, stderr = run_tool(main, argv, text)
    except Exception as error:
        return crash(name, error)
    return judge_exit(name, status, stderr)


def random_inputs(
    rng: np.random.Generator, signatures: Sequence[Any]
) -> list[np.ndarray[Any, Any]]:
    arrays: list[np.ndarray[Any, Any]] = []
    for signature in signatures:
        if signature.dtype.kind == "f":
            array = rng.standard_normal(signature.shape).astype(signature.dtype)
        elif signature.dtype.kind == "b":
            array = rng.integers(0, 2, signature.shape).astype(bool)
        else:
            array = rng.integers(-3, 4, signature.shape).astype(signature.dtype)
        arrays.append(array)
    return arrays


def wrong_calls(
    inputs: Sequence[np.ndarray[Any, Any]],
) -> Iterator[tuple[str, list[Any]]]:
    """Argument lists the callable must reject, each with what is wrong in it."""
    args = list(inputs)
    yield "one argument too many", [*args, np.zeros(1, np.float32)]
    if not args:
        return
    yield "one argument too few", args[:-1]
    for index, array in enumerate(args):
        shape = array.shape
        grown = (shape[0] + 1, *shape[1:]) if shape else (1,)
        yield (
            f"argument {index} of shape {grown}",
            replace(args, index, np.zeros(grown, array.dtype)),
        )
        yield (
            f"argument {index} of rank {len(shape) + 1}",
            replace(args, index, np.zeros((*shape, 1), array.dtype)),
        )
        other = np.float64 if array.dtype != np.float64 else np.float32
        yield (
            f"argument {index} as {np.dtype(other)}",
            replace(args, index, array.astype(other)),
        )
        yield f"argument {index} as a list", replace(args, index, array.tolist())
        if shape:
            wide = np.zeros((*shape[:-1], 2 * shape[-1]), array.dtype)
            strided = wide[..., ::2]
            if not strided.flags.c_contiguous:
                yield f"argument {index} not contiguous", replace(args, index, strided)


def replace(args: list[Any], index: int, value: Any) -> list[Any]:
    return [value if i == index else a for i, a in enumerate(args)]


def check_compile(text: str, stage: Callable[[str], None]) -> list[Check]:
    """dlc.compile, then the callable on good and bad arguments, then dlc-run."""
    stage("dlc.compile")
    try:
        compiled = dlc.compile(text)
    except DiagnosticError as error:
        message = str(error)
        if "internal compiler error" in message:
            return [Check("dlc.compile", Outcome.FAILURE, message, message[:120])]
        return [Check("dlc.compile", Outcome.DIAGNOSTIC, message.split("\n", 1)[0])]
    except Exception as error:
        return [crash("dlc.compile", error)]
    checks = [Check("dlc.compile", Outcome.SUCCEEDED)]
    if too_large_to_run(dlc.parse(text)):
        return checks
    inputs = random_inputs(np.random.default_rng(0), compiled.inputs)
    stage("call")
    try:
        compiled(*inputs)
        checks.append(Check("call", Outcome.SUCCEEDED))
    except Exception as error:
        checks.append(crash("call", error))
    for what, args in wrong_calls(inputs):
        stage(f"call with {what}")
        checks.append(check_rejected(compiled, what, args))
    stage("dlc-run --random --check")
    checks.append(check_dlc_run(text, compiled))
    return checks


def too_large_to_run(module: ModuleOp) -> bool:
    """Whether a tensor or a tensor.compute's domain of ``module`` is huge."""
    for op in module.walk():
        arguments = [a for r in op.regions for b in r.blocks for a in b.args]
        for value in (*op.operands, *op.results, *arguments):
            if isinstance(value.type, TensorType) and (
                prod(value.type.get_shape()) > MAX_TENSOR_ELEMENTS
            ):
                return True
        if isinstance(op, ComputeOp):
            points = prod(op.output_shape) * prod(op.reduction_extents)
            if points > MAX_LOOP_ITERATIONS:
                return True
    return False


def check_rejected(compiled: Any, what: str, args: list[Any]) -> Check:
    name = f"call with {what}"
    try:
        compiled(*args)
    except (TypeError, ValueError) as error:
        return Check(name, Outcome.SUCCEEDED, f"rejected: {error}")
    except Exception as error:
        return crash(name, error)
    return Check(name, Outcome.FAILURE, "the call was accepted", "bad call accepted")


def check_dlc_run(text: str, compiled: Any) -> Check:
    from dlc.tools.dlc_run import main

    name = "dlc-run --random --check"
    with tempfile.NamedTemporaryFile("w", suffix=".mlir") as file:
        file.write(text)
        file.flush()
        try:
            status, stdout, stderr = run_tool(main, [file.name, "--check"], "")
        except Exception as error:
            return crash(name, error)
    failed = FAILED_CHECK.findall(stdout)
    if not failed:
        return judge_exit(name, status, stderr)
    if all(error in ("nan", "inf") for error in failed):
        # A NaN or an infinity in one result only: a value next to a domain edge
        # (sqrt of about 0) that rounding put on the other side.
        return Check(name, Outcome.SUCCEEDED, f"NaN or inf placed apart:\n{stdout}")
    if ill_conditioned(text, compiled):
        return Check(name, Outcome.SUCCEEDED, f"ill-conditioned:\n{stdout}")
    return Check(
        name,
        Outcome.FAILURE,
        f"compiled and reference differ:\n{stdout}",
        "native code and reference interpreter differ",
    )


def ill_conditioned(text: str, compiled: Any) -> bool:
    """Whether rounding explains how far native code and reference are apart.

    Mutants are often ill-conditioned (``log`` of a convolution about 0, a division
    by a difference): there, the reference itself moves as much when dlc-run's
    inputs move by a few units in the last place. A miscompile is a hundred times
    further off than that.
    """
    from dlc.tools.dlc_run import as_tuple, load_inputs

    inputs = load_inputs(argparse.Namespace(inputs=None, seed=0), compiled.inputs)
    noise = np.random.default_rng(1)
    moved = [
        x * (1 + 4 * np.finfo(x.dtype).eps * noise.standard_normal(x.shape))
        if x.dtype.kind == "f"
        else x
        for x in inputs
    ]
    module = dlc.parse(text)
    native = as_tuple(compiled(*inputs))
    reference = as_tuple(dlc.interpret(module, compiled.name, *inputs))
    nearby = as_tuple(dlc.interpret(module, compiled.name, *moved))
    for got, want, near in zip(native, reference, nearby, strict=True):
        got, want, near = (np.asarray(a, np.float64) for a in (got, want, near))
        finite = np.isfinite(got) & np.isfinite(want) & np.isfinite(near)
        error = np.max(np.abs(got - want)[finite], initial=0.0)
        swing = np.max(np.abs(near - want)[finite], initial=0.0)
        if error > 100 * swing:
            return False
    return True


def check_mutant(
    mutant: Mutant, stage: Callable[[str], None] = lambda _: None
) -> MutantResult:
    result = MutantResult(mutant)
    for name, argv in OPT_RUNS.items():
        stage(name)
        result.checks.append(check_dlc_opt(name, argv, mutant.text))
    result.checks.extend(check_compile(mutant.text, stage))
    return result


# --- Running many mutants in worker processes ---------------------------------------


MakeMutant = Callable[[int, int], Mutant]
CheckMutant = Callable[[Any, Callable[[str], None]], MutantResult]


def _worker(
    connection: multiprocessing.connection.Connection,
    base_seed: int,
    make: MakeMutant,
    check: CheckMutant,
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while (index := connection.recv()) is not None:
        connection.send(("stage", "make_mutant"))
        mutant = make(index, base_seed)
        connection.send(("mutant", mutant))
        result = check(mutant, lambda s: connection.send(("stage", s)))
        connection.send(("done", result))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: multiprocessing.connection.Connection
    index: int | None = None
    mutant: Mutant | None = None
    stage: str = ""
    started: float = 0.0
    cpu_started: float = 0.0
    done: int = 0


def run_mutants(
    indices: Iterable[int],
    base_seed: int = 0,
    jobs: int = 2,
    timeout: float = 60.0,
    recycle_after: int = 200,
    make: MakeMutant = make_mutant,
    check: CheckMutant = check_mutant,
) -> Iterator[MutantResult]:
    """Check each mutant in forked workers; yield results as they come.

    ``make`` and ``check`` make mutant ``index`` of run ``base_seed`` and check
    it: IR text mutants by default, ONNX files with tests/fuzz/onnx_mutate.py.

    A worker that dies or overruns ``timeout`` seconds of CPU time (or ten times
    that on the wall clock, for a worker that blocks; a busy machine stretches
    the wall clock but not the CPU time) yields a failure for its
    mutant and is replaced. Workers are also replaced after ``recycle_after``
    mutants, so that compiled code and blobs do not pile up in one process.
    """
    context = multiprocessing.get_context("fork")
    pending = deque(indices)
    workers: list[_Worker] = []

    def spawn() -> _Worker:
        parent, child = context.Pipe()
        process = context.Process(
            target=_worker, args=(child, base_seed, make, check), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def assign(worker: _Worker) -> bool:
        if not pending:
            return False
        worker.index, worker.mutant, worker.stage = pending.popleft(), None, "start"
        worker.started = time.monotonic()
        worker.cpu_started = cpu_seconds(worker.process.pid)
        worker.connection.send(worker.index)
        return True

    def retire(worker: _Worker) -> None:
        if worker.process.is_alive():
            with contextlib.suppress(OSError):
                worker.connection.send(None)
            worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.connection.close()
        workers.remove(worker)

    def refill(old: _Worker | None = None) -> None:
        if old is not None:
            retire(old)
        if pending:
            workers.append(spawn())
            assign(workers[-1])

    for _ in range(jobs):
        refill()
    try:
        while workers:
            ready = multiprocessing.connection.wait(
                [w.connection for w in workers] + [w.process.sentinel for w in workers],
                timeout=1.0,
            )
            for worker in list(workers):
                if worker.connection in ready:
                    try:
                        kind, payload = worker.connection.recv()
                    except EOFError:
                        kind, payload = "died", None
                    if kind == "stage":
                        worker.stage = payload
                        continue
                    if kind == "mutant":
                        worker.mutant = payload
                        continue
                    if kind == "done":
                        worker.done += 1
                        worker.index = None
                        yield payload
                        if worker.done >= recycle_after:
                            refill(worker)
                        elif not assign(worker):
                            retire(worker)
                        continue
                if worker.index is None:
                    continue
                dead = not worker.process.is_alive()
                cpu = cpu_seconds(worker.process.pid) - worker.cpu_started
                wall = time.monotonic() - worker.started
                overdue = cpu > timeout or wall > WALL_CLOCK_FACTOR * timeout
                if dead or overdue:
                    if overdue and not dead:
                        worker.process.kill()
                        worker.process.join()
                    if dead:
                        kind = f"worker died with exit code {worker.process.exitcode}"
                        why = kind
                    else:
                        kind = "hang"
                        why = f"no result after {cpu:.0f} s of CPU, {wall:.0f} s"
                    # Not made again here: making it may be what failed.
                    mutant = worker.mutant or Mutant(worker.index, "?", (), "")
                    yield MutantResult(
                        mutant, [Check(worker.stage, Outcome.FAILURE, why, kind)]
                    )
                    refill(worker)
    finally:
        for worker in list(workers):
            worker.process.kill()
            retire(worker)


WALL_CLOCK_FACTOR = 10


def cpu_seconds(pid: int | None) -> float:
    """User and system CPU time of process ``pid`` so far (0 if unknown)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_failure(folder: Path, result: MutantResult) -> Path:
    """Write a failing mutant as ``<index>.mlir`` (or ``.onnx``) and what went
    wrong beside it, as ``<index>.txt``."""
    folder.mkdir(parents=True, exist_ok=True)
    mutant = result.mutant
    path = mutant.write(folder / f"{mutant.index:06d}")
    report = [
        f"seed: {mutant.seed}",
        f"mutations: {', '.join(mutant.mutations)}",
        *(f"--- {c.name}\n{c.detail}" for c in result.failures),
    ]
    path.with_suffix(".txt").write_text("\n".join(report) + "\n")
    return path
