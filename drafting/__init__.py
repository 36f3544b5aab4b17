"""drafting: assemble, version, compare and redline negotiated agreements."""

__version__ = "0.1.0"
