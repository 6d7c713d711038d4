"""The HTTP service: screening API, yente-compatible endpoints, and the analyst web UI's host."""
