"""Indicators: the committed catalogue, builders that derive canonical CSVs from sources,
validation of canonical CSVs, and the refresh that writes a new data version."""
