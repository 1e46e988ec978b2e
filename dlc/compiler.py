"""``dlc.compile``: nn text or module in, a Python callable on numpy arrays out.

The callable follows the C ABI the CPU lowering produces: ``void f(in0*, ...,
out0*, ...)`` over contiguous row-major buffers. It checks every argument (count,
shape, dtype, contiguity) before the call, allocates the results, and returns them.
It also tells how many threads its parallel loops use (``threads``) and how much
memory its temporaries take (``stats``, from ``loop-memory-plan``).

``target="cuda"`` compiles for an NVIDIA GPU instead (:func:`compile_cuda`, see
docs/gpu.md): the callable has the same interface and checks, and runs kernels
through the CUDA driver.
"""

from __future__ import annotations

import ctypes
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, ModuleOp, TensorType
from xdsl.dialects.func import FuncOp
from xdsl.passes import ModulePass

from dlc.context import make_context
from dlc.diagnostics import DiagnosticError
from dlc.interpreter.scalar import numpy_dtype
from dlc.parse import parse_module, verify_module

if TYPE_CHECKING:
    from dlc.targets.cpu.jit import JitModule
    from dlc.targets.cuda.runtime import CudaFunction, CudaProgram

NumpyArray = np.ndarray[Any, Any]


@dataclass(frozen=True)
class TensorSignature:
    """The shape and dtype of one argument or result of a compiled function."""

    shape: tuple[int, ...]
    dtype: np.dtype[Any]

    @staticmethod
    def of(tensor_type: Any, what: str) -> TensorSignature:
        if not isinstance(tensor_type, TensorType):
            raise DiagnosticError(
                f"{what} must be a tensor to be compiled, got {tensor_type}"
            )
        shape = tuple(tensor_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        return TensorSignature(shape, numpy_dtype(tensor_type.element_type))  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]

    def describe(self) -> str:
        return f"{self.dtype}{list(self.shape)}"


@dataclass
class CompileTimes:
    """Seconds spent turning text into a callable, by stage."""

    parse: float = 0.0
    passes: dict[str, float] = field(default_factory=dict[str, float])
    translate: float = 0.0
    llvm: float = 0.0

    @property
    def xdsl(self) -> float:
        """Parsing, every pass and the translation to LLVM IR: xDSL's share."""
        return self.parse + sum(self.passes.values()) + self.translate

    @property
    def total(self) -> float:
        return self.xdsl + self.llvm


@dataclass(frozen=True)
class MemoryStats:
    """Bytes of a compiled function's temporaries (each rounded up to 64).

    ``arena_bytes`` is what a call allocates, the peak; ``temporary_bytes`` what
    all temporaries would take without reuse; ``live_bytes`` the most that are
    live at once, the peak before planning (in-place computing can go below it).
    """

    arena_bytes: int
    temporary_bytes: int
    live_bytes: int
    buffers: int
    in_place: int

    @staticmethod
    def of(function: FuncOp) -> MemoryStats | None:
        """The figures ``loop-memory-plan`` attached to ``function``, if any."""
        from dlc.transforms.loop_memory_plan import PLAN_ATTRIBUTE

        plan = function.attributes.get(PLAN_ATTRIBUTE)
        if not isinstance(plan, DictionaryAttr):
            return None
        figures: dict[str, int] = {}
        for key, value in plan.data.items():
            assert isinstance(value, IntegerAttr)
            figures[key] = value.value.data  # pyright: ignore[reportUnknownMemberType]
        return MemoryStats(**figures)


