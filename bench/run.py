"""dlc next to numpy, onnxruntime and PyTorch on the workloads of bench/workloads.py.

    python bench/run.py [--only matmul512,mlp] [--threads 1,2] [--runs 20]
                        [--budget 30] [--peers dlc,numpy,onnxruntime,torch]
                        [--json out.json] [--png out.png]

For each thread count, and each workload: dlc compiles the nn IR
(``dlc.compile(..., threads=n)``), onnxruntime runs the ONNX export of the same
function (intra-op threads n, inter-op 1, all graph optimizations), PyTorch runs it
op by op (``torch.set_num_threads(n)``, bench/torch_ops.py) and numpy runs the
workload's numpy function (BLAS threads n). Every peer's result is first checked
against the reference (the numpy function in float64, or the dlc interpreter) to a
normwise relative error of 1e-3; a peer that is wrong is reported as WRONG and never
timed. Then the peers are timed round-robin, one sample each per repetition, so that
machine noise hits all alike. Printed per thread count: median latencies, GFLOP/s,
dlc/peer latency ratios, dlc's compile time and peak memory (see bench/README.md).
The JSON has every sample and the machine; the PNG plots the ratios. Exits 1 if a
peer gave a wrong answer.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import gc
import importlib
import inspect
import json
import math
import os
import platform
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The peers run round-robin, so a peer whose idle threads keep spinning after its
# call takes the cores from the next peer's threads: OpenBLAS spins for 2**28
# cycles by default, GNU OpenMP (PyTorch) for about 0.3 s. Both must sleep at
# once, as onnxruntime's do (allow_spinning 0) and dlc's do after a few us; set
# before numpy and torch load their libraries, which read these once.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PEERS = ("dlc", "numpy", "onnxruntime", "torch")
TOLERANCE = 1e-3
"""Largest normwise relative error ||got - ref|| / ||ref|| a peer may have."""
SAMPLE_SECONDS = 0.01
"""A sample repeats a fast call until it lasts about this long (10 ms)."""
MIN_RUNS = 3


sys.path.insert(0, str(ROOT))

import dlc  # noqa: E402
from bench.workloads import WORKLOADS, Workload, count_flops  # noqa: E402
from dlc.compiler import compile as dlc_compile  # noqa: E402
from dlc.compiler import find_entry  # noqa: E402

Array = np.ndarray[Any, Any]
Runner = Callable[[], Any]


# --- Thread control ------------------------------------------------------------------


class BlasThreads:
    """numpy's BLAS thread count, set at run time where possible.

    threadpoolctl if it is installed; else the ``openblas_set_num_threads`` of the
    OpenBLAS numpy loaded (found in /proc/self/maps, called through ctypes); else
    nothing can be changed after numpy loaded, and numpy keeps the
    default (all cores, or ``OPENBLAS_NUM_THREADS`` if set) at every thread count.
    """

    SETTERS = (
        "openblas_set_num_threads",
        "scipy_openblas_set_num_threads64_",
        "scipy_openblas_set_num_threads_64_",
        "openblas_set_num_threads64_",
    )

    def __init__(self) -> None:
        self.method = "none"
        self._set: Callable[[int], None] | None = None
        try:
            from threadpoolctl import threadpool_limits  # pyright: ignore

            self.method = "threadpoolctl"
            self._set = lambda n: threadpool_limits(n, user_api="blas")  # pyright: ignore
            return
        except ImportError:
            pass
        library = self._loaded_openblas()
        if library is not None:
            for name in self.SETTERS:
                setter = getattr(library, name, None)
                if setter is not None:
                    setter.argtypes = [ctypes.c_int]
                    self.method = f"ctypes {name}"
                    self._set = setter
                    return

    @staticmethod
    def _loaded_openblas() -> ctypes.CDLL | None:
        try:
            maps = Path("/proc/self/maps").read_text()
        except OSError:
            return None
        paths = sorted(
            {
                line.split()[-1]
                for line in maps.splitlines()
                if "openblas" in line.lower() and "/" in line
            }
        )
        return ctypes.CDLL(paths[0]) if paths else None

    def set(self, threads: int) -> bool:
        if self._set is None:
            return False
        self._set(threads)
        return True


# --- Peers ---------------------------------------------------------------------------


@dataclass
class Prepared:
    """A peer ready to run one workload: ``run()`` computes it on bound inputs."""

    run: Runner
    info: dict[str, Any] = field(default_factory=dict[str, Any])


class Skip(Exception):
    """A peer cannot run a workload (not installed, an op it lacks); not an error."""


@dataclass
class Context:
    """What a peer gets for one workload at one thread count."""

    workload: Workload
    module: Any
    inputs: list[Array]
    threads: int


DLC_HAS_THREADS = "threads" in inspect.signature(dlc_compile).parameters


def prepare_dlc(c: Context) -> Prepared:
    """Compile from the workload's text (or module), timing the stages."""
    options: dict[str, Any] = {}
    if DLC_HAS_THREADS:
        options["threads"] = c.threads
    else:
        os.environ["DLC_NUM_THREADS"] = str(c.threads)
    start = time.perf_counter()
    compiled = dlc.compile(c.workload.source(), entry=c.workload.entry, **options)
    wall = time.perf_counter() - start
    times = compiled.times
    info: dict[str, Any] = {
        "compile_s": wall,
        "compile_xdsl_s": times.xdsl,
        "compile_llvm_s": times.llvm,
        "compile_passes_s": dict(times.passes),
    }
    stats = getattr(compiled, "stats", None)
    if stats is not None:
        info["stats"] = as_json(stats)
    survives_a_call(lambda: compiled(*c.inputs))
    return Prepared(lambda: compiled(*c.inputs), info)


