"""English words of a question → Chinese terms of the reports, for keyword and embedding search.

The keyword index (jieba + FTS5) and the embedding model (m3e-small) only know Chinese, so an
English question finds little. `chinese_terms` looks up the English content words and phrases of
a question in a glossary of the vocabulary these reports use (platforms, request handling, staff,
supervision, problems and improvements, policy areas) and returns the Chinese terms to add.

    >>> from bot.question.glossary import chinese_terms
    >>> chinese_terms("Does Liuwan publish through a WeChat official account?")
    ['发布', '公开', '微信公众号', '公众号', '政务微信']
    >>> chinese_terms("How did the town train its staff?")
    ['培训', '业务培训', '工作人员', '人员']
    >>> chinese_terms("刘湾镇如何培训工作人员？")
    []

Words are matched after light stemming (post/posted/posting/posts), longest phrase first; stop
words and unknown words (organisation names in pinyin among them) are skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Meanings separated by ; or newline: English words and phrases (comma-separated, base forms) =
# Chinese terms (space-separated).
TABLE = """
information disclosure, disclosure of information, disclosure, disclose = 信息公开 政务公开
open government information, government information disclosure, ogi = 政府信息公开
government affairs disclosure, open government affairs, openness = 政务公开
government information = 政府信息; government affairs, administrative affairs = 政务; information = 信息
transparency, transparent = 透明度 公开透明
proactive, proactively, active disclosure, voluntary disclosure = 主动公开
proactive disclosure, statutory disclosure = 主动公开 法定主动公开
on request, upon request, on application, disclosure on request = 依申请公开
request, application, apply, requested, ask for = 申请; applicant, requester = 申请人
regulations on open government information, ogi regulations, regulation = 条例 政府信息公开条例
law, laws and regulations, legislation = 法律法规
lawful, legal, according to law, in accordance with law, compliance, compliant = 依法 合法合规
rule of law, law-based government, administration by law = 法治政府 依法行政; annual report = 年度报告 年报
government work report = 政府工作报告; overview, general situation, summary = 总体情况 概述
statistics, statistical, data, figures = 统计 数据; statistical period, reporting period = 统计期限
publish, release, post, put online, upload, disseminate = 发布 公开; issuance = 发布 印发
make public, publicly, open = 公开; set up, establish, launch, open up = 设立 建立 开设
government website, government portal, portal, portal website, web portal = 政府网站 门户网站
official website = 官网 政府网站; website, site, webpage = 网站; online, internet, web, network = 网上 线上 网络
offline, on-site, in person = 线下 现场; platform = 平台 载体
platform building, platform construction, disclosure platform = 平台建设 政府信息公开平台
channel, route = 渠道 途径; column, website column, web column = 栏目 专栏
special column, dedicated column, topic column = 专栏 专题专栏
special zone, special area, dedicated area, disclosure zone = 专区 政务公开专区; wechat, weixin = 微信 微信公众号
wechat official account, official account, public account, wechat account = 微信公众号 公众号 政务微信
official wechat account, wechat public account, government wechat = 微信公众号 公众号 政务微信
weibo, microblog, government weibo = 微博 政务微博
new media, social media, government new media = 政务新媒体 新媒体; self-media, we-media = 自媒体
app, mobile app, mobile application = APP 客户端; video, short video, douyin, tiktok = 短视频 视频
bulletin board, notice board, disclosure board, information board = 公开栏 公示栏 公告栏
board, display board, public notice column = 公开栏 公示栏 公告栏; publicity column, publicity board = 宣传栏
electronic screen, led screen, display screen, electronic display, screen = 电子屏 电子显示屏
newspaper = 报纸 日报; television, tv, radio, broadcast = 电视 广播; banner = 横幅 宣传横幅
brochure, leaflet, flyer, publicity material = 宣传资料
service hall, service centre, convenience service centre = 便民服务中心 服务大厅
government service centre, administrative service centre, one-stop service = 政务服务中心 便民服务中心
window, service window = 窗口; reading room, access point, consultation point = 查阅点 查阅场所
catalog, disclosure catalog, directory = 公开目录 目录; guide, disclosure guide, guideline = 公开指南 指南
integration, integrate, consolidation, merge, intensive platform = 整合 融合 集约化
mailbox, email, e-mail, mayor's mailbox = 信箱 电子邮箱
hotline, telephone, phone, phone number, fax = 热线 电话
contact, contact information, contact details, postal address = 联系 联系方式 地址; policy = 政策
policy document = 政策文件
policy interpretation, interpret, interpretation, explain, explanation = 政策解读 解读
interpretation material, interpreting material = 解读材料
normative document, administrative normative document = 规范性文件 行政规范性文件
document, file, official document = 文件 公文; notice, announcement, notification = 通知 公告 通知公告
news, work update, work trend, government news = 工作动态 政务动态 新闻
press conference, news conference, briefing, press release = 新闻发布会 发布会; spokesperson = 新闻发言人
institution, agency function, function, organisational structure = 机构职能 机构设置
leadership information = 领导信息 领导介绍; appointment, appointment and removal, personnel change = 人事 人事任免
plan, planning = 计划 规划; budget, budgets and final accounts, final accounts = 预算 决算 预决算
finance, fiscal, financial = 财政 财政资金 财务; fund, funding, money, special fund = 资金 专项资金
three public expenses, official reception = 三公经费
procurement, purchase, government procurement, tender, bidding = 采购 政府采购 招标
project, major project = 项目 重大项目
licensing, licence, permit, administrative licensing, approval = 行政许可 审批
penalty, punishment, sanction, fine, administrative penalty = 行政处罚 处罚
coercion, compulsory measure, administrative coercion = 行政强制
law enforcement, enforcement = 行政执法 执法 执法公示; fee, charge, charged, administrative fee = 收费 收取
information processing fee, processing fee, disclosure fee = 信息处理费
free, free of charge, no fee, not charged = 未收取 免费
decision, decision-making, major decision = 决策 重大决策 决定; five disclosures = 五公开
opinion solicitation, soliciting opinions, public consultation = 意见征集 征求意见
feedback, suggestion, opinion, comment, advice = 意见建议 反馈
message, online message, netizen message = 留言 网民留言
public participation, participation, participate, engagement = 公众参与 参与
interaction, government-citizen interaction, interactive, interact = 政民互动 互动交流
reply, respond, response, answer = 答复 回应 回复
public concern, concern, hot topic, hot issue = 关切 回应关切 热点
consultation, consult, inquiry, enquiry = 咨询
query, search, look up, access, check information = 查询 查阅; download = 下载
complaint, complain, whistleblowing, tip-off = 投诉 举报; petition, letters and visits = 信访
reconsideration, administrative reconsideration, administrative review, appeal = 行政复议 复议
litigation, administrative litigation, lawsuit, sue, court = 行政诉讼 诉讼
privacy, personal privacy = 个人隐私 隐私; personal information, personal data, id card = 个人信息 隐私
trade secret, commercial secret = 商业秘密
confidentiality review, confidentiality check, secrecy review, security review = 保密审查 保密审核
confidential, confidentiality, secrecy, secret, classified, state secret = 保密 涉密 国家秘密
leak, leakage = 泄密 泄露; review, vet, vetting, audit, examine, scrutiny = 审核 审查
three reviews and three proofreadings, proofreading, proofread = 三审三校 校对
sign off, sign-off, approve = 审批 签批; accuracy, accurate, correct, correctness, error = 准确 准确性 错误
authority, authoritative, credibility, public trust = 权威 公信力
completeness, complete, comprehensive, full coverage = 完整 全面 全覆盖
timeliness, timely, prompt, promptly, in time, fast, speed = 及时 时效 时效性
delay, delayed, late, lag, slow, outdated, out of date = 延迟 滞后 不及时
update, refresh, dynamic update, up to date = 更新 动态更新
maintain, maintenance, operation and maintenance = 维护 运维; operation, operate, run, running = 运行 运营
security, safe, content security = 安全 内容安全
standardisation, standardise, standardised, standardized, standard = 标准化 规范化 标准
standardization and normalization = 标准化规范化
norm, normative, regulate, regulated, regularize = 规范 规范化
institutionalise, institutionalisation = 制度化
routine, regular, regularly, periodic, periodically, normalise, normalised = 定期 常态化; quality = 质量
effect, effective, effectiveness, impact, outcome, result = 实效 效果 成效; efficiency, efficient = 效率 高效
convenience, convenient, accessible, easy access = 便民 便捷; satisfaction, satisfied = 满意度 满意
practicality, practical, usefulness, useful, relevance = 实用性 针对性
plain language, easy to understand, popular, readable = 通俗 通俗化 易读
graphic, infographic, chart, diagram, visual = 图解 一图读懂 图表
innovation, innovative, innovate, new approach = 创新
form, format, monotonous, single form, limited form = 形式 形式单一 单一
publicity, promotion, promote, propaganda = 宣传 宣传推广; public awareness, awareness rate = 知晓度 知晓率
right to know, right to information = 知情权; right to supervise, right of supervision = 监督权
right to participate, right of participation = 参与权; right of expression = 表达权
staff, employee, worker, civil servant, official, officer = 工作人员 人员
personnel, workforce, team, manpower, cadre = 人员 工作人员 队伍 力量
dedicated staff, designated person, dedicated person, special person, assigned = 专人 专人负责
full-time, full-time staff, specialist, specialised staff = 专职 专职人员
part-time, multiple roles, many duties, several jobs = 兼职 身兼数职 身担数责
information officer, liaison, liaison officer = 信息员 联络员
training, train, trainee, workshop, course = 培训 业务培训
study, learning, learn, study session = 学习 专题学习
skill, competence, capability, ability, capacity, expertise = 业务能力 能力 业务水平
professional, professionalism = 专业 专业化 业务素质
awareness, consciousness, understanding, recognition, sense of responsibility = 意识 认识 责任意识
education = 教育; assessment, evaluation, evaluate, appraisal, assess, score = 考核 评议 考评 评估
performance appraisal, performance assessment, performance evaluation, kpi = 绩效考核 考核
public evaluation, social evaluation = 社会评议 评议
supervision, oversight, supervise, monitor, monitoring = 监督 监督检查
inspection, inspect, check, spot check, verification, verify = 检查 督查 核查
supervision and safeguards, safeguard, guarantee, ensure = 监督保障 保障
accountability, accountable, hold accountable, liability, blame = 责任追究 问责
responsibility, responsible, duty = 责任 职责 负责; responsibility system, accountability system = 责任制
person in charge, responsible person, head = 负责人
leader in charge, in charge, official in charge, deputy leader = 分管领导 分管
reward, incentive, punishment and reward = 奖惩; circular, circulate, bulletin = 通报
leadership, leader, lead, led, leading = 领导 牵头
leading group, leading small group, leadership group, steering group, working group = 领导小组
committee, commission, party committee, party = 党委 党政; mayor, town head = 镇长
office, general office, party and government office = 办公室 党政办
department, division, unit, section, bureau, agency = 部门 科室 单位 站所
superior, higher level, higher authority, upper level = 上级 上级部门
coordination, coordinate, cooperation, cooperate, collaboration, communication = 协调 配合 协作 沟通
system, mechanism, framework, institutional, arrangement = 制度 机制 体系
working mechanism, work mechanism = 工作机制; rule, bylaw, code = 规程 规章 制度
procedure, process, workflow, step = 流程 程序 工作流程; implementation plan, work plan, programme = 实施方案 方案
key point, work priority, priority, focus, key task, emphasis = 工作要点 重点
key area, priority area, key field = 重点领域; area, field, sector, domain = 领域
deadline, time limit, statutory time limit, within the time limit, on time = 期限 时限 按期
overdue, exceed the time limit, late reply = 逾期 超期
register, registration, record, ledger, log = 登记 备案 台账
archive, archiving, filing, file away, documentation, archives = 归档 档案
receive, received, receipt, accept, acceptance = 收到 受理
handle, handling, deal with, process request, solve, resolve, tackle = 办理 处理 解决
conclude, concluded, closed, finish, settle = 办结
carry over, carried over, carried forward, pending, outstanding = 结转 结转下年度
grant, granted, disclosed in full, full disclosure = 予以公开
partial, partially, partial disclosure, redact, redaction = 部分公开
refuse, refusal, withhold, deny, denied, not disclosed, exempt = 不予公开
not held, does not exist, unable to provide, unavailable = 无法提供 不掌握
not processed, decline, declined = 不予处理; correction, supplement, amend = 补正
duplicate, repeated, repeat request = 重复申请; notify, inform, notification letter = 告知 告知书
template, sample document, document template, standard text = 文书样本 文书
problem, issue, difficulty, challenge = 问题 主要问题 不足
main problem, existing problem, key problem, outstanding problem = 存在的主要问题 主要问题
shortcoming, deficiency, inadequacy, insufficient, insufficiency, shortfall = 不足 短板 差距
weakness, weak, weak link, weak spot, weak point = 薄弱 薄弱环节 短板 不足
lack, lacking, gap, room for improvement, not enough = 不足 欠缺 差距 有待
improvement, improve, improved = 改进 改进情况 提升
enhance, enhancement, strengthen, reinforce, step up, intensify = 加强 强化 提升
optimise, optimisation, streamline, refine = 优化 完善; perfect, sound, establish and improve = 健全 完善
measure, step taken, action, countermeasure, initiative = 措施 举措 改进措施
rectification, rectify, remediate, remediation, fix, corrective, correct problem = 整改 纠正
self-inspection, self-check, self-examination = 自查自纠 自查
next year, next step, going forward, future, next = 下一步 今后 明年
plan ahead, future plan, work plan for next year, outlook = 下一步 计划 工作重点
goal, target, objective, aim = 目标; achievement, progress, accomplishment, success = 成效 进展 成绩
experience, practice, good practice = 经验 做法
grassroots, basic level, local level, community level = 基层
grassroots government affairs, grassroots disclosure = 基层政务公开
village, villages, administrative village, rural, countryside = 村 行政村 农村
villager, farmer = 村民 农民 群众; village affairs, village affairs disclosure = 村务公开 村务
party affairs, party affairs disclosure = 党务公开 党务
community, neighbourhood, residents committee = 社区 居民
poverty alleviation, poverty reduction, anti-poverty, poverty, targeted poverty alleviation = 扶贫 脱贫攻坚 脱贫
rural revitalisation, rural revitalization = 乡村振兴
social assistance, social relief, relief, welfare, minimum living allowance, dibao = 社会救助 低保
subsistence allowance, minimum subsistence, extreme poverty support = 低保 最低生活保障 特困
social security, social insurance, pension, elderly care, old age = 社会保障 社会保险 养老
medical insurance, healthcare, health, medical, hospital, clinic = 医疗 医疗保险 卫生; public health = 公共卫生
employment, jobs = 就业
safety in production, production safety, work safety, workplace safety, safe production = 安全生产
emergency, emergency management, disaster, flood = 应急 应急管理
environmental protection, environment, ecology, ecological, pollution = 生态环境 环境保护
epidemic, covid, pandemic, coronavirus, epidemic prevention, epidemic control = 疫情 疫情防控
agriculture, agricultural, farming = 农业; land acquisition, expropriation, demolition = 征地 征收 拆迁
housing, affordable housing = 住房 保障性住房; business environment = 营商环境
streamline administration, delegate power, fangguanfu = 放管服
government service, administrative service, public service, service = 政务服务 服务
run at most once, one-stop = 最多跑一次 一网通办
subsidy, allowance, benefit, preferential policy = 补贴 补助 惠民政策
livelihood, well-being, people's livelihood = 民生; drug control, anti-drug = 禁毒
proposal, suggestions of deputies, npc suggestion, cppcc proposal = 建议提案 提案
enterprise, business, company = 企业; public, the public, masses, resident = 群众 公众; citizen = 公民 群众
society, social = 社会; third party, third-party = 第三方
legal person, organisation, organization = 法人 组织
other matter, other matters to report, other item = 其他需要报告的事项
implement, implementation, carry out, put into practice = 落实 贯彻落实 执行
guidance, instruct, instruction = 指导; deploy, deployment = 部署; xi jinping = 习近平; party building = 党建
governance = 治理; digital, digitalisation, informatisation, e-government, big data = 数字化 信息化 电子政务
attention, importance, attach importance, prioritise, high priority = 重视 高度重视
create, produce, draft, drafting, compile = 制作 起草 编制; abolish, repeal, revoke = 废止
submit, submission, report upward, collect and submit = 报送 上报; collect, collection, gather = 收集 整理
annual, yearly, this year = 年度
"""

STOP = frozenset(
    """a an the and or of in on at to for by with from about as into through via over under per
    is are was were be been being do does did done has have had can could will would should shall
    may might must what which who whom whose when where why how this that these those it its they
    them their there here i we you he she our your my me us his her any some all each every much
    many more most other such no not yes than then so if also just only very too whether tell show
    list give say said mention describe report town township county district city subdistrict
    street government people's people zhen xiang jiedao year""".split()
)

