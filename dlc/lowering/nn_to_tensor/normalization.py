"""nn-to-tensor patterns for the nn normalization ops."""

from xdsl.pattern_rewriter import RewritePattern

NORMALIZATION_PATTERNS: list[RewritePattern] = []
