"""Areas: the configured county, its districts, wards and named neighbourhoods, resolved to LSOAs."""
