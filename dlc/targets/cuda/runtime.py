"""Run a level-3 host function on the GPU: a launch plan, then driver calls.

After ``dlc-gpu`` the host function of a module only manages buffers and launches
kernels (see docs/gpu.md)::

    func.func @main(%x: memref<4x8xf32>, %out: memref<4x8xf32>) {
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      %t = memref.alloc() : memref<4x8xf32>
      %w = memref.get_global @__constant_8xf32 : memref<8xf32>
      gpu.launch_func @dlc_kernels::@main_kernel_0 blocks in (%c1, %c1, %c1)
          threads in (%c32, %c1, %c1) args(%x : memref<4x8xf32>, %w : ..., %t : ...)
      gpu.launch_func @dlc_kernels::@main_kernel_1 ... args(%t : ..., %out : ...)
      memref.dealloc %t : memref<4x8xf32>
      func.return
    }

Interpreting that IR on every call would cost more than the kernels of a small
model, so :meth:`LaunchPlan.of` reads it once into plain data: the device buffers
(the arguments, each ``memref.alloc``, each global), and for each launch its kernel,
grid, block and buffer list. Anything else in a host function is a diagnostic that
names the op. A :class:`CudaFunction` then runs the plan: inputs host -> device, the
launches in order (each kernel parameter a bare device pointer, in ``args`` order),
one synchronization, outputs device -> host.

Device buffers are allocated at the first call and kept for the next ones, and each
global's data is uploaded once: ``cuMemAlloc`` synchronizes the device and costs
more than small kernels. So a compiled function holds its device memory until it
is garbage-collected or closed, and calls on one function run one at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import prod
from typing import Any, Literal

import numpy as np
from xdsl.dialects import arith, func, gpu, llvm, memref
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    NoneAttr,
)
from xdsl.ir import Operation, SSAValue

from dlc.compiler import CompiledCallable, CompileTimes, TensorSignature
from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.interpreter.scalar import numpy_dtype
from dlc.resources import resource_blob
from dlc.targets.cuda.driver import Driver, Module

NumpyArray = np.ndarray[Any, Any]

HOST_OPS = (
    "arith.constant (index), memref.alloc, memref.dealloc, memref.get_global, "
    "gpu.launch_func and func.return"
)
"""What a host function may contain: the GPU contract of docs/gpu.md."""

MAX_THREADS_PER_BLOCK = 1024
MAX_GRID = (2**31 - 1, 65535, 65535)
MAX_BLOCK = (1024, 1024, 64)

BufferKind = Literal["argument", "temporary", "global"]


@dataclass(frozen=True)
class Buffer:
    """One device buffer of a plan: a function argument (``index`` is its
    position), a ``memref.alloc``, or a ``memref.global`` (``symbol``)."""

    kind: BufferKind
    shape: tuple[int, ...]
    dtype: np.dtype[Any]
    index: int = -1
    symbol: str = ""

    @property
    def nbytes(self) -> int:
        return prod(self.shape) * self.dtype.itemsize


@dataclass(frozen=True)
class Launch:
    """One ``gpu.launch_func``: ``kernel`` of gpu.module ``module`` on ``grid``
    blocks of ``block`` threads, its parameters the plan's ``buffers``."""

    module: str
    kernel: str
    grid: tuple[int, int, int]
    block: tuple[int, int, int]
    buffers: tuple[int, ...]
    shared_bytes: int = 0


@dataclass(frozen=True)
class LaunchPlan:
    """What a host function does, as data: buffers, then launches in order."""

    function: str
    buffers: tuple[Buffer, ...]
    launches: tuple[Launch, ...]
    globals: Mapping[str, NumpyArray]

    @property
    def arguments(self) -> tuple[Buffer, ...]:
        return tuple(b for b in self.buffers if b.kind == "argument")

    @staticmethod
    def of(module: ModuleOp, name: str) -> LaunchPlan:
        """The plan of host function ``@name`` of a level-3 (or level-2) module."""
        return _PlanBuilder(module).build(name)

    def check_signature(
        self, inputs: Sequence[TensorSignature], outputs: Sequence[TensorSignature]
    ) -> None:
        """The host function takes the buffers of ``inputs`` then ``outputs``."""
        expected = [*inputs, *outputs]
        found = self.arguments
        if len(found) != len(expected) or any(
            b.shape != s.shape or b.dtype != s.dtype
            for b, s in zip(found, expected, strict=False)
        ):
            want = ", ".join(s.describe() for s in expected)
            got = ", ".join(f"{b.dtype}{list(b.shape)}" for b in found)
            raise DiagnosticError(
                f"cuda runtime: host function @{self.function} takes ({got}), "
                f"expected the buffers of its inputs then outputs ({want})"
            )


