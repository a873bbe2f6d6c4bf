"""Signal types (md5, sha1, sha256, pdq, photodna) behind one small interface."""

from egide.signals.types import (
    CRYPTOGRAPHIC_BY_LENGTH,
    MD5,
    PDQ,
    PHOTODNA,
    SHA1,
    SHA256,
    SignalType,
    all_types,
    get,
    register,
)

__all__ = [
    "CRYPTOGRAPHIC_BY_LENGTH",
    "MD5",
    "PDQ",
    "PHOTODNA",
    "SHA1",
    "SHA256",
    "SignalType",
    "all_types",
    "get",
    "register",
]
