"""Data files shipped with the package (trained weights)."""
