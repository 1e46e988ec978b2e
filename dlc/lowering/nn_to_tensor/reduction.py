"""nn-to-tensor patterns for the nn reduction ops."""

from xdsl.pattern_rewriter import RewritePattern

REDUCTION_PATTERNS: list[RewritePattern] = []
