"""dlc on an NVIDIA GPU next to PyTorch on the same GPU, in one process.

    python bench/gpu.py [--only matmul1024,mlp] [--runs 20] [--gpu-arch sm_90]
                        [--json out.json]

Workloads: square float32 matmuls of 1024, 2048 and 4096, and the models of
examples/ (bench/workloads.py: the same IR and seeded inputs as bench/run.py).
For each, dlc compiles the nn IR with ``target="cuda"`` and PyTorch runs it op by
op on CUDA tensors (bench/torch_ops.py, eager, TF32 off so both compute in fp32).
Both results are first checked against the workload's numpy function in float64
(normwise relative error at most 1e-3); a wrong peer is reported and not timed.
Then both are timed round-robin, one sample each per repetition: a sample is the
GPU time of one execution with the inputs already on the device, between two
CUDA events (dlc: its kernel launches; torch: its ops). Printed: median
milliseconds, GFLOP/s, the dlc/torch ratio (below 1: dlc is faster), and dlc's
compile time.

Without a GPU it says so and exits with status 1; without PyTorch's CUDA build
it says so and times dlc alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dlc  # noqa: E402
from bench.workloads import Workload, count_flops, example, matmul  # noqa: E402
from dlc.targets.cuda import driver as cuda  # noqa: E402
from tests.example_models import EXAMPLE_MODELS  # noqa: E402

Array = np.ndarray[Any, Any]
TOLERANCE = 1e-3
"""Largest normwise relative error ||got - ref|| / ||ref|| a peer may have."""

WORKLOADS: list[Workload] = [
    *(matmul(n) for n in (1024, 2048, 4096)),
    *(example(model) for model in EXAMPLE_MODELS),
]


@dataclass
class Row:
    """One workload's figures (milliseconds are medians; None: not timed)."""

    workload: str
    gflop: float
    dlc_ms: float | None
    torch_ms: float | None
    dlc_error: float
    torch_error: float | None
    compile_s: float

    @property
    def ratio(self) -> float | None:
        if self.dlc_ms is None or self.torch_ms is None:
            return None
        return self.dlc_ms / self.torch_ms


def is_wrong(error: float | None) -> bool:
    """Whether a peer's error is over the tolerance (NaN counts as wrong)."""
    return error is not None and not error <= TOLERANCE


def relative_error(got: Any, expected: Any) -> float:
    """max over outputs of ||got - expected||_2 / ||expected||_2, in float64."""
    gots = got if isinstance(got, tuple) else (got,)
    wants = expected if isinstance(expected, tuple) else (expected,)
    with np.errstate(invalid="ignore", over="ignore"):
        errors = [
            float(np.linalg.norm(g.astype(np.float64) - w))
            / max(float(np.linalg.norm(w)), 1e-30)
            for g, w in zip(gots, wants, strict=True)
        ]
    return max(errors)


class TorchOnGpu:
    """A workload as PyTorch ops on CUDA tensors (bench/torch_ops.TorchFunction,
    with its constants and inputs moved to the GPU once)."""

    def __init__(
        self,
        torch: Any,
        workload: Workload,
        inputs: Sequence[Array],
        device: str = "cuda",
    ):
        from bench.torch_ops import TorchFunction

        self.torch = torch
        self.function = TorchFunction(workload.module(), workload.entry)
        self.constants = {k: v.to(device) for k, v in self.function.constants.items()}
        self.inputs = [
            torch.from_numpy(np.ascontiguousarray(x)).to(device) for x in inputs
        ]

    def run(self) -> list[Any]:
        with self.torch.inference_mode():
            values = dict(self.constants)
            values.update(zip(self.function.arguments, self.inputs, strict=True))
            for step, op in self.function.steps:
                values[op.results[0]] = step(op, [values[v] for v in op.operands])
            return [values[v] for v in self.function.outputs]

    def result(self) -> Any:
        outputs = [t.cpu().numpy() for t in self.run()]
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def sample_ms(self) -> float:
        start = self.torch.cuda.Event(enable_timing=True)
        end = self.torch.cuda.Event(enable_timing=True)
        start.record()
        self.run()
        end.record()
        end.synchronize()
        return float(start.elapsed_time(end))


