"""Category schemes (Project VIC US, DHS, UK CAID...) kept as data, categories as scheme + code,
and a mapping table between schemes that is never guessed beyond."""

from egide.categories.mapping import Mapping, map_category, mappings
from egide.categories.schemes import Category, Scheme, parse_category, schemes

__all__ = ["Category", "Mapping", "Scheme", "map_category", "mappings", "parse_category", "schemes"]
