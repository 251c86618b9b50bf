"""The national report template as data: the one place that knows tables, rows, columns and units.

Two templates exist (SCHEMA.md): `gov2021` (国办公开办函〔2021〕30号, report years 2021 on) and
`gov2019` (国办公开办函〔2019〕60号, report years 2019–2020, still seen later). Parsers use the
`match` keywords to recognise printed labels; the bot uses the labels and `terms` to understand
questions. Keywords are matched against normalised text (simplified characters, no spaces).
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEMPLATES = ("gov2021", "gov2019")
TABLES = {
    "proactive": {"section": 2, "zh": "主动公开政府信息情况", "en": "Proactive disclosure"},
    "requests": {"section": 3, "zh": "收到和处理政府信息公开申请情况", "en": "Disclosure requests"},
    "review_litigation": {
        "section": 4,
        "zh": "政府信息公开行政复议、行政诉讼情况",
        "en": "Administrative reconsideration and litigation",
    },
}


@dataclass(frozen=True)
class Col:
    key: str
    zh: str
    en: str
    unit: str = "件"
    match: tuple[str, ...] = ()  # header keywords (normalised) that identify this column
    terms: tuple[str, ...] = ()  # words users type for it (zh and en)


@dataclass(frozen=True)
class Row:
    key: str
    zh: str
    en: str
    group: str = ""
    group_zh: str = ""
    match: tuple[str, ...] = ()  # label keywords (normalised); any one identifies the row
    item: int | None = None  # sub-item number inside its group (table 三)
    templates: tuple[str, ...] = TEMPLATES
    terms: tuple[str, ...] = ()


# --- Table 二: proactive disclosure ---------------------------------------------------------

ART20_COLS: dict[tuple[str, str], tuple[Col, ...]] = {
    ("gov2021", "art20_1"): (
        Col(
            "issued",
            "本年制发件数",
            "issued this year",
            match=("制发",),
            terms=("制发", "新制发", "出台", "issued", "enacted"),
        ),
        Col(
            "repealed",
            "本年废止件数",
            "repealed this year",
            match=("废止",),
            terms=("废止", "repealed", "abolished", "revoked"),
        ),
        Col(
            "in_force",
            "现行有效件数",
            "currently in force",
            match=("现行有效", "有效"),
            terms=("现行有效", "有效件数", "in force", "currently valid"),
        ),
    ),
    ("gov2021", "art20_5"): (
        Col(
            "decisions",
            "本年处理决定数量",
            "decisions this year",
            match=("处理决定",),
            terms=("处理决定", "决定数量", "办件量", "decisions", "number of decisions"),
        ),
    ),
    ("gov2021", "art20_6"): (
        Col(
            "decisions",
            "本年处理决定数量",
            "decisions this year",
            match=("处理决定",),
            terms=("处理决定", "决定数量", "办件量", "decisions", "number of decisions"),
        ),
    ),
    ("gov2021", "art20_8"): (
        Col(
            "fee_amount",
            "本年收费金额",
            "fee amount collected",
            unit="万元",
            match=("收费金额", "金额"),
            terms=("收费金额", "收费总额", "fee amount", "fees collected", "fee revenue"),
        ),
    ),
    ("gov2019", "art20_1"): (
        Col(
            "newly_made",
            "本年新制作数量",
            "newly made this year",
            match=("新制作",),
            terms=("新制作", "newly made", "newly make", "newly produced"),
        ),
        Col(
            "newly_published",
            "本年新公开数量",
            "newly published this year",
            match=("新公开",),
            terms=("新公开", "newly published"),
        ),
        Col(
            "total_published",
            "对外公开总数量",
            "total publicly disclosed",
            match=("公开总数", "总数量"),
            terms=("对外公开总数量", "公开总数", "total published"),
        ),
    ),
    ("gov2019", "art20_5"): (
        Col(
            "prev_year_items",
            "上一年项目数量",
            "items in previous year",
            unit="项",
            match=("上一年",),
            terms=("上一年项目数量", "上年项目数"),
        ),
        Col(
            "items_change",
            "本年增/减",
            "change this year",
            unit="项",
            match=("增",),
            terms=("本年增减", "增减", "change"),
        ),
        Col(
            "decisions",
            "处理决定数量",
            "decisions",
            match=("处理决定",),
            terms=("处理决定", "决定数量", "办件量", "decisions", "number of decisions"),
        ),
    ),
    ("gov2019", "art20_8"): (
        Col(
            "prev_year_items",
            "上一年项目数量",
            "items in previous year",
            unit="项",
            match=("上一年",),
        ),
        Col("items_change", "本年增/减", "change this year", unit="项", match=("增",)),
    ),
    ("gov2019", "art20_9"): (
        Col(
            "procurement_items",
            "采购项目数量",
            "procurement projects",
            unit="项",
            match=("采购项目",),
            terms=("采购项目数量", "procurement items"),
        ),
        Col(
            "procurement_amount",
            "采购总金额",
            "procurement amount",
            unit="万元",
            match=("采购总金额", "金额"),
            terms=("采购总金额", "采购金额", "procurement amount"),
        ),
    ),
}
ART20_COLS[("gov2019", "art20_6")] = ART20_COLS[("gov2019", "art20_5")]

ART20_GROUPS = {
    "art20_1": "第二十条第（一）项",
    "art20_5": "第二十条第（五）项",
    "art20_6": "第二十条第（六）项",
    "art20_8": "第二十条第（八）项",
    "art20_9": "第二十条第（九）项",
}

PROACTIVE_ROWS: tuple[Row, ...] = (
    Row(
        "regulations",
        "规章",
        "rules (regulations)",
        "art20_1",
        match=("规章",),
        terms=("规章", "政府规章", "部门规章", "rules", "regulations"),
    ),
    Row(
        "normative_documents",
        "行政规范性文件",
        "normative documents",
        "art20_1",
        match=("规范性文件", "规范性档案"),
        terms=(
            "行政规范性文件",
            "规范性文件",
            "红头文件",
            "normative documents",
            "policy documents",
            "regulatory documents",
        ),
    ),
    Row(
        "administrative_licensing",
        "行政许可",
        "administrative licensing",
        "art20_5",
        match=("行政许可",),
        terms=(
            "行政许可",
            "许可",
            "行政审批",
            "审批",
            "administrative licensing",
            "licences",
            "licenses",
            "permits",
            "licensing",
            "permit",
            "approvals",
        ),
    ),
    Row(
        "other_external_services",
        "其他对外管理服务事项",
        "other external management and service matters",
        "art20_5",
        match=("其他对外管理服务",),
        templates=("gov2019",),
        terms=("其他对外管理服务事项",),
    ),
    Row(
        "administrative_penalty",
        "行政处罚",
        "administrative penalties",
        "art20_6",
        match=("行政处罚",),
        terms=(
            "行政处罚",
            "处罚",
            "罚款",
            "处罚决定",
            "administrative penalties",
            "administrative penalty",
            "penalties",
            "penalty",
            "punishments",
            "sanctions",
            "fines",
        ),
    ),
    Row(
        "administrative_coercion",
        "行政强制",
        "administrative coercion",
        "art20_6",
        match=("行政强制",),
        terms=(
            "行政强制",
            "行政强制措施",
            "强制措施",
            "administrative coercion",
            "coercion",
            "compulsory measures",
            "coercive measures",
            "enforcement",
            "行政强制执行",
            "administrative enforcement",
        ),
    ),
    Row(
        "administrative_fees",
        "行政事业性收费",
        "administrative fees",
        "art20_8",
        match=("事业性收费", "事业型收费", "行政收费"),
        terms=(
            "行政事业性收费",
            "行政收费",
            "收费",
            "administrative fees",
            "fees",
            "government fees",
        ),
    ),
    Row(
        "centralized_procurement",
        "政府集中采购",
        "centralized government procurement",
        "art20_9",
        match=("集中采购", "政府采购"),
        templates=("gov2019",),
        terms=(
            "政府集中采购",
            "集中采购",
            "政府采购",
            "procurement",
            "public procurement",
        ),
    ),
)

# --- Table 三: requests ----------------------------------------------------------------------

REQUEST_COLS: tuple[Col, ...] = (
    Col(
        "natural_person",
        "自然人",
        "natural persons",
        match=("自然人",),
        terms=("自然人", "个人", "公民", "群众", "natural persons", "individuals", "citizens"),
    ),
    Col(
        "commercial_enterprise",
        "商业企业",
        "commercial enterprises",
        match=("商业企业", "商业"),
        terms=("商业企业", "企业", "公司", "businesses", "companies", "commercial enterprises"),
    ),
    Col(
        "research_institution",
        "科研机构",
        "research institutions",
        match=("科研",),
        terms=("科研机构", "研究机构", "科研院所", "research institutions", "research institutes"),
    ),
    Col(
        "public_interest_org",
        "社会公益组织",
        "public-interest organisations",
        match=("公益",),
        terms=("社会公益组织", "公益组织", "ngos", "non-profits", "public-interest organisations"),
    ),
    Col(
        "legal_service_org",
        "法律服务机构",
        "legal service institutions",
        match=("法律服务",),
        terms=(
            "法律服务机构",
            "律师事务所",
            "律所",
            "law firms",
            "legal service",
            "lawyers",
        ),
    ),
    Col(
        "other_org",
        "其他",
        "other organisations",
        match=("其他",),
        terms=("其他组织", "other organisations"),
    ),
    Col("total", "总计", "total", match=("总计", "合计"), terms=("总计", "合计", "总数", "total")),
)

G_RESULT = "三、本年度办理结果"
REQUEST_ROWS: tuple[Row, ...] = (
    Row(
        "new_received",
        "一、本年新收政府信息公开申请数量",
        "new requests received",
        match=("本年新收", "新收政府信息公开申请"),
        terms=(
            "本年新收",
            "新收申请",
            "收到申请",
            "收到",
            "受理申请",
            "申请数量",
            "申请",
            "new requests",
            "requests received",
            "requests",
            "applications",
            "依申请公开",
            "信息公开申请",
            "disclosure requests",
            "information requests",
            "foi requests",
        ),
    ),
    Row(
        "carried_over",
        "二、上年结转政府信息公开申请数量",
        "carried over from last year",
        match=("上年结转", "上年度结转"),
        terms=("上年结转", "上年度结转", "carried over", "brought forward"),
    ),
    Row(
        "granted",
        "（一）予以公开",
        "disclosed in full",
        "result",
        G_RESULT,
        match=("予以公开", "同意公开"),
        terms=(
            "予以公开",
            "同意公开",
            "全部公开",
            "granted",
            "disclosed in full",
            "fully disclosed",
        ),
    ),
    Row(
        "partially_granted",
        "（二）部分公开",
        "partially disclosed",
        "result",
        G_RESULT,
        match=("部分公开", "区分处理"),
        terms=(
            "部分公开",
            "区分处理",
            "partially disclosed",
            "partially granted",
            "partial disclosure",
        ),
    ),
    Row(
        "denied_state_secret",
        "1.属于国家秘密",
        "not disclosed: state secret",
        "denied",
        "（三）不予公开",
        ("国家秘密",),
        1,
        terms=("国家秘密", "涉密", "state secret", "classified"),
    ),
    Row(
        "denied_prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        "not disclosed: prohibited by law",
        "denied",
        "（三）不予公开",
        ("禁止公开",),
        2,
        terms=("法律法规禁止公开", "prohibited by law"),
    ),
    Row(
        "denied_security_stability",
        "3.危及“三安全一稳定”",
        "not disclosed: endangers security or stability",
        "denied",
        "（三）不予公开",
        ("三安全一稳定", "危及"),
        3,
        terms=("三安全一稳定",),
    ),
    Row(
        "denied_third_party_rights",
        "4.保护第三方合法权益",
        "not disclosed: third-party rights",
        "denied",
        "（三）不予公开",
        ("第三方合法权益", "第三方"),
        4,
        terms=(
            "第三方合法权益",
            "商业秘密",
            "个人隐私",
            "third-party rights",
            "trade secrets",
            "privacy",
        ),
    ),
    Row(
        "denied_internal_affairs",
        "5.属于三类内部事务信息",
        "not disclosed: internal affairs information",
        "denied",
        "（三）不予公开",
        ("内部事务",),
        5,
        terms=("内部事务信息", "internal affairs"),
    ),
    Row(
        "denied_process_info",
        "6.属于四类过程性信息",
        "not disclosed: process information",
        "denied",
        "（三）不予公开",
        ("过程性信息", "过程性"),
        6,
        terms=("过程性信息", "process information"),
    ),
    Row(
        "denied_enforcement_file",
        "7.属于行政执法案卷",
        "not disclosed: law-enforcement case file",
        "denied",
        "（三）不予公开",
        ("执法案卷",),
        7,
        terms=("行政执法案卷", "执法案卷", "enforcement case files"),
    ),
    Row(
        "denied_admin_query",
        "8.属于行政查询事项",
        "not disclosed: administrative inquiry matter",
        "denied",
        "（三）不予公开",
        ("行政查询", "查询事项"),
        8,
        terms=("行政查询事项",),
    ),
    Row(
        "unable_not_held",
        "1.本机关不掌握相关政府信息",
        "unable: information not held",
        "unable",
        "（四）无法提供",
        ("不掌握",),
        1,
        terms=("不掌握", "信息不存在", "not held", "information not held"),
    ),
    Row(
        "unable_needs_creation",
        "2.没有现成信息需要另行制作",
        "unable: would need to be created",
        "unable",
        "（四）无法提供",
        ("另行制作", "没有现成"),
        2,
        terms=("另行制作",),
    ),
    Row(
        "unable_unclear",
        "3.补正后申请内容仍不明确",
        "unable: still unclear after correction",
        "unable",
        "（四）无法提供",
        ("仍不明确", "不明确"),
        3,
        terms=("申请内容不明确",),
    ),
    Row(
        "not_processed_petition",
        "1.信访举报投诉类申请",
        "not processed: petition or complaint",
        "not_processed",
        "（五）不予处理",
        ("信访", "举报投诉"),
        1,
        terms=("信访举报投诉", "信访", "举报投诉", "petitions", "complaints"),
    ),
    Row(
        "not_processed_duplicate",
        "2.重复申请",
        "not processed: duplicate request",
        "not_processed",
        "（五）不予处理",
        ("重复申请",),
        2,
        terms=("重复申请", "duplicate requests", "repeat requests"),
    ),
    Row(
        "not_processed_publication",
        "3.要求提供公开出版物",
        "not processed: public publications",
        "not_processed",
        "（五）不予处理",
        ("出版物",),
        3,
        terms=("公开出版物", "出版物", "public publications"),
    ),
    Row(
        "not_processed_mass_repeat",
        "4.无正当理由大量反复申请",
        "not processed: mass repeated requests",
        "not_processed",
        "（五）不予处理",
        ("大量反复",),
        4,
        terms=("大量反复申请",),
    ),
    Row(
        "not_processed_confirm_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
        "not processed: confirm or re-issue",
        "not_processed",
        "（五）不予处理",
        ("重新出具", "确认或重新"),
        5,
        terms=("重新出具",),
    ),
    Row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other: no correction in time",
        "other",
        "（六）其他处理",
        ("逾期不补正", "不补正"),
        1,
        templates=("gov2021",),
        terms=("逾期不补正",),
    ),
    Row(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other: fee not paid in time",
        "other",
        "（六）其他处理",
        ("收费通知", "缴纳费用"),
        2,
        templates=("gov2021",),
        terms=("逾期未缴费", "未缴费", "unpaid fee"),
    ),
    Row(
        "other_misc",
        "3.其他",
        "other: miscellaneous",
        "other",
        "（六）其他处理",
        (),
        3,
        templates=("gov2021",),
    ),
    Row(
        "other_total",
        "（六）其他处理",
        "other handling",
        "result",
        G_RESULT,
        ("其他处理",),
        templates=("gov2019",),
        terms=("其他处理", "other handling"),
    ),
    Row(
        "result_total",
        "（七）总计",
        "total handled this year",
        "result",
        G_RESULT,
        ("总计",),
        terms=(
            "办理结果总计",
            "办结",
            "已办结",
            "答复",
            "办理结果",
            "total handled",
            "concluded",
            "handled",
            "responses issued",
        ),
    ),
    Row(
        "carried_forward",
        "四、结转下年度继续办理",
        "carried forward to next year",
        match=("结转下年",),
        terms=(
            *("结转下年度", "结转下年", "结转到下年度", "结转至下年度", "结转到下一年度"),
            *("未办结", "carried forward", "pending"),
        ),
    ),
)

REQUEST_GROUPS = {  # group key -> (printed group label keyword, rows in order)
    "denied": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}

# --- Table 四: reconsideration and litigation ------------------------------------------------

REVIEW_ROWS: tuple[Row, ...] = (
    Row(
        "review",
        "行政复议",
        "administrative reconsideration",
        terms=("行政复议", "复议", "reconsideration", "administrative review"),
    ),
    Row(
        "litigation_direct",
        "行政诉讼·未经复议直接起诉",
        "litigation without prior reconsideration",
        terms=("直接起诉", "未经复议直接起诉", "direct lawsuits"),
    ),
    Row(
        "litigation_after_review",
        "行政诉讼·复议后起诉",
        "litigation after reconsideration",
        terms=(
            "复议后起诉",
            "经复议后起诉",
            "lawsuits after reconsideration",
            "lawsuits filed after reconsideration",
            "litigation after reconsideration",
        ),
    ),
)
REVIEW_COLS: tuple[Col, ...] = (
    Col("upheld", "结果维持", "upheld", terms=("结果维持", "维持", "upheld", "affirmed")),
    Col(
        "corrected",
        "结果纠正",
        "corrected",
        terms=("结果纠正", "纠正", "败诉", "corrected", "overturned", "reversed"),
    ),
    Col(
        "other_outcome",
        "其他结果",
        "other outcome",
        terms=("其他结果", "驳回", "撤回", "other outcome", "dismissed", "withdrawn"),
    ),
    Col("pending", "尚未审结", "pending", terms=("尚未审结", "未审结", "pending", "ongoing")),
    Col("total", "总计", "total", terms=("总计", "total")),
)

# Words that identify the template from the table headers (normalised text).
TEMPLATE_SIGNALS = {
    "gov2021": (
        "本年制发件数",
        "本年制发",
        "本年废止",
        "现行有效件",
        "本年处理决定数量",
        "本年收费金额",
    ),
    "gov2019": (
        "本年新制作",
        "本年新公开",
        "对外公开总数",
        "上一年项目数量",
        "采购项目数量",
        "第二十条第(九)项",
        "本年增/减",
    ),
}


def proactive_rows(template: str) -> tuple[Row, ...]:
    return tuple(r for r in PROACTIVE_ROWS if template in r.templates)


def proactive_cols(template: str, group: str) -> tuple[Col, ...]:
    return ART20_COLS.get((template, group), ())


def request_rows(template: str) -> tuple[Row, ...]:
    return tuple(r for r in REQUEST_ROWS if template in r.templates)


def row_def(table: str, row: str) -> Row | None:
    rows = {
        "proactive": PROACTIVE_ROWS,
        "requests": REQUEST_ROWS,
        "review_litigation": REVIEW_ROWS,
    }[table]
    return next((r for r in rows if r.key == row), None)


def col_def(table: str, col: str, template: str = "gov2021", group: str = "") -> Col | None:
    if table == "proactive":
        cols = ART20_COLS.get((template, group)) or tuple(
            c for cs in ART20_COLS.values() for c in cs
        )
    elif table == "requests":
        cols = REQUEST_COLS
    else:
        cols = REVIEW_COLS
    return next((c for c in cols if c.key == col), None)


@dataclass(frozen=True)
class Metric:
    """What to read from the tables. `kind` is cell (one row), rowgroup (rows summed) or table."""

    table: str
    row: str | None
    col: str | None
    kind: str
    label_zh: str
    label_en: str
    rows: tuple[str, ...] = ()  # the template rows to read (one for a cell, several for a group)


@dataclass
class CellSpec:
    """One cell of the template, for renderers, gold files and the bot's vocabulary."""

    table: str
    row: Row
    col: Col
    extra: dict = field(default_factory=dict)


def template_cells(template: str, other_org: bool = True) -> list[CellSpec]:
    """Every cell the template prints, in print order."""
    out: list[CellSpec] = []
    for row in proactive_rows(template):
        for col in proactive_cols(template, row.group):
            out.append(CellSpec("proactive", row, col))
    for row in request_rows(template):
        for col in REQUEST_COLS:
            if col.key == "other_org" and not other_org:
                continue
            out.append(CellSpec("requests", row, col))
    for row in REVIEW_ROWS:
        for col in REVIEW_COLS:
            out.append(CellSpec("review_litigation", row, col))
    return out
