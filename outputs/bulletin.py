"""月度通报: the written progress bulletin the office sends the cities for a
month, as a Word file in the layout of a government notice (GB/T 9704 in
spirit: title in 小标宋/黑体, a 文号 line to fill in, body in 仿宋 at 三号,
一、 headings in 黑体 and （一） in 楷体, tables with borders whose header
row repeats on every page, page numbers at the foot), editable afterwards in
Word and WPS.

Every number is the monthly review's (queries.review) for the same month and
plans: the province's rates at the review date E and at the previous month
end P, the city ranking, the month's completions, new overdue milestones and
what falls due next month, the indicators that moved, and what waits for
review.  ``figures`` gathers them; ``bulletin_docx`` writes them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from components.indicators import actual_text
from outputs.layout import RIGHT, heading, new_document, paragraph, saved, subheading, table, title
from queries.review import Month, city_ranking, indicator_moves, month_digest, province_at

LISTED = 15  # rows of each list written out (the counts are whole)
PRAISED = 3  # cities praised and named


@dataclass(frozen=True)
class Figures:
    month: Month
    scope_label: str
    plans: tuple[int, ...]  # the plans reviewed (their ids)
    province: dict  # counts and rates at E
    before: dict  # at P
    ranking: list[dict]  # queries.review.city_ranking
    lists: dict[str, dict]  # completed / overdue / due_next: count and first rows
    indicators: list[dict]
    praised: list[str]
    named: list[str]


def figures(month: Month, scope: dict) -> Figures:
    """The review's figures for ``month`` over the plans ``scope`` (api.scope)."""
    plans = tuple(scope["ids"])
    ranking = city_ranking(month, plans)
    province, before = (province_at(day, plans) for day in (month.end, month.previous_end))
    lists = month_digest(month.previous_end, month.end, month.horizon, plans, LISTED)
    praised, named = praise_and_name(ranking, province)
    return Figures(month, scope["label"], plans, province, before, ranking, lists,
                   indicator_moves(month, plans, LISTED), praised, named)


PRAISE_RULE = (f"进度完成率居前{PRAISED}位且按时完成率不低于全省平均、本月无新增逾期的地市予以表扬；"
               f"进度完成率居后{PRAISED}位或逾期未完成节点最多的{PRAISED}个地市予以通报")


def praise_and_name(ranking: list[dict], province: dict) -> tuple[list[str], list[str]]:
    """The stated rule (PRAISE_RULE), applied to the ranking at E."""
    rated = [r for r in ranking if r["city"] and r["now"]["progress_rate"] is not None]
    average = province["on_time_rate"] or 0
    praised = [r["city"] for r in rated[:PRAISED]
               if (r["now"]["on_time_rate"] or 0) >= average
               and r["now"]["overdue"] <= (r["before"]["overdue"] if r["before"] else 0)]
    worst_rate = {r["city"] for r in rated[-PRAISED:]} if len(rated) > PRAISED else set()
    most_overdue = {r["city"] for r in sorted(rated, key=lambda r: -r["now"]["overdue"])[:PRAISED]
                    if r["now"]["overdue"]}
    named = [r["city"] for r in rated if r["city"] in worst_rate | most_overdue and r["city"] not in praised]
    return praised, named


def rate(r: dict, num: str, den: str) -> str:
    return f"{r[num] / r[den]:.1%}" if r[den] else "—"


def points(now: dict, before: dict, key: str) -> str:
    """'提高 2.3 个百分点' / '下降 …' / '持平' between P and E."""
    if now[key] is None or before.get(key) is None:
        return "上月末无可比数据"
    delta = (now[key] - before[key]) * 100
    return "与上月末持平" if abs(delta) < 0.05 else f"较上月末{'提高' if delta > 0 else '下降'} {abs(delta):.1f} 个百分点"


