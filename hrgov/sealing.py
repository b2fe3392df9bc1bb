"""Restricted records sealed at rest: encrypted in git, readable only by the ledger's recipients.

Once the ledger has a ``recipients`` file (one age or SSH public key per line, changed only
by ``hrgov recipients add|remove``), a restricted record is written to git as its outline
in clear — id, kind, sensitivity, status, withdrawn and its dates, which order and count it —
and ``sealed``, the rest of it encrypted with age::

    {"date": "2026-03-04", "id": "D-2026-0007", "kind": "decision",
     "sealed": "3f9c…:YWdlLWVuY3J5cHRpb24ub3JnL3Yx…", "sensitivity": "restricted",
     "status": "adopted"}

Each version is encrypted to a key of its own (a *data key*, an age X25519 key made for it,
named by the hex before the colon). Data keys never enter git's objects: they live in this
clone's key store, ``.git/hrgov/keys/<record id>/<key name>.age``, each encrypted to the
recipients. Shredding a record deletes its data keys: every ciphertext of it, in every copy
of the history, is then noise. The README's "Sealed records" section says what this does and
does not protect against.

The user's own key (an age identity file or an SSH private key, without a passphrase) is named
by ``HRGOV_IDENTITY``, else by git's ``hrgov.identity`` setting — the user's, never the ledger's.
Without it, sealed records are read as their outline (``"sealed": true``) and restricted
records cannot be written.

This is a storage module: it reads and writes files under the ledger's ``.git``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyrage
from pyrage import ssh, x25519

from hrgov import history
from hrgov.errors import InvalidInput, LedgerStateError
from hrgov.model import KINDS, validate

RECIPIENTS_FILE = "recipients"
IDENTITY_VARIABLE = "HRGOV_IDENTITY"
IDENTITY_SETTING = "hrgov.identity"
KEYS_DIR = Path(".git") / "hrgov" / "keys"
SEALED = "sealed"
SHREDDED = "shredded"
RESTRICTED = "restricted"
# A reason given to a change of restricted records goes into the commit encrypted to the
# data keys of those records, after this mark.
SEALED_TEXT = "sealed:"
SEALED_REASON = "(sealed)"
_KEY_TYPES = ("age1", "ssh-ed25519", "ssh-rsa")


class Unreadable(Exception):
    """A sealed file this machine holds the key for, but whose content does not open."""


# The field types a sealed record keeps in clear: what orders, links and counts it (dates,
# ids of other records, choices from a fixed list, yes/no, whole-number scores). Every text
# is sealed.
CLEAR_TYPES = frozenset({"date", "link", "links", "choice", "bool", "int"})


def clear_fields(kind_name: str) -> frozenset[str]:
    """The fields a sealed record keeps in clear: what orders, links and counts it; no text.

    >>> sorted(clear_fields("decision") & {"date", "rationale", "status", "text", "title"})
    ['date', 'status']
    """
    return _clear_fields(kind_name)


@functools.cache
def _clear_fields(kind_name: str) -> frozenset[str]:
    kind = KINDS[kind_name]
    structure = {spec.name for spec in kind.fields if spec.type in CLEAR_TYPES}
    return frozenset({"id", "kind", "sensitivity", "withdrawn", kind.status_field, *structure})


# ---- recipients ---------------------------------------------------------------------------

def parse_recipients(text: str) -> list[str]:
    """The public keys a ``recipients`` file lists (blank lines and ``#`` comments skipped),
    each as its type and key without any comment.

    >>> parse_recipients("# the committee\\nssh-ed25519 AAAAC3Nz alice@laptop\\nage1qyqs\\n")
    ['ssh-ed25519 AAAAC3Nz', 'age1qyqs']
    """
    keys = []
    for line in text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        keys.append(fields[0] if fields[0].startswith("age1") else " ".join(fields[:2]))
    return keys


def recipient_key(text: str):
    """The age recipient of a public key's text (``age1…``, or an SSH ``.pub`` line);
    ``InvalidInput`` when it is neither."""
    fields = text.split()
    try:
        if fields and fields[0].startswith("age1"):
            return x25519.Recipient.from_str(fields[0])
        if len(fields) >= 2 and fields[0].startswith("ssh-"):
            return ssh.Recipient.from_str(" ".join(fields[:2]))
    except (pyrage.RecipientError, ValueError):
        pass
    raise InvalidInput(
        "KEY is not a public key hrgov can seal to: give an age key (age1…) or an SSH "
        "ed25519 or RSA public key (the text of ~/.ssh/id_ed25519.pub)", field="key"
    )


def recipients_in(text: str | bytes | None) -> list[str]:
    if text is None:
        return []
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return parse_recipients(text)


def recipients(root: Path) -> list[str]:
    """The ledger's recipients now (as on disk, which is HEAD's: only commits change it)."""
    try:
        return recipients_in((root / RECIPIENTS_FILE).read_bytes())
    except OSError:
        return []


def sealing_on(root: Path) -> bool:
    """Whether restricted records are sealed in this ledger (it has recipients)."""
    return bool(recipients(root))


# ---- the user's key -----------------------------------------------------------------------

def identity_path(root: Path) -> str | None:
    """Where the user's key is: ``HRGOV_IDENTITY``, else git's ``hrgov.identity``."""
    path = os.environ.get(IDENTITY_VARIABLE, "").strip()
    if not path:
        path = _configured(str(root))
    return os.path.expanduser(path) if path else None


def reader_of(root: Path) -> str:
    """The key sealed records are opened with on this machine, as the index remembers it: a
    digest of the user's key file's path and when it last changed (never the path itself),
    or "" where nothing is sealed or no key is set. An index opened with another reads the
    history again."""
    if not sealing_on(root):
        return ""
    path = identity_path(root)
    if path is None:
        return ""
    try:
        seen = f"{path}@{os.stat(path).st_mtime_ns}"
        return hashlib.sha256(seen.encode("utf-8", "surrogateescape")).hexdigest()
    except OSError:
        return ""


@functools.cache
def _configured(root: str) -> str:
    return history.git(Path(root), "config", "--get", IDENTITY_SETTING, check=False).decode(
        "utf-8", "replace").strip()


@functools.cache
def _identities(path: str) -> tuple:
    """The age identities in the file at ``path``: age secret keys, or one SSH private key."""
    data = Path(path).read_bytes()
    text = data.decode("utf-8", "replace")
    if "AGE-SECRET-KEY-" in text:
        return tuple(
            x25519.Identity.from_str(line.strip())
            for line in text.splitlines() if line.strip().startswith("AGE-SECRET-KEY-")
        )
    return (ssh.Identity.from_buffer(data),)


def _public_of(path: str) -> set[str]:
    """The public keys of the user's identity file, as ``recipients`` lists them."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    if "AGE-SECRET-KEY-" in text:
        return {str(identity.to_public()) for identity in _identities(path)}
    try:
        pub = Path(path + ".pub").read_text(encoding="utf-8")
    except OSError:
        return set()
    return {" ".join(pub.split()[:2])}


