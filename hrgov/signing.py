"""Signed changes: git's own SSH commit signatures, checked against the ledger's signers.

With ``ledger.sign = "decisions"`` (or ``"all"``) in ``hrgov.toml``, the commits hrgov makes
carry a ``gpgsig`` header exactly as ``git commit -S`` writes it with ``gpg.format=ssh``: an
``ssh-keygen -Y sign -n git`` signature over the commit object without that header. The key
is ``HRGOV_SIGNING_KEY``, else git's ``user.signingKey`` (a key file, or ``key::<public key>``
held by ssh-agent).

The ledger carries its signers in ``allowed_signers`` at its root (git's format,
``gpg.ssh.allowedSignersFile``: ``principal namespaces="git" ssh-ed25519 AAAA…``). A commit is
judged against the signers and the setting *as they were at its parent*: no commit
authorises itself. Which commits must be signed:

- ``"all"``: every commit;
- ``"decisions"``: a commit that writes a decision, or changes ``hrgov.toml``, ``recipients`` or
  ``allowed_signers``;
- whatever the setting, a commit that changes an existing ``allowed_signers``.

This is a storage module: it runs git and ssh-keygen.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from hrgov import config, history
from hrgov.errors import LedgerStateError

SIGNERS_FILE = "allowed_signers"
SETTING = "ledger.sign"
MODES = ("", "decisions", "all")
NAMESPACE = "git"
KEY_VARIABLE = "HRGOV_SIGNING_KEY"
DECISIONS = "records/decisions/"
# Paths whose changes matter to signing, as git's pathspecs.
# ``recipients`` (hrgov.sealing) says who can read sealed records: signed as decisions are.
RECIPIENTS_FILE = "recipients"
WATCHED = (config.CONFIG_FILE, SIGNERS_FILE, RECIPIENTS_FILE, DECISIONS.rstrip("/"))
# A line that may set ledger.sign to something other than "": only then is TOML parsed.
_SET = re.compile(r"""^\s*(ledger\.)?["']?sign["']?\s*=(?!\s*(""|'')\s*(#.*)?$)""", re.M)


def mode_of(text: str | bytes | None) -> str:
    """The ``ledger.sign`` setting of an ``hrgov.toml``'s text; ``""`` when unset. A value
    that is not one of ``MODES`` is taken as ``"all"`` (the strictest): a typo never turns
    signing off."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not _SET.search(text):  # the common case: no need to parse TOML
        return ""
    try:
        value = config.parse(text).get(SETTING, "")
    except Exception:  # an unreadable hrgov.toml: verify reports it elsewhere
        return ""
    return value if value in MODES else "all"


def must_sign(mode: str, paths, signers_exist: bool) -> bool:
    """Whether a commit changing ``paths`` must be signed, under the setting ``mode`` and
    whether ``allowed_signers`` existed before it."""
    paths = list(paths)
    if not signers_exist and paths == [SIGNERS_FILE]:
        return False  # the first signers: there is nobody yet to check a signature against
    if mode == "all":
        return True
    if SIGNERS_FILE in paths and signers_exist:
        return True
    if mode == "decisions":
        return any(
            p.startswith(DECISIONS) or p in (config.CONFIG_FILE, SIGNERS_FILE, RECIPIENTS_FILE)
            for p in paths
        )
    return False


# ---- writing: sign the commits hrgov makes ---------------------------------------------


@dataclass
class Signer:
    """The user's SSH signing key, found before anything is written, and the signers it must
    be one of (``allowed_signers`` as at the parent of the commit it signs)."""

    root: Path
    key: str  # a path to a key file, or "key::<public key>" (the private key in ssh-agent)
    mode: str
    signers: bytes | None = None
    principal: str | None = None  # who signed, once a signature is made

    def sign(self, body: bytes) -> bytes:
        """``body`` (a commit object's content) with its ``gpgsig`` header. Refuses a key that
        ``allowed_signers`` does not list: verify would name the commit, so it is not made."""
        return with_signature(body, self._signature(body))

    def sign_tag(self, body: bytes) -> bytes:
        """``body`` (a tag object's content, ending with its message) followed by its
        signature, as ``git tag -s`` writes it with ``gpg.format=ssh``."""
        return body + self._signature(body)

    def _signature(self, body: bytes) -> bytes:
        if self.signers is None:
            raise LedgerStateError(
                f"this change must be signed but the ledger has no {SIGNERS_FILE} to check "
                "signatures against: add the committee's keys first (hrgov signers add "
                "PRINCIPAL --key KEY.pub); nothing was written"
            )
        signature = ssh_sign(self.key, body, self.mode)
        self.principal = _principals(self.signers).get(_signing_key(signature) or "")
        if self.principal is None:
            raise LedgerStateError(
                f"the signing key {_shown(self.key)} is not in {SIGNERS_FILE}, so verify "
                "would reject this change: use a signer's key (user.signingKey or "
                f"{KEY_VARIABLE}), or ask a signer to add yours (hrgov signers add); "
                "nothing was written"
            )
        return signature


def _shown(key: str) -> str:
    return "from ssh-agent" if key.startswith("key::") else key


def signer_for(root: Path, paths, parent_file=None) -> Signer | None:
    """The signer a change of ``paths`` needs, or None when it needs none. ``parent_file(path)``
    gives a file's bytes (None when absent) as at the new commit's parent; by default, as on
    disk (nothing is written yet). Raises ``LedgerStateError`` (saying what to set) when it
    must be signed and no key is set: the caller has written nothing yet. Cheap when signing
    is off: one file read, one stat."""
    if parent_file is None:
        parent_file = functools.partial(_on_disk, root)
    mode = mode_of(parent_file(config.CONFIG_FILE))
    signers_text = parent_file(SIGNERS_FILE)
    signers_exist = signers_text is not None
    if not mode and not signers_exist:
        return None
    if not must_sign(mode, paths, signers_exist):
        return None
    why = f'ledger.sign is "{mode}"' if mode else f"it changes {SIGNERS_FILE}"
    return Signer(root, _key(root, why), mode, signers_text)


def briefing_signer(root: Path) -> Signer | None:
    """The signer of a Board briefing's tag: needed whenever ``ledger.sign`` is set. Raises
    like ``signer_for`` when no key is set: call it before the briefing is written."""
    mode = mode_of(_on_disk(root, config.CONFIG_FILE))
    if not mode:
        return None
    return Signer(
        root, _key(root, f'ledger.sign is "{mode}"'), mode, _on_disk(root, SIGNERS_FILE)
    )


def _on_disk(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except OSError:
        return None


def _key(root: Path, why: str) -> str:
    """The user's signing key: ``HRGOV_SIGNING_KEY``, else git's ``user.signingKey``."""
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        key = history.git(root, "config", "--get", "user.signingKey", check=False).decode(
            "utf-8", "replace").strip()
    if not key:
        raise LedgerStateError(
            f"this change must be signed ({why}) but no SSH signing key is set: set git's "
            f"user.signingKey (git config user.signingKey ~/.ssh/id_ed25519) or "
            f"{KEY_VARIABLE}; nothing was written"
        )
    if not key.startswith("key::"):
        key = os.path.expanduser(key)
        if not os.path.isfile(key):
            where = KEY_VARIABLE if os.environ.get(KEY_VARIABLE) else "user.signingKey"
            raise LedgerStateError(
                f"this change must be signed ({why}) but the signing key {key} ({where}) "
                "does not exist; set user.signingKey or "
                f"{KEY_VARIABLE} to an SSH key file; nothing was written"
            )
    return key


def ssh_sign(key: str, payload: bytes, mode: str = "") -> bytes:
    """An SSH signature of ``payload`` in git's namespace, armored, as ssh-keygen writes it."""
    with tempfile.TemporaryDirectory(prefix="hrgov-sign-") as scratch:
        args = ["ssh-keygen", "-Y", "sign", "-n", NAMESPACE, "-f", key]
        if key.startswith("key::"):  # a public key: the private one is in ssh-agent
            public = os.path.join(scratch, "key.pub")
            with open(public, "w", encoding="utf-8") as out:
                out.write(key[len("key::"):].strip() + "\n")
            args = ["ssh-keygen", "-Y", "sign", "-n", NAMESPACE, "-U", "-f", public]
        try:
            result = subprocess.run(
                args, input=payload, capture_output=True, env=_quiet_env()
            )
        except FileNotFoundError:
            raise LedgerStateError(
                "this change must be signed but ssh-keygen is not installed (OpenSSH 8.2 or "
                "later); nothing was written"
            ) from None
    if result.returncode != 0 or b"BEGIN SSH SIGNATURE" not in result.stdout:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise LedgerStateError(
            f"signing with {key} failed ({detail[-1] if detail else 'no signature'}); "
            f"check user.signingKey or {KEY_VARIABLE}; nothing was written"
        )
    return result.stdout


def _quiet_env() -> dict[str, str]:
    # ssh-keygen must never prompt: a key with a passphrase is used through ssh-agent.
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env["SSH_ASKPASS_REQUIRE"] = "never"
    return env


def with_signature(body: bytes, signature: bytes) -> bytes:
    """A commit object's content with ``signature`` as its ``gpgsig`` header: after the
    other headers (``committer`` last), each line after the first indented by one space."""
    end = body.index(b"\n\n") + 1
    lines = signature.rstrip(b"\n").split(b"\n")
    header = b"gpgsig " + b"\n ".join(lines) + b"\n"
    return body[:end] + header + body[end:]


# ---- reading: check the signatures of the history --------------------------------------


@dataclass
class _Commit:
    sha: str
    parents: list[str]
    author: str
    time: int
    paths: dict[str, str]  # path → new blob (the zero sha when deleted)


def _log(root: Path, head: str, *, every: bool) -> list[_Commit]:
    """The first-parent line, oldest first, with the watched paths each commit changed.
    ``every=False``: only the commits that changed one of them."""
    args = [
        "-c", "core.quotepath=off", "log", "--first-parent", "--reverse", "-z",
        "--raw", "--no-renames", "--no-abbrev", "--format=%x1e%H%x1f%P%x1f%an%x1f%ct%x1f",
    ]
    if every:
        args.append("--sparse")  # every commit walked, its diff still limited to the paths
    out = history.git(root, *args, head, "--", *WATCHED)
    found = []
    for block in out.split(b"\x1e")[1:]:
        sha, parents, name, when, raw = block.split(b"\x1f", 4)
        fields = raw.lstrip(b"\n\0").split(b"\0")
        paths = {}
        for i in range(0, len(fields) - 1, 2):
            meta = fields[i].lstrip(b"\n").split()
            if meta and meta[0].startswith(b":"):
                paths[fields[i + 1].decode("utf-8", "surrogateescape")] = meta[3].decode()
        found.append(_Commit(
            sha.decode(), parents.decode().split(), name.decode("utf-8", "replace"),
            int(when), paths,
        ))
    return found


def check_history(root: Path, head: str | None) -> list[str]:
    """One line per commit on the first-parent line that had to be signed and is not, or is
    signed by a key not in ``allowed_signers`` as it was at the commit's parent, or whose
    signature does not match it. Cheap when the ledger never used signing: one path-limited
    ``git log``."""
    if not head:
        return []
    touching = _log(root, head, every=False)
    blobs = {
        c.paths[p] for c in touching for p in (config.CONFIG_FILE, SIGNERS_FILE)
        if p in c.paths and c.paths[p] != history.ZERO_SHA
    }
    contents = _read_blobs(root, blobs)
    if not any(SIGNERS_FILE in c.paths for c in touching) and not any(
        mode_of(contents.get(c.paths[config.CONFIG_FILE]))
        for c in touching if config.CONFIG_FILE in c.paths
    ):
        return []
    ever_all = any(
        mode_of(contents.get(c.paths[config.CONFIG_FILE])) == "all"
        for c in touching if config.CONFIG_FILE in c.paths
    )
    line = _log(root, head, every=True) if ever_all else touching
    mode, signers = "", None  # as at the parent of the commit being judged
    needed: dict[bytes | None, list[tuple[_Commit, str]]] = {}
    for commit in line:
        if commit.parents and must_sign(mode, commit.paths, signers is not None):
            why = f'ledger.sign is "{mode}"' if mode else f"it changes {SIGNERS_FILE}"
            needed.setdefault(signers, []).append((commit, why))
        if config.CONFIG_FILE in commit.paths:
            mode = mode_of(contents.get(commit.paths[config.CONFIG_FILE]))
        if SIGNERS_FILE in commit.paths:
            blob = commit.paths[SIGNERS_FILE]
            signers = None if blob == history.ZERO_SHA else contents.get(blob, b"")
    failures = []
    for signers_text, commits in needed.items():
        verdicts = _verdicts(root, [c.sha for c, _ in commits], signers_text)
        for commit, why in commits:
            status, _ = verdicts.get(commit.sha, ("E", ""))
            problem = _problem(status, why, signers_text)
            if problem:
                when = time.strftime("%Y-%m-%d", time.gmtime(commit.time))
                failures.append(f"commit {commit.sha[:12]} ({when}, {commit.author}): {problem}")
    return failures


def check_briefing_tags(root: Path, head: str | None) -> list[str]:
    """One line per Board briefing tag whose signature is not good: unsigned although
    ``ledger.sign`` was set at the commit it names, or signed by a key that was not a signer
    then nor is now, or not matching the tag (altered). Tags are few: each is read."""
    out = history.git(
        root, "for-each-ref", "--format=%(refname:strip=2)%00%(objectname)%00%(objecttype)"
        "%00%(*objectname)", "refs/tags/hrgov/brief/", check=False,
    ).decode("utf-8", "replace")
    tags = [line.split("\0") for line in out.splitlines() if line.count("\0") == 3]
    if not tags:
        return []
    now = _on_disk(root, SIGNERS_FILE) or b""
    if head:
        found = history.git(root, "show", f"{head}:{SIGNERS_FILE}", check=False)
        now = found or now
    failures = []
    with history.CatFile(root) as objects:
        for name, sha, kind, target in tags:
            commit = target if kind == "tag" else sha
            at = {p: objects.read(f"{commit}:{p}") for p in (config.CONFIG_FILE, SIGNERS_FILE)}
            mode = mode_of(at[config.CONFIG_FILE][2] if at[config.CONFIG_FILE] else None)
            raw = objects.read(sha)[2] if kind == "tag" else b""
            start = raw.find(b"-----BEGIN SSH SIGNATURE-----")
            if start < 0:
                if mode:
                    failures.append(f'briefing tag {name}: not signed, but ledger.sign was '
                                    f'"{mode}" at the commit it names ({commit[:12]})')
                continue
            signers = (at[SIGNERS_FILE][2] if at[SIGNERS_FILE] else b"") + b"\n" + now
            status = _verdict(root, raw[:start], raw[start:], signers)
            problem = _problem(status, "it names a briefing", signers.strip() or None)
            if problem:
                failures.append(f"briefing tag {name}: {problem}")
    return failures


def _verdict(root: Path, payload: bytes, signature: bytes, signers: bytes) -> str:
    """G, U or B (see ``_verdicts``) for one signed payload."""
    principal = _principals(signers).get(_signing_key(signature) or "")
    if principal is None:
        return "U"
    with tempfile.TemporaryDirectory(prefix="hrgov-verify-") as scratch:
        allowed, sig = os.path.join(scratch, SIGNERS_FILE), os.path.join(scratch, "tag.sig")
        with open(allowed, "wb") as out:
            out.write(signers)
        with open(sig, "wb") as out:
            out.write(signature)
        return "G" if _ssh_verify(allowed, principal, sig, payload) else "B"


def _problem(status: str, why: str, signers: bytes | None) -> str | None:
    if status == "G":
        return None
    if status == "N":
        return f"not signed, but {why}"
    if status == "U":
        if not signers:
            return f"signed, but the ledger had no {SIGNERS_FILE} to check it against ({why})"
        return f"signed by a key not in {SIGNERS_FILE} ({why})"
    if status == "B":
        return "the signature does not match the commit (altered or forged)"
    return f"the signature cannot be checked (git says {status!r}; is ssh-keygen installed?)"


def _read_blobs(root: Path, blobs) -> dict[str, bytes]:
    if not blobs:
        return {}
    with history.CatFile(root) as objects:
        return {a[0]: a[2] for a in objects.read_many(sorted(blobs)) if a}


def _verdicts(root: Path, shas: list[str], signers: bytes | None) -> dict[str, tuple[str, str]]:
    """The verdict on each commit's signature against ``signers`` (an allowed_signers file's
    bytes), in git's words (``%G?``): sha → (G good, N none, U a key not in the file, B bad;
    the principal when good). As git does it, with one ssh-keygen process per signed commit
    instead of git's two: the signing key is read from the signature itself and looked up
    in the file here, and only ``ssh-keygen -Y verify`` runs, on every core at once."""
    known = _principals(signers or b"")
    with history.CatFile(root) as objects:
        raws = list(objects.read_many(shas))
    found: dict[str, tuple[str, str]] = {}
    checks = []
    for sha, answer in zip(shas, raws, strict=True):
        split = split_signature(answer[2]) if answer and answer[1] == "commit" else None
        if split is None:
            found[sha] = ("N", "")
            continue
        payload, signature = split
        principal = known.get(_signing_key(signature) or "")
        if principal is None:
            found[sha] = ("U", "")
        else:
            checks.append((sha, payload, signature, principal))
    if checks:
        from concurrent.futures import ThreadPoolExecutor

        with tempfile.TemporaryDirectory(prefix="hrgov-verify-") as scratch:
            allowed = os.path.join(scratch, SIGNERS_FILE)
            with open(allowed, "wb") as out:
                out.write(signers or b"")

            def check(item) -> tuple[str, tuple[str, str]]:
                sha, payload, signature, principal = item
                sig = os.path.join(scratch, f"{sha}.sig")
                with open(sig, "wb") as out:
                    out.write(signature)
                ok = _ssh_verify(allowed, principal, sig, payload)
                return sha, ("G", principal) if ok else ("B", "")

            with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
                found.update(pool.map(check, checks))
    return found


def _ssh_verify(allowed: str, principal: str, sig: str, payload: bytes) -> bool:
    try:
        result = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", allowed, "-I", principal, "-n", NAMESPACE,
             "-s", sig], input=payload, capture_output=True, env=_quiet_env(),
        )
    except FileNotFoundError:
        raise LedgerStateError(
            "checking signatures needs ssh-keygen (OpenSSH 8.2 or later), which is not "
            "installed"
        ) from None
    return result.returncode == 0


def split_signature(raw: bytes) -> tuple[bytes, bytes] | None:
    """A commit object's content → (what was signed: the object without its ``gpgsig``
    header; the armored signature), or None when it carries no SSH signature."""
    end = raw.find(b"\n\n")
    header = raw[: end + 1] if end >= 0 else raw
    start = header.find(b"\ngpgsig ") + 1 if not header.startswith(b"gpgsig ") else 0
    if start == 0 and not header.startswith(b"gpgsig "):
        return None
    lines, stop = [], start
    while True:
        newline = raw.index(b"\n", stop)
        line = raw[stop:newline]
        lines.append(line[len(b"gpgsig "):] if stop == start else line[1:])
        stop = newline + 1
        if not raw.startswith(b" ", stop) or stop > end:
            break
    signature = b"\n".join(lines) + b"\n"
    if not signature.startswith(b"-----BEGIN SSH SIGNATURE-----"):
        return None
    return raw[:start] + raw[stop:], signature


def _signing_key(signature: bytes) -> str | None:
    """The public key (base64 of its wire form, as allowed_signers writes it) an armored SSH
    signature names; None if it cannot be read."""
    import base64
    import binascii

    body = b"".join(
        line for line in signature.splitlines() if line and not line.startswith(b"-----")
    )
    try:
        blob = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return None
    if blob[:6] != b"SSHSIG" or len(blob) < 14:
        return None
    size = int.from_bytes(blob[10:14], "big")
    key = blob[14 : 14 + size]
    return base64.b64encode(key).decode() if len(key) == size else None


def _principals(signers: bytes) -> dict[str, str]:
    """allowed_signers → {public key (base64) → principal}, for lines valid in git's
    namespace (no ``namespaces=`` option, or one naming "git")."""
    found = {}
    for line in signers.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = _fields(line)
        if len(fields) < 3:
            continue
        principal, rest = fields[0], fields[1:]
        options = "" if rest[0].startswith(("ssh-", "ecdsa-", "sk-")) else rest.pop(0)
        if len(rest) < 2:
            continue
        spaces = re.search(r'(?:^|,)namespaces="([^"]*)"', options)
        if spaces and NAMESPACE not in spaces[1].split(","):
            continue
        found.setdefault(rest[1], principal)
    return found


def _fields(line: str) -> list[str]:
    """Whitespace-separated fields, double quotes keeping spaces (options may hold them)."""
    return re.findall(r'(?:[^\s"]|"[^"]*")+', line)


def in_use(root: Path) -> bool:
    """Whether the ledger signs (an ``allowed_signers`` file, or ``ledger.sign`` set)."""
    if (root / SIGNERS_FILE).is_file():
        return True
    try:
        return bool(mode_of((root / config.CONFIG_FILE).read_bytes()))
    except OSError:
        return False


def signed_by(root: Path, shas) -> dict[str, str]:
    """The principal whose key signed each of the commits ``shas``, by ``allowed_signers`` as
    it was at the commit's parent; commits unsigned or not verifiable are left out. Empty at
    once when the ledger does not use signing.

    >>> signed_by(root, [head])  # doctest: +SKIP
    {'3f2a9c…': 'alice@example.org'}
    """
    shas = sorted(set(shas))
    if not shas or not in_use(root):
        return {}
    with history.CatFile(root) as objects:
        answers = list(objects.read_many([f"{s}^:{SIGNERS_FILE}" for s in shas]))
    by_signers: dict[bytes, list[str]] = {}
    for sha, answer in zip(shas, answers, strict=True):
        if answer:
            by_signers.setdefault(answer[2], []).append(sha)
    principals: dict[str, str] = {}
    for signers, group in by_signers.items():
        principals |= {
            sha: who for sha, (status, who) in _verdicts(root, group, signers).items()
            if status == "G" and who
        }
    return principals


# ---- managing the signers and the setting (each one change, signed when it must be) -----

_PRINCIPAL = re.compile(r"^[A-Za-z0-9._@+-]{1,200}$")
_KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-", "sk-ssh-ed25519@", "sk-ecdsa-sha2-")


def signers(root: Path) -> list[tuple[str, str]]:
    """The ledger's signers now: (principal, key type and fingerprint-free key text)."""
    try:
        text = (root / SIGNERS_FILE).read_bytes()
    except OSError:
        return []
    return [(principal, key) for key, principal in _principals(text).items()]


def signer_entry(principal: str, public_key: str) -> str:
    """One allowed_signers line for ``principal`` and ``public_key`` (an ``.pub`` file's
    text), checked."""
    from hrgov.errors import InvalidInput

    if not _PRINCIPAL.match(principal):
        raise InvalidInput(
            f"principal {principal!r} must be one word such as an email address "
            "(letters, digits, . _ @ + -)", field="principal",
        )
    fields = public_key.split()
    if len(fields) < 2 or not fields[0].startswith(_KEY_TYPES):
        raise InvalidInput(
            "key is not an SSH public key (give the .pub file, e.g. ~/.ssh/id_ed25519.pub)",
            field="key",
        )
    return f'{principal} namespaces="{NAMESPACE}" {fields[0]} {fields[1]}\n'


def change_signers(ledger, *, add: tuple[str, str] | None = None, remove: str | None = None,
                   author: str | None = None, reason: str | None = None):
    """Add a signer (principal, public key text) or remove one, as one change; signed by the
    user's key when the ledger already has signers (see ``signer_for``)."""
    from hrgov.errors import InvalidInput

    path = ledger.root / SIGNERS_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        lines = []
    owner = [(_fields(line.strip()) or [""])[0] for line in lines]
    if add is not None:
        entry = signer_entry(*add)
        if entry in lines:
            raise InvalidInput(f"{add[0]} is already a signer with that key")
        lines.append(entry)
        command, subject = "signers add", f"signers add {add[0]}"
    else:
        if remove not in owner:
            raise InvalidInput(f"{remove} is not in {SIGNERS_FILE}", field="principal")
        lines = [line for line, who in zip(lines, owner, strict=True) if who != remove]
        command, subject = "signers remove", f"signers remove {remove}"
    with ledger.change(command, author=author, reason=reason) as tx:
        tx.subject = subject
        tx.put_file(SIGNERS_FILE, "".join(lines).encode("utf-8"))
    return tx


def set_mode(ledger, mode: str, *, author: str | None = None, reason: str | None = None):
    """Set ``ledger.sign`` in hrgov.toml, as one change (signed when signing is on now)."""
    from hrgov.errors import InvalidInput

    mode = "" if mode == "none" else mode
    if mode not in MODES:
        raise InvalidInput(f"sign {mode!r} must be none, decisions or all", field="sign")
    settings = ledger.settings()
    if mode and not (ledger.root / SIGNERS_FILE).is_file():
        raise InvalidInput(
            "nobody could sign yet: add the committee's keys first (hrgov signers add "
            "PRINCIPAL --key KEY.pub), then require signatures", field="sign"
        )
    if settings.get(SETTING, "") == mode:
        raise InvalidInput(f"{SETTING} is already {mode!r}")
    settings[SETTING] = mode
    with ledger.change("signers require", author=author, reason=reason) as tx:
        tx.subject = f"signers require {mode or 'none'}"
        tx.put_file(config.CONFIG_FILE, config.render(settings).encode("utf-8"))
    return tx
