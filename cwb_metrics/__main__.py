"""Entry point: ``python -m cwb_metrics``."""

import sys

from cwb_metrics.cli import main

sys.exit(main())
