"""Canonicalization patterns for the nn dialect.

Kept apart from the op definitions, as in xDSL; every nn op reaches them through the
``NNCanonicalization`` trait of :class:`dlc.dialects.nn.base.NNOp`.
"""

from xdsl.pattern_rewriter import RewritePattern


def canonicalization_patterns() -> tuple[RewritePattern, ...]:
    return ()