class CompiledCallable:
    """What every compiled function has, whatever the target: its signature, its
    compile times, and the argument checks made before each call."""

    def __init__(
        self,
        name: str,
        inputs: Sequence[TensorSignature],
        outputs: Sequence[TensorSignature],
        times: CompileTimes,
    ):
        self.name = name
        self.inputs = tuple(inputs)
        self.outputs = tuple(outputs)
        self.times = times

    def check_arguments(self, arrays: Sequence[Any]) -> None:
        """Reject anything the compiled code could misread, with a clear message."""
        if len(arrays) != len(self.inputs):
            raise TypeError(
                f"@{self.name} takes {len(self.inputs)} arrays, got {len(arrays)}"
            )
        for index, (array, expected) in enumerate(
            zip(arrays, self.inputs, strict=True)
        ):
            where = f"@{self.name} argument {index}"
            if not isinstance(array, np.ndarray):
                raise TypeError(
                    f"{where} must be a numpy array, got {type(array).__name__}"
                )
            if array.dtype != expected.dtype:
                raise TypeError(
                    f"{where} must have dtype {expected.dtype}, got {array.dtype}"
                )
            if array.shape != expected.shape:
                raise ValueError(
                    f"{where} must have shape {expected.shape}, got {array.shape}"
                )
            if not array.flags.c_contiguous:
                raise ValueError(
                    f"{where} must be C-contiguous; pass np.ascontiguousarray(array)"
                )


class CompiledFunction(CompiledCallable):
    """A compiled nn function: call it with numpy arrays, get numpy arrays back.

    ``llvm_ir`` is the text the JIT compiled, in which large constants are
    external globals: their bytes live in arrays that ``keep_alive`` (the JIT
    module) holds, not in the text (``dlc-translate`` writes them inline). A
    module built in parts (``jobs``) has the parts' texts one after the other.
    """

    def __init__(
        self,
        name: str,
        inputs: Sequence[TensorSignature],
        outputs: Sequence[TensorSignature],
        address: int,
        keep_alive: object,
        times: CompileTimes,
        llvm_ir: str,
        threads: int = 1,
        stats: MemoryStats | None = None,
    ):
        super().__init__(name, inputs, outputs, times)
        self.llvm_ir = llvm_ir
        self.threads = threads
        self.stats = stats
        self._keep_alive = keep_alive
        arity = len(self.inputs) + len(self.outputs)
        self._c_function = ctypes.CFUNCTYPE(None, *([ctypes.c_void_p] * arity))(address)

    def __call__(self, *arrays: Any) -> Any:
        """Run on ``arrays``; one result comes back as an array, several as a tuple."""
        self.check_arguments(arrays)
        results = [np.empty(out.shape, out.dtype) for out in self.outputs]
        pointers = [a.ctypes.data for a in (*arrays, *results)]
        self._c_function(*pointers)
        return results[0] if len(results) == 1 else tuple(results)


def find_entry(module: ModuleOp, entry: str | None) -> FuncOp:
    """The function named ``entry``, or the module's only public function."""
    functions = [op for op in module.ops if isinstance(op, FuncOp)]
    if entry is not None:
        for function in functions:
            if function.sym_name.data == entry:
                return function
        raise DiagnosticError(f"no function named @{entry} in the module")
    public = [
        f
        for f in functions
        if f.sym_visibility is None or f.sym_visibility.data == "public"
    ]
    if len(public) != 1:
        names = ", ".join("@" + f.sym_name.data for f in public) or "none"
        raise DiagnosticError(
            f"choose the function to compile with entry=... (public functions: {names})"
        )
    return public[0]


@overload
def compile(
    source: str | ModuleOp,
    target: Literal["cpu"] = "cpu",
    entry: str | None = None,
    *,
    filename: str = "<string>",
    opt_level: int = 3,
    bounds_check: bool = False,
    threads: int | None = None,
    gpu_arch: str | None = None,
    jobs: int | None = None,
) -> CompiledFunction: ...


@overload
def compile(
    source: str | ModuleOp,
    target: Literal["cuda"],
    entry: str | None = None,
    *,
    filename: str = "<string>",
    opt_level: int = 3,
    bounds_check: bool = False,
    threads: int | None = None,
    gpu_arch: str | None = None,
    jobs: int | None = None,
) -> CudaFunction: ...


