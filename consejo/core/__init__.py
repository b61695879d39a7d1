"""The pure domain of consejo: rules over plain data, no Django and no I/O.

Everything here is typed (``mypy --strict``), deterministic (the clock and randomness are
parameters) and usable from the command line without a database.
"""
