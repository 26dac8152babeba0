"""What `followup assign` says, in Chinese and English: notes, status and basis labels, columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from followup_cli.text.labels import render
from followup_cli.text.messages import Msg, msg

# ---------------------------------------------------------------------------
# messages, both languages

MESSAGES = {
    "note": ("注意：{text}", "note: {text}"),
    "warning": ("警告：{text}", "warning: {text}"),
    "nothing_assign": ("每位客户都有在职负责人，无需分配", "every customer has an active owner; nothing to assign"),
    "nothing_handover": ("此人名下没有客户，无需交接", "they own no customers; nothing to hand over"),
    "nothing_rebalance": ("负载已均衡，无需移动", "the load is already even; nothing to move"),
    "dry_run": (
        "试运行：计划为 {count} 位客户指定负责人，未写入任何内容",
        "dry run: {count} customer(s) would get a new owner; nothing was written",
    ),
    "wrote": ("已写入 {count} 个负责人单元格：{file} {sheet}", "wrote {count} owner cell(s): {file} {sheet}"),
    "wrote_backup": (
        "已写入 {count} 个负责人单元格：{file} {sheet}；备份：{backup}",
        "wrote {count} owner cell(s): {file} {sheet}; backup: {backup}",
    ),
    "unplaced": (
        "{count} 位客户没有找到可接手的在职员工",
        "{count} customer(s) found no active staff member to take them",
    ),
    "unplaced_fix": (
        "在员工表中登记在职员工，或检查他们的角色和能力权重",
        "add active staff to the staff sheet, or check their roles and capacities",
    ),
    "no_staff_sheet": (
        "档案中没有员工表（员工/Staff），无法分配负责人；请添加员工表：工号、姓名、门店、地区、角色、在职、能力权重",
        "the archive has no staff sheet (员工/Staff), so there is nobody to assign; add one with the columns "
        "staff id, name, store, region, role, active, capacity",
    ),
    "no_eligible": (
        "没有可以负责客户的在职员工（可负责的角色：{roles}）；在员工表中登记在职的客服，或在 followup.toml 的 "
        "[assign] roles 中设置可负责客户的角色",
        "there is no active staff member who may own customers (roles that may: {roles}); add an active clerk to "
        "the staff sheet, or set [assign] roles in followup.toml",
    ),
    "unknown_owner": (
        "{count} 位客户的负责人不在员工表中（{names}），未作改动；请更正姓名或清空该单元格后再分配",
        "{count} customer(s) have an owner the staff sheet does not know ({names}); they were left alone: "
        "correct the name or clear the cell, then assign again",
    ),
    "ambiguous_owner": (
        "{count} 位客户的负责人姓名对应多名员工（{names}），未作改动；请改填工号",
        "{count} customer(s) have an owner name shared by several staff ({names}); they were left alone: "
        "write the staff id instead",
    ),
    "no_id": ("{count} 行客户没有客户编号，已跳过", "{count} customer row(s) have no customer id and were skipped"),
    "bad_capacity": (
        "员工 {name} 的能力权重 {value} 小于 0，按 0 处理（不分配新客户）",
        "staff {name}: capacity {value} is below 0; taken as 0 (gets no new customers)",
    ),
    "duplicate_staff": (
        "员工表中工号 {id} 出现多次，只使用第一行",
        "staff id {id} appears more than once on the staff sheet; the first row is used",
    ),
    "to_not_owner": (
        "{name} 的角色（{role}）通常不负责客户；按指定仍交接给 {name}",
        "{name}'s role ({role}) does not usually own customers; handing over to {name} as asked",
    ),
    "from_active": (
        "{name} 仍在职；其客户照样交接",
        "{name} is still active; their customers are handed over all the same",
    ),
    "unknown_store": (
        "--store '{store}'：客户表和员工表中都没有这个门店；门店有：{stores}",
        "--store '{store}': no customer or staff member is in that store; stores are: {stores}",
    ),
    "who_unknown": (
        "{option} '{who}'：员工表中没有这名员工（按姓名或工号）；员工有：{names}",
        "{option} '{who}': no such staff member on the staff sheet (by name or staff id); staff are: {names}",
    ),
    "who_ambiguous": (
        "{option} '{who}'：有多名员工同名（{names}）；请改用工号",
        "{option} '{who}': several staff members have that name ({names}); give the staff id instead",
    ),
    "to_same": (
        "--to-staff '{to}' 与 --handover '{who}' 是同一个人",
        "--to-staff '{to}' is the same person as --handover '{who}'",
    ),
    "to_left": (
        "--to-staff '{to}'：{name} 已离职，不能接手客户；请指定在职同事，或不加 --to-staff 以在门店内分配",
        "--to-staff '{to}': {name} has left and cannot take customers; name an active colleague, or leave out --to-staff "
        "to spread the customers across the store",
    ),
    "unowned_waiting": (
        "{count} 位客户没有在职负责人，负载均衡不处理它们；请先运行 followup assign",
        "{count} customer(s) have no active owner and are not part of rebalancing; run `followup assign` first",
    ),
    "pool_no_capacity": (
        "门店 {store} 的员工能力权重合计为 0，跳过均衡",
        "store {store}: the staff's capacities add up to 0; not rebalanced",
    ),
    "max_moves_reached": (
        "已达到 --max-moves {max}；完全均衡还需移动 {left} 位客户",
        "stopped at --max-moves {max}; {left} more move(s) would even the load out fully",
    ),
}


@dataclass(frozen=True)
class Note:
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def text(self, lang: str) -> str:
        zh, en = MESSAGES[self.code]
        return render(zh if lang == "zh" else en, self.params, lang)


def message(code: str, lang: str, **params: object) -> str:
    return Note(code, params).text(lang)


# ---------------------------------------------------------------------------
# rows for output.emit_rows: json keeps codes, table/csv/xlsx show labels

STATUS_LABELS = {
    "active": ("在职", "active"),
    "left": ("已离职", "left"),
    "not_owner": ("在职（不负责客户）", "active (does not own customers)"),
    "unknown": ("不在员工表", "not on the staff sheet"),
    "unassigned": ("未分配", "unassigned"),
    "none": ("（空）", "(empty)"),
    "ambiguous": ("重名", "ambiguous name"),
}
BASIS_LABELS = {
    "store": ("同门店", "same store"),
    "region": ("同地区", "same region"),
    "any": ("跨地区", "other region"),
    "named": ("指定交接", "named colleague"),
    "rebalance": ("负载均衡", "rebalance"),
    "": ("无人可接", "nobody available"),
}
# after 已离职 in the staff table: the staff sheet's date, or that it gives none (在职状态 = 离职)
LEFT_ON = ("（{date}）", " ({date})")
LEFT_DATE_UNKNOWN = ("（离职日期不详）", " (date unknown)")
UNASSIGNED_LABEL = ("（未分配）", "(unassigned)")
BLANK_ROLE = ("（未填）", "(blank)")  # a staff row with no role, in the list of roles that may own customers
LIST_SEP = ("、", ", ")


def left_owner(name: str) -> Msg:
    """The old owner of a plan's row, who has left."""
    return msg(f"{name}（已离职）", f"{name} (left)")


PLAN_COLUMNS = [
    ("customer_id", "客户编号", "Customer ID"),
    ("customer_name", "姓名", "Name"),
    ("store", "门店", "Store"),
    ("cell", "单元格", "Cell"),
    ("from", "原负责人", "From"),
    ("to", "新负责人", "To"),
    ("basis", "依据", "Basis"),
]
# Who a colleague is: the first columns of both the load table and the staff report.
_STAFF_COLUMNS = [
    ("staff_id", "工号", "Staff ID"),
    ("name", "姓名", "Name"),
    ("store", "门店", "Store"),
    ("role", "角色", "Role"),
    ("status", "状态", "Status"),
    ("capacity", "能力权重", "Capacity"),
]
LOAD_COLUMNS = [
    *_STAFF_COLUMNS,
    ("before", "之前", "Before"),
    ("after", "之后", "After"),
    ("change", "变化", "Change"),
]
REPORT_COLUMNS = [
    *_STAFF_COLUMNS,
    ("customers", "客户数", "Customers"),
    ("open_tasks", "待办回访", "Open tasks"),
]
