"""``hrgov sync``: share the ledger through a git remote — fetch, integrate, check, push.

A service: it orchestrates the storage layer (``remotes``, ``history``, the ledger's
``Integration``) and the pure merge (``hrgov.merge``); the rule book judges what it writes::

    outcome = sync(ledger, "origin")
    outcome.renumbered    # {"D-2026-0007": "D-2026-0009"}: ids not yet shared that collided

The branch moves only by a fast-forward or by one merge commit whose first parent is the
remote's commit: the shared line stays every clone's first-parent line, so every clone reads
the same history and "as of" answers the same everywhere. Local commits are the second
parent. A real conflict stops the sync before anything is committed; it is kept in
``.git/hrgov-sync.json`` with the settlements ``hrgov resolve`` adds, and the next ``hrgov
sync`` uses them.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hrgov import config, history, merge, queries, records, remotes, sealing
from hrgov import ledger as ledgers
from hrgov.errors import HrgovError, InvalidInput, InvalidRecord, LedgerStateError, RulesBroken
from hrgov.index import shredded_ids
from hrgov.ledger import Integration, Ledger, MergedRecord
from hrgov.model import kind_of_id, parse_date, validate

ATTEMPTS = 5  # pushes that race another push: fetch, integrate and try again this often
PENDING_FILE = "hrgov-sync.json"

Report = Callable[[str], None]


class SyncConflicts(LedgerStateError):
    """The sync stopped on conflicts; ``conflicts`` lists them (see ``Pending``)."""

    def __init__(self, message: str, conflicts: list[dict]):
        super().__init__(message)
        self.conflicts = conflicts


@dataclass
class Outcome:
    """What a sync did."""

    remote: str
    branch: str
    received: int = 0  # records brought in (new or changed)
    sent: int = 0  # records the remote did not have as they are here
    merge_commit: str | None = None
    merged: list[str] = field(default_factory=list)  # records changed on both sides
    renumbered: dict[str, str] = field(default_factory=dict)
    tries: int = 1


# ---- the conflicts waiting for a person ----------------------------------------------------


def pending_path(ledger: Ledger) -> Path:
    return ledger.root / ".git" / PENDING_FILE


def pending(ledger: Ledger) -> dict:
    """The conflicts of the last sync that stopped, and the settlements given since:
    ``{"remote", "conflicts": [{record, field, ours, theirs, ours_by, theirs_by}],
    "resolutions": {record: {"take": {field: "ours"|"theirs"|["value", v]}, "reason"}}}``."""
    try:
        return json.loads(pending_path(ledger).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"conflicts": [], "resolutions": {}}
    except ValueError:
        raise LedgerStateError(
            f"{pending_path(ledger)} is damaged; remove it and run hrgov sync again"
        ) from None


def _save_pending(ledger: Ledger, state: dict) -> None:
    target = pending_path(ledger)
    tmp = target.with_name(target.name + f".{os.getpid()}")
    tmp.write_text(json.dumps(state, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, target)


def resolve(ledger: Ledger, record_id: str, takes: list[str], reason: str) -> dict:
    """Settle the conflicts of ``record_id`` that the last sync listed: each of ``takes`` is
    ``ours``, ``theirs`` (every conflicting field), or ``FIELD=ours|theirs|VALUE``. Returns
    the settlement; the next ``hrgov sync`` applies it."""
    state = pending(ledger)
    fields = {c["field"]: c for c in state["conflicts"] if c["record"] == record_id}
    if not fields:
        listed = sorted({c["record"] for c in state["conflicts"]})
        raise InvalidInput(
            f"{record_id} has no conflict waiting"
            + (f" (waiting: {', '.join(listed)})" if listed else " (no sync stopped on one)"),
            field="record_id",
        )
    if not reason or not reason.strip():
        raise InvalidInput("say why it is settled this way: give --reason", field="reason")
    kind = kind_of_id(record_id)
    chosen: dict[str, object] = {}
    for take in takes:
        name, _, value = take.partition("=")
        if not value and name in ("ours", "theirs"):
            # The fields listed now: a conflict a later fetch brings is shown, not settled.
            chosen.update({field: name for field in fields if field not in chosen})
            continue
        if name not in fields:
            raise InvalidInput(
                f"--take {take!r}: {name} is not in conflict in {record_id} (in conflict: "
                f"{', '.join(sorted(fields))}); give ours, theirs or FIELD=VALUE",
                field="take",
            )
        spec = kind.field(name) if kind else None
        if value in ("ours", "theirs"):
            chosen[name] = value
        elif spec is not None and spec.type in ("links", "lines"):
            chosen[name] = ["value", [v.strip() for v in value.split(",") if v.strip()]]
        else:
            if spec is not None and spec.type == "date":
                parse_date(value, name)
            if spec is not None and spec.choices and value not in spec.choices:
                raise InvalidInput(f"--take {take!r}: {name} is one of "
                                   f"{', '.join(spec.choices)}", field="take")
            chosen[name] = ["value", value]
    if not chosen:
        raise InvalidInput("give --take ours, --take theirs or --take FIELD=VALUE", field="take")
    state["resolutions"][record_id] = {"take": chosen, "reason": " ".join(reason.split())}
    _save_pending(ledger, state)
    return state["resolutions"][record_id]


# ---- sync ----------------------------------------------------------------------------------


def _choose_remote(known: list[str], configured: str | None) -> str:
    if configured in known:
        return configured
    if "origin" in known:
        return "origin"
    if len(known) == 1:
        return known[0]
    if not known:
        raise LedgerStateError(
            "this ledger has no remote to share it through; add one (git remote add origin "
            "URL), then run hrgov sync"
        )
    raise InvalidInput(f"which remote? give one of: {', '.join(known)}", field="remote")


def sync(
    ledger: Ledger,
    remote: str | None = None,
    *,
    author: str | None = None,
    report: Report | None = None,
    timestamp: int | None = None,
) -> Outcome:
    """Fetch ``remote``, integrate it, check the result by the rule book and push it back.

    The local ledger ends on the integrated commit, or exactly where it was, with a clear
    message. A push that races another one fetches and integrates again (``ATTEMPTS``)."""
    root = ledger.root
    busy = ledger.unfinished()
    if busy:
        raise LedgerStateError(f"{busy}; nothing was changed")
    branch = history.current_branch(root)
    known, upstreams = remotes.configured(root)
    remote = remote or _choose_remote(known, upstreams.get(branch))
    if remote not in known:
        raise InvalidInput(
            f"no remote named {remote} (this ledger has: {', '.join(known) or 'none'})",
            field="remote",
        )
    outcome = Outcome(remote, branch)
    if not ledgers.merge_driver_installed(root):
        ledgers.configure_repository(root)  # so that a plain git pull merges as sync does
    with contextlib.ExitStack() as stack:
        started: list[Integration] = []

        def begin() -> None:  # the first fetch runs while the ledger is locked and opened
            started.append(stack.enter_context(ledger.integrating()))

        for attempt in range(1, ATTEMPTS + 1):
            outcome.tries = attempt
            seen = remotes.tracking(root, remote, branch)
            witnessed = remotes.witnessed(root, remote, branch)
            try:
                tip = remotes.fetch(root, remote, branch, report,
                                    meanwhile=None if started else begin)
            except BaseException:
                remotes.set_tracking(root, remote, branch, seen)
                raise
            work = started[0]
            # The recipients' data keys travel beside the history, never in it (hrgov.sealing):
            # those fetched are taken in before the merge, which may have to open records.
            received, _ = sealing.exchange_keys(root, remote, shredded_ids(work.conn))
            if received and sealing.identities(root):
                work.reopen()  # the records those keys open are read anew
            head = work.head
            base = tip
            try:
                if tip is not None and tip != head:
                    base = history.merge_base(root, head, tip)
                    _check_remote(ledger, remote, branch, witnessed, tip, base)
                    if base == head:
                        outcome.received = _records_in(work.advance(tip))
                    elif base != tip:
                        _merge(ledger, work, remote, tip, head, base, outcome, author,
                               timestamp)  # the working tree and index settle as it is sent
            except HrgovError:
                if work.head == head:  # refused: the remote-tracking branch goes back too
                    remotes.set_tracking(root, remote, branch, seen)
                raise
            _, keys_to_send = sealing.exchange_keys(root, remote, shredded_ids(work.conn))
            if tip is not None and work.head == tip and not history.unshared_briefings(root) \
                    and not keys_to_send:
                # nothing of ours to send
                remotes.witness(root, remote, branch, tip)
                _clear_pending(ledger)
                return outcome
            if tip is None:
                outcome.sent = queries.count_records(work.conn)
            elif base == tip:  # only work done here: nothing merged
                outcome.sent = _records_in(history.changed_files(root, tip, work.head))
            if remotes.push(root, remote, branch, report, meanwhile=work.settle):
                _clear_pending(ledger)
                return outcome
            if report:
                report(f"{remote} moved meanwhile: fetching again")
    raise LedgerStateError(
        f"{remote} kept moving while this sync ran ({ATTEMPTS} tries); the ledger is "
        "sound and holds everything fetched: run hrgov sync again"
    )


def _records_in(changes: Mapping[str, tuple]) -> int:
    return sum(1 for path in changes if records.kind_of_path(path))


def _clear_pending(ledger: Ledger) -> None:
    pending_path(ledger).unlink(missing_ok=True)


def _check_remote(ledger, remote, branch, seen, tip, base) -> None:
    """Refuse a remote that is not this ledger, or whose history lost what we saw there.
    ``base`` is the common ancestor of our HEAD and the remote's ``tip`` (None: none)."""
    root = ledger.root
    if base is None:
        where = f"{remote} ({remotes.url(root, remote)})"
        theirs = history.file_at(root, tip, config.CONFIG_FILE)
        if theirs is None:
            raise LedgerStateError(
                f"{where} is not an hrgov ledger (its branch {branch} has no "
                f"{config.CONFIG_FILE}); nothing was changed"
            )
        try:
            settings = config.parse(theirs.decode("utf-8"))
        except (InvalidInput, UnicodeDecodeError):
            settings = {}
        ours = ledger.settings()
        for name in ("organisation.name", "ledger.policy"):
            if settings.get(name) != ours[name]:
                raise LedgerStateError(
                    f"{where} holds another ledger ({name} is {settings.get(name)!r} there, "
                    f"{ours[name]!r} here); nothing was changed"
                )
        raise LedgerStateError(
            f"{where} shares no history with this ledger (unrelated histories: another "
            "ledger, or one created again?); nothing was changed"
        )
    if seen not in (None, tip, base) and not history.is_ancestor(root, seen, tip):
        gone = history.last_change(root, f"{seen}^!", ".")
        subject = f' ("{gone.subject}")' if gone else ""
        raise LedgerStateError(
            f"{remote} ({remotes.url(root, remote)}) no longer has commit {seen[:10]}"
            f"{subject}, which this ledger saw there: its history was rewritten (a force "
            "push?). Nothing was changed; restore that history on the remote and protect the "
            "branch against force pushes"
        )


