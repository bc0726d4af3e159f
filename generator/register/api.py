"""The register as a library: record county submissions, read them back, compare, report over time.

    from generator.register import Register
    reg = Register("gaizao.db")                       # or Register() for $GAIZAO_DB / ./gaizao.db
    res = reg.add("禹州市.xlsx", received=date(2023, 3, 1), by="张三", policy="xuchang/2023")
    reg.history("禹州市"); reg.changes("禹州市"); reg.status(date(2023, 6, 30)); reg.series(2023)
    for res in reg.add_all([dict(source=f, received=day, by="张三", policy=lp) for f in files]): ...
                                                      # a list, in its order, worker processes reading ahead

No click, no global state: every method opens its own SQLite connection and closes it, so one
``Register`` may be shared by the threads of a web server. The CLI (register/cli.py) is a thin layer
over these methods.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import tempfile
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from generator.errors import GaizaoError, InputError, UsageError
from generator.findings import Finding, Severity
from generator.policy.wording import lower_unit, policy_level
from generator.register import db, store
from generator.register.records import SNAPSHOT_FIELDS, ProjectSnapshot, Submission  # noqa: F401 (re-exported)
from generator.register.records import get_submission as _get
from generator.register.records import project_rows as _projects
from generator.register.rules import RECEIPT_CODES, parse_period as _period  # noqa: F401 (re-exported)
from generator.register.withdrawn import withdrawals


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
    if not policy:                # no hidden default city: --policy, gaizao.toml or GAIZAO_POLICY (policy/resolve.py)
        from generator.policy.resolve import resolve_policy_ref
        policy = resolve_policy_ref(None)
    return load_policy(policy)


def _iso(v) -> str | None:
    return v.isoformat() if isinstance(v, dt.date) else None


def snapshot(plan) -> list[ProjectSnapshot]:
    """The project rows of a Plan as stored in the register: read column by column (``row.value`` of each of
    eight columns of 53,000 rows was a tenth of an add; issue 19.9)."""
    from generator.ledger import contract as C
    from generator.validate.facts import column_values
    rows = plan.projects
    pids, communities, hhs, ps, pe, ast, ae = (column_values(rows, c) for c in (
        C.PROJECT_ID, C.COMMUNITY, C.HOUSEHOLDS, C.PLANNED_START, C.PLANNED_END, C.ACTUAL_START, C.ACTUAL_END))
    # 楼栋数, and 建筑面积（万㎡/㎡） when the policy states an area (issue 23.6: tracked between submissions)
    area_col = next((h for h in plan.headers.get(C.SHEET_PROJECTS, {}) if h.startswith(C.AREA)), None)
    bs = column_values(rows, C.BUILDINGS)
    areas = column_values(rows, area_col) if area_col else [None] * len(rows)
    return [ProjectSnapshot(r.row, None if pid is None else str(pid).strip(),
                            None if community is None else str(community),
                            hh if hh.__class__ is int else None, _iso(a), _iso(b), _iso(c), _iso(d),
                            bn if bn.__class__ is int else None,
                            float(ar) if ar.__class__ in (int, float) else None)
            for r, pid, community, hh, a, b, c, d, bn, ar in zip(rows, pids, communities, hhs, ps, pe, ast, ae, bs,
                                                                  areas)]


_JSON = json.JSONEncoder(ensure_ascii=False)       # one encoder for every finding (json.dumps builds one a call)


def _finding_json(f: Finding) -> str:
    d = f.to_dict("zh")
    d["message_en"] = f.message_en
    return _JSON.encode(d)


def _finding_from_json(text: str) -> Finding:
    d = json.loads(text)
    d["severity"] = Severity(d["severity"])
    return Finding(**{k: v for k, v in d.items()})


class Register:
    """The register at ``path`` (default ``$GAIZAO_DB`` or ``./gaizao.db``)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = db.target(path) if path is not None else db.default_path()
        self._ahead: dict[str, _Ahead] = {}          # read_ahead: path -> the workbook being read
        # submission id -> its project rows as this Register stored them (add), for the next submission's compare
        # (a batch: the previous one of a county is usually the one just recorded); rows are never rewritten
        self._stored_rows: dict[int, list[ProjectSnapshot]] = {}
        self._stored_lock = threading.Lock()

    def __getstate__(self) -> dict:
        """A Register goes to the web's worker processes (jobs.py): its location, not this process's caches."""
        state = self.__dict__.copy()
        state.pop("_stored_lock")
        state["_stored_rows"] = {}
        state["_ahead"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._stored_lock = threading.Lock()

    def read_ahead(self, source) -> None:
        """Begin reading the workbook at ``source`` (its bytes, a private copy, calamine in a thread) while
        another submission is validated and written: the next ``add(source)`` takes it (a batch of workbooks on
        two cores, issue 19.9). Best effort: when anything fails nothing is read ahead, and ``add`` says why."""
        try:
            p = Path(source)
            if p.is_file():
                self._ahead[str(source)] = _Ahead(p)
        except (OSError, GaizaoError):
            pass

    def _open(self, create: bool = False):
        """Reading: read-only (a file that is not a register is refused untouched); ``create``: writing."""
        return db.opened(self.path, create=create, readonly=not create)

    # -- recording --------------------------------------------------------------------------------
    def add(self, source, *, received: dt.date, by: str, county: str | None = None, policy=None,
            file_name: str | None = None, note: str | None = None, period: str | None = None,
            kind: str | None = None, force: bool = False, approved_by: str | None = None, scan=None,
            scan_name: str | None = None, today: dt.date | None = None) -> AddResult:
        """Record one submission: ``source`` is a path or the file's bytes (then give ``file_name``).

        The bytes are read once, parsed and validated from exactly those bytes (the input is never
        touched again), then stored with their findings and parsed project rows in one transaction.
        ``kind``: rules.KINDS (default 信息月报 with a period, else 年度实施方案). A received date in the future,
        outside the policy year ± 1 or before the month it reports is refused unless ``force`` (then recorded
        with a warning naming both dates). A submission under another policy than the register's is refused
        (``set_policy`` changes it explicitly). ``approved_by``/``scan``: 单位领导审核 and the sealed scan.
        """
        _check_request(by, received)
        ahead = None                                  # a workbook read ahead (read_ahead), taken here
        if self._ahead and not isinstance(source, (bytes, bytearray)):
            ahead = self._ahead.pop(str(source), None)
            if ahead is not None and file_name not in (None, Path(source).name):
                ahead.close()                 # the copy bears the name the reader is to see: read it again
                ahead = None
        try:
            ready = _prepare(source, file_name, policy, received=received, county=county, period=period, kind=kind,
                             force=force, today=today, scan=scan, scan_name=scan_name, ahead=ahead)
        finally:
            if ahead is not None:
                ahead.close()
        return self._record(ready, received=received, by=by, county=county, note=note, approved_by=approved_by)

    def add_all(self, requests: Iterable, *, processes: int | None = None) -> Iterator[AddResult | GaizaoError]:
        """Record ``requests`` strictly in their order, each ``add``'s keyword arguments with its ``source``
        (a request that is a GaizaoError, e.g. a date that could not be read, is yielded back in its place):
        yields each one's AddResult, or the GaizaoError that refused it (the next ones are still recorded).
        The register is exactly what ``add`` one by one would make.

        With ``processes`` (batch_processes: $GAIZAO_PROCESSES, else the CPUs, at most 2) of 2 or more and at
        least POOL_MIN_FILES requests, the next files are read, parsed and judged by what needs no register
        (_prepare) in that many worker processes while this one joins, judges against the register and stores
        (issue 19.9); a file a worker could not do (anything: a hostile file, a killed worker, a file changed
        since) is done here again, so its error is the one ``add`` says. Use it to the end or close it (the
        workers are shut down then, also on an error or Ctrl-C)."""
        reqs = list(requests)
        lp = next((r.get("policy") for r in reqs if isinstance(r, dict)), None)
        # the workers judge by the one loaded policy the list is recorded under (a REF is resolved by add)
        handed = [r for r in reqs if _Workers.takes(r, lp)]
        n = batch_processes(len(handed), processes, sum(_size(r["source"]) for r in handed)) \
            if hasattr(lp, "manifest") else 1
        pool = None
        if n > 1:
            try:
                pool = _Workers(lp, n)
            except (OSError, ValueError):       # no process or temporary folder to be had: all done here
                pool = None
        try:
            for i, req in enumerate(reqs):
                if pool is not None:
                    pool.fill(reqs, i)
                elif i + 1 < len(reqs) and isinstance(reqs[i + 1], dict) and \
                        isinstance(reqs[i + 1].get("source"), (str, os.PathLike)):
                    self.read_ahead(reqs[i + 1]["source"])       # loads while this one is validated
                if not isinstance(req, dict):
                    yield req
                    continue
                ready, data = pool.take(i, req) if pool is not None else (None, None)
                res: AddResult | GaizaoError
                try:
                    if ready is None and data is not None:     # the bytes read for the worker, done here
                        res = self.add(**{**req, "source": data,
                                          "file_name": req.get("file_name") or Path(req["source"]).name})
                    elif ready is None:
                        res = self.add(**req)
                    else:
                        _check_request(req.get("by"), req.get("received"))
                        res = self._record(ready, received=req["received"], by=req["by"], county=req.get("county"),
                                           note=req.get("note"), approved_by=req.get("approved_by"))
                except GaizaoError as exc:
                    res = exc
                yield res
        finally:
            if pool is not None:
                pool.close()

    def _record(self, ready: _Ready, *, received: dt.date, by: str, county: str | None, note: str | None,
                approved_by: str | None) -> AddResult:
        """What needs the register (a 月报's plan, whether a plan came on time), then storing: ``ready`` is the
        rest (_prepare), made in this process or in a worker's (add_all)."""
        from generator.register import rules as R
        lp, data, file_name, period, kind, forced = (ready.lp, ready.data, ready.file_name, ready.period, ready.kind,
                                                     ready.forced)
        scan_data, scan_name = ready.scan_data, ready.scan_name
        from generator.validate.facts import run_scope
        # one validation run: what the rules computed of the plan is read, not redone; no cyclic GC pass over
        # the millions of acyclic objects of a big plan (as the reader and the validator)
        with run_scope(), _gc_paused():
            if ready.form is not None:  # judged by the monthly rules, joined to the county's plan
                assert period is not None
                plan, findings, _ = ready.form.read(self, lp, received, county, period, _county_of)
                county = _county_of(plan, county, file_name, lp)
                sheet_date = _sheet_date(plan)
                first_plan = kind != R.PLAN or not self._plan_on_time(county, lp)
                findings, checks = _judge(plan, findings, lp, kind, received, period, sheet_date, forced, file_name,
                                          county, first_plan, monthly_form=True)
                from generator.render.checklists import plan_is_sample
                sample, rows, plan_format = plan_is_sample(plan), snapshot(plan), plan.format
            else:                       # read and judged without the register already: whether it came on time
                assert ready.judged is not None and ready.rows is not None and ready.county is not None
                county, sheet_date, sample, rows, plan_format = (ready.county, ready.sheet_date, ready.sample,
                                                                 ready.rows, ready.plan_format)
                first_plan = kind != R.PLAN or not self._plan_on_time(county, lp)
                findings, checks = ready.judged[first_plan]
        errors = sum(1 for f in findings if f.severity == Severity.ERROR)
        warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
        m = lp.manifest()
        from generator.register.facts import dumps, facts_of
        facts_json = dumps(facts_of(lp))
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        # storing and comparing make a million small acyclic objects (the rows' tuples) while the plan's are
        # alive: no cyclic GC pass over them either
        with _gc_paused(), self._open(create=True) as conn:
            with db.transaction(conn):
                _check_register_policy(conn, lp, received)
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
                    "sha256, policy_id, policy_version, policy_hash, sample, errors, warnings, note, period, kind, "
                    "sheet_date, forced) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (county, version, received.isoformat(), now, str(by).strip(), file_name, plan_format, digest,
                     m["policy_id"], m["policy_version"], m["policy_hash"], int(sample), errors, warnings, note,
                     period, kind, sheet_date, "；".join(forced) or None))
                sid = cur.lastrowid
                conn.executemany("INSERT INTO findings(submission_id, seq, code, severity, body) VALUES (?,?,?,?,?)",
                                 [(sid, i, f.code, f.severity.value, _finding_json(f)) for i, f in enumerate(findings)])
                from generator.reports.recognition import stored_decision
                decided: dict[str | None, int | None] = {None: None}   # rows repeat their facts' text (_start_checks)
                conn.executemany("INSERT INTO projects(submission_id, row, project, community, households, "
                                 "planned_start, planned_end, actual_start, actual_end, start_ok, buildings, area) "
                                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                                 [(sid, r.row, r.project, r.community, r.households, r.planned_start, r.planned_end,
                                   r.actual_start, r.actual_end,
                                   decided[c] if c in decided else decided.setdefault(c, stored_decision(c)),
                                   r.buildings, r.area)
                                  for r, c in zip(rows, checks)])
                conn.executemany("INSERT INTO project_checks(submission_id, row, facts) VALUES (?,?,?)",
                                 [(sid, r.row, c) for r, c in zip(rows, checks) if c is not None])
                if approved_by or scan_data:
                    _approve(conn, sid, approved_by, scan_data, scan_name, by, now)
            sub = _get(conn, sid)
            prev = _previous(conn, sub)
            result = AddResult(sub, findings, previous=prev)
            # the new rows as just stored (the same values, in row order): not read back (issue 19.9)
            stored = sorted(rows, key=lambda r: r.row)
            with self._stored_lock:
                old_rows = self._stored_rows.pop(prev.id, None) if prev is not None else None
                while len(self._stored_rows) >= 16:      # a batch's last submission of each county, at most
                    del self._stored_rows[next(iter(self._stored_rows))]
                self._stored_rows[sid] = stored
            if prev is not None:
                from generator.register.changes import compare
                result.changes = compare(prev, _projects(conn, prev.id) if old_rows is None else old_rows, sub,
                                         stored, lp)
        return result

    def _plan_on_time(self, county: str, lp) -> bool:
        """The county's plan was received by its deadline already (a later plan is a revision, not a late plan)."""
        d = lp.policy.deadline("county_plan") if hasattr(lp.policy, "deadline") else None
        if d is None or not self.exists():
            return False
        from generator.register.withdrawn import withdrawals
        with self._open() as conn:
            gone = withdrawals(conn)        # a withdrawn plan was not received in the sense of the deadline
            return any(sid not in gone for (sid,) in conn.execute(
                "SELECT id FROM submissions WHERE county = ? AND kind = '年度实施方案' AND received <= ?",
                (county, d.date.isoformat())))

    # -- reading ----------------------------------------------------------------------------------
    def exists(self) -> bool:
        return db.exists(self.path)

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
            subs = [Submission.from_row(r) for r in conn.execute(sql + " ORDER BY received, id", args)]
            gone = withdrawals(conn)
        for s in subs:
            s.withdrawn = gone.get(s.id)
        return subs

    def withdrawn(self, as_of: dt.date | None = None) -> dict[int, dt.date]:
        """submission id -> the day the county withdrew it (on or before ``as_of``; None: all); withdrawn.py."""
        if not self.exists():
            return {}
        with self._open() as conn:
            return withdrawals(conn, as_of)

    def history(self, county: str) -> list[Submission]:
        subs = self.submissions(county)
        if not subs:
            known = {s.county for s in self.submissions()}
            raise UsageError(f"登记库中没有“{county}”的报送" + (f"（已有：{'、'.join(sorted(known))}）" if known else ""),
                             f"no submission of {county!r} in the register")
        return subs

    def get(self, sid: int) -> Submission:
        with self._open() as conn:
            sub = _get(conn, sid)
            sub.withdrawn = withdrawals(conn).get(sub.id)
            return sub

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
            data = store.get(conn, sub.sha256)
        if data is None:
            raise InputError(f"报送 {sid} 的原始文件在登记簿中缺失（{sub.sha256[:12]}…），请从备份恢复",
                             f"the file of submission #{sid} is missing from the register; restore a backup")
        return data

    def projects(self, sid: int) -> list[ProjectSnapshot]:
        with self._open() as conn:
            return _projects(conn, sid)

    def start_checks(self, sid: int) -> dict:
        """Excel row -> the 开工认定 facts stored with submission ``sid`` (recognition.start_facts)."""
        from generator.reports.recognition import loads
        with self._open() as conn:
            has = any(r[1] == "start_check" for r in conn.execute("PRAGMA table_info(projects)"))
            if not has:
                return {}
            out = {r: loads(c) for r, c in conn.execute(
                "SELECT row, start_check FROM projects WHERE submission_id = ? AND start_check IS NOT NULL", (int(sid),))}
            if db_has(conn, "project_checks"):
                out.update({r: loads(c) for r, c in conn.execute(
                    "SELECT row, facts FROM project_checks WHERE submission_id = ?", (int(sid),))})
            return out

    def plan(self, sid: int, policy=None):
        """The submission read back as a ledger Plan (from its stored bytes), for renderers that take plans."""
        sub = self.get(sid)
        lp = _policy(policy)
        data = self.blob(sid)
        from generator.register.monthly import plan_of
        joined = plan_of(self, sub, data, lp)          # a 月报 in its own form, joined to its plan
        if joined is not None:
            return joined
        plan, _ = _read_and_validate(data, sub.file_name, lp, sub.received, validate=False)
        return plan

    def plans_as_of(self, day: dt.date, policy=None, *, rules=None) -> dict:
        """county -> Plan of the latest counted submission received on or before ``day``."""
        from generator.register.series import latest_ids
        with self._open() as conn:
            ids = latest_ids(conn, day, rules if rules is not None else self._rules(conn, day))
        return {county: self.plan(sid, policy) for county, sid in ids.items()}

    # -- over time --------------------------------------------------------------------------------
    def changes(self, county: str, a: int | None = None, b: int | None = None, *, policy=None):
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
        assert a is not None and b is not None        # both given, or both taken from the history above
        with self._open() as conn:
            old, new = _get(conn, a), _get(conn, b)
            for s in (old, new):
                if s.county != county:
                    raise UsageError(f"报送 {s.id} 属于“{s.county}”，不是“{county}”",
                                     f"submission #{s.id} is {s.county!r}'s, not {county!r}'s")
            return compare(old, _projects(conn, old.id), new, _projects(conn, new.id), lp)

    def rewrites(self, county: str | None = None, *, policy=None, until: dt.date | None = None) -> list[Finding]:
        """History-rewriting findings over each county's consecutive counted submissions (错报 candidates;
        试填报 are never compared)."""
        from generator.register.rules import TRIAL
        lp = _policy(policy)
        out = []
        counties = [county] if county else sorted({s.county for s in self.submissions()})
        for c in counties:
            subs = [s for s in self.submissions(c, until=until) if s.kind != TRIAL]
            for old, new in zip(subs, subs[1:]):
                out.extend(self.changes(c, old.id, new.id, policy=lp).findings)
        return out

    def recorded_policy(self, until: dt.date | None = None):
        """The register's policy on ``until`` as its recorded facts (facts.PolicyFacts: enough for status,
        series and the 汇总表 without loading the policy)."""
        with self._open() as conn:
            return _recorded(conn, until)

    def register_policy(self, day: dt.date | None = None) -> dict | None:
        """The register's policy on ``day``: policy_id, policy_version, policy_hash, applies_from."""
        with self._open() as conn:
            row = _register_policy(conn, day)
        return None if row is None else dict(zip(("policy_id", "policy_version", "policy_hash", "applies_from"), row))

    def set_policy(self, policy, *, applies_from: dt.date, by: str, note: str | None = None) -> dict:
        """The city changes the register's policy explicitly (18.4): recorded with the day it applies from.
        Submissions received from that day on are judged by it; earlier ones keep theirs."""
        if not by or not str(by).strip():
            raise UsageError("请注明登记人（--by）", "say who records it (--by)")
        lp = _policy(policy)
        m = lp.manifest()
        from generator.register.facts import dumps, facts_of
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._open(create=True) as conn:
            with db.transaction(conn):
                conn.execute("INSERT OR IGNORE INTO policy_facts(policy_hash, facts) VALUES (?, ?)",
                             (m["policy_hash"], dumps(facts_of(lp))))
                conn.execute("INSERT INTO register_policy(policy_id, policy_version, policy_hash, applies_from, "
                             "recorded_at, recorded_by, note) VALUES (?,?,?,?,?,?,?)",
                             (m["policy_id"], m["policy_version"], m["policy_hash"], applies_from.isoformat(), now,
                              str(by).strip(), note))
        recorded = self.register_policy(applies_from)
        assert recorded is not None                   # the row inserted above applies from that day
        return recorded

    def set_rule(self, key: str, value, *, applies_from: dt.date, by: str, note: str | None = None):
        """Record one of the office's rules (rules.RULES) with the day it applies from."""
        from generator.register import rules as R
        R.parse(key, str(value))
        if not by or not str(by).strip():
            raise UsageError("请注明登记人（--by）", "say who records it (--by)")
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._open(create=True) as conn:
            with db.transaction(conn):
                conn.execute("INSERT INTO office_rules(key, value, applies_from, recorded_at, recorded_by, note) "
                             "VALUES (?,?,?,?,?,?)", (key, str(value), applies_from.isoformat(), now, str(by).strip(), note))
        return self.rules(applies_from)

    def rules(self, as_of: dt.date):
        """The office's rules applying on ``as_of`` (defaults where none is recorded)."""
        with self._open() as conn:
            return self._rules(conn, as_of)

    @staticmethod
    def _rules(conn, as_of: dt.date):
        from generator.register import rules as R
        if not db_has(conn, "office_rules"):
            return R.OfficeRules()
        return R.read(conn, as_of)

    def approve(self, sid: int, *, approved_by: str, by: str, scan=None, scan_name: str | None = None) -> list[dict]:
        """Record that a 单位领导 approved submission ``sid`` (五（四）), with its sealed scan if given."""
        if not by or not str(by).strip():
            raise UsageError("请注明登记人（--by）", "say who records it (--by)")
        self.get(sid)
        data = _scan_bytes(scan, scan_name)
        if scan is not None and not isinstance(scan, (bytes, bytearray)):
            scan_name = scan_name or Path(scan).name
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._open(create=True) as conn:
            with db.transaction(conn):
                _approve(conn, int(sid), approved_by, data, scan_name, by, now)
        return self.approvals(sid)

    def approvals(self, sid: int) -> list[dict]:
        with self._open() as conn:
            if not db_has(conn, "approvals"):
                return []
            return [dict(r) for r in conn.execute("SELECT approved_by, scan_sha256, scan_name, recorded_at, recorded_by "
                                                  "FROM approvals WHERE submission_id = ? ORDER BY id", (int(sid),))]

    def backup(self, dest) -> Path:
        """A consistent copy through SQLite's online backup (``gaizao register backup DEST``)."""
        return db.backup(self.path, dest)

    def _lp(self, conn, policy, until):
        if policy is None:
            return _recorded(conn, until)
        lp = _policy(policy)
        _same_policy(conn, lp, until)
        return lp

    def snapshot(self, as_of: dt.date, *, policy=None, rules=None, verdicts: dict | None = None, due_day=None):
        """The one picture of the register on ``as_of`` (snapshot.Snapshot): every document and page of that
        day reads it. ``policy=None``: the register's own; ``verdicts``: inspectors' 开工认定 verdicts."""
        from generator.register.snapshot import take
        return take(self, as_of, policy=policy, rules=rules, verdicts=verdicts, due_day=due_day)

    def status(self, as_of: dt.date, *, policy="xuchang/2023", rules=None, verdicts: dict | None = None):
        """``policy=None``: judged against the register's policy (its recorded facts, no policy load)."""
        from generator.register.series import status
        with self._open() as conn:
            return status(conn, self._lp(conn, policy, as_of), as_of,
                          rules=rules if rules is not None else self._rules(conn, as_of), verdicts=verdicts)

    def series(self, year: int | None = None, *, policy="xuchang/2023", as_of: dt.date | None = None, rules=None,
               verdicts: dict | None = None):
        from generator.register.series import monthly
        with self._open() as conn:
            lp = self._lp(conn, policy, as_of)
            day = as_of or dt.date((year or lp.policy.year), 12, 31)
            return monthly(conn, lp, year or lp.policy.year, as_of,
                           rules=rules if rules is not None else self._rules(conn, day), verdicts=verdicts)

    def write_summary(self, path, as_of: dt.date, *, policy="xuchang/2023", snap=None, plans: dict | None = None) -> Path:
        """The city-wide 汇总表 (XLSX) as of a day: the one function the CLI, the build and a web page call.
        With a loaded policy it has the 改造内容分类 sheet (the latest counted workbooks read back, or ``plans``
        given: county -> Plan); judged on the register's recorded facts alone it has not (no workbook is read)."""
        from generator.render import pipeline
        from generator.register.summary import KIND, document
        made = self.summary(as_of, policy=policy, snap=snap, plans=plans)
        data = pipeline.produce(KIND, made.lp, document(made, as_of), "xlsx")
        return pipeline.save([(Path(path), data)])[0]

    def summary(self, as_of: dt.date, *, policy="xuchang/2023", snap=None, plans: dict | None = None):
        """What the 汇总表 as of a day is made of (register.summary.Summary; ``write_summary`` says the rest)."""
        from generator.register.facts import PolicyFacts
        from generator.register.summary import Summary
        if snap is None:
            snap = self.snapshot(as_of, policy=policy)
        works, missing = None, []
        if not isinstance(snap.lp, PolicyFacts):
            from generator.validate.works import by_county
            if plans is None:
                plans = {}
                for county, sub in snap.latest.items():
                    try:
                        plans[county] = self.plan(sub.id, snap.lp)
                    except GaizaoError:
                        pass                 # said in the sheet's note, never counted as zero
            missing = [c for c in snap.latest if c not in plans]
            works = by_county({c: plans[c] for c in snap.latest if c in plans}, snap.lp)
        return Summary(snap.status, snap.series, snap.lp, snap, works, missing)


