"""Indicators: the catalogue, builders and validation.

The committed catalogue describes each indicator; builders derive canonical rows from
sources (each declaring a params model for its ``extract.params``); validation checks
canonical CSVs. :mod:`cwb_metrics.build` runs them into data versions.
"""
