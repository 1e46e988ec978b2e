"""What schedules need to know about a CPU: vector width, registers, cache sizes.

:func:`host_cpu` describes the machine dlc runs on: the widest vector registers
its LLVM target features allow (AVX-512: 64 bytes and 32 registers; AVX/AVX2: 32
bytes and 16), and the per-core L1 data and L2 cache sizes from Linux's sysfs.
:data:`CPU_MODELS` are fixed descriptions, so that a schedule (and a FileCheck
test of one) can be made for another machine than the host.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import llvmlite.binding as llvm

DEFAULT_L1_BYTES = 32 * 1024
DEFAULT_L2_BYTES = 1024 * 1024
"""Cache sizes assumed when the host does not tell (common sizes since 2015)."""


@dataclass(frozen=True)
class CpuModel:
    """The machine properties the default schedules are derived from."""

    vector_bytes: int
    vector_registers: int
    l1_bytes: int = DEFAULT_L1_BYTES
    l2_bytes: int = DEFAULT_L2_BYTES


CPU_MODELS: dict[str, CpuModel] = {
    "avx512": CpuModel(64, 32, 48 * 1024, 1024 * 1024),
    "avx2": CpuModel(32, 16, 32 * 1024, 512 * 1024),
    "sse": CpuModel(16, 16, 32 * 1024, 256 * 1024),
}
"""Named models: ``avx512`` is a Zen 4/5 or Ice Lake core, ``avx2`` a Haswell to
Zen 3 core, ``sse`` any x86-64 (and a stand-in for 128-bit NEON)."""


@cache
def host_cpu() -> CpuModel:
    """The model of this machine (its vector ISA from LLVM, its caches from sysfs)."""
    llvm.initialize_native_target()
    features = llvm.get_host_cpu_features()
    if features.get("avx512f"):
        vector_bytes, registers = 64, 32
    elif features.get("avx"):
        vector_bytes, registers = 32, 16
    else:
        vector_bytes, registers = 16, 16
    caches = _cache_sizes()
    return CpuModel(
        vector_bytes,
        registers,
        caches.get(1, DEFAULT_L1_BYTES),
        caches.get(2, DEFAULT_L2_BYTES),
    )


def _cache_sizes() -> dict[int, int]:
    """Data (or unified) cache size by level of CPU 0, from Linux's sysfs."""
    sizes: dict[int, int] = {}
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            level = int((index / "level").read_text())
            kind = (index / "type").read_text().strip()
            size = _parse_size((index / "size").read_text().strip())
        except (OSError, ValueError):
            continue
        if kind in ("Data", "Unified"):
            sizes.setdefault(level, size)
    return sizes


def _parse_size(text: str) -> int:
    """``48K`` -> 49152; sysfs writes K, M or plain bytes."""
    units = {"K": 1024, "M": 1024 * 1024}
    if text and text[-1] in units:
        return int(text[:-1]) * units[text[-1]]
    return int(text)
