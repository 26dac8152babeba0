"""What the reading left out or guessed, as problems `check` shows: nothing is left out silently.

- every sheet not read, with why and how to name its role;
- every unused column that resembles a known field (the others: one note per sheet);
- every rule of the policy that cannot run for lack of its sheet or column
  ("birthday rule: no birthday column found");
- every guess that decides who may be called: a column matched by resemblance or by its
  values, a consent column whose meaning was inferred, rows linked to customers by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.archive.headers import HOW_FUZZY, HOW_VALUES, norm_header
from followup_cli.archive.no_phone import no_phone_notes
from followup_cli.archive.order_status import READ_FOR
from followup_cli.archive.problems import NOTE, WARNING, Problem
from followup_cli.archive.records import Archive
from followup_cli.archive.refusals import SCANNED
from followup_cli.archive.rule_reach import unreached
from followup_cli.archive.schema import ROLES, field_by_name
from followup_cli.archive.sheetmap import CONSENT_FIELDS
from followup_cli.archive.unheaded import is_unheaded
from followup_cli.text.messages import msg, text
from followup_cli.xlsx.refs import col_letters

if TYPE_CHECKING:
    from followup_cli.policy.rules import Policy


def _label(role, name) -> tuple[str, str]:
    f = field_by_name(role, name)
    return (f.zh, f.en) if f else (name, name)


def coverage_problems(archive: Archive, policy: Policy | None = None) -> list[Problem]:
    out: list[Problem] = []
    for u in archive.unused_sheets:
        if not u.headers and not u.looks_like:
            out.append(
                Problem(
                    NOTE,
                    u.file,
                    u.sheet,
                    None,
                    None,
                    msg(f"未读取：{text(u.reason, 'zh')}", f"not read: {u.reason}"),
                    "unused-sheet",
                )
            )
            continue
        shown = "、".join(u.headers[:8])
        out.append(
            Problem(
                WARNING,
                u.file,
                u.sheet,
                None,
                None,
                msg(
                    f"这张工作表没有读取：{text(u.reason, 'zh')}（表头：{shown}）。如果它是客户、消费或回访等数据，请在 "
                    f'followup.toml 中写明：[sheets] "{u.sheet}" = "customers"（或 purchases、visits……）',
                    f"this sheet was not read: {u.reason} (headers: {shown}). If it holds customers, purchases, visits "
                    f'..., name it in followup.toml: [sheets] "{u.sheet}" = "customers" (or purchases, visits ...)',
                ),
                "unused-sheet",
            )
        )
    for src in archive.sources:
        if src.hidden:
            out.append(_hidden_sheet(src))
        out.extend(_column_problems(src))
    out.extend(no_phone_notes(archive))  # reached on WeChat, or not at all
    if policy is not None:
        out.extend(rule_problems(archive, policy))
        out.extend(unreached(archive, policy))  # a rule for 金卡 members where no cell says 金卡
    return out


def _hidden_sheet(src) -> Problem:
    """A sheet the workbook hides is read like any other; a shop often hides old or copied data,
    so that is a guess that decides who is called, and it is said."""
    role_zh, role_en = ROLES[src.role]["zh"], src.role
    return Problem.of_sheet(
        WARNING,
        src,
        msg(
            f"这张工作表在工作簿中是隐藏的，仍作为“{role_zh}”读取；如果它是旧数据或副本，请删除它，"
            f"或在工作表名中加上“备份”（如“{src.sheet}(备份)”），它就不再被读取",
            f"this sheet is hidden in the workbook and was read all the same as {role_en}; if it holds old or "
            f"copied data, delete it or put 备份 / backup in its name ('{src.sheet} (backup)') and it is not read",
        ),
        "hidden-sheet",
    )


def _next_follow_up_like(header: str) -> bool:
    key = norm_header(header)
    return any(w in key for w in ("下次", "下一次", "next", "预约")) and any(
        w in key for w in ("跟进", "回访", "联系", "致电", "follow", "contact", "call", "visit")
    )


def _column_problems(src) -> list[Problem]:
    out = []
    file, sheet, row = str(src.file), src.sheet, src.header_row
    plain, scanned = [], []

    def said(u, severity, message, code) -> Problem:
        """A problem about one column's header cell."""
        return Problem(severity, file, sheet, f"{col_letters(u.col + 1)}{row}", u.header, message, code)

    def about_sheet(severity, message, code) -> Problem:
        """A problem about the sheet as a whole, at no one cell."""
        return Problem(severity, file, sheet, None, None, message, code)

    for u in src.uses:
        if u.field is None:
            if is_unheaded(u):  # values under no header: named at its header cell (archive/unheaded.py)
                out.append(said(u, WARNING, u.note, "unheaded-column"))
                continue
            if not u.header or u.duplicate:
                continue
            if u.resembles:
                zh, en = _label(src.role, u.resembles)
                out.append(
                    said(
                        u,
                        WARNING,
                        msg(
                            f"“{u.header}”这一列没有读取，但它像“{zh}”；如果是，请运行 followup columns --write 后在 "
                            f'followup.toml 中确认，或写上：[columns.{src.role}] "{u.header}" = "{u.resembles}"',
                            f"column '{u.header}' was not read, but it resembles {zh} ({en}); if it is, map it in "
                            f'followup.toml: [columns.{src.role}] "{u.header}" = "{u.resembles}"',
                        ),
                        "unused-column",
                    )
                )
            elif u.note == SCANNED:
                scanned.append(f"{u.header}（{col_letters(u.col + 1)}）")
            elif u.note == READ_FOR:
                continue  # an order status column: read for the orders that did not go through
            elif _next_follow_up_like(u.header):
                # a date someone set for the next call, not read: that call would be forgotten
                out.append(
                    said(
                        u,
                        WARNING,
                        msg(
                            f"“{u.header}”像下次跟进的日期，但没有读取，这些日期不会成为回访任务；如需使用，请把它放在客户表"
                            "（表头如 下次跟进时间）或回访记录（下次跟进日期）中",
                            f"column '{u.header}' looks like a next follow-up date but is not read, so no task comes from it; "
                            "to use it, keep it in the customer sheet (headed like Next follow-up) or the visit log",
                        ),
                        "unused-next-follow-up",
                    )
                )
            else:
                plain.append(f"{u.header}（{col_letters(u.col + 1)}）")
            continue
        zh, en = _label(src.role, u.field)
        if u.how in (HOW_FUZZY, HOW_VALUES):
            by_zh = "按表头的相似" if u.how == HOW_FUZZY else "按单元格的内容"
            by_en = "by resemblance of its header" if u.how == HOW_FUZZY else "from its cells' values"
            about = u.field in CONSENT_FIELDS or u.field in ("phone", "birthday", "id", "customer_id")
            out.append(
                said(
                    u,
                    WARNING if about or u.how == HOW_FUZZY else NOTE,
                    msg(
                        f"“{u.header}”{by_zh}读作“{zh}”（把握 {u.confidence:.0%}）；请核对，确认后运行 followup columns --write",
                        f"column '{u.header}' read as {zh} ({en}) {by_en} (confidence {u.confidence:.0%}); check it, then "
                        "confirm with `followup columns --write`",
                    ),
                    "guessed-column",
                )
            )
        elif u.note and u.field in CONSENT_FIELDS + ("gender", "birthday_type", "tier", "grade"):
            out.append(
                said(
                    u,
                    NOTE,
                    msg(f"“{u.header}”读作“{zh}”：{text(u.note, 'zh')}", f"column '{u.header}' read as {en}: {u.note}"),
                    "column-note",
                )
            )
    if plain:
        out.append(
            about_sheet(
                NOTE,
                msg(
                    f"{len(plain)} 列未使用："
                    + "、".join(plain[:12])
                    + ("……" if len(plain) > 12 else "")
                    + "（查看：followup columns）",
                    f"{len(plain)} column(s) not used: "
                    + ", ".join(plain[:12])
                    + (" ..." if len(plain) > 12 else "")
                    + " (see `followup columns`)",
                ),
                "unused-columns",
            )
        )
    if scanned:
        out.append(
            about_sheet(
                NOTE,
                msg(
                    "、".join(scanned) + "：不作为字段读取，只用来查看是否写有拒绝联系的话（勿扰、不要打电话……）",
                    ", ".join(scanned) + ": not read as a field, only for a refusal in words (勿扰, do not call ...)",
                ),
                "refusal-scan-columns",
            )
        )
    if src.stand_ins.get("tier") == "tags":
        where = f"{col_letters(src.columns['tags'] + 1)}{row}"
        out.append(
            Problem(
                WARNING,
                file,
                sheet,
                where,
                src.headers[src.columns["tags"]],
                msg(
                    "没有会员等级列：会员等级取自标签（如 VIP、金卡）；请核对，或在 followup.toml 中指明等级列",
                    "no tier column: the membership tier is read from the tags (VIP, Gold ...); check it, or name the "
                    "tier column in followup.toml",
                ),
                "tier-from-tags",
            )
        )
    if src.stand_ins.get("name") == "nickname":
        header = src.headers[src.columns["nickname"]]
        out.append(
            Problem(
                NOTE,
                file,
                sheet,
                f"{col_letters(src.columns['nickname'] + 1)}{row}",
                header,
                msg(f"没有姓名列：姓名取自“{header}”", f"no name column: name from {header}"),
                "name-from-nickname",
            )
        )
    if src.stand_ins.get("birthday") == "birth_month":
        month, day = (src.headers[src.columns[f]] for f in ("birth_month", "birth_day"))
        out.append(
            about_sheet(
                NOTE,
                msg(
                    f"没有生日列：生日取自“{month}”和“{day}”（没有年份）",
                    f"no birthday column: the birthday from {month} and {day} (without a year)",
                ),
                "birthday-from-parts",
            )
        )
    if src.stand_ins.get("birthday") == "id_card":
        header = src.headers[src.columns["id_card"]]
        out.append(
            Problem(
                WARNING,
                file,
                sheet,
                f"{col_letters(src.columns['id_card'] + 1)}{row}",
                header,
                msg(
                    f"没有生日列：生日取自“{header}”（身份证号第 7-14 位是出生日期，公历）；请核对，"
                    "或在 followup.toml 中指明生日列",
                    f"no birthday column: the birthday is taken from {header} (digits 7-14 of an ID-card number "
                    "are the solar birth date); check it, or name the birthday column in followup.toml",
                ),
                "birthday-from-id-card",
            )
        )
    if src.stand_ins.get("id") == "phone":
        out.append(
            about_sheet(
                NOTE,
                msg(
                    "没有客户编号列：以手机号作为每位客户的编号",
                    "no customer id column: each customer's phone is their key",
                ),
                "phone-as-id",
            )
        )
    if src.links.get("name"):
        n = src.links["name"]
        out.append(
            about_sheet(
                WARNING,
                msg(
                    f"{n} 行按客户姓名对应到客户（没有编号或手机）；同名的客户会被报告，请尽量写客户编号或手机",
                    f"{n} row(s) linked to their customer by name (no id or phone); write the id or phone where you can",
                ),
                "linked-by-name",
            )
        )
    if src.links.get("parts"):
        n = src.links["parts"]
        out.append(
            about_sheet(
                WARNING,
                msg(
                    f"{n} 行的客户一栏写着编号、姓名、手机中的几项（如“R01 王芳”），按其中指向同一位客户的项对应；"
                    "请只写客户编号或手机",
                    f"{n} row(s) name their customer by several things in one cell (such as 'R01 王芳'), linked by "
                    "the pieces that name one customer; write the id or phone alone",
                ),
                "linked-by-parts",
            )
        )
    if src.store:
        out.append(
            about_sheet(
                NOTE,
                msg(
                    f"没有门店列：门店取自工作表名“{src.store}”",
                    f"no store column: the store is taken from the sheet name, '{src.store}'",
                ),
                "store-from-sheet",
            )
        )
    return out


