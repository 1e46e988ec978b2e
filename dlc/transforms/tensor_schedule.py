"""tensor-schedule: give every compute a schedule, from its kind, shapes and the CPU.

Like TVM's default schedules, a compute written without ``schedule<...>`` gets
one chosen from its kernel kind (contraction, other reduction, elementwise), its
shapes, and the machine: vector width and register count from the CPU's features,
cache sizes from the host (:mod:`dlc.transforms.default_schedules` has the
heuristics; docs/schedules.md explains them)::

    %c = tensor.compute (%i, %j) reduce add (%k) in [1024] init 0.0
           : tensor<1024x1024xf32> { ... x[%i, %k] * w[%k, %j] ... }

becomes, on an AVX-512 core::

    %c = tensor.compute (%i, %j) reduce add (%k) in [1024] init 0.0
           schedule<tile = [0, 128, 0], parallel = [1], vectorize = 16,
                    register = [12, 32, 1], pack = [1]>
           : tensor<1024x1024xf32> { ... }

A schedule written in the IR is kept: it is the user's. The ``override`` option
changes schedules from the command line, rule by rule, separated by ``;``::

    dlc-opt f.mlir -p 'tensor-schedule{override="contraction: pack = []; %h2:
        register = [8, 32, 1]"}'

Each rule is ``selector: field = value, ...`` with the fields of
``#tensor.schedule``, which replace those fields of the compute's schedule (the
default or the written one). A selector is ``%name`` (the compute's result name),
``kind#n`` (the n-th compute of that kind in the module, from 0), ``kind``
(``contraction``, ``reduction`` or ``elementwise``) or ``*``. More specific
selectors win (name, then ``kind#n``, then kind, then ``*``); among equally
specific rules the later one wins.

``target`` picks the machine: ``host`` (the default), or a fixed model
(``avx512``, ``avx2``, ``sse``; see :mod:`dlc.targets.cpu.host`) for schedules
that do not depend on where dlc runs, or ``gpu``: contractions get the
shared-memory tiled kernel's block, k and thread tiles, every other compute
parallel output dims (:mod:`dlc.transforms.gpu_schedules`)::

    dlc-opt f.mlir -p 'tensor-schedule{target=gpu override="%h2: tile = [32, 32,
        8], register = [2, 2, 1]"}'

A schedule for the other kind of machine is an error: on ``gpu``, one that asks
for the CPU's vector kernel (``register`` without ``blocks``, or ``pack``); on a
CPU, a GPU schedule (one with ``blocks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.passes import ModulePass
from xdsl.printer import Printer
from xdsl.utils.exceptions import ParseError, VerifyException

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.dialects.tensor import ComputeOp, ScheduleAttr
from dlc.dialects.tensor.access import body_reads
from dlc.lowering.tensor_to_loop.gpu_kernel_plan import check_gpu_schedule
from dlc.transforms.default_schedules import KernelKind, default_schedule, kernel_kind
from dlc.transforms.gpu_schedules import gpu_schedule


@dataclass(frozen=True)
class ScheduleRule:
    """One ``selector: fields`` rule of the ``override`` option."""

    selector: str
    fields: str

    @property
    def specificity(self) -> int:
        if self.selector.startswith("%"):
            return 3
        if "#" in self.selector:
            return 2
        return 0 if self.selector == "*" else 1

    def selects(self, compute: ComputeOp, kind: KernelKind, ordinal: int) -> bool:
        selector = self.selector
        if selector.startswith("%"):
            return compute.result.name_hint == selector[1:]
        if "#" in selector:
            return selector == f"{kind}#{ordinal}"
        return selector in ("*", kind)


def parse_rules(text: str) -> list[ScheduleRule]:
    """The rules of an ``override`` option; an error names the bad rule."""
    kinds = {kind.value for kind in KernelKind}
    rules: list[ScheduleRule] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        selector, colon, fields = part.partition(":")
        selector = selector.strip()
        kind, _, ordinal = selector.partition("#")
        valid = (
            selector == "*"
            or (selector.startswith("%") and len(selector) > 1)
            or (kind in kinds and (not ordinal or ordinal.isdigit()))
        )
        if not colon or not valid:
            raise DiagnosticError(
                f"tensor-schedule: override rule '{part.strip()}' must be "
                "'selector: field = value, ...' with a selector %name, kind#n, "
                f"kind or * (kinds: {', '.join(sorted(kinds))})"
            )
        rules.append(ScheduleRule(selector, fields.strip()))
    return sorted(rules, key=lambda rule: rule.specificity)


def apply_rule(
    rule: ScheduleRule, schedule: ScheduleAttr, ctx: Context
) -> ScheduleAttr:
    """``schedule`` with the fields ``rule`` gives replaced."""
    parser = Parser(ctx, f"<{rule.fields}>", "override")
    try:
        return ScheduleAttr.parse_fields(parser, schedule)
    except ParseError as error:
        raise DiagnosticError(
            f"tensor-schedule: override rule '{rule.selector}: {rule.fields}': "
            f"{error.msg}"
        ) from None


@dataclass(frozen=True)
class TensorSchedulePass(ModulePass):
    """Attach a default schedule to each compute without one; apply overrides."""

    name = "tensor-schedule"

    override: str = ""
    """Schedule rules ``selector: fields; ...`` (see the module docstring)."""

    target: str = "host"
    """The machine the defaults are for: host, avx512, avx2, sse (CPUs) or gpu."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        from dlc.targets.cpu.host import CPU_MODELS, host_cpu

        if self.target not in ("host", "gpu", *CPU_MODELS):
            raise DiagnosticError(
                f"tensor-schedule: unknown target '{self.target}', expected host, "
                f"{', '.join(CPU_MODELS)} or gpu"
            )
        gpu = self.target == "gpu"
        cpu = None if gpu else CPU_MODELS.get(self.target) or host_cpu()
        rules = parse_rules(self.override)
        counts: dict[KernelKind, int] = {}
        for compute in [c for c in op.walk() if isinstance(c, ComputeOp)]:
            kind = kernel_kind(compute)
            ordinal = counts.get(kind, 0)
            counts[kind] = ordinal + 1
            schedule = compute.schedule
            if schedule is None:
                schedule = (
                    gpu_schedule(compute)
                    if cpu is None
                    else default_schedule(compute, cpu)
                )
            for rule in rules:
                if rule.selects(compute, kind, ordinal):
                    schedule = apply_rule(rule, schedule or ScheduleAttr(), ctx)
            if schedule is not None:
                compute.schedule = schedule
                _check_fits(compute, schedule, gpu)


