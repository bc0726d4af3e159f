"""Which policy a command judges against, when ``--policy`` is not given (issue 23, item 3: no hidden default city).

In this order, the first that says something wins:

1. ``--policy REF`` on the command line;
2. the policy the register (``--db``) recorded with its latest submission (register and web commands);
3. ``policy = "xuchang/2023"`` in a ``gaizao.toml`` found in the current folder or the nearest folder above it
   (a relative path there is read from the toml's folder);
4. the environment variable ``GAIZAO_POLICY``.

With none of them the command stops (exit 2) and says the four ways. The choice and where it came from are kept
(``Chosen``) so the command can say which policy it used and why.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.errors import PolicyLoadError, UsageError

ENV = "GAIZAO_POLICY"
CONFIG = "gaizao.toml"
CONFIG_MAX_BYTES = 64 * 1024        # a settings file, not a data file: anything larger is not ours


@dataclass(frozen=True)
class Chosen:
    ref: str
    source: str                     # --policy | register | gaizao.toml | GAIZAO_POLICY | list (register import)
    where: str | None = None        # the toml's path, the register's path

    def said(self, lang: str = "zh") -> str:
        en = lang == "en"
        if self.source == "--policy":
            return "--policy" if en else "命令行 --policy"
        if self.source == "register":
            return f"the register {self.where}" if en else f"登记库 {self.where} 记录的政策"
        if self.source == CONFIG:
            return str(self.where)
        if self.source == "list":
            return f"the list {self.where}" if en else f"清单 {self.where} 所写的 policy"
        return f"environment {ENV}" if en else f"环境变量 {ENV}"


class NoPolicyChosen:
    """What ``--policy`` holds when nothing names a policy: loading it raises the message (inside the command,
    so it is said in the command's language with exit 2, never as a traceback)."""

    def error(self) -> UsageError:
        return UsageError(
            "未指定政策。请用以下任一方式指定（依次查找）：1. 命令行 --policy 编号或路径（如 --policy xuchang/2023）；"
            "2. 登记库（--db）中已登记报送所依据的政策；3. 当前文件夹或其上级文件夹中的 gaizao.toml，"
            "写 policy = \"xuchang/2023\"；4. 环境变量 GAIZAO_POLICY=xuchang/2023。已知编号可用 gaizao policy list 查看",
            "no policy given. Name one (looked up in this order): 1. --policy REF (e.g. --policy xuchang/2023); "
            "2. the policy the register (--db) recorded its submissions under; 3. policy = \"xuchang/2023\" in a "
            "gaizao.toml in the current folder or a folder above it; 4. the environment variable "
            "GAIZAO_POLICY=xuchang/2023. Known ids: gaizao policy list")

    def __str__(self) -> str:           # never mistaken for a ref in a message
        return "（未指定政策）"

    def __bool__(self) -> bool:
        return False


def find_config(start: Path | None = None) -> Path | None:
    """The nearest gaizao.toml in ``start`` (default: the current folder) or a folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        f = folder / CONFIG
        if f.exists() and not f.is_dir():
            return f
    return None


def config_policy(start: Path | None = None) -> Chosen | None:
    """``policy = …`` of the nearest gaizao.toml, or None (no file, or a file without the key)."""
    import tomllib

    f = find_config(start)
    if f is None:
        return None
    from generator.policy.yamlsrc import read_bounded
    try:        # a regular file of bounded size (a FIFO named gaizao.toml is refused, never waited on)
        data = tomllib.loads(read_bounded(f, CONFIG_MAX_BYTES, PolicyLoadError, str(f)).decode("utf-8"))
    except UnicodeDecodeError:
        raise PolicyLoadError("设置文件不是 UTF-8 编码", "the settings file is not UTF-8", location=str(f)) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyLoadError(f"设置文件不是有效的 TOML：{exc}", f"the settings file is not valid TOML: {exc}",
                              location=str(f)) from None
    except OSError as exc:
        raise PolicyLoadError(f"无法读取设置文件：{exc.strerror}", f"cannot read the settings file: {exc.strerror}",
                              location=str(f)) from None
    value = data.get("policy")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise PolicyLoadError("设置文件中的 policy 应为政策编号或路径（如 policy = \"xuchang/2023\"）",
                              "`policy` in the settings file must be a policy id or path (policy = \"xuchang/2023\")",
                              location=str(f))
    value = value.strip()
    if value.startswith((".", "/", "~")):     # a path is read from the toml's folder, wherever the command runs
        value = str((f.parent / Path(value).expanduser()).resolve())
    return Chosen(value, CONFIG, str(f))


def recorded_in_register(db_path) -> Chosen | None:
    """The policy id the register's latest submission was judged against; None when there is no register file
    or it records none. Read-only and quiet: a register that cannot be read is the command's to report.
    ``db_path`` comes from the command layer (--db, $GAIZAO_DB, ./gaizao.db): the policy floor knows no register."""
    import sqlite3

    if db_path is None:
        return None
    if hasattr(db_path, "recorded_policy"):      # a register on a server (register/pg.PgUrl): it answers itself
        pid = db_path.recorded_policy()
        return Chosen(pid.strip(), "register", str(db_path)) if pid and pid.strip() else None
    path = Path(db_path)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT policy_id FROM submissions ORDER BY received DESC, id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, ValueError, OSError):
        return None
    if not row or not isinstance(row[0], str) or not row[0].strip():
        return None
    return Chosen(row[0].strip(), "register", str(path))


def choose(given: str | None, *, db_path=None, use_register: bool = False) -> Chosen | NoPolicyChosen:
    """The policy a command uses (module docstring); NoPolicyChosen when nothing names one."""
    if given:
        return Chosen(str(given), "--policy")
    if use_register:
        hit = recorded_in_register(db_path)
        if hit is not None:
            return hit
    hit = config_policy()
    if hit is not None:
        return hit
    env = os.environ.get(ENV, "").strip()
    if env:
        return Chosen(env, ENV)
    return NoPolicyChosen()


def resolve_policy_ref(given: str | None, *, db_path=None, use_register: bool = False) -> str:
    """The REF to load, or UsageError (exit 2) saying the four ways to name one."""
    chosen = choose(given, db_path=db_path, use_register=use_register)
    if isinstance(chosen, NoPolicyChosen):
        raise chosen.error()
    return chosen.ref
