"""The check catalogue: rules with stable codes that read a Report."""

from .base import Context, Rule
from .registry import RULES, rule, run

__all__ = ["RULES", "Context", "Rule", "rule", "run"]
