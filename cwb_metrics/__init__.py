"""cwb-metrics: a Doughnut-Economics data portrait and community-wealth-building metrics.

The package turns official published files into validated indicators and a Doughnut
portrait. Data flows through named stages::

    sources (raw official files)  ->  indicators (validated canonical CSVs)
        ->  portrait (scores per area)  ->  charts (Altair specs)  ->  pages (Streamlit)

This package never imports streamlit: the app lives in ``app.py`` and ``pages/``.
"""

__version__ = "0.1.0"
