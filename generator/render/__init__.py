"""Official documents rendered from a policy: DOCX (python-docx / docxtpl) and PDF (WeasyPrint)."""
