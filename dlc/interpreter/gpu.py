"""A GPU emulator: level-2 IR (host functions launching ``gpu.func`` kernels) run
in the reference interpreter, so tests can check that loop-to-gpu preserves what
the loop level computes, on a machine without a GPU.

``gpu.launch_func`` runs the kernel once per block, block after block. The threads
of a block run as Python threads, each with its own xDSL interpreter, sharing the
memref buffers (global memory) and the block's workgroup buffers; ``gpu.barrier``
is a ``threading.Barrier`` of the block. A kernel without barriers needs none of
that: its threads run one after another in the calling interpreter, which is one
of the orders a GPU may run them in.

``memref.alloca`` in ``#gpu.address_space<workgroup>`` returns the block's one
buffer for that op; any other ``memref.alloca`` a fresh zeroed buffer (a thread's
private array).
"""

from __future__ import annotations

import itertools
import sys
import threading
from dataclasses import dataclass, field
from math import prod
from typing import Any

from xdsl.dialects import gpu, memref
from xdsl.dialects.builtin import MemRefType
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    ReturnedValues,
    TerminatorValue,
    impl,
    impl_terminator,
    register_impls,
)
from xdsl.interpreters.builtin import xtype_for_el_type
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.interpreters.utils.ptr import TypedPtr
from xdsl.ir import Operation
from xdsl.utils.exceptions import InterpretationError

from dlc.dialects.loop.memory_space import AddressSpace, address_space

Triple = tuple[int, int, int]
AXES = {gpu.DimensionEnum.X: 0, gpu.DimensionEnum.Y: 1, gpu.DimensionEnum.Z: 2}


@dataclass
class GpuThread:
    """Where the thread an interpreter runs sits in the launch."""

    thread_id: Triple
    block_id: Triple
    block_dim: Triple
    grid_dim: Triple
    shared: dict[Operation, ShapedArray[Any]] = field(
        default_factory=dict[Operation, ShapedArray[Any]]
    )
    barrier: threading.Barrier | None = None


def _thread(interpreter: Interpreter, op: Operation) -> GpuThread:
    thread = interpreter.get_data(GpuFunctions, "thread", lambda: None)
    if not isinstance(thread, GpuThread):
        raise InterpretationError(f"{op.name} runs outside a gpu.launch_func")
    return thread


def _zeros(memref_type: MemRefType, interpreter: Interpreter) -> ShapedArray[Any]:
    shape = memref_type.get_shape()
    xtype = xtype_for_el_type(memref_type.element_type, interpreter.index_bitwidth)
    return ShapedArray(TypedPtr[Any].zeros(prod(shape), xtype=xtype), list(shape))