_SPELLING = {"centre": "center", "catalogue": "catalog", "licence": "license"}
_NO_STEM = frozenset({"news", "series", "always", "filing"})
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """A light, consistent stem: posted/posting/posts → post, policies → policy."""
    w = _SPELLING.get(word, word)
    w = re.sub(r"is(ation|e|ed|es|ing)$", r"iz\1", w)  # British -ise → -ize
    if len(w) <= 3 or w in _NO_STEM:
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) >= 6:
        w = w[:-3]
    elif w.endswith("ed") and len(w) >= 5:
        w = w[:-2]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]
    return w


def _words(text: str) -> list[str]:
    text = re.sub(r"['’]s\b", "", text.lower())
    return _WORD.findall(text)


def glossary() -> dict[str, tuple[str, ...]]:
    """The table as written: English word or phrase → Chinese terms."""
    out: dict[str, tuple[str, ...]] = {}
    for meaning in TABLE.replace("\n", ";").split(";"):
        if not meaning.strip():
            continue
        english, chinese = meaning.split("=")
        for phrase in english.split(","):
            key = " ".join(_words(phrase))
            out[key] = tuple(dict.fromkeys(out.get(key, ()) + tuple(chinese.split())))
    return out


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    """Stemmed English phrase → Chinese terms, and the longest phrase in words."""
    index: dict[tuple[str, ...], tuple[str, ...]] = {}
    for english, terms in glossary().items():
        key = tuple(_stem(w) for w in english.split())
        index[key] = tuple(dict.fromkeys(index.get(key, ()) + terms))
    return index, max(len(k) for k in index)


def chinese_terms(question: str) -> list[str]:
    """Chinese terms for the English words and phrases of `question`, in order, without repeats.

    Longest phrase first; stop words and unknown words (e.g. pinyin names) are skipped; terms the
    question already contains are left out, so Chinese text gives [].
    """
    words = _words(question)
    stems = [_stem(w) for w in words]
    index, longest = _index()
    found: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            terms = index.get(tuple(stems[i : i + n]))
            if terms and not (n == 1 and words[i] in STOP):
                found += [t for t in terms if t not in found and t not in question]
                i += n
                break
        else:
            i += 1
    return found
