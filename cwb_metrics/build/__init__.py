"""Build: make and inspect data versions.

``refresh`` fetches every official source and runs the indicator builders and table
producers into a new data version; ``importer`` validates an analyst's file and writes it
as a new version (``rollback`` copies an earlier one); ``local_meta`` reads the indicator
records a version carries; ``status`` reports what each version was built from and what is due.
"""
