"""GPU memory spaces of buffers: ``#gpu.address_space<workgroup|private|global>``.

A buffer's memory space is the builtin ``memref`` memory_space attribute. MLIR's
gpu dialect names the spaces with ``#gpu.address_space<...>``; xDSL 0.74's gpu
dialect has no such attribute, so dlc defines it here and registers it with xDSL's
gpu ops as one ``gpu`` dialect (:data:`GPU_DIALECT`). Inside a ``gpu.block``
loop (level 1) or a kernel (level 2)::

    %tile = memref.alloc() : memref<16x16xf32, #gpu.address_space<workgroup>>
    %acc = memref.alloc() : memref<16x16x4x4xf32, #gpu.address_space<private>>

``workgroup`` is one block's shared memory, ``private`` a thread's own storage
(at level 1 its leading dims are the thread loop extents, one slice per thread).
A memref without a memory space is global device memory.
"""

from __future__ import annotations

from xdsl.dialects.builtin import MemRefType
from xdsl.dialects.gpu import GPU
from xdsl.dialects.utils import EnumAttribute
from xdsl.ir import Attribute, Dialect
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.str_enum import StrEnum


class AddressSpace(StrEnum):
    GLOBAL = "global"
    WORKGROUP = "workgroup"
    PRIVATE = "private"


@irdl_attr_definition
class AddressSpaceAttr(EnumAttribute[AddressSpace]):
    """MLIR's spelling, ``#gpu.address_space<workgroup>``."""

    name = "gpu.address_space"

    def print_parameter(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            printer.print_string(self.data.value)

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> AddressSpace:
        with parser.in_angle_brackets():
            return parser.parse_str_enum(AddressSpace)


WORKGROUP = AddressSpaceAttr(AddressSpace.WORKGROUP)
PRIVATE = AddressSpaceAttr(AddressSpace.PRIVATE)


def address_space(memref_type: Attribute) -> AddressSpace | None:
    """The GPU memory space of a memref type, None for plain (global) memory."""
    if isinstance(memref_type, MemRefType):
        space = memref_type.memory_space  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if isinstance(space, AddressSpaceAttr):
            return space.data
    return None


GPU_DIALECT = Dialect("gpu", [*GPU.operations], [*GPU.attributes, AddressSpaceAttr])
"""xDSL's gpu dialect plus the address-space attribute."""