def identities(root: Path, *, required: str | None = None) -> tuple:
    """The user's identities, or ``()`` when no key is set or it cannot be read. With
    ``required`` (what needs the key), a missing or unreadable key raises instead, saying
    what to set."""
    path = identity_path(root)
    if path is None:
        if required:
            raise LedgerStateError(
                f"{required} needs your key, and none is set: set {IDENTITY_VARIABLE} (or git "
                f"config --global {IDENTITY_SETTING}) to your age identity file or SSH private "
                "key, one listed in the ledger's recipients; nothing was written"
            )
        return ()
    try:
        return _identities(path)
    except (OSError, pyrage.IdentityError, ValueError) as error:
        if required:
            raise LedgerStateError(
                f"{required} needs your key, and {path} ({IDENTITY_VARIABLE} or "
                f"{IDENTITY_SETTING}) is no age identity or unencrypted SSH private key "
                f"({error}); nothing was written"
            ) from None
        return ()


def require_recipient(root: Path, what: str, listed: Iterable[str] | None = None) -> tuple:
    """The user's identities, refused unless one of them is among the recipients."""
    found = identities(root, required=what)
    listed = set(recipients(root) if listed is None else listed)
    path = identity_path(root)
    mine = _public_of(path)
    if mine and not mine & listed:
        raise LedgerStateError(
            f"{what} needs the key of one of the ledger's recipients, and yours ({path}) is "
            "not one (see: hrgov recipients list); nothing was written"
        )
    return found


