"""Shared test helpers: a real office suite (LibreOffice), PDF page geometry, workbooks built from fixtures."""
