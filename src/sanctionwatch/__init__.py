"""sanctionwatch: sanctions screening from the official list files to explainable alerts."""

__version__ = "0.1.0"
__all__ = ["__version__"]