# ---- the key store ------------------------------------------------------------------------

class KeyStore:
    """This clone's data keys, each encrypted to the recipients (``.git/hrgov/keys``)."""

    def __init__(self, root: Path):
        self.root = root
        self.folder = root / KEYS_DIR
        self._opened: dict[tuple[str, str], x25519.Identity | None] = {}

    def path(self, record_id: str, name: str) -> Path:
        return self.folder / record_id / f"{name}.age"

    def new(self, record_id: str, to: list) -> tuple[str, x25519.Identity]:
        """A new data key for a version of ``record_id``, stored encrypted to ``to``."""
        key = x25519.Identity.generate()
        name = key_name(key)
        self._store(self.path(record_id, name), str(key).encode(), to)
        self._opened[(record_id, name)] = key
        return name, key

    def _store(self, path: Path, secret: bytes, to: list) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_bytes(pyrage.encrypt(secret, to))
        os.replace(tmp, path)

    def get(self, record_id: str, name: str, mine: tuple) -> x25519.Identity | None:
        """The data key ``name`` of ``record_id``, or None if this clone lacks it (shredded,
        never received) or ``mine`` cannot open it."""
        if not mine:
            return None
        path = self.path(record_id, name)
        found = self._opened.get((record_id, name), ...)
        if found is not ... and path.exists() == (found is not None):  # shredded? arrived?
            return found
        found = None
        if mine:
            try:
                secret = pyrage.decrypt(path.read_bytes(), list(mine))
                found = x25519.Identity.from_str(secret.decode())
            except (OSError, pyrage.DecryptError, ValueError):
                found = None
        self._opened[(record_id, name)] = found
        return found

    def records(self) -> list[str]:
        try:
            return sorted(p.name for p in self.folder.iterdir() if p.is_dir())
        except FileNotFoundError:
            return []

    def rewrap(self, mine: tuple, to: list) -> list[str]:
        """Encrypt every data key this clone holds to ``to`` (the new recipients); returns
        the keys ``mine`` could not open (left as they were)."""
        stuck = []
        for path in sorted(self.folder.glob("*/*.age")):
            try:
                secret = pyrage.decrypt(path.read_bytes(), list(mine))
            except pyrage.DecryptError:
                stuck.append(f"{path.parent.name}/{path.stem}")
                continue
            self._store(path, secret, to)
        return stuck

    def shred(self, record_id: str) -> int:
        """Destroy every data key of ``record_id`` held here (overwritten, then removed);
        returns how many there were."""
        folder = self.folder / record_id
        count = 0
        for path in sorted(folder.glob("*.age")):
            size = path.stat().st_size
            with open(path, "r+b") as handle:
                handle.write(os.urandom(size))
                handle.flush()
                os.fsync(handle.fileno())
            path.unlink()
            count += 1
        if folder.is_dir():
            for leftover in folder.iterdir():
                leftover.unlink()
            folder.rmdir()
        for key in [k for k in self._opened if k[0] == record_id]:
            del self._opened[key]
        return count


def key_name(key: x25519.Identity) -> str:
    """A data key's name: the first 16 hex digits of its public key's SHA-256."""
    return hashlib.sha256(str(key.to_public()).encode()).hexdigest()[:16]


# ---- sealing and opening ------------------------------------------------------------------

