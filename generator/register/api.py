"""The register as a library: record county submissions, read them back, compare, report over time.

    from generator.register import Register
    reg = Register("gaizao.db")                       # or Register() for $GAIZAO_DB / ./gaizao.db
    res = reg.add("禹州市.xlsx", received=date(2023, 3, 1), by="张三", policy="xuchang/2023")
    reg.history("禹州市"); reg.changes("禹州市"); reg.status(date(2023, 6, 30)); reg.series(2023)

No click, no global state: every method opens its own SQLite connection and closes it, so one
``Register`` may be shared by the threads of a web server. The CLI (register/cli.py) is a thin layer
over these methods.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.errors import GaizaoError, InputError, UsageError
from generator.findings import Finding, Severity, jsonable
from generator.policy.wording import lower_unit, policy_level
from generator.register import db, store


@dataclass
class Submission:
    id: int
    county: str
    version: int
    received: dt.date
    recorded_at: str
    recorded_by: str
    file_name: str
    format: str
    sha256: str
    policy_id: str
    policy_version: str
    policy_hash: str
    sample: bool
    errors: int
    warnings: int
    note: str | None = None
    period: str | None = None                 # YYYY-MM a 信息月报 is for (None: a plan or other material)

    @classmethod
    def from_row(cls, row) -> "Submission":
        d = dict(row)
        d["received"] = dt.date.fromisoformat(d["received"])
        d["sample"] = bool(d["sample"])
        return cls(**d)

    def to_dict(self) -> dict:
        return jsonable(asdict(self))


@dataclass
class ProjectSnapshot:
    """One 项目清单 row as recorded (dates ISO text or None; households None when unreadable)."""

    row: int
    project: str | None
    community: str | None
    households: int | None
    planned_start: str | None
    planned_end: str | None
    actual_start: str | None
    actual_end: str | None


SNAPSHOT_FIELDS = ("row", "project", "community", "households", "planned_start", "planned_end",
                   "actual_start", "actual_end")


@dataclass
class AddResult:
    submission: Submission
    findings: list[Finding]                       # validation findings at the time (stored)
    duplicate: bool = False                       # the same bytes for the same county and day were already there
    changes: object | None = None                 # changes.ChangeSet against the previous submission
    previous: Submission | None = None


def _policy(policy):
    """A LoadedPolicy from a LoadedPolicy or a REF."""
    if hasattr(policy, "policy") and hasattr(policy, "manifest"):
        return policy
    from generator.policy import load_policy
    return load_policy(policy or "xuchang/2023")


def _iso(v) -> str | None:
    return v.isoformat() if isinstance(v, dt.date) else None


def snapshot(plan) -> list[ProjectSnapshot]:
    """The project rows of a Plan as stored in the register."""
    from generator.ledger import contract as C
    out = []
    for r in plan.projects:
        hh = r.value(C.HOUSEHOLDS)
        pid = r.value(C.PROJECT_ID)
        community = r.value(C.COMMUNITY)
        out.append(ProjectSnapshot(r.row, None if pid is None else str(pid).strip(),
                                   None if community is None else str(community),
                                   hh if hh.__class__ is int else None,
                                   _iso(r.value(C.PLANNED_START)), _iso(r.value(C.PLANNED_END)),
                                   _iso(r.value(C.ACTUAL_START)), _iso(r.value(C.ACTUAL_END))))
    return out


def _finding_json(f: Finding) -> str:
    d = f.to_dict("zh")
    d["message_en"] = f.message_en
    return json.dumps(d, ensure_ascii=False)


def _finding_from_json(text: str) -> Finding:
    d = json.loads(text)
    d["severity"] = Severity(d["severity"])
    return Finding(**{k: v for k, v in d.items()})


class Register:
    """The register at ``path`` (default ``$GAIZAO_DB`` or ``./gaizao.db``)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else db.default_path()

    def _open(self, create: bool = False):
        return db.opened(self.path, create=create)

    # -- recording --------------------------------------------------------------------------------
    def add(self, source, *, received: dt.date, by: str, county: str | None = None, policy="xuchang/2023",
            file_name: str | None = None, note: str | None = None, period: str | None = None) -> AddResult:
        """Record one submission: ``source`` is a path or the file's bytes (then give ``file_name``).

        The bytes are read once, parsed and validated from exactly those bytes (the input is never
        touched again), then stored with their findings and parsed project rows in one transaction.
        """
        if not by or not str(by).strip():
            raise UsageError("请注明登记人（--by）", "say who records the submission (--by)")
        if not isinstance(received, dt.date):
            raise UsageError("收到日期应为日期", "received must be a date")
        period = _period(period)
        if isinstance(source, (bytes, bytearray)):
            data = bytes(source)
            if not file_name:
                raise UsageError("以字节登记时须给出原文件名", "file_name is required with bytes")
        else:
            p = Path(source)
            if not p.is_file():
                raise InputError("找不到文件或不是文件", "file not found or not a file", location=str(source))
            data = p.read_bytes()
            file_name = file_name or p.name
        lp = _policy(policy)
        plan, findings = _read_and_validate(data, file_name, lp, received)
        county = _county_of(plan, county, file_name, lp)
        from generator.render.checklists import plan_is_sample
        sample = plan_is_sample(plan)
        rows = snapshot(plan)
        errors = sum(1 for f in findings if f.severity == Severity.ERROR)
        warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
        m = lp.manifest()
        from generator.register.facts import dumps, facts_of
        facts_json = dumps(facts_of(lp))
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._open(create=True) as conn:
            with db.transaction(conn):
                digest = store.put(conn, data)
                conn.execute("INSERT OR IGNORE INTO policy_facts(policy_hash, facts) VALUES (?, ?)",
                             (m["policy_hash"], facts_json))
                dup = conn.execute("SELECT * FROM submissions WHERE county = ? AND sha256 = ? AND received = ? "
                                   "AND policy_hash = ?", (county, digest, received.isoformat(),
                                                           m["policy_hash"])).fetchone()
                if dup is not None:
                    sub = Submission.from_row(dup)
                    return AddResult(sub, self._findings(conn, sub.id), duplicate=True)
                version = conn.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE county = ?",
                                       (county,)).fetchone()[0]
                cur = conn.execute(
                    "INSERT INTO submissions(county, version, received, recorded_at, recorded_by, file_name, format, "
                    "sha256, policy_id, policy_version, policy_hash, sample, errors, warnings, note, period) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (county, version, received.isoformat(), now, str(by).strip(), file_name, plan.format, digest,
                     m["policy_id"], m["policy_version"], m["policy_hash"], int(sample), errors, warnings, note,
                     period))
                sid = cur.lastrowid
                conn.executemany("INSERT INTO findings(submission_id, seq, code, severity, body) VALUES (?,?,?,?,?)",
                                 [(sid, i, f.code, f.severity.value, _finding_json(f)) for i, f in enumerate(findings)])
                conn.executemany("INSERT INTO projects(submission_id, row, project, community, households, "
                                 "planned_start, planned_end, actual_start, actual_end) VALUES (?,?,?,?,?,?,?,?,?)",
                                 [(sid, *(getattr(r, k) for k in SNAPSHOT_FIELDS)) for r in rows])
            sub = _get(conn, sid)
            prev = _previous(conn, sub)
            result = AddResult(sub, findings, previous=prev)
            if prev is not None:
                from generator.register.changes import compare
                result.changes = compare(prev, _projects(conn, prev.id), sub, _projects(conn, sub.id), lp)
        return result

    # -- reading ----------------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.is_file()

    def submissions(self, county: str | None = None, *, until: dt.date | None = None) -> list[Submission]:
        """Submissions in the order they were received (then recorded), optionally of one county / up to a day."""
        sql, args = "SELECT * FROM submissions WHERE 1=1", []
        if county is not None:
            sql += " AND county = ?"
            args.append(county)
        if until is not None:
            sql += " AND received <= ?"
            args.append(until.isoformat())
        with self._open() as conn:
            return [Submission.from_row(r) for r in conn.execute(sql + " ORDER BY received, id", args)]

    def history(self, county: str) -> list[Submission]:
        subs = self.submissions(county)
        if not subs:
            known = {s.county for s in self.submissions()}
            raise UsageError(f"登记库中没有“{county}”的报送" + (f"（已有：{'、'.join(sorted(known))}）" if known else ""),
                             f"no submission of {county!r} in the register")
        return subs

    def get(self, sid: int) -> Submission:
        with self._open() as conn:
            return _get(conn, sid)

    def previous(self, sub: Submission) -> Submission | None:
        """The county's submission received just before ``sub`` (same day: recorded before it)."""
        with self._open() as conn:
            return _previous(conn, sub)

    def findings(self, sid: int) -> list[Finding]:
        with self._open() as conn:
            return self._findings(conn, int(sid))

    @staticmethod
    def _findings(conn, sid: int) -> list[Finding]:
        return [_finding_from_json(b) for (b,) in
                conn.execute("SELECT body FROM findings WHERE submission_id = ? ORDER BY seq", (sid,))]

    def blob(self, sid: int) -> bytes:
        """The submitted file's bytes, exactly as received."""
        sub = self.get(sid)
        with self._open() as conn:
            return store.get(conn, sub.sha256)

    def projects(self, sid: int) -> list[ProjectSnapshot]:
        with self._open() as conn:
            return _projects(conn, sid)

    def plan(self, sid: int, policy="xuchang/2023"):
        """The submission read back as a ledger Plan (from its stored bytes), for renderers that take plans."""
        sub = self.get(sid)
        lp = _policy(policy)
        plan, _ = _read_and_validate(self.blob(sid), sub.file_name, lp, sub.received, validate=False)
        return plan

    def plans_as_of(self, day: dt.date, policy="xuchang/2023") -> dict:
        """county -> Plan of the latest submission received on or before ``day``."""
        from generator.register.series import latest_ids
        with self._open() as conn:
            ids = latest_ids(conn, day)
        return {county: self.plan(sid, policy) for county, sid in ids.items()}

    # -- over time --------------------------------------------------------------------------------
    def changes(self, county: str, a: int | None = None, b: int | None = None, *, policy="xuchang/2023"):
        """What changed from submission ``a`` to ``b`` (default: the county's last two)."""
        from generator.register.changes import compare
        if (a is None) != (b is None):
            raise UsageError("请给出两个报送编号，或都不给（比较最近两次）", "give two submission ids or none")
        lp = _policy(policy)
        if a is None:
            subs = self.history(county)
            if len(subs) < 2:
                raise UsageError(f"“{county}”只有 {len(subs)} 次报送，无从比较",
                                 f"{county!r} has {len(subs)} submission(s): nothing to compare")
            a, b = subs[-2].id, subs[-1].id
        with self._open() as conn:
            old, new = _get(conn, a), _get(conn, b)
            for s in (old, new):
                if s.county != county:
                    raise UsageError(f"报送 {s.id} 属于“{s.county}”，不是“{county}”",
                                     f"submission #{s.id} is {s.county!r}'s, not {county!r}'s")
            return compare(old, _projects(conn, old.id), new, _projects(conn, new.id), lp)

    def rewrites(self, county: str | None = None, *, policy="xuchang/2023") -> list[Finding]:
        """History-rewriting findings over each county's consecutive submissions (错报 candidates)."""
        lp = _policy(policy)
        out = []
        counties = [county] if county else sorted({s.county for s in self.submissions()})
        for c in counties:
            subs = self.submissions(c)
            for old, new in zip(subs, subs[1:]):
                out.extend(self.changes(c, old.id, new.id, policy=lp).findings)
        return out

    def recorded_policy(self, until: dt.date | None = None):
        """The policy the latest submission (received by ``until``) was judged against, as its recorded facts
        (facts.PolicyFacts: enough for status, series and the 汇总表 without loading the policy)."""
        with self._open() as conn:
            return _recorded(conn, until)

    def _lp(self, conn, policy, until):
        return _recorded(conn, until) if policy is None else _policy(policy)

    def status(self, as_of: dt.date, *, policy="xuchang/2023"):
        """``policy=None``: judged against the policy recorded with the latest submission (no policy load)."""
        from generator.register.series import status
        with self._open() as conn:
            return status(conn, self._lp(conn, policy, as_of), as_of)

    def series(self, year: int | None = None, *, policy="xuchang/2023", as_of: dt.date | None = None):
        from generator.register.series import monthly
        with self._open() as conn:
            lp = self._lp(conn, policy, as_of)
            return monthly(conn, lp, year or lp.policy.year, as_of)

    def write_summary(self, path, as_of: dt.date, *, policy="xuchang/2023") -> Path:
        """The city-wide 汇总表 (XLSX) as of a day: the one function the CLI, the build and a web page call."""
        from generator.register.summary import write_summary
        with self._open() as conn:
            lp = self._lp(conn, policy, as_of)
        return write_summary(self.status(as_of, policy=lp), self.series(lp.policy.year, policy=lp, as_of=as_of),
                             lp, path)