def _merge(ledger, work, remote, tip, head, base, outcome, author, timestamp) -> None:
    """Merge ``tip`` (the remote's) with ``head`` (ours) from their common ancestor ``base``
    record by record, or stop on conflicts with nothing committed."""
    root = ledger.root
    ours_files, theirs_files = history.changes_since(root, base, head, tip)
    read = _Reader(work.objects, [*ours_files.values(), *theirs_files.values()], root)
    work.blobs.update(read.blobs)

    extra: dict[str, bytes | None] = {}
    conflicts: list[dict] = []
    for path, (_, mine) in ours_files.items():
        if path.startswith(records.RECORDS_DIR + "/"):
            continue
        if path in theirs_files and theirs_files[path][1] != mine:
            raise LedgerStateError(
                f"{path} was changed here and on {remote}, differently; nothing was changed. "
                f"Make them agree (e.g. git checkout {remote}/{outcome.branch} -- {path}, "
                "edit, git commit), then run hrgov sync"
            )
        if path not in theirs_files:
            extra[path] = read.bytes(mine)

    ours = {p: v for p, v in ours_files.items() if records.kind_of_path(p)}
    theirs = {p: v for p, v in theirs_files.items() if records.kind_of_path(p)}
    new_here = [_id_of(p) for p, (old, new) in ours.items() if old is None and new is not None]
    mapping = {}
    theirs_new = {_id_of(p) for p, (old, new) in theirs.items() if old is None and new}
    if theirs_new.intersection(new_here):
        # What the remote holds in those series: ours as they were at the base (the index
        # has them: ours less what we created since), and what the remote created.
        ours_then = queries.ids_starting(work.conn, {_series(i) for i in new_here})
        mapping = merge.renumbering(new_here, (ours_then - set(new_here)) | theirs_new)
    outcome.renumbered = dict(mapping)
    state = pending(ledger)
    resolutions = state.get("resolutions", {})
    today = time.strftime("%Y-%m-%d", time.gmtime(timestamp))

    written: list[MergedRecord] = []
    for path, (old_blob, new_blob) in ours.items():
        old_id = _id_of(path)
        second = read.record(new_blob, path, "here")
        if second is not None:
            second = merge.renumber(second, mapping)
        record_id = mapping.get(old_id, old_id)
        target = records.path_for(records.kind_of_path(path), record_id)
        renamed = record_id != old_id
        base_version = None if renamed else read.record(old_blob, path, "at the merge base")
        if target in theirs:
            first = read.record(theirs[target][1], target, f"on {remote}")
        else:
            first = base_version
        if renamed or target not in theirs:
            chosen, resolved, reason = second, frozenset(), None
        else:
            outcome.merged.append(record_id)
            found = merge.merge_record(base_version, second, first)
            resolved, reason = frozenset(), None
            settled = resolutions.get(record_id)
            if found.conflicts and settled:
                found = merge.resolve(
                    base_version, second, first, _choices(settled["take"]),
                    reason=settled["reason"], on=today,
                )
                resolved = frozenset(
                    f for f in _conflict_fields(state, record_id) if f not in
                    {c.field for c in found.conflicts}
                )
                reason = settled["reason"]
            if found.conflicts:
                conflicts += [
                    _described(root, c, base, head, tip, target) for c in found.conflicts
                ]
                continue
            chosen = found.record
        if chosen == first:
            continue
        written.append(MergedRecord(target, chosen, base_version, first, second, resolved, reason))

    outcome.received = len(theirs)
    outcome.sent = len(written)
    if conflicts:
        _save_pending(ledger, {"remote": remote, "conflicts": conflicts,
                               "resolutions": resolutions})
        raise SyncConflicts(
            f"{len(conflicts)} conflict{'s' * (len(conflicts) > 1)} with {remote}: nothing "
            "was changed; settle each with hrgov resolve ID --take ours|theirs|FIELD=VALUE "
            "--reason …, then run hrgov sync",
            conflicts,
        )
    lookup = _TheirLedger(work.conn, {_id_of(p): read.record(v[1], p, f"on {remote}")
                                       for p, v in theirs.items()})
    message = _message(remote, outcome, written, mapping, resolutions)
    try:
        outcome.merge_commit = work.merge(
            first=tip, merged=written, lookup=lookup, message=message, author=author,
            timestamp=timestamp, files=extra, settle=False,
        )
    except RulesBroken as error:
        raise LedgerStateError(
            f"merging {remote} would break the rule book, so nothing was changed: {error}"
        ) from None