def survives_a_call(run: Runner) -> None:
    """Call ``run`` once in a forked child first, so that compiled code that
    crashes (a segfault, an abort) fails its workload instead of the whole run.

    The child inherits the JIT-compiled code; dlc's runtime makes a fresh thread
    pool in a forked child. Without ``os.fork`` (Windows) the call is not probed.
    """
    if not hasattr(os, "fork"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:
        try:
            run()
        finally:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    if os.WIFSIGNALED(status):
        signal_name = signal.Signals(os.WTERMSIG(status)).name
        raise RuntimeError(f"the compiled code was killed by {signal_name}")


def prepare_numpy(c: Context) -> Prepared:
    function = c.workload.numpy
    if function is None:
        raise Skip("no numpy version of this workload")
    return Prepared(lambda: function(*c.inputs))


def prepare_onnxruntime(c: Context) -> Prepared:
    try:
        import onnxruntime as ort
    except ImportError as error:
        raise Skip(f"onnxruntime not installed ({error})") from None
    from dlc.export import UnsupportedOpError, export_onnx

    try:
        model = export_onnx(c.module, c.workload.entry)
    except UnsupportedOpError as error:
        raise Skip(error.message) from None
    options = ort.SessionOptions()
    options.intra_op_num_threads = c.threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    feeds = {i.name: a for i, a in zip(session.get_inputs(), c.inputs, strict=True)}

    def run() -> Any:
        outputs = session.run(None, feeds)
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    return Prepared(run)


def prepare_torch(c: Context) -> Prepared:
    try:
        import torch

        from bench.torch_ops import TorchFunction, UnsupportedTorchOp
    except ImportError as error:
        raise Skip(f"torch not installed ({error})") from None
    torch.set_num_threads(c.threads)
    try:
        function = TorchFunction(c.module, c.workload.entry)
    except UnsupportedTorchOp as error:
        raise Skip(str(error)) from None

    def run() -> Any:
        """Some ops find out only when they run that torch cannot do them."""
        try:
            return function(*c.inputs)
        except UnsupportedTorchOp as error:
            raise Skip(str(error)) from None

    return Prepared(run)


PREPARE: dict[str, Callable[[Context], Prepared]] = {
    "dlc": prepare_dlc,
    "numpy": prepare_numpy,
    "onnxruntime": prepare_onnxruntime,
    "torch": prepare_torch,
}


# --- Memory --------------------------------------------------------------------------


class PeakMemory:
    """The growth of the process's peak RSS over one call, in MiB.

    On Linux the peak (VmHWM) is reset first (``/proc/self/clear_refs``), so the
    growth is that call's; elsewhere it is the growth of ``ru_maxrss``, which stays
    0 while an earlier peak is higher. Either way only newly touched pages count:
    memory the allocator reuses is not seen.
    """

    def __init__(self) -> None:
        self.method = "VmHWM"
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.before = self._status("VmRSS")
        except OSError:
            self.method = "ru_maxrss"
            self.before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    @staticmethod
    def _status(key: str) -> int:
        text = Path("/proc/self/status").read_text()
        match = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
        assert match is not None, f"/proc/self/status has {key}"
        return int(match.group(1))

    def growth_mib(self) -> float:
        if self.method == "VmHWM":
            after = self._status("VmHWM")
        else:
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return max(0, after - self.before) / 1024


def arena_mib(info: dict[str, Any]) -> float | None:
    """``compiled.stats.arena_bytes`` in MiB: the temporaries one call allocates."""
    stats = info.get("stats")
    if not isinstance(stats, dict) or "arena_bytes" not in stats:
        return None
    return float(stats["arena_bytes"]) / 2**20  # pyright: ignore[reportUnknownArgumentType]


def as_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: as_json(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


# --- Checking and timing -------------------------------------------------------------


def outputs_of(result: Any) -> list[Array]:
    return [np.asarray(r) for r in (result if isinstance(result, tuple) else (result,))]


def relative_error(got: Any, expected: Any) -> float:
    """max over outputs of ||got - expected||_2 / ||expected||_2, in float64."""
    errors: list[float] = []
    got_outputs, expected_outputs = outputs_of(got), outputs_of(expected)
    if len(got_outputs) != len(expected_outputs):
        return math.inf
    for g, e in zip(got_outputs, expected_outputs, strict=True):
        if g.shape != e.shape:
            return math.inf
        g64, e64 = g.astype(np.float64), e.astype(np.float64)
        scale = max(float(np.linalg.norm(e64)), 1e-30)
        errors.append(float(np.linalg.norm(g64 - e64)) / scale)
    return max(errors) if errors else 0.0


def reference(workload: Workload, module: Any, inputs: list[Array]) -> Any:
    """The workload's numpy function in float64, or else the dlc interpreter."""
    if workload.numpy is not None:
        return workload.numpy(*[a.astype(np.float64) for a in inputs])
    name = find_entry(module, workload.entry).sym_name.data
    return dlc.interpret(module, name, *inputs)


def timed(run: Runner) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


@dataclass
class PeerResult:
    status: str = "ok"
    """ok, skipped, wrong or failed."""
    note: str = ""
    error: float | None = None
    calls_per_sample: int = 1
    samples_s: list[float] = field(default_factory=list[float])
    info: dict[str, Any] = field(default_factory=dict[str, Any])

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.samples_s) if self.samples_s else None


@dataclass
class WorkloadResult:
    workload: str
    threads: int
    flops: int
    runs: int = 0
    peers: dict[str, PeerResult] = field(default_factory=dict[str, PeerResult])


def run_workload(
    workload: Workload,
    threads: int,
    args: argparse.Namespace,
    cache: dict[str, Any],
) -> WorkloadResult:
    """Check every peer, then time them round-robin."""
    if workload.name not in cache:
        module = workload.module()
        inputs = workload.inputs()
        cache[workload.name] = (module, inputs, reference(workload, module, inputs))
    module, inputs, expected = cache[workload.name]
    result = WorkloadResult(workload.name, threads, count_flops(module))
    ready: dict[str, Prepared] = {}
    per_repetition = 0.0
    for peer in args.peers:
        outcome = result.peers[peer] = PeerResult()
        context = Context(workload, module, inputs, threads)
        try:
            prepared = PREPARE[peer](context)
            peak = PeakMemory()
            start = time.perf_counter()
            got = prepared.run()
            first_call = time.perf_counter() - start
            prepared.info["rss_growth_mib"] = peak.growth_mib()
            outcome.error = relative_error(got, expected)
        except Skip as skip:
            outcome.status, outcome.note = "skipped", str(skip)
            continue
        except Exception as error:  # a crash of one peer must not end the run
            outcome.status = "failed"
            outcome.note = (
                f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}"
            )
            continue
        outcome.info = prepared.info
        if not outcome.error <= TOLERANCE:
            outcome.status = "wrong"
            outcome.note = f"relative error {outcome.error:.3g} > {TOLERANCE}"
            continue
        # A call of a second or more warms up enough by itself.
        warm = first_call if first_call > 1.0 else timed(prepared.run)
        outcome.calls_per_sample = max(1, min(1000, round(SAMPLE_SECONDS / warm)))
        per_repetition += warm * outcome.calls_per_sample
        ready[peer] = prepared
    result.runs = max(
        MIN_RUNS, min(args.runs, int(args.budget / max(per_repetition, 1e-9)))
    )
    order = list(ready)
    gc.collect()
    gc.disable()
    try:
        for repetition in range(result.runs):
            shift = repetition % max(len(order), 1)
            for peer in order[shift:] + order[:shift]:
                calls = result.peers[peer].calls_per_sample
                run = ready[peer].run
                start = time.perf_counter()
                for _ in range(calls):
                    run()
                elapsed = time.perf_counter() - start
                result.peers[peer].samples_s.append(elapsed / calls)
    finally:
        gc.enable()
    return result


