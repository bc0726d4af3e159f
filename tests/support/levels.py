"""A policy as published by another unit, for tests of the level's words."""
from __future__ import annotations

import dataclasses


def as_unit(lp, name: str, addressee: str | None = None):
    """许昌 2023 as if published by ``name`` (河南省, 建安区): only the unit, and so its level, differs."""
    d = lp.policy.document
    upd = {"city": d.city.model_copy(update={"value": name})}
    if addressee:
        upd["addressees"] = d.addressees.model_copy(update={"value": [addressee]})
    return dataclasses.replace(lp, policy=lp.policy.model_copy(update={"document": d.model_copy(update=upd)}))
