"""Exact Hamming range search over binary hashes (PDQ), by multi-index hashing.

``HammingIndex`` answers "which known hashes are within distance r of this one" exactly, for the
field's match threshold (31 of 256 bits) and beyond, at millions of entries.
"""

from egide.index.hamming import HammingIndex
from egide.index.hexcodec import codes_to_hex, hex_to_codes

__all__ = ["HammingIndex", "codes_to_hex", "hex_to_codes"]
