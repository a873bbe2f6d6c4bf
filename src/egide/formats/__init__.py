"""Hash-list formats as plug-ins: md5sum, hashdeep and egide CSV (more formats register here)."""

from egide.formats.base import FormatError, ListFormat, all_formats, get_format, register_format
from egide.formats.egide_csv import EgideCsvFormat
from egide.formats.hashdeep import HashdeepFormat
from egide.formats.md5sum import Md5sumFormat
from egide.formats.records import ListEntry, RecordError

for _format in (EgideCsvFormat(), Md5sumFormat(), HashdeepFormat()):
    register_format(_format)

__all__ = [
    "FormatError",
    "ListEntry",
    "ListFormat",
    "RecordError",
    "all_formats",
    "get_format",
    "register_format",
]
