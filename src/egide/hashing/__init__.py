"""Cryptographic and perceptual (PDQ) hashes of files, for matching against shared hash lists.

``hash_file`` / ``hash_stream`` / ``hash_bytes`` give a :class:`FileHashes` record per file and
never raise for bad content: the record's ``error`` says what went wrong. ``pdq_hash`` and
``pdq_dihedral`` hash already-decoded pixels with Meta's reference implementation.
"""

from .hasher import hash_bytes, hash_file, hash_stream
from .pdq import DIHEDRAL_ORDER, pdq_dihedral, pdq_hash
from .records import FileHashes, HashOptions, Kind

__all__ = [
    "DIHEDRAL_ORDER",
    "FileHashes",
    "HashOptions",
    "Kind",
    "hash_bytes",
    "hash_file",
    "hash_stream",
    "pdq_dihedral",
    "pdq_hash",
]
