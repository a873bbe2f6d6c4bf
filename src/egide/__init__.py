"""egide: find known abuse material by hash, triage the unknown, follow the money and the travel.

Every capability is a package of its own (``egide.hashing``, ``egide.index``, ``egide.banks``,
``egide.scan`` ...); the CLI and the HTTP service are thin layers over those library calls.
"""

__version__ = "0.1.0"
