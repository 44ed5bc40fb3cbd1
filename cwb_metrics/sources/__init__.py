"""Sources: official published files and one adapter per publisher format.

Each adapter reads a raw file and returns validated rows (a DataFrame with documented
columns) or raises :class:`cwb_metrics.errors.DataValidationError` naming the file,
row and column.
"""