class Sealer:
    """Seals and opens records and reasons for one ledger, with the user's key if set."""

    def __init__(self, root: Path):
        self.root = root
        self.store = KeyStore(root)
        self._mine: tuple | None = None
        self._texts: dict[str, str] = {}  # sealed reason → as opened

    @property
    def mine(self) -> tuple:
        if self._mine is None:
            self._mine = identities(self.root)
        return self._mine

    def seal(self, record: Mapping, to: list) -> tuple[dict, x25519.Identity]:
        """The sealed form of ``record`` (its outline and ``sealed``), and its data key."""
        clear = clear_fields(record["kind"])
        hidden = {k: v for k, v in record.items() if k not in clear or k == "id"}
        name, key = self.store.new(record["id"], to)
        payload = json.dumps(hidden, ensure_ascii=False, sort_keys=True).encode()
        ciphertext = pyrage.encrypt(payload, [key.to_public()])
        outline = {k: v for k, v in record.items() if k in clear}
        outline[SEALED] = f"{name}:{base64.b64encode(ciphertext).decode()}"
        return outline, key

    def open(self, outline: Mapping) -> dict | None:
        """The whole record a sealed file holds, or None when this clone lacks its data key
        or the user's key cannot open it. ``Unreadable`` when the key is there and the
        content does not open or does not belong to this record."""
        name, _, data = str(outline.get(SEALED, "")).partition(":")
        key = self.store.get(outline["id"], name, self.mine) if data else None
        if key is None:
            return None
        try:
            hidden = json.loads(pyrage.decrypt(base64.b64decode(data, validate=True), [key]))
        except (ValueError, pyrage.DecryptError) as error:
            raise Unreadable(f"its sealed content does not open ({error})") from None
        if not isinstance(hidden, dict) or hidden.get("id") != outline["id"]:
            raise Unreadable("its sealed content belongs to another record")
        record = {k: v for k, v in outline.items() if k != SEALED}
        record.update(hidden)
        return record

    def read(self, parsed: dict) -> tuple[dict, str]:
        """The record and JSON text the index keeps for a sealed or shredded file: the whole
        record where this clone can open it, else its outline marked ``"sealed": true``
        (``"shredded"`` kept as it is)."""
        if SEALED in parsed:
            try:
                opened = self.open(parsed)
            except Unreadable:
                opened = None
            if opened is not None:
                record = validate(opened)
                return record, _text(record)
            outline = {k: v for k, v in parsed.items() if k != SEALED}
            outline[SEALED] = True
            return outline, _text(outline)
        return parsed, _text(parsed)

    def seal_text(self, text: str, record_id: str, key: x25519.Identity) -> str:
        """``text`` (a reason) encrypted to the data key ``key`` of a version of
        ``record_id``, as one line for a commit trailer: ``sealed:<id>/<key name>:<age>``.
        Shredding that record destroys the key, and the reason with it."""
        ciphertext = pyrage.encrypt(text.encode(), [key.to_public()])
        return f"{SEALED_TEXT}{record_id}/{key_name(key)}:" + base64.b64encode(
            ciphertext).decode()

    def open_text(self, text: str | None) -> str | None:
        """A reason as written, opened when it was sealed and this clone holds its data key;
        else ``(sealed)``. A commit's reason is read for each record it changed: opened once."""
        if not text or not text.startswith(SEALED_TEXT):
            return text
        if text not in self._texts:
            self._texts[text] = self._open_text(text)
        return self._texts[text]

    def _open_text(self, text: str) -> str:
        where, _, data = text[len(SEALED_TEXT):].partition(":")
        record_id, _, name = where.partition("/")
        key = self.store.get(record_id, name, self.mine) if _KEY_FILE.match(f"{name}.age") \
            and _an_id(record_id) else None
        if key is None:
            return SEALED_REASON
        try:
            return pyrage.decrypt(base64.b64decode(data.split()[0], validate=True),
                                  [key]).decode()
        except (ValueError, IndexError, pyrage.DecryptError):
            return SEALED_REASON


def _text(record: Mapping) -> str:
    from hrgov.records import dumps  # the record file's own layout, written quickly

    return dumps(record).decode()


def is_sealed(record: Mapping | None) -> bool:
    """Whether a file's record is sealed or shredded (it then holds no plaintext)."""
    return record is not None and (SEALED in record or SHREDDED in record)


@functools.cache
def _sealer(root: Path, identity: str | None) -> Sealer:
    return Sealer(root)


def sealer_for(root: Path) -> Sealer:
    """The process's ``Sealer`` for ``root`` and the key ``HRGOV_IDENTITY`` names now: each
    data key is opened once per process (a rebuild opens thousands)."""
    return _sealer(Path(root), os.environ.get(IDENTITY_VARIABLE))