@overload
def compile(
    source: str | ModuleOp,
    target: str,
    entry: str | None = None,
    *,
    filename: str = "<string>",
    opt_level: int = 3,
    bounds_check: bool = False,
    threads: int | None = None,
    gpu_arch: str | None = None,
    jobs: int | None = None,
) -> CompiledCallable: ...


def compile(
    source: str | ModuleOp,
    target: str = "cpu",
    entry: str | None = None,
    *,
    filename: str = "<string>",
    opt_level: int = 3,
    bounds_check: bool = False,
    threads: int | None = None,
    gpu_arch: str | None = None,
    jobs: int | None = None,
) -> CompiledCallable:
    """Compile nn IR (text or a parsed module) into a callable on numpy arrays.

    ``target`` is ``"cpu"`` (this machine) or ``"cuda"`` (an NVIDIA GPU, see
    :func:`compile_cuda`; ``gpu_arch`` is for it alone).

    ``bounds_check=True`` is a debug aid: it runs ``loop-bounds-check`` just before
    loop-to-llvm, so that code that would access a buffer out of bounds prints
    which access and aborts the process instead.

    ``threads`` is how many threads parallel loops run on: None means
    ``$DLC_NUM_THREADS`` if set, else ``os.cpu_count()``; 1 compiles serial code.

    ``jobs`` is how many processes build the code once the loop nests are
    kernels (:mod:`dlc.targets.cpu.parallel_build`): None means
    ``$DLC_COMPILE_JOBS`` if set, else the CPUs this process may use. The code
    is the same for any number; only the time to build it changes.
    """
    if target == "cuda":
        if bounds_check or threads is not None or jobs is not None:
            raise ValueError(
                "bounds_check, threads and jobs are options of target='cpu'"
            )
        return compile_cuda(source, entry, filename=filename, gpu_arch=gpu_arch)
    if target != "cpu":
        raise ValueError(f"unknown target '{target}' (available: cpu, cuda)")
    from dlc.targets.cpu.parallel_build import build_jobs

    times = CompileTimes()
    ctx, module, name, inputs, outputs = _front_end(source, entry, filename, times)

    thread_count = resolve_threads(threads)
    stats: list[MemoryStats | None] = [None]

    def observe(pass_: ModulePass, module: ModuleOp) -> None:
        if pass_.name == "loop-memory-plan":
            stats[0] = MemoryStats.of(find_entry(module, name))

    passes = cpu_passes(bounds_check=bounds_check, threads=thread_count)
    jit = _build_jit(ctx, module, passes, times, observe, opt_level, build_jobs(jobs))
    address = jit.function_address(name)
    return CompiledFunction(
        name,
        inputs,
        outputs,
        address,
        jit,
        times,
        jit.llvm_ir,
        threads=thread_count,
        stats=stats[0],
    )


