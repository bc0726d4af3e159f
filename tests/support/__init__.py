"""Shared test helpers: a real office suite (LibreOffice) and PDF page geometry."""