AGE_HEADER = b"age-encryption.org/v1\n"


def check_file(root: Path, outline: Mapping, path: str) -> None:
    """``hrgov verify``'s check of a sealed or shredded file: an outline of a restricted
    record, whose sealed content is age's and, where this clone holds its key, opens.
    Raises ``InvalidRecord`` naming the record."""
    from hrgov.errors import InvalidRecord
    from hrgov.model import kind_of_id

    record_id = outline.get("id")
    try:
        kind_of_id(str(record_id))
    except InvalidInput as error:
        raise InvalidRecord(f"{path}: {error}") from None
    if outline.get("sensitivity") != RESTRICTED:
        raise InvalidRecord(f"{record_id} is sealed but not restricted: only restricted "
                            "records are sealed")
    unknown = set(outline) - clear_fields(str(outline.get("kind"))) - {SEALED, SHREDDED}
    if unknown:
        raise InvalidRecord(f"{record_id} is sealed, yet holds {', '.join(sorted(unknown))} "
                            "in clear")
    if SEALED not in outline:
        return
    name, _, data = str(outline[SEALED]).partition(":")
    try:
        ciphertext = base64.b64decode(data, validate=True)
    except ValueError:
        ciphertext = b""
    if not name or not ciphertext.startswith(AGE_HEADER):
        raise InvalidRecord(f"{record_id}: its sealed content is damaged (not age's format)")
    try:
        sealer_for(root).open(outline)
    except Unreadable as error:
        raise InvalidRecord(f"{record_id}: {error}") from None


# ---- the changes: recipients, shredding, sealing an older ledger ----------------------------

def recipients_line(key_text: str, label: str | None = None) -> tuple[str, str]:
    """A key as ``recipients`` lists it (checked), and the line that adds it."""
    recipient_key(key_text)
    key = parse_recipients(key_text)[0]
    comment = " ".join((label or "").split())
    return key, f"{key}  # {comment}\n" if comment else f"{key}\n"


def change_recipients(ledger, *, add: str | None = None, remove: str | None = None,
                      label: str | None = None, author: str | None = None,
                      reason: str | None = None):
    """Add or remove a recipient as one change, made by a current recipient (any key may
    add the first). Removing one seals every live restricted record anew, each with a fresh
    data key, to the recipients left; either way this clone's data keys are then encrypted
    to the new set. Returns the change and the keys this clone could not re-encrypt."""
    root = ledger.root
    path = root / RECIPIENTS_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        lines = []
    current = recipients(root)
    what = "changing the ledger's recipients"
    mine = require_recipient(root, what, current) if current else ()
    if add is not None:
        key, line = recipients_line(add, label)
        if key in current:
            raise InvalidInput("that key is a recipient already", field="key")
        lines.append(line)
    else:
        key = recipients_line(remove or "")[0]
        if key not in current:
            raise InvalidInput("that key is not among the ledger's recipients (see: hrgov "
                               "recipients list)", field="key")
        if len(current) == 1:
            raise InvalidInput("that is the last recipient: add another first (hrgov "
                               "recipients add KEY), or nobody could read the sealed records")
        lines = [line for line in lines if parse_recipients(line) != [key]]
    to = [recipient_key(k) for k in parse_recipients("".join(lines))]
    verb = "add" if add is not None else "remove"
    from hrgov.index import restricted_records

    with ledger.change(f"recipients {verb}", author=author, reason=reason) as tx:
        tx.says_no_content = True
        tx.put_file(RECIPIENTS_FILE, "".join(lines).encode("utf-8"))
        resealed = 0
        if remove is not None:
            tx._seal_to = to
            tx.seal_anew = True
            for record in restricted_records(tx.conn):
                if not is_sealed(record) and sealed_on_disk(root, record):
                    tx.put(record)
                    resealed += 1
        tx.subject = f"recipients {verb} {key[:24]}…" + (
            f", {resealed} restricted records sealed anew" if resealed else "")
    stuck = KeyStore(root).rewrap(mine, to) if mine else []
    return tx, stuck


