"""Helpers shared by every export (CSV files now; Common Cartridge and SKJ files later)."""
