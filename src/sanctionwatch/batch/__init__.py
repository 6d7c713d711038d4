"""Screening whole files of queries, on every core."""