def _choices(take: Mapping) -> dict:
    return {name: tuple(v) if isinstance(v, list) else v for name, v in take.items()}


def _conflict_fields(state: dict, record_id: str) -> set[str]:
    return {c["field"] for c in state.get("conflicts", []) if c["record"] == record_id}


def _described(root, conflict, base, head, tip, path) -> dict:
    """A conflict for people: both values and who set them."""
    def who(revisions):
        found = history.last_change(root, revisions, path)
        if found is None:
            return None
        when = time.strftime("%Y-%m-%d", time.gmtime(found.time))
        return f"{found.author_name} on {when}"

    return {
        "record": conflict.record_id,
        "field": conflict.field,
        "ours": conflict.ours,
        "theirs": conflict.theirs,
        "ours_by": who(f"{base}..{head}"),
        "theirs_by": who(f"{base}..{tip}"),
    }


def _message(remote, outcome, written, mapping, resolutions) -> str:
    ids = sorted(m.record["id"] for m in written if m.record is not None)
    subject = f"sync: merge {remote} ({len(ids)} record{'s' * (len(ids) != 1)} from here)"
    trailers = ["Hrgov-Command: sync"]
    trailers += [f"Hrgov-Record: {i}" for i in ids]
    trailers += [f"Hrgov-Merged: {i}" for i in sorted(outcome.merged)]
    trailers += [f"{history.RENUMBERED}: {old} {new}" for old, new in sorted(mapping.items())]
    for m in written:
        if m.resolved:
            trailers.append(f"{history.RESOLVED}: {m.record['id']} {' '.join(sorted(m.resolved))}")
    return f"{subject}\n\n" + "\n".join(trailers) + "\n"