# --- Reporting -----------------------------------------------------------------------


def cell(
    result: WorkloadResult,
    peer: str,
    value: Callable[[WorkloadResult, PeerResult], str],
) -> str:
    """``value`` of a peer that ran, or why it has none."""
    outcome = result.peers.get(peer)
    if outcome is None or outcome.status == "skipped":
        return "-"
    if outcome.status == "wrong":
        return "WRONG"
    if outcome.status == "failed":
        return "FAILED"
    return value(result, outcome)


def ratio(result: WorkloadResult, peer: str) -> float | None:
    ours, theirs = result.peers["dlc"], result.peers.get(peer)
    if theirs is None or ours.median_s is None or theirs.median_s is None:
        return None
    return ours.median_s / theirs.median_s


def print_tables(results: list[WorkloadResult], threads: int, peers: list[str]) -> None:
    others = [p for p in peers if p != "dlc"]
    short = {"dlc": "dlc", "numpy": "numpy", "onnxruntime": "ort", "torch": "torch"}
    print(
        f"\n== {threads} thread{'s' if threads > 1 else ''}: median latency (ms); "
        "ratio = dlc latency / peer latency (below 1: dlc is faster) =="
    )
    header = (
        f"{'workload':<18} {'GFLOP':>7} {'runs':>4} "
        + "".join(f"{short[p] + ' ms':>11}" for p in peers)
        + "".join(f"{'dlc/' + short[p]:>11}" for p in others)
    )
    print(header)
    print("-" * len(header))
    for r in results:
        line = f"{r.workload:<18} {r.flops / 1e9:>7.3f} {r.runs:>4} "
        for p in peers:
            line += f"{cell(r, p, milliseconds):>11}"
        for p in others:
            value = ratio(r, p)
            line += f"{'-' if value is None else f'{value:.2f}x':>11}"
        print(line)
    print(
        f"\n== {threads} thread{'s' if threads > 1 else ''}: GFLOP/s (contractions "
        "only); dlc compile time (s, text -> callable); dlc peak memory =="
    )
    header = (
        f"{'workload':<18} "
        + "".join(f"{short[p] + ' GF/s':>12}" for p in peers)
        + f"{'compile s':>11}{'xDSL s':>9}{'LLVM s':>9}"
        + f"{'RSS+ MiB':>10}{'arena MiB':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        line = f"{r.workload:<18} "
        for p in peers:
            line += f"{cell(r, p, gflops):>12}"
        info = r.peers["dlc"].info
        if "compile_s" in info:
            stat = arena_mib(info)
            line += (
                f"{info['compile_s']:>11.2f}{info['compile_xdsl_s']:>9.2f}"
                f"{info['compile_llvm_s']:>9.2f}{info['rss_growth_mib']:>10.1f}"
                f"{'-' if stat is None else f'{stat:.1f}':>11}"
            )
        print(line)


def milliseconds(result: WorkloadResult, outcome: PeerResult) -> str:
    median = outcome.median_s
    return "-" if median is None else f"{median * 1e3:.3f}"


def gflops(result: WorkloadResult, outcome: PeerResult) -> str:
    median = outcome.median_s
    if not result.flops or not median:
        return "-"
    return f"{result.flops / median / 1e9:.2f}"


def print_notes(results: list[WorkloadResult], notes: list[str]) -> None:
    lines = list(notes)
    for r in results:
        for peer, outcome in r.peers.items():
            if outcome.status != "ok":
                lines.append(
                    f"{r.workload} @ {r.threads} thread(s), {peer}: "
                    f"{outcome.status}: {outcome.note}"
                )
    if lines:
        print("\nNotes:")
        for line in lines:
            print(f"  - {line}")


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str] = {"python": platform.python_version()}
    for package in ("numpy", "xdsl", "llvmlite", "onnx", "onnxruntime", "torch"):
        try:
            versions[package] = str(importlib.import_module(package).__version__)
        except ImportError:
            versions[package] = "not installed"
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "load_average_start": os.getloadavg()[0],
        "platform": platform.platform(),
        "versions": versions,
        "dlc_commit": commit,
    }