def shred(ledger, record_id: str, *, author: str | None = None, reason: str | None = None):
    """Make a restricted record's content unreadable in every copy of the history: commit its
    shredded outline, destroy its data keys in this clone's key store, and rebuild the index
    (which held its opened versions). Returns the change and how many keys were destroyed."""
    if not reason or not reason.strip():
        raise InvalidInput("say why the record is shredded: --reason …", field="reason")
    root = ledger.root
    require_recipient(root, f"shredding {record_id}")
    with ledger.change("shred", author=author, reason=reason) as tx:
        tx.says_no_content = True
        tx.shred(record_id)
        tx.subject = f"shred {record_id}"
    destroyed = sealer_for(root).store.shred(record_id)
    ledger.rebuild()
    return tx, destroyed


def seal_all(ledger, *, author: str | None = None, reason: str | None = None):
    """Seal every live restricted record still written in clear (a ledger older than
    sealing, or records restricted before it had recipients), as one change."""
    root = ledger.root
    if not sealing_on(root):
        raise InvalidInput("the ledger has no recipients yet: add the committee's keys first "
                           "(hrgov recipients add KEY), then seal")
    require_recipient(root, "sealing restricted records")
    from hrgov.index import restricted_records

    with ledger.change("seal", author=author, reason=reason) as tx:
        tx.says_no_content = True
        count = 0
        for record in restricted_records(tx.conn):
            if not is_sealed(record) and not sealed_on_disk(root, record):
                tx.put(record)
                count += 1
        tx.subject = f"seal {count} restricted records"
        if not count:
            raise InvalidInput("every restricted record is sealed already; nothing was written")
    return tx, count


def sealed_on_disk(root: Path, record: Mapping) -> bool:
    """Whether the record's file (HEAD's: records are changed only by commits) is sealed."""
    from hrgov.records import path_of

    try:
        return b'"sealed":' in (root / path_of(record)).read_bytes()
    except OSError:
        return False


RECIPIENTS_COMMANDS = ("recipients add", "recipients remove")


def check_recipients_history(root: Path, head: str | None) -> list[str]:
    """``hrgov verify``'s check of the ``recipients`` file: every commit on the first-parent
    line that changed it is a ``hrgov recipients add|remove`` (which only a recipient can
    make), and each key it lists is one hrgov can seal to."""
    if not head:
        return []
    out = history.git(root, "log", "--first-parent", "-z", "--format=%H%x1f%an%x1f%ct%x1f%B",
                      head, "--", RECIPIENTS_FILE)
    found = []
    for block in filter(None, out.decode("utf-8", "replace").split("\0")):
        sha, author, when, message = block.lstrip("\n").split("\x1f", 3)
        commands = [line.split(":", 1)[1].strip() for line in message.splitlines()
                    if line.startswith("Hrgov-Command:")]
        if not any(command in RECIPIENTS_COMMANDS for command in commands):
            day = time.strftime("%Y-%m-%d", time.gmtime(int(when)))
            found.append(
                f"commit {sha[:12]} ({day}, {author}): changed {RECIPIENTS_FILE} outside "
                "hrgov recipients add|remove; restricted records may be sealed to a key "
                "nobody on the committee holds: check it, and correct it with hrgov recipients"
            )
    for key in recipients(root):
        try:
            recipient_key(key)
        except InvalidInput:
            found.append(f"{RECIPIENTS_FILE}: {key[:30]} is no key hrgov can seal to")
    return found


def opened(root: Path, record: dict) -> dict:
    """A record file's content to merge: itself, or opened when it is sealed (a shredded
    outline stays as it is). ``InvalidInput`` when this clone cannot open it."""
    if SEALED not in record:
        return record
    found = None
    try:
        found = sealer_for(root).open(record)
    except Unreadable as error:
        raise InvalidInput(f"{record.get('id')}: {error}") from None
    if found is None:
        raise InvalidInput(
            f"{record.get('id')} is sealed and this clone holds no key that opens it (set "
            f"{IDENTITY_VARIABLE} to a recipient's key; hrgov sync brings the key store)"
        )
    return found


