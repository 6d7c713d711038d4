"""UK lists: the OFSI consolidated list (retired 2026-01-28) and the UK Sanctions List."""
