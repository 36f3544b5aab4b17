"""Negotiation features over the document model; brackets.py: square brackets as data."""
