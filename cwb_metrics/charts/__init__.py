"""Chart builders: pure functions returning Altair charts (tests read their Vega-Lite specs)."""
