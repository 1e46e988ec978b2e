"""nn-to-tensor patterns for the nn pooling ops."""

from xdsl.pattern_rewriter import RewritePattern

POOLING_PATTERNS: list[RewritePattern] = []
