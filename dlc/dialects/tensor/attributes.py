"""The schedule attribute: how to run a ``tensor.compute``, apart from what it computes.

A schedule never changes a compute's value, only the loop nest ``tensor-to-loop``
builds for it (TVM's split/vectorize/parallel/unroll, Halide's scheduling
directives). The loops of a compute are its output dims, then its reduction dims,
in block-argument order; every field names loops by that position::

    #tensor.schedule<tile = [32, 64, 256], parallel = [0], vectorize = 16, unroll = 4>

* ``tile``: one size per loop; 0 leaves that loop untiled (MLIR's convention).
  Empty means no tiling.
* ``parallel``: output dims whose (outer, tile) loops run in parallel.
* ``vectorize``: vector width along the innermost output dim; 1 is scalar.
* ``unroll``: unroll factor of the innermost loop; 1 is no unrolling.

Every field is optional and printed only when it is not its default. Whether the
values fit the compute (one tile size per loop, parallel dims that are output dims)
is checked by ``tensor.compute``'s verifier, so a mistake is reported at the op.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.dialects.builtin import ArrayAttr, IntAttr
from xdsl.ir import Attribute, ParametrizedAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer


@irdl_attr_definition
class ScheduleAttr(ParametrizedAttribute):
    """Tile sizes, parallel dims, vector width and unroll factor of one compute."""

    name = "tensor.schedule"

    tile: ArrayAttr[IntAttr]
    parallel: ArrayAttr[IntAttr]
    vectorize: IntAttr
    unroll: IntAttr

    def __init__(
        self,
        tile: Sequence[int] = (),
        parallel: Sequence[int] = (),
        vectorize: int = 1,
        unroll: int = 1,
    ):
        super().__init__(
            ArrayAttr(IntAttr(size) for size in tile),
            ArrayAttr(IntAttr(dim) for dim in parallel),
            IntAttr(vectorize),
            IntAttr(unroll),
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

    def print_parameters(self, printer: Printer) -> None:
        fields: list[tuple[str, Callable[[], None]]] = []
        if self.tile_sizes:
            fields.append(("tile", lambda: _print_ints(printer, self.tile_sizes)))
        if self.parallel_dims:
            fields.append(
                ("parallel", lambda: _print_ints(printer, self.parallel_dims))
            )
        if self.vector_width != 1:
            fields.append(("vectorize", lambda: printer.print_int(self.vector_width)))
        if self.unroll_factor != 1:
            fields.append(("unroll", lambda: printer.print_int(self.unroll_factor)))

        def print_field(field: tuple[str, Callable[[], None]]) -> None:
            printer.print_string(f"{field[0]} = ")
            field[1]()

        with printer.in_angle_brackets():
            printer.print_list(fields, print_field)

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> list[Attribute]:
        lists: dict[str, list[int]] = {}
        scalars: dict[str, int] = {}

        def parse_field() -> None:
            key = parser.parse_identifier(" (a schedule field)")
            if key not in ("tile", "parallel", "vectorize", "unroll"):
                parser.raise_error(
                    f"#tensor.schedule: unknown field '{key}', expected tile, "
                    "parallel, vectorize or unroll"
                )
            if key in lists or key in scalars:
                parser.raise_error(f"#tensor.schedule: field '{key}' is given twice")
            parser.parse_punctuation("=")
            if key in ("tile", "parallel"):
                lists[key] = parser.parse_comma_separated_list(
                    parser.Delimiter.SQUARE, parser.parse_integer
                )
            else:
                scalars[key] = parser.parse_integer(allow_boolean=False)

        parser.parse_comma_separated_list(parser.Delimiter.ANGLE, parse_field)
        schedule = cls(
            tile=lists.get("tile", []),
            parallel=lists.get("parallel", []),
            vectorize=scalars.get("vectorize", 1),
            unroll=scalars.get("unroll", 1),
        )
        return list(schedule.parameters)


def _print_ints(printer: Printer, values: Sequence[int]) -> None:
    with printer.in_square_brackets():
        printer.print_list(values, printer.print_int)
