"""The council's Community Wealth Building action plan: actions, their status, and the indicators they should move."""
