"""Errors of the bank layer, with messages meant for the person at the keyboard."""


class BankError(ValueError):
    """A bank operation that cannot be done (unknown bank, duplicate name, bad setting)."""
