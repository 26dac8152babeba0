"""Writing a new package: one part streamed with splices, every other member copied raw.

`splice` streams a part and writes it out with replacements at given offsets;
`rewrite_zip` writes a new package in which every member except the replaced ones is
copied as its raw compressed bytes, in the original order.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from followup_cli.errors import UnreadableFile, WriteRefused
from followup_cli.text.messages import msg
from followup_cli.xlsx import deflate, limits

if TYPE_CHECKING:
    from pathlib import Path


def splice(stream: BinaryIO, edits: list[tuple[int, int, bytes]], write: Callable[[bytes], None]) -> int:
    """Copy `stream` to `write`, replacing [start, end) by the given bytes; returns bytes read."""
    edits = sorted(edits, key=lambda e: (e[0], e[1]))
    for (s1, e1, _), (s2, _e2, _) in zip(edits, edits[1:]):
        if s2 < e1:
            raise AssertionError("overlapping edits")
    offset = 0  # absolute offset of the next byte to be read
    skip_to = 0
    i = 0
    while True:
        chunk = stream.read(limits.CHUNK)
        if not chunk:
            break
        cstart, cend = offset, offset + len(chunk)
        cur = cstart
        while cur < cend:
            if cur < skip_to:
                cur = min(skip_to, cend)
                continue
            if i < len(edits) and edits[i][0] < cend:
                s, e, rep = edits[i]
                if s > cur:
                    write(chunk[cur - cstart : s - cstart])
                write(rep)
                skip_to = e
                cur = max(cur, s)
                i += 1
                continue
            write(chunk[cur - cstart :])
            cur = cend
        offset = cend
    while i < len(edits):  # edits at the very end (offset == length)
        s, e, rep = edits[i]
        if s != offset or e != offset:
            raise AssertionError("edit beyond the end of the part")
        write(rep)
        i += 1
    return offset


_EOCD = struct.Struct("<4s4H2LH")
_CDIR = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_ZIP64_LIMIT = 0xFFFFFFFF
_STORED, _DEFLATED = 0, 8


def _extra_blocks(extra: bytes) -> list[tuple[int, bytes]]:
    blocks, pos = [], 0
    while pos + 4 <= len(extra):
        hid, size = struct.unpack_from("<2H", extra, pos)
        blocks.append((hid, extra[pos : pos + 4 + size]))
        pos += 4 + size
    return blocks


@dataclass
class _Member:
    name: str
    central: bytearray  # the raw central directory record
    header_offset: int
    compress_type: int
    flag_bits: int
    compress_size: int
    crc: int


def _read_central(f: BinaryIO, where: str) -> tuple[list[_Member], bytes]:
    f.seek(0, 2)
    size = f.tell()
    tail_len = min(size, 65535 + _EOCD.size)
    f.seek(size - tail_len)
    tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0:
        raise UnreadableFile(
            where,
            msg(
                "不是 zip 文件包（可能是改了扩展名的 .xls，或已加密）",
                "not a zip package (it may be an .xls renamed, or encrypted)",
            ),
        )
    sig, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, comment_len = _EOCD.unpack_from(tail, at)
    eocd_pos = size - tail_len + at
    if disk or cd_disk or n_disk != n_total or 0xFFFF in (n_disk, n_total) or _ZIP64_LIMIT in (cd_size, cd_offset):
        raise WriteRefused(
            msg(
                f"{where}：这是 ZIP64 或分卷文件包；followup 不会改写它",
                f"{where}: a ZIP64 or multi-part package; followup will not rewrite it",
            )
        )
    if cd_offset + cd_size != eocd_pos:
        raise WriteRefused(
            msg(
                f"{where}：文件包在 zip 目录之外还有数据；followup 不会改写它",
                f"{where}: the package has data outside its zip directory; followup will not rewrite it",
            )
        )
    comment = tail[at + _EOCD.size : at + _EOCD.size + comment_len]
    f.seek(cd_offset)
    cd = f.read(cd_size)
    members = []
    pos = 0
    for _ in range(n_total):
        fields = _CDIR.unpack_from(cd, pos)
        if fields[0] != b"PK\x01\x02":
            raise UnreadableFile(where, msg("zip 目录已损坏", "damaged zip directory"))
        flag, method, csize, usize = fields[5], fields[6], fields[10], fields[11]
        n, m, k = fields[12], fields[13], fields[14]
        rec = bytearray(cd[pos : pos + _CDIR.size + n + m + k])
        name_b = bytes(rec[_CDIR.size : _CDIR.size + n])
        name = name_b.decode("utf-8" if flag & 0x800 else "cp437")
        if flag & 0x1:
            raise UnreadableFile(where, msg(f"成员 {name} 已加密", f"member {name} is encrypted"))
        if _ZIP64_LIMIT in (csize, usize, fields[18]):
            raise WriteRefused(
                msg(
                    f"{where}：这是 ZIP64 文件包；followup 不会改写它",
                    f"{where}: a ZIP64 package; followup will not rewrite it",
                )
            )
        members.append(_Member(name, rec, fields[18], method, flag, csize, fields[9]))
        pos += len(rec)
    return members, comment


def _copy_range(src: BinaryIO, dst: BinaryIO, start: int, length: int) -> None:
    src.seek(start)
    while length:
        data = src.read(min(limits.CHUNK, length))
        if not data:
            raise UnreadableFile(
                getattr(src, "name", "workbook"), msg("zip 文件包不完整（被截断）", "the zip package is truncated")
            )
        dst.write(data)
        length -= len(data)


def rewrite_zip(
    src_path: str | Path,
    dst: BinaryIO,
    replacements: dict[str, Callable[[Callable[[bytes], None]], None]],
    where: str,
) -> None:
    """Write a copy of the package at `src_path` into `dst` (an empty, seekable file).

    Members named in `replacements` are produced by calling the function with a `write`
    callback and compressed with the member's own method; every other member is copied as
    its raw bytes (local header, compressed data, data descriptor), in the original order.
    """
    with open(src_path, "rb") as src:
        members, comment = _read_central(src, where)
        names = [m.name for m in members]
        missing = set(replacements) - set(names)
        if missing:
            raise AssertionError(f"no such members: {missing}")
        out_records = []
        for mem in members:
            src.seek(mem.header_offset)
            local = src.read(_LOCAL.size)
            lf = _LOCAL.unpack(local)
            if lf[0] != b"PK\x03\x04":
                raise UnreadableFile(where, msg(f"zip 条目 {mem.name} 已损坏", f"damaged zip entry {mem.name}"))
            n, m = lf[10], lf[11]
            name_extra = src.read(n + m)
            data_start = mem.header_offset + _LOCAL.size + n + m
            new_offset = dst.tell()
            rec = mem.central
            local_extra = name_extra[n:]
            zip64_local = any(hid == 1 for hid, _ in _extra_blocks(local_extra))
            if mem.name not in replacements:
                length = _LOCAL.size + n + m + mem.compress_size
                if mem.flag_bits & 0x8:
                    src.seek(data_start + mem.compress_size)
                    desc = src.read(4)
                    length += (20 if zip64_local else 12) + (4 if desc == b"PK\x07\x08" else 0)
                _copy_range(src, dst, mem.header_offset, length)
            else:
                if mem.compress_type not in (_STORED, _DEFLATED):
                    raise WriteRefused(
                        msg(
                            f"{where}：成员 {mem.name} 使用了压缩方法 {mem.compress_type}",
                            f"{where}: member {mem.name} uses compression method {mem.compress_type}",
                        )
                    )
                flags = mem.flag_bits & ~0x8
                # sizes go in the header now; a ZIP64 extra would contradict them
                extra = b"".join(block for hid, block in _extra_blocks(local_extra) if hid != 1)
                header = bytearray(local)
                struct.pack_into("<H", header, 6, flags)
                struct.pack_into("<H", header, 28, len(extra))
                dst.write(header)
                dst.write(name_extra[:n] + extra)
                crc = 0
                usize = 0
                csize = 0
                comp = deflate.compressor() if mem.compress_type == _DEFLATED else None

                def write(data: bytes) -> None:
                    nonlocal crc, usize, csize
                    if not data:
                        return
                    crc = deflate.crc32(data, crc)
                    usize += len(data)
                    if comp is not None:
                        data = comp.compress(data)
                    csize += len(data)
                    dst.write(data)

                replacements[mem.name](write)
                if comp is not None:
                    rest = comp.flush()
                    csize += len(rest)
                    dst.write(rest)
                if usize > _ZIP64_LIMIT - 1 or csize > _ZIP64_LIMIT - 1:
                    raise WriteRefused(
                        msg(
                            f"{where}：改写后的部件 {mem.name} 将超过 4 GB",
                            f"{where}: the rewritten part {mem.name} would exceed 4 GB",
                        )
                    )
                end = dst.tell()
                dst.seek(new_offset + 14)
                dst.write(struct.pack("<3L", crc, csize, usize))
                dst.seek(end)
                rec = bytearray(rec)
                struct.pack_into("<H", rec, 8, flags)
                struct.pack_into("<3L", rec, 16, crc, csize, usize)
            if new_offset > _ZIP64_LIMIT - 1:
                raise WriteRefused(
                    msg(f"{where}：改写后的文件包将超过 4 GB", f"{where}: the rewritten package would exceed 4 GB")
                )
            rec = bytearray(rec)
            struct.pack_into("<L", rec, 42, new_offset)
            out_records.append(bytes(rec))
        cd_offset = dst.tell()
        for rec in out_records:
            dst.write(rec)
        cd_size = dst.tell() - cd_offset
        dst.write(_EOCD.pack(b"PK\x05\x06", 0, 0, len(out_records), len(out_records), cd_size, cd_offset, len(comment)))
        dst.write(comment)
