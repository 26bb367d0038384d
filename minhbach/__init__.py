"""minhbach: transparency websites about administrative-procedure dossiers."""

__version__ = "0.1.0"
