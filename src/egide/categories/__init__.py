"""Category schemes (Project VIC US, DHS, UK CAID) kept as data, and categories as scheme + code."""

from egide.categories.schemes import Category, Scheme, parse_category, schemes

__all__ = ["Category", "Scheme", "parse_category", "schemes"]