# -- helpers ------------------------------------------------------------------------------------
def _recorded(conn, until: dt.date | None):
    from generator.register.facts import PolicyFacts
    row = None
    rp = _register_policy(conn, until)
    if rp is not None:
        row = conn.execute("SELECT facts FROM policy_facts WHERE policy_hash = ?", (rp[2],)).fetchone()
    if row is None:
        raise UsageError("登记库中没有可依据的政策（尚无报送，或报送早于政策记录），请用 --policy 指定",
                         "the register records no policy to judge by (no submission yet): give --policy")
    return PolicyFacts(json.loads(row[0]))


def _previous(conn, sub: Submission) -> Submission | None:
    """The county's submission just before ``sub`` that still stands: a withdrawn one (撤回) is not what the
    county said, so a re-send after a withdrawal is compared with the one before it (no false rewrite)."""
    from generator.register.withdrawn import withdrawals
    gone = withdrawals(conn)
    for row in conn.execute("SELECT * FROM submissions WHERE county = ? AND (received < ? OR (received = ? AND id < ?)) "
                            "ORDER BY received DESC, id DESC",
                            (sub.county, sub.received.isoformat(), sub.received.isoformat(), sub.id)):
        if row["id"] not in gone:
            return Submission.from_row(row)
    return None


@contextlib.contextmanager
def _gc_paused():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _Ahead:
    """A workbook read ahead (Register.read_ahead): its bytes, read once, their private copy (named as
    ``_read_and_validate`` names it) and calamine loading the copy in a thread. Removed by ``close`` or, when
    ``add`` never took it (it failed first), when it is dropped."""

    def __init__(self, source: Path):
        from generator.fileio import safe_filename
        from generator.ledger.workbook import start_reading
        self.data = source.read_bytes()
        folder = tempfile.mkdtemp(prefix="gaizao-register-")
        held: list = [None]
        self.close = weakref.finalize(self, _Ahead._remove, folder, held)
        self.path = Path(folder) / safe_filename(source.name)
        self.path.write_bytes(self.data)
        self.book = held[0] = start_reading(self.path)

    @staticmethod
    def _remove(folder: str, held: list) -> None:
        if held[0] is not None:
            held[0].close()                   # waits for calamine's thread
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class _Ready:
    """A submission as far as it goes without the register (``_prepare``): its bytes and name, the policy,
    its month and kind, the received date's guards and the scan; a 月报's form as read (joining it to its plan
    needs the register), or a plan's workbook read and judged (``judged``: whether a 年度实施方案's deadline is
    judged, which the register says -> its findings and 开工认定 facts). The same made here or in a worker."""

    data: bytes
    file_name: str
    lp: Any
    period: str | None
    kind: str
    forced: list[str]
    scan_data: bytes | None = None
    scan_name: str | None = None
    form: Any = None                                # monthly.MonthlyForm
    county: str | None = None
    plan_format: str | None = None
    sheet_date: str | None = None
    sample: bool = False
    rows: list[ProjectSnapshot] | None = None
    judged: dict[bool, tuple[list[Finding], list[str | None]]] | None = None