def _check_fits(compute: ComputeOp, schedule: ScheduleAttr, gpu: bool) -> None:
    """Report a schedule that does not fit its compute (or target) at the compute."""
    extents = (*compute.output_shape, *compute.reduction_extents)
    location = SourceLocation.of(compute.location)
    try:
        compute.verify_()
        schedule.verify_kernel_fields(
            extents, len(compute.output_shape), len(body_reads(compute))
        )
    except VerifyException as error:
        raise DiagnosticError(f"tensor-schedule: {error}", location) from None
    text = _schedule_text(schedule)
    problem: str | None = None
    if schedule.block_dims and not gpu:
        problem = f"a CPU target takes no GPU schedule (blocks), got {text}"
    elif schedule.block_dims:
        problem = check_gpu_schedule(compute, schedule)
    elif gpu and (schedule.register_tile or schedule.packed_reads):
        problem = (
            "target gpu takes no CPU kernel schedule (register without blocks, or "
            f"pack), got {text}"
        )
    if problem is not None:
        raise DiagnosticError(f"tensor-schedule: {problem}", location)


def _schedule_text(schedule: ScheduleAttr) -> str:
    """``#tensor.schedule<...>`` as it prints."""
    stream = StringIO()
    Printer(stream).print_attribute(schedule)
    return stream.getvalue()
