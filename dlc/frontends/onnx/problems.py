"""What the ONNX importer cannot import, collected and reported all at once.

A converter that meets something dlc cannot express raises :class:`Unsupported`
with a short reason. The importer records it as a :class:`Problem` and goes on with
the next node, so that one run lists everything a model needs, grouped by op type
and reason::

    error: cannot import model.onnx: dlc does not support 4 of its nodes (3 op types):
      TopK (2 nodes: topk_1, topk_2): no converter for this op
      Resize (1 node: resize_3): mode = 'cubic' is not supported (supported:
        'nearest', 'linear')
      Erf (1 node: erf_0): needs nn.erf, which this dlc does not have

A node that reads the result of a failed node is converted too, on a stand-in of
the type shape inference gave that result, so that its own problems are listed; an
input it needs as a constant raises :class:`Skipped` instead, which is not reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from dlc.diagnostics import DiagnosticError

NAMES_SHOWN = 5
"""How many node names a report line lists before "and N more"."""


class Unsupported(Exception):
    """A node uses an op, attribute value or input form that dlc cannot import."""


class Skipped(Exception):
    """A node reads a value that an unsupported node should have produced.

    It is not reported: the node that failed first already is.
    """


@dataclass(frozen=True)
class Problem:
    """One node the importer could not convert, and why."""

    op_type: str
    node: str
    reason: str


@dataclass
class OnnxImportError(DiagnosticError):
    """The model cannot be imported; ``problems`` lists every node that failed."""

    problems: list[Problem] = field(default_factory=list[Problem])


def unsupported_report(source: str, problems: Sequence[Problem]) -> OnnxImportError:
    """One error listing every problem, one line per op type and reason."""
    groups: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        groups.setdefault((problem.op_type, problem.reason), []).append(problem.node)
    count = len({(p.op_type, p.node) for p in problems})
    op_types = Counter(op_type for op_type, _ in groups)
    lines = [
        f"cannot import {source}: dlc does not support {count} of its nodes "
        f"({len(op_types)} op type{'s' * (len(op_types) != 1)}):"
    ]
    for (op_type, reason), nodes in groups.items():
        shown = ", ".join(nodes[:NAMES_SHOWN])
        if len(nodes) > NAMES_SHOWN:
            shown += f" and {len(nodes) - NAMES_SHOWN} more"
        noun = "node" if len(nodes) == 1 else "nodes"
        lines.append(f"  {op_type} ({len(nodes)} {noun}: {shown}): {reason}")
    return OnnxImportError("\n".join(lines), problems=list(problems))