def _build_jit(
    ctx: Any,
    module: ModuleOp,
    passes: Sequence[ModulePass],
    times: CompileTimes,
    observe: Callable[[ModulePass, ModuleOp], None],
    opt_level: int,
    jobs: int,
) -> JitModule:
    """Run ``passes`` on ``module`` and JIT-compile the result.

    The passes from loop-to-llvm on treat each function on its own, so with
    ``jobs > 1`` they run on parts of the kernels in child processes
    (:mod:`dlc.targets.cpu.parallel_build`). ``times`` then holds this
    process's part, and ``times.llvm`` the wait for the others.
    """
    from dlc.garbage_collection import collection_paused
    from dlc.targets.cpu import JitModule
    from dlc.targets.cpu.jit import build_part, external_prefix
    from dlc.targets.cpu.parallel_build import (
        objects,
        partition,
        restrict,
        start_part_build,
    )
    from dlc.targets.cpu.translate import jit_llvm_ir

    back_start = next(
        (i for i, p in enumerate(passes) if p.name == "loop-to-llvm"), len(passes)
    )
    front, back = passes[:back_start], passes[back_start:]
    prefix = external_prefix()
    with collection_paused():
        # The final llvm module skips the ops' own verifiers: LLVM checks every
        # instruction again when it parses the text (resnet50: 7.3 s -> 4.7 s).
        run_pipeline(ctx, module, front, times, observe, verify=False)
        parts = partition(module, jobs) if back and jobs > 1 else [set()]
        builds = []
        try:
            for part in parts[1:]:

                def build(part: set[str] = part) -> Any:
                    restrict(module, part, parts)
                    run_pipeline(ctx, module, back, CompileTimes(), op_verifiers=False)
                    text, external = jit_llvm_ir(module)
                    return build_part(text, external.arrays, opt_level, prefix)

                builds.append(start_part_build(build))
            if len(parts) > 1:
                restrict(module, parts[0], parts)
            run_pipeline(ctx, module, back, times, observe, op_verifiers=False)
            start = time.perf_counter()
            llvm_ir, external = jit_llvm_ir(module)
            times.translate = time.perf_counter() - start
        except BaseException:
            for build in builds:
                build.cancel()
            raise
    start = time.perf_counter()
    try:
        jit = JitModule(
            llvm_ir,
            external,
            opt_level=opt_level,
            objects=objects(builds),
            prefix=prefix,
        )
    finally:
        for build in builds:
            build.cancel()  # each child that has not sent its part
    times.llvm = time.perf_counter() - start
    return jit


def _front_end(
    source: str | ModuleOp, entry: str | None, filename: str, times: CompileTimes
) -> tuple[Any, ModuleOp, str, list[TensorSignature], list[TensorSignature]]:
    """Parse (or copy) the module; the entry's name and tensor signature."""
    ctx = make_context()
    start = time.perf_counter()
    if isinstance(source, str):
        module = parse_module(ctx, source, filename)
    else:
        module = source.clone()
    times.parse = time.perf_counter() - start

    function = find_entry(module, entry)
    name = function.sym_name.data
    signature = function.function_type
    inputs = [
        TensorSignature.of(t, f"@{name} argument {i}")
        for i, t in enumerate(signature.inputs.data)
    ]
    outputs = [
        TensorSignature.of(t, f"@{name} result {i}")
        for i, t in enumerate(signature.outputs.data)
    ]
    return ctx, module, name, inputs, outputs


def compile_cuda(
    source: str | ModuleOp,
    entry: str | None = None,
    *,
    filename: str = "<string>",
    gpu_arch: str | None = None,
) -> CudaFunction:
    """Compile for an NVIDIA GPU: :func:`lower_cuda`, then load it on the device.

    ``gpu_arch`` (``"sm_90"``, ...) defaults to the GPU's own, or to the PTX
    target's default where there is no GPU. Everything up to the PTX and the launch
    plan runs without a GPU, so a program that cannot compile says why first; only
    then does a machine without a GPU (or without its driver) raise
    :class:`~dlc.targets.cuda.driver.CudaUnavailableError`. ``times.llvm`` also
    counts the driver's compilation of the PTX for the device.
    """
    from dlc.targets.cuda import driver as cuda
    from dlc.targets.cuda.runtime import CudaFunction

    device: cuda.Driver | None = None
    unavailable: cuda.CudaUnavailableError | None = None
    try:
        device = cuda.driver()
    except cuda.CudaUnavailableError as error:
        unavailable = error
    if gpu_arch is None and device is not None:
        gpu_arch = device.arch
    program = lower_cuda(source, entry, filename=filename, gpu_arch=gpu_arch)
    if device is None:
        assert unavailable is not None
        raise cuda.CudaUnavailableError(
            f"{unavailable} (the PTX for {program.gpu_arch} was produced; "
            "dlc-translate --target=ptx prints it)"
        ) from unavailable
    return CudaFunction(program, device)


