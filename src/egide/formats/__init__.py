"""Hash-list formats as plug-ins: egide CSV, md5sum, hashdeep, VICS, ICSE, threatexchange, NSRL."""

from egide.formats.base import FormatError, ListFormat, all_formats, get_format, register_format
from egide.formats.egide_csv import EgideCsvFormat
from egide.formats.hashdeep import HashdeepFormat
from egide.formats.icse import IcseFormat
from egide.formats.md5sum import Md5sumFormat
from egide.formats.nsrl import NsrlFormat
from egide.formats.records import ListEntry, RecordError
from egide.formats.threatexchange_text import ThreatExchangeTextFormat
from egide.formats.vics import VicsFormat

_FORMATS: tuple[ListFormat, ...] = (
    EgideCsvFormat(),
    Md5sumFormat(),
    HashdeepFormat(),
    VicsFormat(),
    IcseFormat(),
    ThreatExchangeTextFormat(),
    NsrlFormat(),
)
for _format in _FORMATS:
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
