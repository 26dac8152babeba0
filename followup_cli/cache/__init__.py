"""Results kept between runs so an unchanged sheet is never read twice (see store.py, sheets.py)."""