# ---- sharing the key store among the recipients' clones (hrgov sync) ----------------------------
#
# Each clone's key store travels as a git tree (one folder per record) under a ref of its own,
# never in the branch's history: a shred removes the record's folder from the next tree, and the
# trees before it become unreachable (git's gc, the remote's included, then deletes them).

KEYS_REF = "refs/hrgov/keys/store"
PUSH_KEYS = f"+{KEYS_REF}:{KEYS_REF}"
_KEY_FILE = re.compile(r"^[0-9a-f]{16}\.age\Z")


def fetch_keys(remote: str) -> str:
    """The refspec that fetches ``remote``'s key store (absent on the remote: no error)."""
    return f"+refs/hrgov/keys/*:refs/hrgov/remote-keys/{remote}/*"


def exchange_keys(root: Path, remote: str, shredded: Iterable[str]) -> tuple[int, bool]:
    """Bring the data keys of ``remote``'s key store (as last fetched) that this clone lacks
    into its own, destroy those of records shredded at HEAD (``shredded``), and pack the
    store under ``KEYS_REF``. Returns how many keys came, and whether the remote lacks
    something of this clone's store (then push it)."""
    shredded = set(shredded)
    store = KeyStore(root)
    received = 0
    theirs = history.git(root, "rev-parse", "--verify", "-q",
                         f"refs/hrgov/remote-keys/{remote}/store^{{tree}}", check=False
                         ).decode().strip()
    if not theirs and not store.folder.is_dir():
        return 0, False  # a ledger that seals nothing: one git call, no more
    if theirs:
        wanted: dict[str, Path] = {}
        for entry in history.git(root, "ls-tree", "-r", "-z", theirs).split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.decode("utf-8", "replace").partition("\t")
            record_id, _, name = path.partition("/")
            if record_id in shredded or not _KEY_FILE.match(name) or not _an_id(record_id):
                continue
            target = store.folder / record_id / name
            if not target.exists():
                wanted[meta.split()[2]] = target
        if wanted:
            with history.CatFile(root) as objects:
                found = {a[0]: a[2] for a in objects.read_many(sorted(wanted)) if a}
            for sha, target in wanted.items():
                if sha in found:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    tmp = target.with_suffix(f".tmp-{os.getpid()}")
                    tmp.write_bytes(found[sha])
                    os.replace(tmp, target)
                    received += 1
    for record_id in shredded & set(store.records()):
        store.shred(record_id)
    ours = _pack(root, store, shared=bool(theirs))
    return received, bool(ours) and ours != theirs


def _an_id(text: str) -> bool:
    from hrgov.model import kind_of_id

    try:
        kind_of_id(text)
    except InvalidInput:
        return False
    return True


def _pack(root: Path, store: KeyStore, shared: bool) -> str | None:
    """Write this clone's key store as a git tree and point ``KEYS_REF`` at it. An empty
    store is written only where a store was ever shared (its last key was shredded)."""
    files = sorted(store.folder.glob("*/*.age"))
    if not files:
        if not shared and not history.git(root, "rev-parse", "--verify", "-q", KEYS_REF,
                                          check=False).strip():
            return None
        tree = history.git(root, "mktree", input=b"").decode().strip()
        history.git(root, "update-ref", KEYS_REF, tree)
        return tree
    blobs = history.git(root, "hash-object", "-w", "--no-filters", "--stdin-paths",
                        input="\n".join(str(p) for p in files).encode()).split()
    by_record: dict[str, list[str]] = {}
    for path, blob in zip(files, blobs, strict=True):
        by_record.setdefault(path.parent.name, []).append(
            f"100644 blob {blob.decode()}\t{path.name}")
    ids = sorted(by_record)
    batch = "".join("\n".join(by_record[i]) + "\n\n" for i in ids)
    trees = history.git(root, "mktree", "--batch", input=batch.encode()).split()
    top = "".join(f"040000 tree {t.decode()}\t{i}\n" for i, t in zip(ids, trees, strict=True))
    tree = history.git(root, "mktree", input=top.encode()).decode().strip()
    history.git(root, "update-ref", KEYS_REF, tree)
    return tree
