"""Content-addressed storage of submitted files: each distinct byte string is stored once, under its
sha256, in the register's ``blobs`` table (the same transaction as the submission that brings it), and
never overwritten (the schema's triggers refuse UPDATE and DELETE)."""
from __future__ import annotations

import sqlite3

from generator.fileio import sha256_bytes


def put(conn: sqlite3.Connection, data: bytes) -> str:
    """Store ``data`` (if not stored yet) and return its sha256. Call inside a transaction."""
    digest = sha256_bytes(data)
    conn.execute("INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)", (digest, len(data), data))
    return digest


def get(conn: sqlite3.Connection, digest: str) -> bytes | None:
    row = conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (digest,)).fetchone()
    return None if row is None else bytes(row[0])