def _prepare(source, file_name: str | None, policy, *, received: dt.date, county: str | None, period, kind,
             force: bool, today: dt.date | None, scan=None, scan_name: str | None = None,
             ahead: _Ahead | None = None) -> _Ready:
    """Everything of ``Register.add`` that needs only the file, the policy and the day received, in ``add``'s
    order (so that the same mistake is said first), from the file's bytes read once. Register-free: a worker
    process runs it for ``add_all``."""
    from generator.register import rules as R
    from generator.register.monthly import MonthlyForm
    lp = _policy(policy)
    if isinstance(source, (bytes, bytearray)):
        data: bytes | None = bytes(source)
        shown = file_name
    else:
        p = Path(source)
        data = (ahead.data if ahead is not None else p.read_bytes()) if p.is_file() else None
        shown = file_name or p.name
    form = MonthlyForm.of(data, shown, lp) if data is not None else None   # a 月报 in its own form (ledger/monthly.py)
    if form is not None:
        period, kind = form.period_and_kind(period, kind)
    period = _period(period)
    kind = _kind(kind, period)
    if kind == "__guess__":
        # nothing said: a plan while plans are due, afterwards "其他" (never judged as a late plan on a guess)
        d = lp.policy.deadline("county_plan") if hasattr(lp.policy, "deadline") else None
        kind = R.PLAN if d is None or received <= d.date else R.OTHER
    if isinstance(source, (bytes, bytearray)):
        if not file_name:
            raise UsageError("以字节登记时须给出原文件名", "file_name is required with bytes")
    elif data is None:
        raise InputError("找不到文件或不是文件", "file not found or not a file", location=str(source))
    assert data is not None and shown is not None
    file_name = shown
    forced = _guards(lp, received, period, force, today or dt.date.today())
    scan_data = _scan_bytes(scan, scan_name)
    if scan is not None and not isinstance(scan, (bytes, bytearray)):
        scan_name = scan_name or Path(scan).name
    ready = _Ready(data, file_name, lp, period, kind, forced, scan_data, scan_name, form)
    if form is not None:                # the rest joins it to the county's plan: the register's (Register._record)
        return ready
    from generator.render.checklists import plan_is_sample
    from generator.validate.facts import run_scope
    # one validation run: what the rules computed of the plan is read, not redone; no cyclic GC pass over
    # the millions of acyclic objects of a big plan (as the reader and the validator)
    with run_scope(), _gc_paused():
        plan, findings = _read_and_validate(data, file_name, lp, received, ahead=ahead)
        ready.county = county = _county_of(plan, county, file_name, lp)
        ready.sheet_date = _sheet_date(plan)
        ready.judged = {True: _judge(plan, findings, lp, kind, received, period, ready.sheet_date, forced, file_name,
                                     county, True)}
        if kind == R.PLAN:              # a revised plan is not judged late (Register._plan_on_time): both ready
            late = _judge(plan, findings, lp, kind, received, period, ready.sheet_date, forced, file_name, county,
                          False, checks=False)[0]
            same = len(late) == len(ready.judged[True][0])     # no deadline finding: the same facts
            ready.judged[False] = (late, ready.judged[True][1] if same else _start_checks(plan, lp, late))
        ready.sample, ready.rows, ready.plan_format = plan_is_sample(plan), snapshot(plan), plan.format
    return ready