def torch_on_cuda() -> tuple[Any, str]:
    """torch with CUDA, or None and why not."""
    try:
        import torch
    except ImportError:
        return None, "PyTorch is not installed: dlc is timed alone"
    if not torch.cuda.is_available():
        return (
            None,
            f"PyTorch {torch.__version__} has no CUDA device: dlc is timed alone",
        )
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    return torch, f"PyTorch {torch.__version__} on {torch.cuda.get_device_name()}"


def bench(workload: Workload, torch: Any, runs: int, gpu_arch: str | None) -> Row:
    module = workload.module()
    inputs = workload.inputs()
    expected = (
        workload.numpy(*(x.astype(np.float64) for x in inputs))
        if (workload.numpy is not None)
        else dlc.interpret(module, workload.entry or _only_function(module), *inputs)
    )
    compiled = dlc.compile(
        module, target="cuda", entry=workload.entry, gpu_arch=gpu_arch
    )
    dlc_error = relative_error(compiled(*inputs), expected)
    peer = TorchOnGpu(torch, workload, inputs) if torch is not None else None
    torch_error = relative_error(peer.result(), expected) if peer is not None else None
    samples: dict[str, list[float]] = {"dlc": [], "torch": []}
    timers: dict[str, Callable[[], float]] = {}
    if not is_wrong(dlc_error):
        compiled.time_kernels(inputs, 1)
        timers["dlc"] = lambda: compiled.time_kernels(inputs, 1)[0]
    if peer is not None and not is_wrong(torch_error):
        peer.sample_ms()
        timers["torch"] = peer.sample_ms
    for _ in range(runs):
        for name, timer in timers.items():
            samples[name].append(timer())
    compiled.close()
    return Row(
        workload.name,
        count_flops(module) / 1e9,
        statistics.median(samples["dlc"]) if samples["dlc"] else None,
        statistics.median(samples["torch"]) if samples["torch"] else None,
        dlc_error,
        torch_error,
        compiled.times.total,
    )


def _only_function(module: Any) -> str:
    from dlc.compiler import find_entry

    return find_entry(module, None).sym_name.data


def describe(row: Row) -> str:
    def ms(value: float | None, error: float | None) -> str:
        if is_wrong(error):
            return f"WRONG ({error:.1e})"
        return "-" if value is None else f"{value:.3f}"

    rate = f"{row.gflop / (row.dlc_ms / 1e3):.0f}" if row.gflop and row.dlc_ms else "-"
    ratio = "-" if row.ratio is None else f"{row.ratio:.2f}"
    return (
        f"{row.workload:<20} {ms(row.dlc_ms, row.dlc_error):>14} "
        f"{ms(row.torch_ms, row.torch_error):>14} {ratio:>9} {rate:>10} "
        f"{row.compile_s:>9.2f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--only", help="comma-separated workload names")
    parser.add_argument("--runs", type=int, default=20, help="samples per peer")
    parser.add_argument("--gpu-arch", help="PTX target (default: the GPU's)")
    parser.add_argument("--json", type=Path, help="write the rows as JSON")
    args = parser.parse_args(argv)
    try:
        device = cuda.driver()
    except cuda.CudaUnavailableError as error:
        print(f"bench/gpu.py: no GPU, nothing to time: {error}", file=sys.stderr)
        return 1
    torch, note = torch_on_cuda()
    print(f"dlc on {device.name} ({device.arch}, CUDA driver {device.version}); {note}")
    chosen = set(args.only.split(",")) if args.only else None
    workloads = [w for w in WORKLOADS if chosen is None or w.name in chosen]
    print(
        f"{'workload':<20} {'dlc ms':>14} {'torch ms':>14} {'dlc/torch':>9} "
        f"{'dlc GFLOP/s':>10} {'compile s':>9}"
    )
    rows: list[Row] = []
    for workload in workloads:
        row = bench(workload, torch, args.runs, args.gpu_arch)
        rows.append(row)
        print(describe(row), flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2))
    wrong = any(is_wrong(r.dlc_error) or is_wrong(r.torch_error) for r in rows)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