def gpu_modules(module: ModuleOp) -> list[gpu.ModuleOp]:
    """The gpu.modules of a module, each one PTX module (and one CUmodule)."""
    return [op for op in module.ops if isinstance(op, gpu.ModuleOp)]


class _PlanBuilder:
    def __init__(self, module: ModuleOp):
        self.module = module
        self.kernels: dict[tuple[str, str], int] = {}
        self.globals: dict[str, memref.GlobalOp] = {}
        for op in module.ops:
            if isinstance(op, gpu.ModuleOp):
                for kernel in op.body.block.ops:
                    if isinstance(kernel, llvm.FuncOp | gpu.FuncOp):
                        arity = len(kernel.function_type.inputs.data)
                        self.kernels[(op.sym_name.data, kernel.sym_name.data)] = arity
            elif isinstance(op, memref.GlobalOp):
                self.globals[op.sym_name.data] = op
        self.buffers: list[Buffer] = []
        self.slots: dict[SSAValue, int] = {}
        self.constants: dict[SSAValue, int] = {}
        self.global_slots: dict[str, int] = {}

    def build(self, name: str) -> LaunchPlan:
        function = self._host_function(name)
        for index, argument in enumerate(function.args):
            shape, dtype = _static_buffer(argument.type, function, f"argument {index}")
            self._add(argument, Buffer("argument", shape, dtype, index=index))
        launches: list[Launch] = []
        for op in function.body.block.ops:
            launch = self._read(op, name)
            if launch is not None:
                launches.append(launch)
        return LaunchPlan(
            name,
            tuple(self.buffers),
            tuple(launches),
            {
                symbol: global_array(self.globals[symbol])
                for symbol in self.global_slots
            },
        )

    def _host_function(self, name: str) -> func.FuncOp:
        for op in self.module.ops:
            if isinstance(op, func.FuncOp) and op.sym_name.data == name:
                if op.body.blocks.first is None or len(op.body.blocks) != 1:
                    raise _error(op, f"host function @{name} must have one block")
                return op
        raise DiagnosticError(f"cuda runtime: no host function @{name} in the module")

    def _add(self, value: SSAValue, buffer: Buffer) -> None:
        self.slots[value] = len(self.buffers)
        self.buffers.append(buffer)

    def _read(self, op: Operation, name: str) -> Launch | None:
        if isinstance(op, arith.ConstantOp):
            value = op.value
            if not isinstance(value, IntegerAttr) or not isinstance(
                op.result.type, IndexType | IntegerType
            ):
                raise _error(
                    op,
                    f"host function @{name}: arith.constant must be an integer "
                    f"(a grid or block size), found {value}",
                )
            self.constants[op.result] = value.value.data
        elif isinstance(op, memref.AllocOp):
            if op.dynamic_sizes or op.symbol_operands:
                raise _error(op, f"host function @{name}: memref.alloc must be static")
            shape, dtype = _static_buffer(op.memref.type, op, "memref.alloc")
            self._add(op.memref, Buffer("temporary", shape, dtype))
        elif isinstance(op, memref.DeallocOp):
            self._slot(op.memref, op, "memref.dealloc")
        elif isinstance(op, memref.GetGlobalOp):
            symbol = op.name_.root_reference.data
            if symbol not in self.globals:
                raise _error(op, f"memref.get_global: no memref.global @{symbol}")
            if symbol in self.global_slots:
                self.slots[op.memref] = self.global_slots[symbol]
            else:
                shape, dtype = _static_buffer(op.memref.type, op, "memref.get_global")
                self.global_slots[symbol] = len(self.buffers)
                self._add(op.memref, Buffer("global", shape, dtype, symbol=symbol))
        elif isinstance(op, gpu.LaunchFuncOp):
            return self._launch(op)
        elif isinstance(op, func.ReturnOp):
            if op.arguments:
                raise _error(op, f"host function @{name} must return nothing")
        else:
            raise _error(
                op,
                f"host function @{name} may only contain {HOST_OPS} to run on the "
                f"GPU, found {op.name}",
            )
        return None

    def _launch(self, op: gpu.LaunchFuncOp) -> Launch:
        if op.asyncDependencies or op.asyncToken is not None:
            raise _error(op, "gpu.launch_func: async launches are not supported")
        if op.clusterSizeX is not None:
            raise _error(op, "gpu.launch_func: thread block clusters are not supported")
        module, kernel = _kernel_symbol(op)
        if (module, kernel) not in self.kernels:
            raise _error(
                op, f"gpu.launch_func: no kernel @{kernel} in a gpu.module @{module}"
            )
        grid = self._sizes(op, "grid", (op.gridSizeX, op.gridSizeY, op.gridSizeZ))
        block = self._sizes(op, "block", (op.blockSizeX, op.blockSizeY, op.blockSizeZ))
        _check_sizes(op, grid, block)
        shared = op.dynamicSharedMemorySize
        shared_bytes = 0 if shared is None else self._constant(shared, op, "shared")
        buffers = tuple(
            self._slot(value, op, f"kernel operand {i}")
            for i, value in enumerate(op.kernelOperands)
        )
        arity = self.kernels[(module, kernel)]
        if arity != len(buffers):
            raise _error(
                op,
                f"gpu.launch_func: kernel @{kernel} takes {arity} parameters, "
                f"the launch passes {len(buffers)} buffers",
            )
        return Launch(module, kernel, grid, block, buffers, shared_bytes)

    def _sizes(
        self, op: Operation, what: str, values: Sequence[SSAValue]
    ) -> tuple[int, int, int]:
        x, y, z = (self._constant(v, op, f"{what} size") for v in values)
        return (x, y, z)

    def _constant(self, value: SSAValue, op: Operation, what: str) -> int:
        if value not in self.constants:
            raise _error(op, f"{op.name}: the {what} must be an arith.constant")
        return self.constants[value]

    def _slot(self, value: SSAValue, op: Operation, what: str) -> int:
        if value not in self.slots:
            raise _error(
                op,
                f"{op.name}: {what} must be a buffer of the host function (an "
                f"argument, memref.alloc or memref.get_global), found {value.type}",
            )
        return self.slots[value]