def _check_request(by, received) -> None:
    if not by or not str(by).strip():
        raise UsageError("请注明登记人（--by）", "say who records the submission (--by)")
    if not isinstance(received, dt.date):
        raise UsageError("收到日期应为日期", "received must be a date")


# -- worker processes for a list of submissions (Register.add_all, issue 19.9) -------------------------------
POOL_MIN_FILES = 3
POOL_MIN_BYTES = 1_000_000
# A pool costs its start (forking, and each worker importing the reader and the rules on its first file, ~0.3 s
# of CPU) and two files overlap little more than read_ahead's thread already does: fewer files than
# POOL_MIN_FILES are always recorded in this process alone (a single add never starts a pool), and unless
# processes were asked for (``processes``, $GAIZAO_PROCESSES) so are small files: measured on 2 cores at load
# ~3, the five sample workbooks (130 KB) took 1.25 s alone and 1.5 s with two workers, the sample year (55
# files, 1.45 MB) 3.5 s alone and 3.1 s with them; the national year (60 files, 112 MB) about half.


def batch_processes(count: int, processes: int | None = None, size: int | None = None) -> int:
    """How many processes read and judge ``count`` submissions (``size``: their files' bytes together):
    ``processes``, else $GAIZAO_PROCESSES, else the CPUs, at most 2 (measured on 2 cores: the recording left to
    this process is a fifth of a file's work, so two workers keep both cores busy); 1 (this process alone, as
    before) below POOL_MIN_FILES files, and below POOL_MIN_BYTES unless asked for."""
    asked = processes is not None
    if processes is None:
        env = os.environ.get("GAIZAO_PROCESSES", "").strip()
        if env:
            if not env.isdigit() or int(env) < 1:
                raise UsageError(f"环境变量 GAIZAO_PROCESSES 应为正整数，不是“{env}”",
                                 f"GAIZAO_PROCESSES must be a positive whole number, not {env!r}")
            processes, asked = int(env), True
        else:
            from generator.workers import default_count
            processes = default_count()
    if processes < 1:
        raise UsageError("进程数应为正整数", "the number of processes must be at least 1")
    if processes < 2 or count < POOL_MIN_FILES or (not asked and size is not None and size < POOL_MIN_BYTES):
        return 1
    return processes


