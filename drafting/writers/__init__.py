"""Output formats: one module per format, each reading the model only."""