def rule_problems(archive: Archive, policy: Policy) -> list[Problem]:
    """Each rule of the policy that cannot run: its sheet or one of its columns was not found."""
    out = []
    sources = {}
    for s in archive.sources:
        sources.setdefault(s.role, []).append(s)
    first = archive.paths[0] if archive.paths else ""
    customers = sources.get("customers", [])
    for rule in policy.rules:
        missing: list[tuple[str, str]] = []  # (role, field)
        if rule.source != "customers" and rule.source not in sources:
            zh_role, en_role = ROLES[rule.source]["zh"], ROLES[rule.source]["en"]
            out.append(
                Problem(
                    WARNING,
                    str(first),
                    None,
                    None,
                    None,
                    msg(
                        f"规则“{rule.label('zh')}”无法执行：没有找到{zh_role}工作表",
                        f"rule '{rule.label('en')}' cannot run: no {en_role.lower()} sheet found",
                    ),
                    "rule-cannot-run",
                )
            )
            continue
        needs = [(rule.source, name) for name in ((rule.date_field,) if rule.date_field else ())]
        needs += [(rule.source, name) for name in rule.when]
        needs += [("customers", name) for name in tuple(rule.customer) + tuple(rule.until)]
        for role, name in needs:
            if field_by_name(role, name) is None:
                continue  # an extra column named by its header: conditions look it up by that name
            have = sources.get(role, [])
            if have and not any(name in s.columns or name in s.stand_ins for s in have):
                missing.append((role, name))
        if customers and not missing:
            continue
        for role, name in missing:
            zh, en = _label(role, name)
            aliases = "、".join(field_by_name(role, name).aliases[:4])
            age = _age_columns(sources.get(role, [])) if name == "birthday" else None
            out.append(
                Problem(
                    WARNING,
                    str(have[0].file if (have := sources.get(role)) else first),
                    have[0].sheet if have else None,
                    None,
                    None,
                    msg(
                        f"规则“{rule.label('zh')}”无法执行：没有找到“{zh}”列（表头如 {aliases}）"
                        + (f"；{age.zh} 是年龄，不是生日，不能据此推算生日" if age else ""),
                        f"rule '{rule.label('en')}' cannot run: no {en.lower()} column found ({zh}; headers such as "
                        f"{aliases})"
                        + (f"; {age} is an age, not a birthday: no birthday is guessed from it" if age else ""),
                    ),
                    "rule-cannot-run",
                )
            )
    return out


_AGE_WORDS = ("年龄", "岁数", "周岁", "虚岁", "年纪", "age", "customerage", "memberage", "agegroup")


def _age_columns(sources):
    """The unused columns of these sheets that hold an age (年龄, Age): never a birthday."""
    found = [
        (h, col_letters(c + 1))
        for s in sources
        for h, c in s.extra_columns.items()
        if norm_header(h) in _AGE_WORDS or norm_header(h).endswith(("年龄", "年龄段"))
    ]
    if not found:
        return None
    return msg("、".join(f"“{h}”（{c} 列）" for h, c in found), ", ".join(f"{h} (column {c})" for h, c in found))