_WORKER: dict[str, Any] = {}          # in a worker process: the policy it judges by


def _worker_start(lp, folder: str) -> None:
    """A worker: quiet on Ctrl-C and when its parent dies (generator.workers.quiet_worker), its temporary copies
    in ``folder`` (removed by the parent when the batch ends, even if the worker was killed)."""
    from generator.workers import quiet_worker
    quiet_worker()
    tempfile.tempdir = folder
    _WORKER["lp"] = lp


def _worker_prepare(path: str, digest: str, file_name: str, kw: dict) -> _Ready | None:
    """``_prepare`` of the file at ``path`` whose bytes the parent read (``digest``), or None when anything
    failed: the parent then does it itself and says what ``add`` says (a worker's exception is never what the
    user sees; None also never fails to cross back, as an exception with its own arguments could). What crosses
    back is the result without the bytes and the policy the parent holds: the findings, the rows and their
    开工认定 facts (a few MB a big file, ~0.05 s to load), never the Plan (7.7 MB, 0.45 s to pickle and 0.2 s to
    load for 10,600 rows) except a 月报's form, which is joined to its plan in the parent."""
    try:
        data = Path(path).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:        # changed since the parent read it
            return None
        ready = _prepare(data, file_name, _WORKER["lp"], **kw)
        ready.data, ready.lp = b"", None
        if ready.form is not None:
            ready.form.data = b""
        return ready
    except BaseException:               # noqa: BLE001 (everything: the parent redoes it and says why)
        return None


