"""The schedule attribute: how to run a ``tensor.compute``, apart from what it computes.

A schedule never changes a compute's value, only the loop nest ``tensor-to-loop``
builds for it (TVM's split/vectorize/parallel/unroll and cache_read, Halide's
scheduling directives). The loops of a compute are its output dims, then its
reduction dims, in block-argument order; every field names loops by that position::

    #tensor.schedule<tile = [32, 64, 256], parallel = [0], vectorize = 16, unroll = 4>
    #tensor.schedule<parallel = [0], vectorize = 16, register = [6, 32, 1], pack = [1]>

* ``tile``: one size per loop; 0 leaves that loop untiled (MLIR's convention).
  Empty means no tiling.
* ``parallel``: output dims whose (outer, tile) loops run in parallel.
* ``vectorize``: vector width along the innermost output dim; 1 is scalar.
* ``unroll``: unroll factor of the innermost loop; 1 is no unrolling.
* ``register``: one factor per loop: the register tile of a reduction. Given, it
  selects the register-tiled kernel (docs/schedules.md): each output loop with a
  factor ``r > 1`` is unrolled ``r`` times around the reduction loops, whose
  accumulators stay in registers; the innermost output loop's factor counts
  lanes, ``vectorize`` at a time. Reduction loops keep the factor 1.
* ``pack``: reads of the body, numbered from 0 in textual order, to copy into
  panels laid out the way the kernel walks them, before the loop nest.
* ``blocks``: the output dims mapped to GPU blocks, all of them in order (the
  last to ``gpu.block.x``, then ``y``, then ``z``). Given, it selects the
  shared-memory tiled GPU kernel (:mod:`dlc.lowering.tensor_to_loop.gpu_kernels`):
  ``tile`` is the block tile (its reduction entry the k tile) and ``register``
  the thread tile, so a block runs ``tile / register`` threads along each
  output dim::

    #tensor.schedule<tile = [64, 64, 16], register = [4, 4, 1], blocks = [0, 1]>

Every field is optional and printed only when it is not its default. Whether the
values fit the compute is checked by ``tensor.compute``'s verifier (the kernel
fields by :meth:`ScheduleAttr.verify_kernel_fields`), so a mistake is reported at
the op.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import prod

from xdsl.dialects.builtin import ArrayAttr, IntAttr
from xdsl.ir import Attribute, ParametrizedAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

_LIST_FIELDS = ("tile", "parallel", "register", "pack", "blocks")
_SCALAR_FIELDS = ("vectorize", "unroll")

MAX_GPU_THREADS = 1024
"""The most threads a CUDA block can have."""


@irdl_attr_definition
class ScheduleAttr(ParametrizedAttribute):
    """Tiles, parallel dims, vector width, unrolling, register tile, packed reads."""

    name = "tensor.schedule"

    tile: ArrayAttr[IntAttr]
    parallel: ArrayAttr[IntAttr]
    vectorize: IntAttr
    unroll: IntAttr
    register: ArrayAttr[IntAttr]
    pack: ArrayAttr[IntAttr]
    blocks: ArrayAttr[IntAttr]

    def __init__(
        self,
        tile: Sequence[int] = (),
        parallel: Sequence[int] = (),
        vectorize: int = 1,
        unroll: int = 1,
        register: Sequence[int] = (),
        pack: Sequence[int] = (),
        blocks: Sequence[int] = (),
    ):
        super().__init__(
            ArrayAttr(IntAttr(size) for size in tile),
            ArrayAttr(IntAttr(dim) for dim in parallel),
            IntAttr(vectorize),
            IntAttr(unroll),
            ArrayAttr(IntAttr(factor) for factor in register),
            ArrayAttr(IntAttr(read) for read in pack),
            ArrayAttr(IntAttr(dim) for dim in blocks),
        )

    @property
    def tile_sizes(self) -> tuple[int, ...]:
        return tuple(size.data for size in self.tile.data)

    @property
    def parallel_dims(self) -> tuple[int, ...]:
        return tuple(dim.data for dim in self.parallel.data)

    @property
    def vector_width(self) -> int:
        return self.vectorize.data

    @property
    def unroll_factor(self) -> int:
        return self.unroll.data

    @property
    def register_tile(self) -> tuple[int, ...]:
        return tuple(factor.data for factor in self.register.data)

    @property
    def packed_reads(self) -> tuple[int, ...]:
        return tuple(read.data for read in self.pack.data)

    @property
    def block_dims(self) -> tuple[int, ...]:
        return tuple(dim.data for dim in self.blocks.data)

    def fields(self) -> dict[str, int | tuple[int, ...]]:
        """The fields by name, as the constructor takes them."""
        return {
            "tile": self.tile_sizes,
            "parallel": self.parallel_dims,
            "vectorize": self.vector_width,
            "unroll": self.unroll_factor,
            "register": self.register_tile,
            "pack": self.packed_reads,
            "blocks": self.block_dims,
        }

    def verify_kernel_fields(
        self, extents: Sequence[int], rank: int, read_count: int
    ) -> None:
        """Check ``register`` and ``pack`` against a compute's loops and reads.

        ``extents`` are the loop extents (output dims, then reduction dims),
        ``rank`` the number of output dims, ``read_count`` the number of
        ``tensor.read`` ops in the body.
        """
        register = self.register_tile
        if register:
            self._verify_register(register, extents, rank)
        packed = self.packed_reads
        for read in packed:
            if not 0 <= read < read_count:
                raise VerifyException(
                    f"tensor.compute: schedule packs read {read}, but the body has "
                    f"{read_count} reads (numbered from 0 in textual order)"
                )
        if len(set(packed)) != len(packed):
            raise VerifyException(
                f"tensor.compute: schedule packs {list(packed)}, naming a read twice"
            )
        if self.block_dims:
            self._verify_blocks(extents, rank)

    def _verify_blocks(self, extents: Sequence[int], rank: int) -> None:
        """A GPU schedule: every output dim on the grid, tiles of whole threads."""
        blocks = list(self.block_dims)
        if blocks != list(range(rank)) or not 1 <= rank <= 3:
            raise VerifyException(
                f"tensor.compute: schedule maps output dims {blocks} to GPU blocks, "
                f"expected every output dim in order, {list(range(rank))}, and at "
                "most 3 of them"
            )
        cpu_fields = {"parallel": self.parallel_dims, "pack": self.packed_reads}
        for key, value in cpu_fields.items():
            if value:
                raise VerifyException(
                    f"tensor.compute: a GPU schedule (blocks = {blocks}) takes no "
                    f"{key}, got {key} = {list(value)}"
                )
        if self.vector_width != 1:
            raise VerifyException(
                f"tensor.compute: a GPU schedule (blocks = {blocks}) takes no "
                f"vectorize, got vectorize = {self.vector_width}"
            )
        tile, register = self.tile_sizes, self.register_tile
        if not tile or not register:
            raise VerifyException(
                f"tensor.compute: a GPU schedule (blocks = {blocks}) needs a tile "
                f"(the block tile) and a register tile (the thread tile), got "
                f"tile = {list(tile)}, register = {list(register)}"
            )
        for dim in range(rank):
            if tile[dim] < 1 or tile[dim] % register[dim]:
                raise VerifyException(
                    f"tensor.compute: GPU block tile {tile[dim]} of output dim {dim} "
                    f"must be a positive multiple of its thread tile {register[dim]}"
                )
        threads = prod(t // r for t, r in zip(tile[:rank], register, strict=False))
        if threads > MAX_GPU_THREADS:
            raise VerifyException(
                f"tensor.compute: GPU schedule runs {threads} threads per block "
                f"(tile {list(tile[:rank])} / register {list(register[:rank])}), "
                f"expected at most {MAX_GPU_THREADS}"
            )

    def _verify_register(
        self, register: tuple[int, ...], extents: Sequence[int], rank: int
    ) -> None:
        if len(register) != len(extents):
            raise VerifyException(
                f"tensor.compute: schedule has {len(register)} register factors but "
                f"the compute has {len(extents)} loops ({rank} output dims, then "
                f"{len(extents) - rank} reduction dims)"
            )
        if len(extents) == rank:
            raise VerifyException(
                "tensor.compute: schedule has a register tile, which needs a reduction"
            )
        if any(factor < 1 for factor in register):
            raise VerifyException(
                "tensor.compute: schedule register factors must be at least 1, "
                f"got {list(register)}"
            )
        if any(factor != 1 for factor in register[rank:]):
            raise VerifyException(
                "tensor.compute: schedule register factors of reduction loops must "
                f"be 1, got {list(register)}"
            )
        width = self.vector_width
        if width > 1 and (rank == 0 or register[rank - 1] % width):
            innermost = register[rank - 1] if rank else None
            raise VerifyException(
                f"tensor.compute: schedule register factor {innermost} of the "
                f"innermost output loop must be a multiple of the vector width {width}"
            )
        tile = self.tile_sizes or (0,) * len(extents)
        for position, (size, factor, extent) in enumerate(
            zip(tile, register, extents, strict=True)
        ):
            if 0 < size < extent and size % factor:
                raise VerifyException(
                    f"tensor.compute: schedule tile size {size} of loop {position} "
                    f"must be a multiple of its register factor {factor}"
                )

    def print_parameters(self, printer: Printer) -> None:
        fields: list[tuple[str, Callable[[], None]]] = []
        for key, value in self.fields().items():
            if isinstance(value, tuple):
                if value:
                    fields.append((key, lambda v=value: _print_ints(printer, v)))
            elif value != 1:
                fields.append((key, lambda v=value: printer.print_int(v)))

        def print_field(field: tuple[str, Callable[[], None]]) -> None:
            printer.print_string(f"{field[0]} = ")
            field[1]()

        with printer.in_angle_brackets():
            printer.print_list(fields, print_field)

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> list[Attribute]:
        return list(cls.parse_fields(parser).parameters)

    @classmethod
    def parse_fields(
        cls, parser: AttrParser, base: ScheduleAttr | None = None
    ) -> ScheduleAttr:
        """``<field = value, ...>``; fields not given keep ``base``'s values."""
        values = (base or cls()).fields()
        given: set[str] = set()

        def parse_field() -> None:
            key = parser.parse_identifier(" (a schedule field)")
            if key not in values:
                *others, last = values
                parser.raise_error(
                    f"#tensor.schedule: unknown field '{key}', expected "
                    f"{', '.join(others)} or {last}"
                )
            if key in given:
                parser.raise_error(f"#tensor.schedule: field '{key}' is given twice")
            given.add(key)
            parser.parse_punctuation("=")
            if key in _LIST_FIELDS:
                values[key] = tuple(
                    parser.parse_comma_separated_list(
                        parser.Delimiter.SQUARE, parser.parse_integer
                    )
                )
            else:
                values[key] = parser.parse_integer(allow_boolean=False)

        parser.parse_comma_separated_list(parser.Delimiter.ANGLE, parse_field)
        return cls(**values)  # pyright: ignore[reportArgumentType]


def _print_ints(printer: Printer, values: Sequence[int]) -> None:
    with printer.in_square_brackets():
        printer.print_list(values, printer.print_int)