def write_png(path: Path, results: list[WorkloadResult], peers: list[str]) -> str:
    """Draw the dlc/peer ratios; return a note on what was written."""
    try:
        import matplotlib
    except ImportError:
        return f"--png: matplotlib is not installed, {path} not written"

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    workloads = list(dict.fromkeys(r.workload for r in results))
    series = [
        (peer, threads)
        for threads in dict.fromkeys(r.threads for r in results)
        for peer in peers
        if peer != "dlc"
    ]
    width = 0.8 / max(len(series), 1)
    figure, axes = plt.subplots(figsize=(max(9, 1.3 * len(workloads) + 3), 5))
    for index, (peer, threads) in enumerate(series):
        heights = []
        for name in workloads:
            match = [r for r in results if r.workload == name and r.threads == threads]
            value = ratio(match[0], peer) if match else None
            heights.append(math.nan if value is None else value)
        positions = [
            i + (index - (len(series) - 1) / 2) * width for i in range(len(workloads))
        ]
        axes.bar(positions, heights, width, label=f"dlc / {peer}, {threads} thr")
    axes.axhline(1.0, color="black", linewidth=0.8)
    axes.set_yscale("log")
    axes.set_xticks(range(len(workloads)), workloads, rotation=30, ha="right")
    axes.set_ylabel("dlc latency / peer latency (below 1: dlc faster)")
    axes.set_title("dlc relative to its peers (median latency)")
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return f"bar chart written to {path}"


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--only", help="comma-separated workload names")
    parser.add_argument("--threads", default="1,2", help="thread counts, e.g. 1,2")
    parser.add_argument("--runs", type=int, default=20, help="samples per peer")
    parser.add_argument(
        "--budget",
        type=float,
        default=30.0,
        help="seconds of timing per workload and thread count; slow workloads get "
        f"fewer runs, never fewer than {MIN_RUNS}",
    )
    parser.add_argument("--peers", default=",".join(PEERS), help="peers to run")
    parser.add_argument("--json", type=Path, help="write all results here")
    parser.add_argument("--png", type=Path, help="bar chart of dlc/peer ratios")
    args = parser.parse_args(argv)
    args.threads = [int(n) for n in args.threads.split(",")]
    args.peers = [p for p in args.peers.split(",") if p]
    unknown = set(args.peers) - set(PEERS)
    if unknown or "dlc" not in args.peers:
        parser.error(f"--peers: choose among {', '.join(PEERS)}, dlc included")
    return args