def _id_of(path: str) -> str:
    return path.rsplit("/", 1)[1][: -len(".json")]


def _series(record_id: str) -> str:
    """The ids numbered together: ``D-2026-`` for D-2026-0007, a meeting's day for
    MTG-2026-03-04-2."""
    if record_id.startswith("MTG-"):
        return record_id[:14]
    return record_id.rsplit("-", 1)[0] + "-"


class _Reader:
    """The blobs a merge needs, read at once through the integration's ``cat-file``."""

    def __init__(self, objects: history.CatFile, sides, root: Path):
        self.root = root  # a sealed record is opened with its key store
        wanted = sorted({blob for pair in sides for blob in pair if blob})
        self.blobs = {a[0]: a[2] for a in objects.read_many(wanted) if a}

    def bytes(self, blob: str | None) -> bytes | None:
        return None if blob is None else self.blobs[blob]

    def record(self, blob: str | None, path: str, where: str) -> dict | None:
        if blob is None:
            return None
        try:
            record = sealing.opened(self.root, records.loads(self.blobs[blob], path))
            return record if sealing.SHREDDED in record else validate(record)
        except InvalidInput as error:
            raise InvalidRecord(f"{path} {where} holds no valid record ({error}); fix it "
                                "there first (hrgov verify names it)") from None


