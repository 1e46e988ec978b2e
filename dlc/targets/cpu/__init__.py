"""The host CPU target: llvm dialect -> LLVM IR text -> native code with llvmlite.

* :func:`llvm_ir_text` translates a module in xDSL's llvm dialect to LLVM IR;
* :class:`JitModule` compiles that IR for this machine and keeps it in memory,
  giving the address of each function (call it with ctypes);
* :func:`emit_object`, :func:`emit_assembly` and :func:`emit_shared_library` write
  it out ahead of time.

All of them optimize with LLVM's O-level pipeline for the host CPU, with its name
and features (AVX2, AVX-512, ...), so that the loop vectorizer uses the widest
vectors the machine has.
"""

from dlc.targets.cpu.emit import emit_assembly, emit_object, emit_shared_library
from dlc.targets.cpu.jit import JitModule
from dlc.targets.cpu.translate import llvm_ir_text

__all__ = [
    "JitModule",
    "emit_assembly",
    "emit_object",
    "emit_shared_library",
    "llvm_ir_text",
]
