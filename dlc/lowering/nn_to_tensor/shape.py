"""nn-to-tensor patterns for the nn shape ops."""

from xdsl.pattern_rewriter import RewritePattern

SHAPE_PATTERNS: list[RewritePattern] = []