# -- helpers ------------------------------------------------------------------------------------
def _recorded(conn, until: dt.date | None):
    from generator.register.facts import PolicyFacts
    sql = ("SELECT f.facts FROM submissions s JOIN policy_facts f ON f.policy_hash = s.policy_hash"
           + (" WHERE s.received <= ?" if until else "") + " ORDER BY s.received DESC, s.id DESC LIMIT 1")
    row = conn.execute(sql, (until.isoformat(),) if until else ()).fetchone()
    if row is None:
        row = conn.execute("SELECT f.facts FROM submissions s JOIN policy_facts f ON f.policy_hash = s.policy_hash "
                           "ORDER BY s.received, s.id LIMIT 1").fetchone()
    if row is None:
        raise UsageError("登记库中没有可依据的政策（尚无报送，或报送早于政策记录），请用 --policy 指定",
                         "the register records no policy to judge by (no submission yet): give --policy")
    return PolicyFacts(json.loads(row[0]))


def _period(value) -> str | None:
    """'2023-03' (also 2023-3, 2023年3月, a date) -> '2023-03'; None stays None."""
    import re
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return f"{value.year}-{value.month:02d}"
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*", str(value))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(f"报送期应为年月，如 2023-03，不是“{value}”", f"period must be a month like 2023-03, not {value!r}")
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def _get(conn, sid: int) -> Submission:
    row = conn.execute("SELECT * FROM submissions WHERE id = ?", (int(sid),)).fetchone()
    if row is None:
        raise UsageError(f"登记库中没有编号为 {sid} 的报送", f"no submission #{sid} in the register")
    return Submission.from_row(row)


