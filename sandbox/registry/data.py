"""The sandbox registry's companies: fictitious enterprises around Nantong (南通), seeded on first start.

The first five are the companies of the platform's demo (smartcourt/cases/demo.py) with the same credit
codes. Every credit code is an 17-character stem completed with its GB 32100 check character; the stem's
third to eighth characters are the registering county's division code (320623 如东县, 320602 崇川区, ...).
Amounts are yuan here for readability and fen in the database and the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# GB 32100-2015 check character: the registry computes it itself, as the real registry does, rather than import
# the platform (the sandboxes import nothing from smartcourt); smartcourt/registry/tests cross-check the two.
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(stem: str) -> str:
    """The check character completing a 17-character credit code stem (GB 32100-2015 §5)."""
    total = sum(_CREDIT_CHARS.index(char) * weight for char, weight in zip(stem, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


ACTIVE = "存续"  # registered and operating (also while being liquidated, until deregistered)
REVOKED = "吊销"  # business licence revoked; the company still exists and must be liquidated
DEREGISTERED = "注销"  # struck off: the company no longer exists
STATUSES = (ACTIVE, REVOKED, DEREGISTERED)

PERSON = "自然人"
ENTERPRISE = "企业法人"

LLC_PERSONS = "有限责任公司（自然人投资或控股）"
LLC = "有限责任公司"
LLC_SOLE = "有限责任公司（自然人独资）"
JOINT_STOCK = "股份有限公司（非上市）"

AUTHORITIES = {
    "320600": "南通市市场监督管理局",
    "320602": "南通市崇川区市场监督管理局",
    "320612": "南通市通州区市场监督管理局",
    "320623": "如东县市场监督管理局",
    "320681": "启东市市场监督管理局",
    "320682": "如皋市市场监督管理局",
    "320684": "海门市市场监督管理局",
    "320685": "海安市市场监督管理局",
}


@dataclass(frozen=True)
class SeedShareholder:
    name: str
    kind: str
    subscribed_yuan: int
    paid_yuan: int
    subscribed_on: dt.date


@dataclass(frozen=True)
class SeedCompany:
    stem: str
    name: str
    company_type: str
    legal_representative: str
    capital_yuan: int
    established_on: dt.date
    address: str
    business_scope: str
    status: str
    shareholders: tuple[SeedShareholder, ...]

    @property
    def credit_code(self) -> str:
        return self.stem + credit_code_check_char(self.stem)

    @property
    def registration_authority(self) -> str:
        return AUTHORITIES[self.stem[2:8]]


def _holders(capital: int, established: dt.date, *holders: tuple[str, str, int, int]) -> tuple[SeedShareholder, ...]:
    """Shareholders from (name, kind, percent of the capital, percent of their subscription paid in)."""
    if sum(share for _, _, share, _ in holders) != 100:
        raise ValueError(f"shares of {holders} do not add up to 100%")
    return tuple(
        SeedShareholder(
            name=name,
            kind=kind,
            subscribed_yuan=capital * share // 100,
            paid_yuan=capital * share // 100 * paid // 100,
            subscribed_on=established,
        )
        for name, kind, share, paid in holders
    )


def _company(
    stem: str,
    name: str,
    company_type: str,
    legal_representative: str,
    capital_yuan: int,
    established_on: dt.date,
    address: str,
    business_scope: str,
    status: str,
    *holders: tuple[str, str, int, int],
) -> SeedCompany:
    return SeedCompany(
        stem=stem,
        name=name,
        company_type=company_type,
        legal_representative=legal_representative,
        capital_yuan=capital_yuan,
        established_on=established_on,
        address=address,
        business_scope=business_scope,
        status=status,
        shareholders=_holders(capital_yuan, established_on, *holders),
    )


D = dt.date
WAN = 10_000  # 万元

COMPANIES: tuple[SeedCompany, ...] = (
    # --- The demo's companies (smartcourt/cases/demo.py), same credit codes -----------------------------
    _company(
        "91320623MA1HD0001",
        "如东县宏达纺织有限公司",
        LLC_PERSONS,
        "周建华",
        5000 * WAN,
        D(2008, 4, 16),
        "江苏省南通市如东县掘港镇人民路188号",
        "纺织品、针织品的生产、销售；纺织原料（棉花除外）销售；自营和代理各类商品及技术的进出口业务。",
        ACTIVE,
        ("周建华", PERSON, 60, 100),
        ("周立新", PERSON, 25, 100),
        ("南通宏发投资有限公司", ENTERPRISE, 15, 40),
    ),
    _company(
        "91320623MA1HL0002",
        "江苏海联船舶重工有限公司",
        LLC,
        "顾海林",
        20000 * WAN,
        D(2011, 9, 2),
        "江苏省南通市如东县洋口镇临港工业区海滨大道66号",
        "船舶制造、修理；海洋工程装备制造；钢结构件加工；船用配套设备销售；货物及技术进出口。",
        ACTIVE,
        ("海联控股集团有限公司", ENTERPRISE, 70, 60),
        ("顾海林", PERSON, 20, 100),
        ("马俊", PERSON, 10, 100),
    ),
    _company(
        "91320600MA1HC0003",
        "南通华盛建材有限公司",
        LLC_PERSONS,
        "陆华盛",
        3000 * WAN,
        D(2012, 6, 18),
        "江苏省南通市崇川区工农路500号",
        "建筑材料、装饰材料、五金交电销售；水泥制品制造；道路货物运输。",
        ACTIVE,
        ("陆华盛", PERSON, 80, 100),
        ("陆敏", PERSON, 20, 100),
    ),
    _company(
        "91320623MA1JQ0004",
        "如东县金桥置业有限公司",
        LLC,
        "钱金桥",
        10000 * WAN,
        D(2009, 3, 10),
        "江苏省南通市如东县掘港镇青园北路9号",
        "房地产开发经营；物业管理；房屋租赁。",
        REVOKED,
        ("钱金桥", PERSON, 51, 100),
        ("南通金桥实业投资有限公司", ENTERPRISE, 49, 30),
    ),
    _company(
        "91320600MA1YY0005",
        "南通远洋物流有限公司",
        LLC,
        "沈远洋",
        8000 * WAN,
        D(2010, 11, 25),
        "江苏省南通市崇川区通江路199号",
        "普通货运；货物专用运输（集装箱）；国际货运代理；仓储服务（危险品除外）；装卸搬运。",
        ACTIVE,
        ("沈远洋", PERSON, 45, 100),
        ("南通港远投资有限公司", ENTERPRISE, 35, 100),
        ("沈秀英", PERSON, 20, 50),
    ),
    # --- Shareholders of the demo companies --------------------------------------------------------------
    _company(
        "91320623MA1HF0006",
        "南通宏发投资有限公司",
        LLC_PERSONS,
        "周立新",
        2000 * WAN,
        D(2015, 1, 8),
        "江苏省南通市如东县掘港镇友谊西路56号",
        "实业投资；投资咨询；企业管理咨询。",
        ACTIVE,
        ("周立新", PERSON, 70, 50),
        ("周建华", PERSON, 30, 50),
    ),
    _company(
        "91320600MA1HK0007",
        "海联控股集团有限公司",
        LLC,
        "顾海林",
        50000 * WAN,
        D(2006, 5, 20),
        "江苏省南通市崇川区世纪大道8号海联大厦28层",
        "实业投资；股权投资；船舶及海洋工程技术咨询；钢材、有色金属销售。",
        ACTIVE,
        ("顾海林", PERSON, 65, 80),
        ("顾海燕", PERSON, 20, 80),
        ("南通海联员工持股管理中心（有限合伙）", ENTERPRISE, 15, 100),
    ),
    _company(
        "91320623MA1JT0008",
        "南通金桥实业投资有限公司",
        LLC_PERSONS,
        "钱金桥",
        3000 * WAN,
        D(2008, 7, 1),
        "江苏省南通市如东县掘港镇青园北路11号",
        "实业投资；建筑材料销售。",
        REVOKED,
        ("钱金桥", PERSON, 90, 20),
        ("钱小燕", PERSON, 10, 20),
    ),
    _company(
        "91320602MA1GY0009",
        "南通港远投资有限公司",
        LLC,
        "沈远洋",
        5000 * WAN,
        D(2013, 3, 28),
        "江苏省南通市崇川区通江路201号",
        "实业投资；港口设施投资；企业管理服务。",
        ACTIVE,
        ("沈远洋", PERSON, 100, 100),
    ),
    # --- Other companies around Nantong -------------------------------------------------------------------
    _company(
        "91320623MA1HD0010",
        "如东县宏达置业有限公司",
        LLC_PERSONS,
        "周建国",
        2000 * WAN,
        D(2014, 8, 12),
        "江苏省南通市如东县掘港镇江海西路300号",
        "房地产开发经营；物业管理；建筑装饰工程施工。",
        ACTIVE,
        ("周建国", PERSON, 100, 100),
    ),
    _company(
        "91320623MA1HD0011",
        "如东县宏达印染有限公司",
        LLC_PERSONS,
        "周建华",
        800 * WAN,
        D(2004, 2, 19),
        "江苏省南通市如东县掘港镇工业园区纬一路8号",
        "织物印染、后整理加工。",
        DEREGISTERED,
        ("周建华", PERSON, 100, 100),
    ),
    _company(
        "91320682MA1CJ0012",
        "如皋市长江机械制造有限公司",
        LLC_PERSONS,
        "冒长江",
        1500 * WAN,
        D(2007, 10, 9),
        "江苏省南通市如皋市如城街道海阳南路288号",
        "通用机械、液压件制造、销售；金属切削加工。",
        ACTIVE,
        ("冒长江", PERSON, 70, 100),
        ("冒建平", PERSON, 30, 100),
    ),
    _company(
        "91320681MA1DH0013",
        "启东市东海水产食品有限公司",
        LLC,
        "黄东海",
        1200 * WAN,
        D(2005, 6, 30),
        "江苏省南通市启东市吕四港镇渔港路16号",
        "水产品收购、冷冻加工、销售；预包装食品批发。",
        ACTIVE,
        ("黄东海", PERSON, 60, 100),
        ("启东市吕四渔业合作社", ENTERPRISE, 40, 100),
    ),
    _company(
        "91320685MA1HT0014",
        "海安市恒泰化工有限公司",
        LLC_PERSONS,
        "许恒泰",
        3000 * WAN,
        D(2010, 4, 22),
        "江苏省南通市海安市城东镇化工集中区纬二路6号",
        "化工原料（危险化学品除外）生产、销售；塑料助剂制造。",
        REVOKED,
        ("许恒泰", PERSON, 55, 40),
        ("许红梅", PERSON, 45, 40),
    ),
    _company(
        "91320612MA1TW0015",
        "南通通州湾新能源科技有限公司",
        LLC,
        "葛新宇",
        6000 * WAN,
        D(2018, 9, 17),
        "江苏省南通市通州区通州湾示范区三余镇海晏路88号",
        "光伏设备及元器件制造；风力发电技术服务；储能技术研发。",
        ACTIVE,
        ("葛新宇", PERSON, 40, 50),
        ("南通新能产业投资基金（有限合伙）", ENTERPRISE, 60, 50),
    ),
    _company(
        "91320623MA1YK0016",
        "如东县洋口港储运有限公司",
        LLC,
        "缪洋",
        5000 * WAN,
        D(2012, 12, 3),
        "江苏省南通市如东县洋口镇洋口港区港城路1号",
        "码头和其他港口设施经营；货物装卸、仓储（危险品除外）。",
        ACTIVE,
        ("江苏海联船舶重工有限公司", ENTERPRISE, 30, 100),
        ("缪洋", PERSON, 70, 60),
    ),
    _company(
        "91320602MA1XY0017",
        "南通崇川鑫源商贸有限公司",
        LLC_SOLE,
        "朱鑫",
        200 * WAN,
        D(2016, 5, 11),
        "江苏省南通市崇川区南大街66号1201室",
        "日用百货、服装鞋帽、五金交电销售。",
        ACTIVE,
        ("朱鑫", PERSON, 100, 0),
    ),
    _company(
        "91320684MA1DT0018",
        "海门市叠石桥家纺有限公司",
        LLC_PERSONS,
        "施美华",
        1000 * WAN,
        D(2009, 8, 26),
        "江苏省南通市海门市三星镇叠石桥家纺城A区12号",
        "家用纺织品、床上用品设计、生产、销售；网上销售。",
        ACTIVE,
        ("施美华", PERSON, 50, 100),
        ("施建东", PERSON, 50, 100),
    ),
    _company(
        "91320623MA1NY0019",
        "江苏南洋渔业科技有限公司",
        LLC,
        "季南洋",
        2600 * WAN,
        D(2015, 11, 2),
        "江苏省南通市如东县长沙镇海防路28号",
        "水产养殖技术研发；水产苗种繁育；饲料销售。",
        ACTIVE,
        ("季南洋", PERSON, 60, 100),
        ("如东县洋口港储运有限公司", ENTERPRISE, 40, 100),
    ),
    _company(
        "91320602MA1JY0020",
        "南通金鹰电子有限公司",
        LLC_PERSONS,
        "邱金鹰",
        1800 * WAN,
        D(2011, 3, 15),
        "江苏省南通市崇川区崇川路79号科技园7幢",
        "电子元器件、印制电路板制造、销售；电子产品技术开发。",
        ACTIVE,
        ("邱金鹰", PERSON, 75, 100),
        ("邱晓东", PERSON, 25, 100),
    ),
    _company(
        "91320682MA1FH0021",
        "如皋市丰和米业有限公司",
        LLC_PERSONS,
        "丁丰和",
        500 * WAN,
        D(2006, 9, 8),
        "江苏省南通市如皋市白蒲镇蒲西路20号",
        "大米加工、销售；粮食收购。",
        REVOKED,
        ("丁丰和", PERSON, 100, 100),
    ),
    _company(
        "91320681MA1HY0022",
        "启东市宏远建筑工程有限公司",
        LLC,
        "倪宏远",
        8000 * WAN,
        D(2003, 1, 20),
        "江苏省南通市启东市汇龙镇江海中路666号",
        "房屋建筑工程施工总承包；市政公用工程施工；建筑劳务分包。",
        ACTIVE,
        ("倪宏远", PERSON, 51, 100),
        ("倪志强", PERSON, 29, 100),
        ("启东市宏远投资有限公司", ENTERPRISE, 20, 100),
    ),
    _company(
        "91320685MA1LX0023",
        "海安市立新锻压有限公司",
        LLC_PERSONS,
        "吉立新",
        1200 * WAN,
        D(2008, 12, 18),
        "江苏省南通市海安市高新区锻压产业园6号",
        "锻压机床、冲压件制造、销售；机械零部件加工。",
        ACTIVE,
        ("吉立新", PERSON, 80, 100),
        ("吉春燕", PERSON, 20, 100),
    ),
    _company(
        "91320612MA1JC0024",
        "南通通州锦程家具有限公司",
        LLC_PERSONS,
        "瞿锦程",
        600 * WAN,
        D(2013, 7, 5),
        "江苏省南通市通州区平潮镇通扬南路188号",
        "木制家具、办公家具制造、销售；室内装饰设计。",
        ACTIVE,
        ("瞿锦程", PERSON, 100, 60),
    ),
    _company(
        "91320623MA1RT0025",
        "如东县瑞通汽车销售服务有限公司",
        LLC,
        "曹瑞",
        1000 * WAN,
        D(2014, 4, 9),
        "江苏省南通市如东县掘港镇通海大道二段99号",
        "汽车销售；汽车维修；二手车经纪；保险代理。",
        ACTIVE,
        ("曹瑞", PERSON, 55, 100),
        ("南通瑞丰汽车集团有限公司", ENTERPRISE, 45, 100),
    ),
    _company(
        "91320600MA1BH0026",
        "南通滨海园区开发建设有限公司",
        LLC,
        "张滨",
        100000 * WAN,
        D(2012, 2, 27),
        "江苏省南通市通州湾示范区海港大道1号",
        "园区基础设施建设、管理；土地整理；房屋租赁。",
        ACTIVE,
        ("南通市滨海投资集团有限公司", ENTERPRISE, 100, 80),
    ),
    _company(
        "91320684MA1XW0027",
        "海门市正兴钢结构有限公司",
        LLC_PERSONS,
        "郁正兴",
        2000 * WAN,
        D(2010, 10, 12),
        "江苏省南通市海门市临江镇江景路36号",
        "钢结构件制作、安装；金属门窗制造。",
        ACTIVE,
        ("郁正兴", PERSON, 65, 100),
        ("郁红", PERSON, 35, 100),
    ),
    _company(
        "91320602MA1QC0028",
        "南通启程旅行社有限公司",
        LLC_SOLE,
        "范启程",
        30 * WAN,
        D(2017, 3, 1),
        "江苏省南通市崇川区人民中路20号2楼",
        "国内旅游业务；入境旅游业务；票务代理。",
        DEREGISTERED,
        ("范启程", PERSON, 100, 100),
    ),
    _company(
        "91320623MA1XF0029",
        "如东县新丰农业发展有限公司",
        LLC_PERSONS,
        "陈新丰",
        500 * WAN,
        D(2016, 6, 6),
        "江苏省南通市如东县新店镇新丰村七组",
        "蔬菜、瓜果种植、销售；农业技术推广服务。",
        ACTIVE,
        ("陈新丰", PERSON, 90, 20),
        ("陈秀兰", PERSON, 10, 20),
    ),
    _company(
        "91320682MA1YL0030",
        "如皋市永隆纺织机械有限公司",
        LLC,
        "冒永隆",
        2500 * WAN,
        D(2005, 5, 18),
        "江苏省南通市如皋市经济开发区永隆路1号",
        "纺织机械及配件制造、销售；金属热处理。",
        ACTIVE,
        ("冒永隆", PERSON, 60, 100),
        ("如皋市长江机械制造有限公司", ENTERPRISE, 40, 100),
    ),
    _company(
        "91320681MA1HB0031",
        "启东市海滨船舶修造有限公司",
        LLC,
        "施海滨",
        4000 * WAN,
        D(2008, 3, 3),
        "江苏省南通市启东市寅阳镇船舶工业园8号",
        "船舶修理、改装；船舶配件销售。",
        REVOKED,
        ("施海滨", PERSON, 70, 50),
        ("江苏海联船舶重工有限公司", ENTERPRISE, 30, 100),
    ),
    _company(
        "91320600MA1TK0032",
        "江苏通科智能装备股份有限公司",
        JOINT_STOCK,
        "王通科",
        12000 * WAN,
        D(2016, 12, 20),
        "江苏省南通市崇川区新胜路8号",
        "智能装备、工业机器人研发、制造、销售；软件开发；技术转让。",
        ACTIVE,
        ("王通科", PERSON, 38, 100),
        ("南通通科企业管理中心（有限合伙）", ENTERPRISE, 22, 100),
        ("南通市创新投资有限公司", ENTERPRISE, 25, 100),
        ("李红", PERSON, 15, 100),
    ),
    _company(
        "91320612MA1HL0033",
        "南通通州顺隆物流有限公司",
        LLC_PERSONS,
        "保顺隆",
        300 * WAN,
        D(2015, 9, 9),
        "江苏省南通市通州区金沙街道金霞路58号",
        "普通货运；仓储服务；货物配送。",
        ACTIVE,
        ("保顺隆", PERSON, 100, 100),
    ),
    _company(
        "91320685MA1JY0034",
        "海安市锦业服装有限公司",
        LLC_PERSONS,
        "韩锦业",
        400 * WAN,
        D(2012, 1, 16),
        "江苏省南通市海安市城南工业园区锦业路2号",
        "服装、服饰制造、销售；针纺织品销售。",
        ACTIVE,
        ("韩锦业", PERSON, 60, 100),
        ("韩晓梅", PERSON, 40, 100),
    ),
)