def bulletin_docx(f: Figures) -> bytes:
    doc = new_document()
    label = f.month.label
    title(doc, f"关于{label}全省信用应用场景推进情况的通报")
    paragraph(doc, "各设区市信用办，省级有关单位：")
    p, b = f.province, f.before
    as_of = f"{f.month.end.year}年{f.month.end.month}月{f.month.end.day}日"
    paragraph(doc, f"现将{label}全省信用应用场景工作推进情况通报如下（统计截至{as_of}；{f.scope_label}）。", indent=True)

    heading(doc, "一、总体进展")
    paragraph(doc, (f"全省共有工作节点 {p['total']:,} 个，已到期 {p['due_by']:,} 个，其中已完成 {p['done_due']:,} 个，"
                f"进度完成率 {rate(p, 'done_due', 'due_by')}，{points(p, b, 'progress_rate')}；按时完成 "
                f"{p['on_time_due']:,} 个，按时完成率 {rate(p, 'on_time_due', 'due_by')}，{points(p, b, 'on_time_rate')}；"
                f"总体完成率 {rate(p, 'done', 'total')}。逾期未完成节点 {p['overdue']:,} 个（上月末 {b.get('overdue', 0):,} 个），"
                f"累计逾期 {p['overdue_days']:,} 天。"
                + (f"另有 {p['pending']:,} 个节点已报完成、尚待审核，审核通过后计入。" if p.get("pending") else "")),
          indent=True)

    heading(doc, "二、各地市推进情况")
    paragraph(doc, "各设区市按进度完成率排名（进度完成率相同的，逾期天数少者在前）：", indent=True)
    table(doc, ["排名", "地市", "进度完成率", "按时完成率", "逾期未完成", "逾期天数", "较上月"],
           [[str(r["rank"]), r["city"] or "省级", rate(r["now"], "done_due", "due_by"),
             rate(r["now"], "on_time_due", "due_by"), f"{r['now']['overdue']:,}", f"{r['now']['overdue_days']:,}",
             _move(r["move"])] for r in f.ranking])
    subheading(doc, "（一）表扬与通报")
    paragraph(doc, f"按照{PRAISE_RULE}的规则：", indent=True)
    paragraph(doc, ("予以表扬：" + "、".join(f.praised) + "。") if f.praised else "本月没有符合表扬条件的地市。",
          indent=True)
    paragraph(doc, ("予以通报：" + "、".join(f.named) + "，请加快推进，逾期节点于下月报送前完成整改。") if f.named
          else "本月没有需通报的地市。", indent=True)

    heading(doc, "三、本月完成情况")
    done = f.lists["completed"]
    paragraph(doc, f"本月新完成工作节点 {done['count']:,} 个" + ("，主要有：" if done["rows"] else "。"), indent=True)
    _milestones(doc, done["rows"], ("completed_on", "完成日期"))

    heading(doc, "四、本月新增逾期")
    overdue = f.lists["overdue"]
    paragraph(doc, f"本月新增逾期未完成节点 {overdue['count']:,} 个" + ("，按地市和牵头部门：" if overdue["rows"] else "。"),
          indent=True)
    if overdue["rows"]:
        by_unit = Counter((r["city"] or "省级", "、".join(r["lead"]) or "—") for r in overdue["rows"])
        table(doc, ["地市", "牵头部门", "新增逾期节点"], [[c, d, str(n)] for (c, d), n in sorted(by_unit.items())],
               (2, 6, 2))
        _milestones(doc, overdue["rows"], ("days_overdue", "逾期天数"))

    heading(doc, "五、下月到期节点")
    soon = f.lists["due_next"]
    paragraph(doc, f"下月到期的工作节点 {soon['count']:,} 个，请各地各部门提前谋划、按时完成" +
          ("，主要有：" if soon["rows"] else "。"), indent=True)
    _milestones(doc, soon["rows"], ("due", "节点时限"))

    heading(doc, "六、指标进展")
    if f.indicators:
        paragraph(doc, f"本月有 {len(f.indicators)} 项指标报送了新的实际值：", indent=True)
        rows = [[i["name"], i["target_text"] or "—", _actual(i["before"]), _actual(i),
                 f"{i['attainment']:.0%}" if i.get("attainment") is not None else "—"] for i in f.indicators]
        table(doc, ["指标", "目标值", "上月末", "本月末", "达成度"], rows, (8, 3, 3, 3, 2))
    else:
        paragraph(doc, "本月没有指标报送新的实际值。", indent=True)

    heading(doc, "七、工作要求")
    paragraph(doc, "请各地对照本通报，抓紧推进逾期节点整改，及时报送进展和佐证材料；已报完成的节点经审核通过后计入完成率。",
          indent=True)
    paragraph(doc, "")
    paragraph(doc, "浙江省信用办", align=RIGHT)
    paragraph(doc, f"{f.month.end.year}年{f.month.end.month}月{f.month.end.day}日", align=RIGHT)
    return saved(doc)


def _move(move: int | None) -> str:
    return "—" if move is None else "持平" if move == 0 else f"上升{move}位" if move > 0 else f"下降{-move}位"


def _actual(i: dict | None) -> str:
    return actual_text(i) if i and i["latest_on"] else "—"


def _milestones(doc, rows: list[dict], extra: tuple[str, str]) -> None:
    if rows:
        table(doc, ["地市", "工作事项", "工作节点", extra[1]],
               [[r["city"] or "省级", r["item"], r["milestone"], str(r.get(extra[0]) or "—")] for r in rows],
               (2, 5, 8, 4))


def file_name(month: Month) -> str:
    return f"{month.label}信用应用场景推进情况通报.docx"