def main() -> int:
    args = parse_arguments()
    chosen = set(args.only.split(",")) if args.only else None
    workloads = [w for w in WORKLOADS if chosen is None or w.name in chosen]
    if chosen is not None and len(workloads) != len(chosen):
        known = ", ".join(w.name for w in WORKLOADS)
        raise SystemExit(f"--only: unknown workload (known: {known})")
    blas = BlasThreads()
    notes = [f"numpy BLAS threads set with: {blas.method}"]
    if blas.method == "none":
        notes.append(
            "numpy's BLAS threads cannot be changed at run time (no threadpoolctl, "
            "no OpenBLAS found): numpy used its default thread count everywhere"
        )
    if not DLC_HAS_THREADS:
        notes.append(
            "dlc.compile has no threads argument: DLC_NUM_THREADS was set instead, "
            "which this dlc may ignore (its 2-thread numbers may be 1-thread ones)"
        )
    memory_method = "VmHWM" if Path("/proc/self/clear_refs").exists() else "ru_maxrss"
    notes.append(
        f"RSS+ MiB: growth of the process's peak RSS ({memory_method}) during dlc's "
        "first call, newly touched pages only; 'arena MiB' is the temporaries' arena "
        "of one call (compiled.stats.arena_bytes, planned by loop-memory-plan)"
    )
    info = machine_info()
    print(
        f"{info['cpu']}, {info['usable_cpus']} usable CPUs; "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        file=sys.stderr,
    )
    cache: dict[str, Any] = {}
    results: list[WorkloadResult] = []
    for threads in args.threads:
        blas.set(threads)
        batch: list[WorkloadResult] = []
        for workload in workloads:
            print(f"[{threads} thr] {workload.name} ...", file=sys.stderr, flush=True)
            batch.append(run_workload(workload, threads, args, cache))
        print_tables(batch, threads, args.peers)
        results.extend(batch)
    info["load_average_end"] = os.getloadavg()[0]
    busiest = max(info["load_average_start"], info["load_average_end"])
    if busiest > info["usable_cpus"]:
        notes.append(
            f"the machine was busy (1-minute load average up to {busiest:.1f} on "
            f"{info['usable_cpus']} CPUs): other processes took cores, and "
            "multi-threaded numbers suffer most"
        )
    print_notes(results, notes)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "settings": {
                        "threads": args.threads,
                        "runs": args.runs,
                        "budget_s": args.budget,
                        "tolerance": TOLERANCE,
                        "sample_s": SAMPLE_SECONDS,
                    },
                    "notes": notes,
                    "results": [
                        {
                            **as_json(r),
                            "peers": {
                                p: {**as_json(o), "median_s": o.median_s}
                                for p, o in r.peers.items()
                            },
                        }
                        for r in results
                    ],
                },
                indent=1,
            )
        )
    if args.png:
        print(write_png(args.png, results, args.peers), file=sys.stderr)
    wrong = any(o.status == "wrong" for r in results for o in r.peers.values())
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
