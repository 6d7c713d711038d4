"""EU Financial Sanctions Files (XML)."""
