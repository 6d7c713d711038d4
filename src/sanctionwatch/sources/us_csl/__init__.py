"""US Consolidated Screening List (CSV)."""
