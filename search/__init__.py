"""Vietnamese-aware product search."""
