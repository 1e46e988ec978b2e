"""nn-to-tensor patterns for the nn elementwise ops."""

from xdsl.pattern_rewriter import RewritePattern

ELEMENTWISE_PATTERNS: list[RewritePattern] = []
