"""The county plan workbook: its contract (contract.py), the typed plan (model.py), reading and writing."""
