"""Deprivation: county LSOA tables from the IoD files, and deprivation profiles of areas."""
