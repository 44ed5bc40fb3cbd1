"""The Doughnut portrait: each indicator placed against its foundation or ceiling."""
