"""record into a hand-kept visit book that names its customers (客户 = 刘洋, 电话, 回访内容):
each column gets what it holds in that book (issue 12, QA round)."""

from __future__ import annotations

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from followup_cli.archive.reading import load_archive
from followup_cli.policy.vocabulary import KINDS
from tests.helpers import make_workbook
from tests.test_record_shop_book import fill, invoke

AS_OF = "2026-11-25"
BOOK = "回访本"


def named_book(tmp_path):
    return make_workbook(
        tmp_path / "book.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "生日", "会员等级"],
                ["B1", "王芳", "13000000001", "1990-11-25", "VIP"],
                ["B3", "张伟", "13000000003", "1990-11-24", "VIP"],
                ["B4", "刘洋", "13000000004", "1990-11-25", "VIP"],
            ],
            "消费记录": [["客户编号", "日期", "金额", "当季新品"], ["B4", "2026-11-18", 800, "是"]],
            BOOK: [
                ["日期", "客户", "电话", "回访内容", "回访人"],
                ["2026-11-25", "王芳", None, "生日祝福，客户很开心", "小陈"],
                ["2026.11.24", "张伟", None, "生日问候 已发短信", "小李"],
            ],
        },
    )


def test_a_book_that_names_customers_gets_names_phones_and_the_kinds_words(tmp_path):
    path = named_book(tmp_path)
    out = tmp_path / "calls.xlsx"
    assert invoke("sheet", path, "-o", out, "--as-of", AS_OF).exit_code == 0
    fill(out, {"B4": {"完成日期": AS_OF, "结果": "已联系", "满意度": "满意"}})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    ws = load_workbook(path)[BOOK]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["日期", "客户", "电话", "回访内容", "回访人"] and "回访类型" not in header
    new = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert {r[1] for r in new} == {"刘洋"} and {str(r[2]) for r in new} == {"13000000004"}
    assert sorted(r[3] for r in new) == ["产品使用回访", "生日回访"]
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(BOOK).to_python()
    assert [r[1] for r in calamine[3:5]] == ["刘洋", "刘洋"]
    # read back: linked to B4 by name, the kinds from 回访内容, the tasks closed, once only
    visits = [v for v in load_archive([path]).visits if v.customer_id == "B4"]
    assert sorted(v.kind for v in visits) == ["birthday", "product_use"]
    again = invoke("record", path, out, "--as-of", AS_OF)
    assert again.exit_code == 0 and ws.max_row == load_workbook(path)[BOOK].max_row
    due = invoke("due", path, "--as-of", AS_OF, "--format", "json")
    assert "B4" not in due.stdout


def test_kinds_are_written_in_the_words_of_the_books_own_dropdown(tmp_path):
    from openpyxl.worksheet.datavalidation import DataValidation

    from tests.test_record_shop_book import BOOK as SHOP_BOOK
    from tests.test_record_shop_book import shop

    path = shop(tmp_path)
    wb = load_workbook(path)
    dv = DataValidation(type="list", formula1='"生日祝福,新品回访,例行回访"', allow_blank=True, showErrorMessage=True)
    dv.add("C2:C300")
    wb[SHOP_BOOK].add_data_validation(dv)
    wb.save(path)
    out = tmp_path / "calls.xlsx"
    assert invoke("sheet", path, "-o", out, "--as-of", "2026-11-23").exit_code == 0
    done = {"完成日期": "2026-11-23", "结果": "已联系", "满意度": "满意"}
    fill(
        out,
        {"C1": done, "C2": done},
        add=[{"客户编号": "C3", "回访类型": "投诉回访", "完成日期": "2026-11-23", "结果": "已联系"}],
    )
    result = invoke("record", path, out, "--as-of", "2026-11-23", "--lang", "en")
    assert result.exit_code == 0, result.output
    kinds = [r[2] for r in load_workbook(path)[SHOP_BOOK].iter_rows(min_row=3, values_only=True)]
    assert "生日祝福" in kinds and "新品回访" in kinds
    assert not {"生日回访", "产品使用回访"} & set(kinds)
    off = [k for k in kinds if k not in ("生日祝福", "新品回访", "例行回访")]
    assert off and f"has no word for {off[0]}" in result.stderr  # a kind the list lacks is said
    visits = load_archive([path]).visits  # and read back as the same kinds
    assert {"birthday", "product_use"} <= {KINDS.match(v.kind) for v in visits}