class _TheirLedger:
    """The records as the remote has them, for the rule book: those the remote changed, else
    the index's (at our HEAD: the same for every record the remote did not change)."""

    def __init__(self, conn, changed: dict[str, dict | None]):
        self.conn, self.changed = conn, changed

    def get(self, record_id: str):
        if record_id in self.changed:
            return self.changed[record_id]
        return queries.get(self.conn, record_id)


# ---- what is not yet shared ------------------------------------------------------------------


def sharing_status(ledger: Ledger, *, fetch: bool = False, report: Report | None = None) -> dict:
    """What the ledger and its remote hold that the other lacks (as of the last fetch, or
    fetching first), and the conflicts waiting: the answer of ``hrgov status``."""
    root = ledger.root
    branch = history.current_branch(root)
    known, upstreams = remotes.configured(root)
    found = {
        "branch": branch, "remote": None, "url": None, "head": history.head(root),
        "remote_head": None, "looked": False, "rewritten": None, "ahead": None, "behind": None,
        "conflicts": pending(ledger)["conflicts"], "unfinished": ledger.unfinished(),
    }
    if not known:
        return found
    remote = _choose_remote(known, upstreams.get(branch))
    found["remote"], found["url"] = remote, remotes.url(root, remote)
    tip = remotes.fetch(root, remote, branch, report) if fetch else (
        remotes.tracking(root, remote, branch)
    )
    found["remote_head"] = tip
    found["looked"] = fetch or tip is not None  # False: never fetched from that remote
    head = found["head"]
    if tip is None or head is None:
        return found
    seen = remotes.witnessed(root, remote, branch)
    if seen is not None and not history.is_ancestor(root, seen, tip):
        found["rewritten"] = (
            f"{remote} no longer has commit {seen[:10]}, which this ledger saw there: its "
            "history was rewritten; hrgov sync will refuse it"
        )
    base = history.merge_base(root, head, tip)
    ahead, behind = history.count_between(root, head, tip)

    def ids(old, new):
        if old is None:
            return sorted(_id_of(p) for p in history.tree_files(root, new))
        return sorted(_id_of(p) for p in history.changed_files(root, old, new)
                      if records.kind_of_path(p))

    found["ahead"] = {"commits": ahead, "records": ids(base, head) if ahead else []}
    found["behind"] = {"commits": behind, "records": ids(base, tip) if behind else []}
    return found


# ---- a working copy of a shared ledger -------------------------------------------------------


def clone(address: str, directory: Path, *, report: Report | None = None):
    """Clone the ledger at ``address`` into ``directory``, check it is a ledger, configure it
    (the merge driver, git's settings for large ledgers) and build its index. Returns the
    ledger and the person acting there, or ``None`` if nobody is configured yet."""
    directory = directory.expanduser().resolve()
    with ledgers.new_folder(directory):
        remotes.clone(address, directory, report)
        if not (directory / config.CONFIG_FILE).is_file():
            raise InvalidInput(
                f"{address} is not an hrgov ledger (no {config.CONFIG_FILE} on its default "
                "branch); nothing was kept"
            )
        ledgers.check_attributes(directory)
        made = Ledger(directory)
        made.settings()
        ledgers.configure_repository(directory)
        branch = history.current_branch(directory)
        if branch and (directory / sealing.RECIPIENTS_FILE).is_file():
            # the recipients' key store, so that a recipient reads the sealed records at once
            remotes.fetch(directory, "origin", branch)
            sealing.exchange_keys(directory, "origin", ())
        made.rebuild(first_sight=True)
    try:
        identity = ledgers.resolve_author(directory, None)
    except InvalidInput:
        identity = None
    return made, identity