@register_impls
class GpuFunctions(InterpreterFunctions):
    """The gpu ops of level 2, emulated on the CPU."""

    @impl(gpu.LaunchFuncOp)
    def run_launch_func(
        self, interpreter: Interpreter, op: gpu.LaunchFuncOp, args: PythonValues
    ) -> PythonValues:
        values = dict(zip(op.operands, args, strict=True))
        grid = (values[op.gridSizeX], values[op.gridSizeY], values[op.gridSizeZ])
        block = (values[op.blockSizeX], values[op.blockSizeY], values[op.blockSizeZ])
        operands = tuple(values[v] for v in op.kernelOperands)
        kernel = interpreter.get_op_for_symbol(op.kernel)
        assert isinstance(kernel, gpu.FuncOp)
        synchronized = any(isinstance(o, gpu.BarrierOp) for o in kernel.walk())
        run_block = _run_threads if synchronized else _run_in_turn
        for bz, by, bx in itertools.product(*(range(n) for n in reversed(grid))):
            run_block(interpreter, kernel, operands, (bx, by, bz), block, grid)
        return ()

    @impl(gpu.ThreadIdOp)
    def run_thread_id(
        self, interpreter: Interpreter, op: gpu.ThreadIdOp, args: PythonValues
    ) -> PythonValues:
        return (_thread(interpreter, op).thread_id[AXES[op.dimension.data]],)

    @impl(gpu.BlockIdOp)
    def run_block_id(
        self, interpreter: Interpreter, op: gpu.BlockIdOp, args: PythonValues
    ) -> PythonValues:
        return (_thread(interpreter, op).block_id[AXES[op.dimension.data]],)

    @impl(gpu.BlockDimOp)
    def run_block_dim(
        self, interpreter: Interpreter, op: gpu.BlockDimOp, args: PythonValues
    ) -> PythonValues:
        return (_thread(interpreter, op).block_dim[AXES[op.dimension.data]],)

    @impl(gpu.GridDimOp)
    def run_grid_dim(
        self, interpreter: Interpreter, op: gpu.GridDimOp, args: PythonValues
    ) -> PythonValues:
        return (_thread(interpreter, op).grid_dim[AXES[op.dimension.data]],)

    @impl(gpu.BarrierOp)
    def run_barrier(
        self, interpreter: Interpreter, op: gpu.BarrierOp, args: PythonValues
    ) -> PythonValues:
        barrier = _thread(interpreter, op).barrier
        if barrier is not None:
            barrier.wait()
        return ()

    @impl(memref.AllocaOp)
    def run_alloca(
        self, interpreter: Interpreter, op: memref.AllocaOp, args: PythonValues
    ) -> PythonValues:
        memref_type = op.memref.type
        assert isinstance(memref_type, MemRefType)
        if address_space(memref_type) != AddressSpace.WORKGROUP:
            return (_zeros(memref_type, interpreter),)  # pyright: ignore[reportUnknownArgumentType]
        shared = _thread(interpreter, op).shared
        buffer = _zeros(memref_type, interpreter)  # pyright: ignore[reportUnknownArgumentType]
        return (shared.setdefault(op, buffer),)

    @impl_terminator(gpu.ReturnOp)
    def run_return(
        self, interpreter: Interpreter, op: gpu.ReturnOp, args: PythonValues
    ) -> tuple[TerminatorValue, PythonValues]:
        return ReturnedValues(args), ()


def _thread_ids(block: Triple) -> list[Triple]:
    return [
        (tx, ty, tz)
        for tz, ty, tx in itertools.product(*(range(n) for n in reversed(block)))
    ]


def _run_in_turn(
    interpreter: Interpreter,
    kernel: gpu.FuncOp,
    operands: PythonValues,
    block_id: Triple,
    block: Triple,
    grid: Triple,
) -> None:
    shared: dict[Operation, ShapedArray[Any]] = {}
    outer = interpreter.get_data(GpuFunctions, "thread", lambda: None)
    for thread_id in _thread_ids(block):
        thread = GpuThread(thread_id, block_id, block, grid, shared)
        interpreter.set_data(GpuFunctions, "thread", thread)
        interpreter.run_ssacfg_region(kernel.body, operands, kernel.sym_name.data)
    interpreter.set_data(GpuFunctions, "thread", outer)


def _run_threads(
    interpreter: Interpreter,
    kernel: gpu.FuncOp,
    operands: PythonValues,
    block_id: Triple,
    block: Triple,
    grid: Triple,
) -> None:
    from dlc.interpreter import make_interpreter

    shared: dict[Operation, ShapedArray[Any]] = {}
    ids = _thread_ids(block)
    barrier = threading.Barrier(len(ids))
    errors: list[BaseException] = []

    def run(thread: GpuThread) -> None:
        own = make_interpreter(interpreter.module)
        own.set_data(GpuFunctions, "thread", thread)
        try:
            own.run_ssacfg_region(kernel.body, operands, kernel.sym_name.data)
        except BaseException as exception:  # noqa: BLE001 (re-raised below)
            errors.append(exception)
            barrier.abort()

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # threads hand over at barriers, not each 5 ms
    workers = [
        threading.Thread(
            target=run, args=(GpuThread(t, block_id, block, grid, shared, barrier),)
        )
        for t in ids
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    sys.setswitchinterval(switch)
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if real or errors:
        raise (real or errors)[0]
