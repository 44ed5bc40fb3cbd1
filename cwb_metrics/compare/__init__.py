"""Comparing councils: ONS statistical neighbours and a league of every English council."""
