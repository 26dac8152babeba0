"""Where cached results live and how they are written and read back safely.

The cache sits in the user's own cache folder (platformdirs: ~/.cache/followup on Linux,
~/Library/Caches/followup on macOS, %LOCALAPPDATA%\\followup\\Cache on Windows), or in
FOLLOWUP_CACHE_DIR. Never beside the archive: a shop's shared folder can be written by
others, and a cache file is only ever read back from a folder that only this user can write.

Every file is: a magic line and format version, the digest of the key it was made for, the
payload's length and a keyed BLAKE2b digest of the payload (the key is a random secret kept
in the cache folder, readable by this user only), then the payload, a pickle. A file is read
back only when all of these match, so a file this program did not write, a truncated or
corrupt one, or one made for other inputs is simply a miss; and even then the payload is
unpickled by an unpickler that builds only plain values (str, numbers, dates, the
followup classes named in ALLOWED) and refuses every other global, so a hostile file
cannot run code. Files are written to a temporary name and renamed into place (os.replace),
so two processes racing each write a whole file and a reader sees one or the other.

FOLLOWUP_NO_CACHE=1 (or --no-cache) turns the cache off: nothing is read or written.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import struct
import sys
import tempfile
import time
from pathlib import Path

MAGIC = b"followup-cache\n"
FORMAT = 1
_HEADER = struct.Struct(">H32sQ32s")  # format, key digest, payload length, payload MAC
ENV_DIR = "FOLLOWUP_CACHE_DIR"
ENV_OFF = "FOLLOWUP_NO_CACHE"
PRUNE_AFTER_DAYS = 45  # entries nobody has used for this long are removed when the cache is written
PRUNE_EVERY = 86400  # seconds: the folder is looked through at most once a day (a marker file says when)

_disabled = False
_state: dict = {}


def disable(off: bool = True) -> None:
    """Turn the cache off (or on again) for this process: the CLI's --no-cache."""
    global _disabled
    _disabled = off


def enabled() -> bool:
    return not _disabled and os.environ.get(ENV_OFF, "").strip().lower() not in ("1", "true", "yes", "on")


def digest(*parts: object) -> bytes:
    """A stable 32-byte digest of plain values (their repr: str, int, tuples, sorted items)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=32).digest()


def cache_dir() -> Path | None:
    """The cache folder, created private to this user; None when it cannot be used safely."""
    where = os.environ.get(ENV_DIR)
    if _state.get("dir_env") != where:
        _state.clear()  # FOLLOWUP_CACHE_DIR changed (tests): start again with the new folder
        _state["dir_env"] = where
    if "dir" in _state:
        return _state["dir"]
    folder = None
    try:
        env = os.environ.get(ENV_DIR)
        if env:
            path = Path(env)
        else:
            from platformdirs import user_cache_dir

            path = Path(user_cache_dir("followup", appauthor=False))
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        if _private(path.stat(), directory=True):
            folder = path
    except OSError:
        folder = None
    _state["dir"] = folder
    return folder


def _private(st: os.stat_result, directory: bool = False) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no modes)."""
    if not (stat.S_ISDIR(st.st_mode) if directory else stat.S_ISREG(st.st_mode)):
        return False
    if os.name != "posix":
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _secret(folder: Path) -> bytes | None:
    if "secret" in _state:
        return _state["secret"]
    path = folder / "secret"
    value = _read_private(path, 64)
    if value is None or len(value) != 32:
        value = os.urandom(32)
        if not _write_atomic(folder, path, value):
            value = None
        else:
            # another process may have won the race: use whatever is in place now
            value = _read_private(path, 64)
            value = value if value and len(value) == 32 else None
    _state["secret"] = value
    return value


def _read_private(path: Path, limit: int | None = None) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not _private(os.fstat(fd)):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read() if limit is None else fh.read(limit)
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_atomic(folder: Path, path: Path, data: bytes) -> bool:
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


