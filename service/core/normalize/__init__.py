"""Normalize stage: raw pages to a clean, identified Article (page.py), and its parts."""
