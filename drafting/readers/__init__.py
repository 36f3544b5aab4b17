"""Input formats: one module per format, each producing a Document."""