def _size(path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


class _Workers:
    """The worker processes of one ``add_all``: a few files in flight, taken in the list's order."""

    def __init__(self, lp, processes: int):
        from concurrent.futures import ProcessPoolExecutor

        from generator.workers import context
        self.lp = lp
        self.folder = tempfile.mkdtemp(prefix="gaizao-register-")
        self.depth = processes + 1               # each worker busy and one more ready to start
        self.futures: dict[int, tuple[Any, tuple, bytes, str]] = {}
        self.submitted = -1
        self.broken = False
        # forked where there is fork: starts at once and needs no importable __main__ (generator.workers)
        self.executor = ProcessPoolExecutor(max_workers=processes, mp_context=context(), initializer=_worker_start,
                                            initargs=(lp, self.folder))

    @staticmethod
    def takes(req, lp) -> bool:
        """A request the workers can do: a path with a date and no scan, under the pool's policy (the rest is
        done here)."""
        return isinstance(req, dict) and req.get("policy") is lp and req.get("scan") is None and \
            isinstance(req.get("received"), dt.date) and isinstance(req.get("source"), (str, os.PathLike))

    @staticmethod
    def key(req: dict) -> tuple:
        """What a worker's result depends on besides the bytes: a request changed since is done again."""
        return (str(req.get("source")), req.get("file_name"), req.get("received"), req.get("county"),
                req.get("period"), req.get("kind"), bool(req.get("force")), req.get("today") or dt.date.today())

    def fill(self, reqs: list, i: int) -> None:
        """Hand the workers the files up to ``depth`` after the ``i``-th (those it ``takes``)."""
        while not self.broken and self.submitted < min(len(reqs) - 1, i + self.depth):
            self.submitted += 1
            req = reqs[self.submitted]
            if not self.takes(req, self.lp):
                continue
            try:
                p = Path(req["source"])
                if not p.is_file():
                    continue                 # add says so
                data = p.read_bytes()        # the bytes recorded: the worker reads them again, checked by digest
            except OSError:
                continue                     # add reads it again and says why
            digest = hashlib.sha256(data).hexdigest()
            key = self.key(req)
            kw = dict(received=key[2], county=key[3], period=key[4], kind=key[5], force=key[6], today=key[7])
            try:
                fut = self.executor.submit(_worker_prepare, str(p), digest, req.get("file_name") or p.name, kw)
            except Exception:                # noqa: BLE001 (a broken pool: a worker was killed; the rest here)
                self.broken = True
                continue
            self.futures[self.submitted] = (fut, key, data, digest)

    def take(self, i: int, req: dict) -> tuple[_Ready | None, bytes | None]:
        """The ``i``-th file as a worker made it, else None (``add`` does it here), with the bytes read for it
        (None: not handed to a worker)."""
        got = self.futures.pop(i, None)
        if got is None:
            return None, None
        fut, key, data, _ = got
        try:
            ready = fut.result()
        except Exception:                    # noqa: BLE001 (a worker killed: the pool is broken, the rest here)
            self.broken = True
            return None, data
        if ready is None or key != self.key(req):
            return None, data
        ready.data, ready.lp = data, self.lp
        if ready.form is not None:
            ready.form.data = data
        return ready, data

    def close(self) -> None:
        """Cancel what has not started, wait for what has (a file each, never a terminate: issue 19.9's rule
        after the PDF pool's hang), remove the workers' copies."""
        self.futures.clear()
        try:
            self.executor.shutdown(wait=True, cancel_futures=True)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _judge(plan, findings, lp, kind, received, period, sheet_date, forced, file_name, county, judge_deadline: bool, *,
           monthly_form: bool = False, checks: bool = True) -> tuple[list[Finding], list[str | None]]:
    """(the findings recorded, the 开工认定 facts of each row) of a plan read with its validator's ``findings``."""
    findings = _register_findings(findings, lp, plan, kind, received, period, sheet_date, forced, file_name, county,
                                  judge_deadline=judge_deadline)
    if monthly_form:                    # M201/M202 judge the 月报's dates at its own cells
        findings = [f for f in findings if f.code != "R207"]
    return findings, (_start_checks(plan, lp, findings) if checks else [])


def _read_and_validate(data: bytes, file_name: str, lp, received: dt.date, *, validate: bool = True,
                       ahead: _Ahead | None = None):
    """Parse ``data`` as the file named ``file_name`` (the reader needs a path: a private temp copy; ``ahead``:
    the copy made and being read already, Register.read_ahead)."""
    from generator.ledger.reader import read_plan
    from generator.fileio import safe_filename
    with contextlib.ExitStack() as stack:
        if ahead is not None:
            stack.callback(ahead.close)
            path, opened = ahead.path, ahead.book
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="gaizao-register-"))
            path, opened = Path(tmp) / safe_filename(Path(file_name).name), None
            path.write_bytes(data)
        shown = str(path)
        try:
            plan = read_plan(path, lp, opened)
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