def _previous(conn, sub: Submission) -> Submission | None:
    row = conn.execute("SELECT * FROM submissions WHERE county = ? AND (received < ? OR (received = ? AND id < ?)) "
                       "ORDER BY received DESC, id DESC LIMIT 1",
                       (sub.county, sub.received.isoformat(), sub.received.isoformat(), sub.id)).fetchone()
    return None if row is None else Submission.from_row(row)


def _projects(conn, sid: int) -> list[ProjectSnapshot]:
    return [ProjectSnapshot(*r) for r in conn.execute(
        f"SELECT {', '.join(SNAPSHOT_FIELDS)} FROM projects WHERE submission_id = ? ORDER BY row", (int(sid),))]


def _read_and_validate(data: bytes, file_name: str, lp, received: dt.date, *, validate: bool = True):
    """Parse ``data`` as the file named ``file_name`` (the reader needs a path: a private temp copy)."""
    from generator.ledger.reader import read_plan
    from generator.fileio import safe_filename
    with tempfile.TemporaryDirectory(prefix="gaizao-register-") as tmp:
        path = Path(tmp) / safe_filename(Path(file_name).name)
        path.write_bytes(data)
        shown = str(path)
        try:
            plan = read_plan(path, lp)
        except GaizaoError as exc:          # name the file as the user knows it, not the private copy
            if exc.location:
                exc.location = exc.location.replace(shown, file_name)
            raise
        findings = _validate(plan, lp, received) if validate else []
    plan.file = file_name
    for f in [*findings, *plan.read_findings]:
        if f.file == shown:
            f.file = file_name
    return plan, findings


def _validate(plan, lp, received: dt.date) -> list[Finding]:
    """The validator's findings as of the day received (when the validator knows dates; see validate --as-of)."""
    import inspect

    from generator.validate import engine, validate_plan
    for fn in (validate_plan, engine.validate_plan):
        if "as_of" in inspect.signature(fn).parameters:
            return fn(plan, lp, as_of=received)
    return validate_plan(plan, lp)


def _county_of(plan, given: str | None, file_name: str, lp) -> str:
    p = lp.policy
    found = plan.county
    if given and found and given != found:
        raise InputError(f"工作簿写的是“{found}”，与 --county “{given}” 不符", f"the workbook says {found!r}, not {given!r}",
                         location=f"{file_name} · 基本信息")
    name = given or found
    unit = lower_unit(policy_level(p))                # 县（市、区） under a city, 市 under a province
    if not name:
        raise InputError(f"工作簿未写明{unit}，请用 --county 指定", "the workbook names no county: give --county",
                         location=f"{file_name} · 基本信息")
    if p.county(name) is None:
        raise InputError(f"“{name}”不是{p.id}中的{unit}（{'、'.join(c.name for c in p.counties)}）",
                         f"{name!r} is not a county of {p.id}", location=file_name)
    return name
