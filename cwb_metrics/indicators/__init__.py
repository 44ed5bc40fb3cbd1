"""Indicators: the catalogue, builders, validation, refresh and import.

The committed catalogue describes each indicator; builders derive canonical CSVs from
sources; validation checks canonical CSVs; the refresh and the importer write new data
versions.
"""