# -- issue 19: kinds, guards, the register's policy, 开工认定 facts, approvals ----------------------
class PolicyMismatch(UsageError):
    """A submission judged under another policy than the register's (exit 2; set_policy changes it)."""


class ReceivedRefused(UsageError):
    """A received date that is likely a typo (future, outside the policy year ± 1, before its period)."""


def _kind(kind: str | None, period: str | None) -> str:
    from generator.register import rules as R
    if kind is None or kind == "":
        return R.MONTHLY if period else "__guess__"
    k = str(kind).strip()
    for name in R.KINDS:                 # 县级年度实施方案 / 市级年度实施方案 -> 年度实施方案; 6月信息月报 -> 信息月报
        if k == name or k.endswith(name) or (name == R.MONTHLY and k.endswith("月报")):
            k = name
            break
    if k not in R.KINDS:
        raise UsageError(f"报送类别应为{'、'.join(R.KINDS)}之一，不是“{kind}”",
                         f"kind must be one of {', '.join(R.KIND_EN.values())}, not {kind!r}")
    if k == R.MONTHLY and not period:
        raise UsageError("信息月报须注明所属月份（--period 2023-06）", "a monthly report needs its month (--period)")
    return k


def _guards(lp, received: dt.date, period: str | None, force: bool, today: dt.date) -> list[str]:
    """Likely typos of the received date (18.8): refused unless ``force``; with it, the words recorded."""
    year = lp.policy.year
    found = []
    if received > today:
        found.append(("future", f"收到日期{received}晚于今天（{today}）", f"received {received} is after today ({today})"))
    if not year - 1 <= received.year <= year + 1:
        found.append(("year", f"收到日期{received}不在政策年度{year}年前后一年内",
                      f"received {received} is outside the policy year {year} ± 1"))
    if period:
        first = dt.date.fromisoformat(period + "-01")
        if received < first:
            found.append(("period", f"收到日期{received}早于所报月份{period}",
                          f"received {received} is before the month it reports ({period})"))
        if not year - 1 <= first.year <= year:
            found.append(("period-year", f"所报月份{period}不在政策年度{year}年内",
                          f"the period {period} is outside the policy year {year}"))
    if found and not force:
        raise ReceivedRefused("；".join(z for _, z, _ in found) + "。可能是录入错误，未登记；如确认无误，请加 --force 重新登记（将记录在案）",
                              "; ".join(e for _, _, e in found) + ": probably a typo, not recorded; confirm with --force "
                              "(recorded)")
    return [z for _, z, _ in found]


