"""Apply a lowering's patterns by op class instead of trying each on every op.

xDSL's ``GreedyRewritePatternApplier`` calls every pattern on every op it visits,
and the walker revisits the whole, already lowered module once more to see that
nothing is left: on a model with 150k llvm ops that is millions of calls that do
nothing but an ``isinstance``. Each pattern here names the op classes it can
rewrite (:attr:`LoweringPattern.roots`), and :class:`DispatchingApplier` tries
on an op only the patterns that name its class, in their list order, so that it
rewrites exactly as the greedy applier over the same list would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.transforms.dead_code_elimination import is_trivially_dead


class LoweringPattern(RewritePattern):
    """A pattern that rewrites only ops of the classes in :attr:`roots`.

    ``match_and_rewrite`` still checks the class itself, so that the pattern
    works with any applier.
    """

    roots: ClassVar[tuple[type[Operation], ...]]
    """The op classes (or their base classes) that the pattern may rewrite."""


class DispatchingApplier(RewritePattern):
    """The greedy applier over ``patterns``, trying only those that name the op's
    class (a pattern that is not a :class:`LoweringPattern` is tried on every op).

    As the greedy applier does, it first erases a trivially dead op, then stops
    at the first pattern that changes the IR.
    """

    def __init__(self, patterns: Sequence[RewritePattern]) -> None:
        self.patterns = tuple(patterns)
        self._by_class: dict[type[Operation], tuple[RewritePattern, ...]] = {}

    def _candidates(self, kind: type[Operation]) -> tuple[RewritePattern, ...]:
        candidates = tuple(
            pattern
            for pattern in self.patterns
            if not isinstance(pattern, LoweringPattern)
            or issubclass(kind, pattern.roots)
        )
        self._by_class[kind] = candidates
        return candidates

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if is_trivially_dead(op):
            rewriter.erase(op)
            return
        kind = type(op)
        candidates = self._by_class.get(kind)
        if candidates is None:
            candidates = self._candidates(kind)
        for pattern in candidates:
            pattern.match_and_rewrite(op, rewriter)
            if rewriter.has_done_action:
                return
