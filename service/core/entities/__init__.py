"""Entity stage: canonical, merged, placed entities and quotes (extract.py), and its parts."""