def _scan_bytes(scan, scan_name):
    if scan is None:
        return None
    if isinstance(scan, (bytes, bytearray)):
        return bytes(scan)
    p = Path(scan)
    if not p.is_file():
        raise InputError("找不到盖章扫描件或不是文件", "the sealed scan is not a file", location=str(scan))
    data = p.read_bytes()
    if not (data.startswith(b"%PDF") or data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
        raise InputError("盖章扫描件应为 PDF、PNG 或 JPEG", "the sealed scan must be a PDF, PNG or JPEG", location=str(scan))
    return data


def _sheet_date(plan) -> str | None:
    from generator.ledger import contract as C
    cell = plan.info.get(C.SUBMITTED) if getattr(plan, "info", None) else None
    v = getattr(cell, "value", None)
    return v.isoformat() if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else None


def _register_findings(findings, lp, plan, kind, received, period, sheet_date, forced, file_name, county, *,
                       judge_deadline: bool = True):
    """The validator's findings with plan rules kept to plans, plus the facts of receipt: a plan's deadline
    judged on the day received (not on the date typed in it), a typed date other than the received one,
    and what --force confirmed. V602 (the typed 报送日期 against the plan deadline) is replaced by R201."""
    from generator.register import rules as R
    from generator.ledger import contract as C
    from generator.policy.cnfmt import printed_date
    out = [f for f in findings if f.code != "V602"]
    p = lp.policy

    def add(code, sev, zh, en, **kw):
        out.append(Finding(code, sev, zh, en, file=file_name, county=county, **kw))

    deadline = {R.PLAN: "county_plan", R.LIAISON: "liaison_report", R.RENOVATION: "renovation_plans"}.get(kind)
    d = p.deadline(deadline) if deadline and hasattr(p, "deadline") else None
    if d is not None and received > d.date and judge_deadline:
        add("R201" if kind != R.LIAISON else "R202", Severity.ERROR,
            f"{d.label}于{received}收到，晚于期限（{printed_date(d.date, d.precision)}前），迟{(received - d.date).days}天",
            f"{d.label} received {received}, after the deadline {d.date} ({(received - d.date).days} days late)",
            clause=lp.text.display(d.clause), value=received.isoformat(), expected=d.date.isoformat(),
            extra={"received": received, "deadline": d.date, "days_late": (received - d.date).days})
    if sheet_date and sheet_date != received.isoformat() and kind != R.MONTHLY:
        add("R203", Severity.WARNING, f"表内报送日期为{sheet_date}，收到日期为{received}：以收到日期为准",
            f"the sheet says submitted {sheet_date}, received {received}: the received date counts",
            sheet=C.SHEET_INFO, column=C.SUBMITTED, value=sheet_date, expected=received.isoformat(),
            extra={"sheet_date": sheet_date, "received": received})
    if kind == R.MONTHLY and period:
        # a 月报 speaks for its month: an actual date after the month's end had not happened when it was due
        import calendar
        y, mo = map(int, period.split("-"))
        end = dt.date(y, mo, calendar.monthrange(y, mo)[1])
        for r in plan.projects:
            for column in (C.ACTUAL_START, C.ACTUAL_END):
                v = r.value(column)
                if isinstance(v, dt.date) and v > end:
                    pid = r.value(C.PROJECT_ID)
                    add("R207", Severity.ERROR,
                        f"{column}{v.isoformat()}晚于所报月份{period}的月末（{end.isoformat()}）：月报只报本月及以前已发生的事，"
                        "该日期不计入", f"{column} {v.isoformat()} is after the end of the reported month {period}: not counted",
                        clause=lp.text.display(p.reporting.clause) if p.reporting else None, sheet=C.SHEET_PROJECTS,
                        row=r.row, column=column, project=None if pid is None else str(pid), value=v.isoformat(),
                        expected=f"<= {end.isoformat()}")
    for text in forced:
        add("R204", Severity.WARNING, f"{text}（登记时已确认 --force）", f"{text} (confirmed with --force)",
            value=received.isoformat(), extra={"received": received, "period": period})
    return out


def _start_checks(plan, lp, findings) -> list[str | None]:
    """Per 项目清单 row, the 开工认定 facts (recognition.start_facts) as JSON, with the dates a rule rejected."""
    from generator.reports import recognition
    from generator.ledger import contract as C
    from generator.validate.facts import column_raws
    rejected = {**recognition.rejected_dates(findings), **plan.carried_rejected}   # and a 月报's carried rows'
    rows = plan.projects
    ready = {}
    if lp.policy.start_criteria is not None and lp.policy.start_criteria.items:
        # the validator's readiness of every started row, computed once in the run (V303/V304): not again
        from generator.validate.rules.projects import started_readiness
        ready = {id(x.row): x for x in started_readiness(plan, lp)}
    memo: dict[tuple, str | None] = {}

    def facts(r):
        rej, rd = rejected.get(r.row), ready.get(id(r))
        if rej or rd is None:
            return recognition.dumps(recognition.start_facts(r, lp, rej, rd))
        # the usual started row: its JSON follows from its criteria's states alone (start_facts), and rows
        # repeat the same states (the same dates), so each distinct one is written once (issue 19.9)
        key = tuple([(c.id, c.met, c.state, c.date, c.why) for c in rd.criteria])
        text = memo.get(key, memo)
        if text is memo:
            text = memo[key] = recognition.dumps(recognition.start_facts(r, lp, rej, rd))
        return text
    # only a row with an actual date (or a rejected one) has anything to decide: a plan's rows cost nothing
    return [facts(r) if (r.row in rejected or not _blank(a) or not _blank(b)) else None
            for r, a, b in zip(rows, column_raws(rows, C.ACTUAL_START), column_raws(rows, C.ACTUAL_END))]


def _blank(raw) -> bool:
    """A blank cell's raw value (as ``Cell.blank``: None, "" or spaces)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _register_policy(conn, day: dt.date | None = None, *, with_submissions: bool = True):
    """(policy_id, version, hash, applies_from) of the register's policy on ``day`` (None: the first);
    a register from before this was recorded: the policy its first submission was judged against."""
    if db_has(conn, "register_policy"):
        sql = "SELECT policy_id, policy_version, policy_hash, applies_from FROM register_policy"
        if day is not None:
            row = conn.execute(sql + " WHERE applies_from <= ? ORDER BY applies_from DESC, id DESC LIMIT 1",
                               (day.isoformat(),)).fetchone()
            if row is not None:
                return tuple(row)
        row = conn.execute(sql + " ORDER BY applies_from, id LIMIT 1").fetchone()
        if row is not None:
            return tuple(row)
    if not with_submissions:
        return None
    # a register from before the policy was recorded: the policy its latest submission was judged against
    row = conn.execute("SELECT policy_id, policy_version, policy_hash, received FROM submissions"
                       + (" WHERE received <= ?" if day else "") + " ORDER BY received DESC, id DESC LIMIT 1",
                       (day.isoformat(),) if day else ()).fetchone()
    return tuple(row) if row is not None else None


def db_has(conn, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


def _check_register_policy(conn, lp, received: dt.date) -> None:
    m = lp.manifest()
    current = _register_policy(conn, received, with_submissions=False)
    if current is None:
        start = min(received, dt.date(lp.policy.year, 1, 1))
        conn.execute("INSERT INTO register_policy(policy_id, policy_version, policy_hash, applies_from, recorded_at, "
                     "recorded_by, note) VALUES (?,?,?,?,?,?,?)",
                     (m["policy_id"], m["policy_version"], m["policy_hash"], start.isoformat(),
                      dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "gaizao",
                      "首次登记时记录"))
        return
    pid, ver, digest, since = current
    if digest != m["policy_hash"]:
        raise PolicyMismatch(
            f"登记库自{since}起依据政策 {pid}（版本 {ver}，哈希 {digest[:12]}），本次报送按 {m['policy_id']}（版本 "
            f"{m['policy_version']}，哈希 {m['policy_hash'][:12]}）判定，未登记：同一年度不混用两个政策。如市里确已改用该政策，"
            f"请先用 gaizao register policy {m['policy_id']} --from 日期 --by 姓名 记录变更",
            f"the register judges by {pid} {ver} ({digest[:12]}) since {since}; this submission was judged by "
            f"{m['policy_id']} {m['policy_version']} ({m['policy_hash'][:12]}): not recorded. Change the register's "
            "policy explicitly with gaizao register policy REF --from DATE --by NAME")


def _approve(conn, sid: int, approved_by, scan_data, scan_name, by, now) -> None:
    if not approved_by or not str(approved_by).strip():
        raise UsageError("盖章扫描件须注明审核的单位领导（--approved-by）", "a sealed scan needs who approved it (--approved-by)")
    digest = store.put(conn, scan_data) if scan_data else None
    conn.execute("INSERT INTO approvals(submission_id, approved_by, scan_sha256, scan_name, recorded_at, recorded_by) "
                 "VALUES (?,?,?,?,?,?)", (sid, str(approved_by).strip(), digest, scan_name, now, str(by).strip()))


def _same_policy(conn, lp, day) -> None:
    """Status and documents never mix policies (18.4): a policy other than the register's on that day is
    refused, naming both."""
    rp = _register_policy(conn, day)
    if rp is None:
        return
    m = lp.manifest()
    if rp[2] != m["policy_hash"]:
        raise PolicyMismatch(
            f"登记库在该日依据政策 {rp[0]}（版本 {rp[1]}，哈希 {rp[2][:12]}，自{rp[3]}起），与所给政策 {m['policy_id']}（版本 "
            f"{m['policy_version']}，哈希 {m['policy_hash'][:12]}）不同：不按另一政策判定。不给 --policy 即按登记库的政策",
            f"the register judges by {rp[0]} {rp[1]} ({rp[2][:12]}) on that day, not by {m['policy_id']} "
            f"{m['policy_version']} ({m['policy_hash'][:12]}): give no --policy to use the register's")