def entry_path(kind: str, name: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{kind}-{name.hex()[:40]}.bin"


def load(kind: str, name: bytes, key: bytes) -> object:
    """The value stored under `name` for exactly `key`, or None (a miss, never an error)."""
    if not enabled():
        return None
    path = entry_path(kind, name)
    if path is None:
        return None
    data = _read_private(path)
    if not data or not data.startswith(MAGIC) or len(data) < len(MAGIC) + _HEADER.size:
        return None
    try:
        fmt, stored_key, length, mac = _HEADER.unpack_from(data, len(MAGIC))
        start = len(MAGIC) + _HEADER.size
        payload = memoryview(data)[start:]
        secret = _secret(path.parent)
        if fmt != FORMAT or stored_key != key or length != len(payload) or secret is None:
            return None
        if hashlib.blake2b(payload, key=secret, digest_size=32).digest() != mac:
            return None
        value = _SafeUnpickler(io.BytesIO(payload)).load()
    except Exception:  # a damaged or foreign file is a miss, and is rewritten
        return None
    try:
        os.utime(path)  # used: keep it from being pruned
    except OSError:
        pass
    return value


def save(kind: str, name: bytes, key: bytes, value: object) -> bool:
    """Store `value` under `name` for `key`; False (and nothing written) when that is not possible."""
    if not enabled():
        return False
    path = entry_path(kind, name)
    if path is None:
        return False
    secret = _secret(path.parent)
    if secret is None:
        return False
    try:
        payload = _dumps(value)
    except Exception:  # a value the safe unpickler would refuse: not kept
        return False
    mac = hashlib.blake2b(payload, key=secret, digest_size=32).digest()
    ok = _write_atomic(path.parent, path, MAGIC + _HEADER.pack(FORMAT, key, len(payload), mac) + payload)
    if ok:
        _prune(path.parent)
    return ok


def _prune(folder: Path) -> None:
    """At most once a day (and once a process): remove entries unused for PRUNE_AFTER_DAYS and
    leftovers of killed writers. Looking through a folder of many entries costs a stat each
    (a scheduled script making a cache of thousands paid that on every run)."""
    if _state.get("pruned"):
        return
    _state["pruned"] = True
    now = time.time()
    marker = folder / "pruned"
    try:
        if 0 <= now - marker.stat().st_mtime < PRUNE_EVERY:
            return
    except OSError:
        pass  # never pruned here yet
    try:
        marker.touch()
    except OSError:
        return
    try:
        with os.scandir(folder) as it:
            for e in it:
                if not e.name.endswith((".bin", ".part")):
                    continue
                try:
                    age = now - e.stat(follow_symlinks=False).st_mtime
                    if age > PRUNE_AFTER_DAYS * 86400 or (e.name.endswith(".part") and age > 3600):
                        os.unlink(e.path)
                except OSError:
                    continue
    except OSError:
        pass


# Classes a cache file may name, besides the reader's own plain dataclasses (_record_class).
# Everything else (os.system, builtins.eval ...) is refused.
READER_MODULES = ("followup_cli.archive.", "followup_cli.calendar.")
ALLOWED = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("followup_cli.archive.cells", "Birthday"),
    ("followup_cli.text.messages", "Msg"),
    ("followup_cli.archive.problems", "Problem"),
}


_classes: dict = {}


def _allowed_classes() -> dict:
    if not _classes:
        import importlib

        for module, name in ALLOWED:
            _classes[(module, name)] = getattr(importlib.import_module(module), name)
    return _classes


def _record_class(module: str, name: str):
    """A plain dataclass of the archive reader's own (a column's use, an unused sheet ...):
    rebuilt field by field, no code of the file's choosing runs. Anything else is None."""
    import dataclasses

    if not module.startswith(READER_MODULES) or "." in name:
        return None
    mod = sys.modules.get(module)
    cls = getattr(mod, name, None) if mod is not None else None
    if (
        isinstance(cls, type)
        and dataclasses.is_dataclass(cls)
        and cls.__module__ == module
        and "__reduce__" not in vars(cls)
        and "__reduce_ex__" not in vars(cls)
    ):
        return cls
    return None


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        cls = _allowed_classes().get((module, name)) or _record_class(module, name)
        if cls is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")
        return cls


class _CheckedPickler(pickle.Pickler):
    """Refuses, while writing, anything the safe unpickler would refuse when reading."""

    def reducer_override(self, obj):
        # called only for objects that are not plain str, int, float, list, dict ...
        cls = obj if isinstance(obj, type) else type(obj)  # an instance or the class itself
        if cls not in self.allowed and _record_class(cls.__module__, cls.__qualname__) is not cls:
            raise pickle.PicklingError(f"{cls.__qualname__} is not kept in the cache")
        return NotImplemented


def _dumps(value) -> bytes:
    buf = io.BytesIO()
    pickler = _CheckedPickler(buf, protocol=5)
    pickler.allowed = set(_allowed_classes().values())
    # No memo: the values hold no cycles and few shared objects, and memoising millions of
    # cells costs more than writing them (measured: 4x slower).
    pickler.fast = True
    pickler.dump(value)
    return buf.getvalue()


def source_fingerprint(*relative: str) -> bytes:
    """A digest of followup's own source files under these paths (relative to followup_cli/):
    any edit to the code that made a cached value changes the key, so it is never reused."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.blake2b(digest_size=32)
    h.update(sys.version.encode())
    for rel in relative:
        target = root / rel
        files = sorted(target.rglob("*.py")) + sorted(target.rglob("*.toml")) if target.is_dir() else [target]
        for f in files:
            try:
                h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
            except OSError:
                h.update(str(f).encode() + b"\0missing\0")
    return h.digest()


def package_fingerprint(*modules: str) -> bytes:
    """The installed third-party packages' files (names, sizes, times), without importing them:
    another version of calamine or of the holiday tables changes the key."""
    import importlib.util

    h = hashlib.blake2b(digest_size=32)
    for mod in modules:
        try:
            spec = importlib.util.find_spec(mod)
        except (ImportError, ValueError):
            spec = None
        origin = getattr(spec, "origin", None) if spec else None
        h.update(mod.encode() + b"\0")
        if not origin:
            continue
        folder = Path(origin).parent if Path(origin).name.startswith("__init__") else Path(origin)
        try:
            paths = [folder] if folder.is_file() else sorted(folder.iterdir())
            for p in paths:
                st = p.stat()
                h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}\0".encode())
        except OSError:
            h.update(b"unreadable\0")
    return h.digest()