def lower_cuda(
    source: str | ModuleOp,
    entry: str | None = None,
    *,
    filename: str = "<string>",
    gpu_arch: str | None = None,
) -> CudaProgram:
    """The GPU side of :func:`compile_cuda`, which needs no GPU: ``dlc-gpu``, the
    launch plan of the host function and the PTX of each gpu.module. The times
    count the translation to LLVM IR (and the plan) as ``translate``, LLVM's
    NVPTX code generation as ``llvm``."""
    from dlc.pipelines import gpu_pipeline
    from dlc.targets.cuda.ptx import DEFAULT_GPU_ARCH, emit_ptx, gpu_module_llvm_ir
    from dlc.targets.cuda.runtime import CudaProgram, LaunchPlan, gpu_modules

    arch = gpu_arch or DEFAULT_GPU_ARCH
    times = CompileTimes()
    ctx, module, name, inputs, outputs = _front_end(source, entry, filename, times)
    run_pipeline(ctx, module, gpu_pipeline(), times)
    start = time.perf_counter()
    llvm_ir = {m.sym_name.data: gpu_module_llvm_ir(m) for m in gpu_modules(module)}
    plan = LaunchPlan.of(module, name)
    plan.check_signature(inputs, outputs)
    times.translate = time.perf_counter() - start
    start = time.perf_counter()
    ptx = {gpu_module: emit_ptx(text, arch) for gpu_module, text in llvm_ir.items()}
    times.llvm = time.perf_counter() - start
    return CudaProgram(name, inputs, outputs, times, module, ptx, plan, arch)


THREADS_VARIABLE = "DLC_NUM_THREADS"


def resolve_threads(threads: int | None) -> int:
    """The thread count to compile for: ``threads``, else $DLC_NUM_THREADS, else
    the number of CPUs."""
    if threads is None:
        text = os.environ.get(THREADS_VARIABLE)
        if not text:
            return os.cpu_count() or 1
        try:
            threads = int(text)
        except ValueError:
            threads = 0
        if threads < 1:
            raise ValueError(
                f"${THREADS_VARIABLE} must be a positive integer, got '{text}'"
            )
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    return threads


def cpu_passes(*, bounds_check: bool, threads: int = 0) -> list[ModulePass]:
    """The dlc-cpu passes, with loop-bounds-check before loop-to-llvm if asked.

    Checking after every loop-level pass checks the loops as they will run; the
    messages of a kernel's checks name the function it was outlined from.
    ``threads`` goes to loop-parallelize (0: decided at run time).
    """
    from dlc.lowering.loop_to_llvm import LoopToLLVMPass
    from dlc.pipelines import CPU_PIPELINE
    from dlc.transforms.loop_bounds_check import LoopBoundsCheckPass
    from dlc.transforms.loop_parallelize import LoopParallelizePass

    passes: list[ModulePass] = []
    for pass_ in CPU_PIPELINE:
        if bounds_check and isinstance(pass_, LoopToLLVMPass):
            passes.append(LoopBoundsCheckPass())
        if isinstance(pass_, LoopParallelizePass):
            pass_ = replace(pass_, threads=threads)
        passes.append(pass_)
    return passes


def run_pipeline(
    ctx: Any,
    module: ModuleOp,
    passes: Sequence[ModulePass],
    times: CompileTimes,
    observe: Callable[[ModulePass, ModuleOp], None] | None = None,
    *,
    verify: bool = True,
    op_verifiers: bool = True,
) -> None:
    """Run ``passes`` in order, timing each; verify the result once at the end
    (unless ``verify=False``: more passes follow).

    ``observe``, if given, sees the module after each pass. ``op_verifiers=False``
    keeps the structural and dominance checks of the final verification but skips
    each op's own verifier.
    """
    for pass_ in passes:
        start = time.perf_counter()
        pass_.apply(ctx, module)
        times.passes[pass_.name] = (
            times.passes.get(pass_.name, 0.0) + time.perf_counter() - start
        )
        if observe is not None:
            observe(pass_, module)
    if verify:
        verify_module(module, op_verifiers=op_verifiers)
