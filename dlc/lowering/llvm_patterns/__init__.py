"""Pattern sets that convert dlc's loop-level dialects to xDSL's llvm dialect.

xDSL has no conversions from arith, math, func, cf or memref to llvm; these are
dlc's, one module per source dialect, each exporting a list of patterns. A lowering
composes the sets it needs (``loop-to-llvm`` for the CPU; the GPU lowering reuses
them for kernel bodies), applies them with
:class:`~dlc.lowering.llvm_patterns.dispatch.DispatchingApplier` and finishes with
:func:`reconcile_casts`.
:mod:`~dlc.lowering.llvm_patterns.conversion` explains how types are converted.
"""

from dlc.lowering.llvm_patterns.arith import ARITH_PATTERNS
from dlc.lowering.llvm_patterns.control_flow import CONTROL_FLOW_PATTERNS
from dlc.lowering.llvm_patterns.conversion import (
    check_llvm_only,
    llvm_type,
    reconcile_casts,
)
from dlc.lowering.llvm_patterns.func import FUNC_PATTERNS
from dlc.lowering.llvm_patterns.loop import LOOP_PATTERNS
from dlc.lowering.llvm_patterns.math import MATH_PATTERNS
from dlc.lowering.llvm_patterns.memref import MEMREF_PATTERNS

__all__ = [
    "ARITH_PATTERNS",
    "CONTROL_FLOW_PATTERNS",
    "FUNC_PATTERNS",
    "LOOP_PATTERNS",
    "MATH_PATTERNS",
    "MEMREF_PATTERNS",
    "check_llvm_only",
    "llvm_type",
    "reconcile_casts",
]