def _kernel_symbol(op: gpu.LaunchFuncOp) -> tuple[str, str]:
    reference = op.kernel
    if len(reference.nested_references.data) != 1:
        raise _error(op, f"gpu.launch_func: expected @module::@kernel, got {reference}")
    return reference.root_reference.data, reference.nested_references.data[0].data


def _check_sizes(
    op: Operation, grid: tuple[int, int, int], block: tuple[int, int, int]
) -> None:
    for what, sizes, limits in (("grid", grid, MAX_GRID), ("block", block, MAX_BLOCK)):
        if any(not 1 <= s <= m for s, m in zip(sizes, limits, strict=True)):
            raise _error(
                op,
                f"gpu.launch_func: {what} size {list(sizes)} must be within 1 and "
                f"{list(limits)}",
            )
    if prod(block) > MAX_THREADS_PER_BLOCK:
        raise _error(
            op,
            f"gpu.launch_func: block of {prod(block)} threads {list(block)}, at most "
            f"{MAX_THREADS_PER_BLOCK}",
        )


def _static_buffer(
    memref_type: Any, op: Operation, what: str
) -> tuple[tuple[int, ...], np.dtype[Any]]:
    """Shape and dtype of a static global-memory memref, or a diagnostic."""
    if (
        not isinstance(memref_type, MemRefType)
        or any(d < 0 for d in memref_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        or not isinstance(memref_type.memory_space, NoneAttr)  # pyright: ignore[reportUnknownMemberType]
        or not isinstance(memref_type.layout, NoneAttr)  # pyright: ignore[reportUnknownMemberType]
    ):
        raise _error(
            op,
            f"cuda runtime: {what} must be a static memref in global memory "
            f"with the identity layout, found {memref_type}",
        )
    shape = tuple(memref_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    return shape, numpy_dtype(memref_type.element_type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


def _error(op: Operation, message: str) -> DiagnosticError:
    return DiagnosticError(message, SourceLocation.of(op.location))


def global_array(op: memref.GlobalOp) -> NumpyArray:
    """The elements of a ``memref.global``: its dense value (maybe a splat), its
    ``dense_resource`` blob, or zeros if it has no initial value."""
    shape, dtype = _static_buffer(op.type, op, f"memref.global @{op.sym_name.data}")
    value = op.initial_value
    raw: bytes | None = None
    if isinstance(value, DenseIntOrFPElementsAttr):
        raw = value.data.data
    elif isinstance(value, DenseResourceAttr):
        raw = resource_blob(value.resource_handle.data)
        if raw is None:
            raise _error(
                op,
                f"memref.global @{op.sym_name.data}: resource "
                f"'{value.resource_handle.data}' has no blob, its data is unknown",
            )
    if raw is None:
        return np.zeros(shape, dtype)
    elements = np.frombuffer(raw, dtype.newbyteorder("<")).astype(dtype)
    if elements.size == 1:
        return np.full(shape, elements[0], dtype)
    return elements.reshape(shape)


@dataclass
class CudaProgram:
    """A function lowered for the GPU, before any GPU is involved: the level-3
    module, the PTX of each gpu.module (for ``gpu_arch``) and the launch plan."""

    name: str
    inputs: Sequence[TensorSignature]
    outputs: Sequence[TensorSignature]
    times: CompileTimes
    module: ModuleOp
    ptx: Mapping[str, str]
    plan: LaunchPlan
    gpu_arch: str


class CudaFunction(CompiledCallable):
    """A function compiled for the GPU: call it with numpy arrays.

    ``ptx`` is the PTX of each gpu.module, ``plan`` what a call launches.
    :meth:`time_kernels` times the launches alone with CUDA events.
    """

    def __init__(self, program: CudaProgram, device: Driver):
        super().__init__(program.name, program.inputs, program.outputs, program.times)
        self.plan = program.plan
        self.ptx = dict(program.ptx)
        self.gpu_arch = program.gpu_arch
        self.device_name = device.name
        self._driver = device
        start = time.perf_counter()
        self._modules: dict[str, Module] = {
            module: device.load_module(text) for module, text in self.ptx.items()
        }
        self._kernels = [
            self._modules[launch.module].function(launch.kernel)
            for launch in self.plan.launches
        ]
        self.times.llvm += time.perf_counter() - start
        self._pointers: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, *arrays: Any) -> Any:
        """Run on ``arrays``; one result comes back as an array, several as a tuple."""
        self.check_arguments(arrays)
        results = [np.empty(out.shape, out.dtype) for out in self.outputs]
        with self._lock:
            pointers = self._upload(arrays)
            self._launch_all(pointers)
            self._driver.synchronize()
            outputs = pointers[len(self.inputs) : len(self.inputs) + len(results)]
            for result, pointer in zip(results, outputs, strict=True):
                self._driver.copy_to_host(result, pointer)
        return results[0] if len(results) == 1 else tuple(results)

    def time_kernels(self, arrays: Sequence[Any], runs: int) -> list[float]:
        """Milliseconds of each of ``runs`` executions of the launches alone, with
        ``arrays`` copied to the device first, timed by CUDA events (the GPU's
        clock, without the host's launch overhead before the first kernel)."""
        self.check_arguments(arrays)
        start, end = self._driver.event(), self._driver.event()
        milliseconds: list[float] = []
        with self._lock:
            pointers = self._upload(arrays)
            for _ in range(runs):
                start.record()
                self._launch_all(pointers)
                end.record()
                milliseconds.append(end.since(start))
        return milliseconds

    def close(self) -> None:
        """Free the device buffers now rather than when garbage-collected."""
        with self._lock:
            pointers, self._pointers = self._pointers, []
            for pointer in pointers:
                self._driver.free(pointer)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - the driver may be gone at exit
            pass

    def _device_buffers(self) -> list[int]:
        if not self._pointers:
            pointers: list[int] = []
            try:
                for buffer in self.plan.buffers:
                    pointers.append(self._driver.alloc(buffer.nbytes))
                    if buffer.kind == "global":
                        data = np.ascontiguousarray(self.plan.globals[buffer.symbol])
                        self._driver.copy_to_device(pointers[-1], data)
            except BaseException:
                for pointer in pointers:
                    self._driver.free(pointer)
                raise
            self._pointers = pointers
        return self._pointers

    def _upload(self, arrays: Sequence[Any]) -> list[int]:
        """The device buffers (allocated at the first call), inputs copied in."""
        pointers = self._device_buffers()
        for array, pointer in zip(arrays, pointers, strict=False):
            self._driver.copy_to_device(pointer, array)
        return pointers

    def _launch_all(self, pointers: Sequence[int]) -> None:
        for launch, kernel in zip(self.plan.launches, self._kernels, strict=True):
            self._driver.launch(
                kernel,
                launch.grid,
                launch.block,
                [pointers[b] for b in launch.buffers],
                launch.shared_bytes,
            )
