"""consejo: council democracy and accountable distribution of vital supplies."""

__version__ = "0.1.0"
