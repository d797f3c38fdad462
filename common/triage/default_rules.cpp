// The shipped default rules: a verbatim copy of packaging/triage-rules.toml. Edit that file, then
// paste it here between the R"rules( and )rules" lines; triage_rules_file_test fails while the two
// differ. Nothing is generated at build time on purpose: the binary must not depend on the tree.
#include "common/triage/default_rules.hpp"

namespace intake::triage {

namespace {

constexpr std::string_view text =
    R"rules(# Triage rules for intake-edge (zh-CN): what must go to 110/119/120/122 at once, which matters
# belong to a statutory route, and a category hint. The rule language: docs/TRIAGE.md.
#
# Terms are matched on the script-folded text: simplified script, lower case, every space and
# punctuation mark removed ("楼道着火了，有人被困！" is matched as "楼道着火了有人被困"), so write
# them the same way; a term that folding would change is a startup error. Distances (within,
# before, after, window) count characters.
#
# Rules are tried in file order: the first emergency rule that fires sets the referral, the first
# route rule the statutory route; the category rule with most distinct clues gives the hint.
#
# The collector carries a copy of this file as its built-in default
# (common/triage/default_rules.cpp); a unit test fails while the two differ.

version = 1

# The category taxonomy: the seven top-level classes of the citizen-message corpus.
categories = ["城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生"]

# A negator at most `window` characters before a term cancels that occurrence ("没有人被困",
# "未发现明火"). Exceptions contain a negator but do not negate ("没想到", "未成年").
[negation]
window = 3
negators = [
  "没有", "没", "无", "未", "不是", "并非", "不存在", "并未", "从未", "不会", "未造成", "没有造成",
  "没造成", "未发现", "没有发现", "没发现", "排除", "没有发生", "没发生", "未发生",
]
exceptions = [
  "没想到", "没多久", "没过多久", "没一会", "没几分钟", "没办法", "没人管", "没人理", "没人问",
  "有没有", "是不是", "不是说", "无法", "无论", "无奈", "无数", "无意", "无缘无故", "无证", "无照",
  "无牌", "无人机", "无人管", "无人问津", "毫无", "未来", "未成年", "未知", "未满", "不会游泳",
  "会不会",
]

# ---------------------------------------------------------------------------------------------
# Exclusion groups. By default a group applies to every emergency rule; a rule opts out with
# ignore = ["name"].

# An event of the past is a complaint about its aftermath, not an emergency now. A word of the
# present between the marker and the match lifts the exclusion ("去年着过火，现在又着火了").
[exclusion.past]
mode = "window"
before = 10
terms = [
  "上个月", "上月", "上周", "上星期", "上礼拜", "去年", "前年", "前几年", "几年前", "几个月前",
  "多年前", "年前", "之前", "以前", "曾经", "当时", "那时", "那次", "上次", "前段时间", "前些日子",
  "前阵子", "早些时候", "发生过", "曾发生", "有过", "遭到", "遭受", "遭人", "新闻", "报道", "诊断",
  "鉴定", "救治", "送医", "送往医院", "送到医院", "住院", "入院", "抢救", "那天", "当天", "事发",
  "日上午", "日下午", "日晚上", "日凌晨", "日早上", "日中午", "号上午", "号下午", "号晚上", "号凌晨",
  "号早上", "号中午", "点左右",
]
reset = ["现在", "刚才", "刚刚", "此刻", "目前", "正在", "今天", "今晚", "今早", "这会", "又"]

# What follows a match and says it is over: repairs, claims, a fire already out, a case unsolved.
[exclusion.aftermath]
mode = "window"
after = 8
terms = [
  "后的维修", "后的修缮", "后的重建", "后的清理", "后的理赔", "后的赔偿", "后续处理", "善后",
  "已经扑灭", "已扑灭", "被扑灭", "已经灭了", "扑灭了", "已经处理", "已处理", "已经解决", "已解决",
  "处理完", "已经出院", "已出院", "出院了", "已经康复", "康复了", "理赔", "赔偿", "责任认定",
  "认定书", "定损", "保险公司", "维修费", "破案", "未破", "没破", "事件", "身故", "去世",
  "后遗症", "留下", "送医", "送往", "救治", "入院", "住院", "分左右", "不久",
]

# Something that happens again and again is a complaint about a place, not a call for help now.
[exclusion.habitual]
mode = "window"
before = 8
terms = [
  "经常", "常常", "总是", "老是", "时常", "有时", "屡次", "多次", "频繁", "每次", "每年", "每到",
  "每天", "天天", "整天", "一天到晚", "24小时", "动不动", "隔三差五", "三天两头", "常有", "时有",
  "多发", "几次", "两次", "三次", "数次", "多起", "几起", "好几起", "好几个", "接二连三", "此起彼伏",
  "平均",
]
reset = ["现在", "刚才", "刚刚", "此刻", "正在", "今天", "又"]

# Hypotheticals, prevention, near misses and drills: "万一着火", "预防火灾", "差点撞到", "消防演习".
[exclusion.hypothetical]
mode = "window"
before = 12
terms = [
  "万一", "如果", "假如", "假设", "倘若", "一旦", "防止", "预防", "以防", "防范", "避免", "杜绝",
  "谨防", "担心会", "担心发生", "担心出现", "担心引起", "担心有一天", "害怕会", "生怕", "就怕",
  "容易", "可能会", "随时可能", "随时会", "会不会", "极易", "差点", "差一点", "险些", "消防检查",
  "消防演习", "消防演练", "演习", "演练", "安全检查", "安全教育", "宣传", "培训", "讲座", "模拟",
  "防溺水", "防走失", "防拐", "建议加装", "建议安装", "建议增设", "建议设置", "一但", "要等",
  "等到", "非得等", "非要等", "说不定", "随时", "迟早", "早晚会", "不知什么时候", "必将", "将会",
  "一不小心", "就会", "减少", "企图", "试图", "提心吊胆",
]
reset = ["现在", "刚才", "刚刚", "此刻", "正在"]

# Right after a match: a risk, advice or knowledge, not an event ("火灾隐患", "着火时如何逃生").
[exclusion.risk]
mode = "window"
after = 8
terms = [
  "隐患", "风险", "的危险", "的可能", "可能性", "苗头", "时如何", "时怎么", "时应该", "时该",
  "的时候怎么", "的时候如何", "的时候应该", "如何逃生", "怎么逃生", "怎样逃生", "逃生知识",
  "自救知识", "知识", "常识", "预案", "误报", "演练", "演习", "不堪设想", "后果", "将会", "会造成",
  "猛于虎", "频发", "时有发生", "经常发生", "司空见惯", "现象", "发生时",
]

# Questions about procedure ask how to do something; nothing is happening now.
[exclusion.procedure]
mode = "window"
before = 20
after = 20
terms = [
  "如何办理", "怎么办理", "怎样办理", "在哪办理", "在哪里办理", "去哪办理", "去哪里办", "办理流程",
  "办理手续", "办事流程", "申请流程", "流程是什么", "什么流程", "需要什么材料", "需要哪些材料",
  "需要什么手续", "需要哪些手续", "怎么申请", "如何申请", "怎么报销", "如何报销", "能报销吗",
  "可以报销吗", "怎么理赔", "如何理赔",
]
near = [
  { a = ["请问", "咨询", "想问", "问一下"], b = ["流程", "手续", "材料", "办理", "申请", "报销", "理赔", "认定", "政策", "补贴", "标准", "证明", "报名"], within = 20 },
]

# Figurative use: a phrase that contains a term hides that occurrence ("生意火爆", "被困扰",
# "道德绑架", "跳楼价", "吵死人").
[exclusion.figurative]
mode = "mask"
terms = [
  "火爆", "火热", "红火", "恼火", "上火", "发火", "发大火", "火气", "窝火", "火冒三丈", "火力",
  "心急如焚", "着急上火", "火急火燎", "火烧眉毛", "火烧云", "火锅", "火车", "火箭", "炒鱿鱼",
  "急得冒烟", "嗓子冒烟", "热得冒烟", "渴得冒烟", "气得冒烟", "头顶冒烟", "脑袋冒烟", "被困扰",
  "困扰", "被困难", "困难", "被困惑", "困惑", "困境", "贫困", "犯困", "道德绑架", "舆论绑架",
  "绑架民意", "跳楼价", "跳楼式", "跳楼甩卖", "跳楼大甩卖", "吓死人", "气死人", "热死人", "吵死人",
  "臭死人", "累死人", "烦死人", "急死人", "坑死人", "冷死人", "杀人不见血", "杀人诛心", "气得吐血",
  "吐血推荐", "亏到吐血", "亏得吐血", "令人窒息", "窒息的操作", "窒息操作", "压得喘不过气",
  "压得我喘不过气", "压得人喘不过气", "压得我们喘不过气", "压得全家喘不过气", "信息爆炸",
  "爆炸性", "人气爆炸", "头都要爆炸", "头都快爆炸", "头要爆炸", "脑袋都要爆炸", "脑袋要爆炸",
  "爆炸头", "直播翻车", "打架子鼓", "落水管", "落水口", "落水狗", "商家大出血", "大出血促销",
  "大出血甩卖", "中毒太深", "中毒很深", "嘴角抽搐", "中风险", "大爆炸", "爆炸场", "着火车",
  "着火锅", "着火腿", "着火箭", "着火柴", "强奸式", "强奸民意", "性侵占", "家暴征", "家暴拆",
  "玩失踪", "跳楼机", "没有意识到", "没意识到", "有意识",
]

# Comparisons: "简直是抢劫", "跟抢劫一样", "像着火一样热".
[exclusion.comparison]
mode = "window"
before = 6
terms = [
  "简直", "无异于", "堪比", "好比", "如同", "犹如", "相当于", "等同于", "等于是", "不就是", "就像",
  "仿佛", "宛如", "像一个", "像个", "是不是在",
]

[exclusion.likeness]
mode = "window"
after = 3
terms = ["一样", "似的", "没区别", "没两样", "有什么区别", "有何区别", "没什么区别", "有什么两样"]

# ---------------------------------------------------------------------------------------------
# 119: fire, smoke, gas, explosions, people trapped, water rescue. Fire first: a fire with
# someone hurt is still the fire brigade's call.

[[rule]]
name = "fire"
referral = "119"
any = [
  "着火", "起火", "失火", "火灾", "大火", "火势", "火光", "烧起来", "烧着了", "燃起来", "火烧",
  "爆炸", "爆燃", "电线冒火", "冒火花", "冒火苗", "窜出火", "短路起火",
]
near = [
  { a = ["火"], b = ["很大", "越来越大", "越烧越", "烧到", "蔓延", "扑不灭", "灭不了", "灭不掉"], within = 2 },
]

# Equipment and the rules about it are not a fire.
[[rule.exclude]]
mode = "mask"
terms = ["火灾报警", "火灾自动报警", "火灾探测", "大火收汁"]

[[rule]]
name = "smoke"
referral = "119"
any = ["冒烟", "冒黑烟", "浓烟", "黑烟滚滚", "浓烟滚滚", "烟很大", "全是烟", "都是烟", "烧焦味"]

# Chimneys, exhausts and barbecues smoke every day: a pollution complaint, not a fire.
[[rule.exclude]]
mode = "window"
before = 6
after = 6
terms = [
  "烟囱", "排放", "尾气", "排气管", "烧烤", "油烟", "抽烟", "吸烟", "香烟", "锅炉", "工厂", "秸秆",
  "焚烧", "烧垃圾", "污染", "柴油", "发电机", "烟窗", "搅拌站", "搅拌厂", "砖厂", "化工",
]

[[rule]]
name = "gas_leak"
referral = "119"
any = [
  "煤气泄漏", "燃气泄漏", "天然气泄漏", "液化气泄漏", "煤气泄露", "燃气泄露", "天然气泄露",
  "漏煤气", "漏燃气", "漏天然气", "煤气罐漏",
]
near = [
  { a = ["煤气", "燃气", "天然气", "液化气", "瓦斯"], b = ["泄漏", "泄露", "漏气", "漏了", "在漏", "味道很大", "味很大", "味很重", "味道很重", "很大的味", "很浓", "刺鼻"], within = 4 },
]

[[rule]]
name = "trapped"
referral = "119"
any = ["被困", "困在电梯", "电梯困人", "关在电梯", "卡在电梯", "困在里面", "困在屋里"]
near = [
  { a = ["电梯"], b = ["困", "关在", "卡住", "卡在", "出不来", "停在半空"], within = 4 },
]

[[rule]]
name = "water_rescue"
referral = "119"
any = [
  "溺水", "落水", "掉进河", "掉河里", "掉进水", "掉水里", "掉进湖", "掉湖里", "掉进井", "掉井里",
  "掉进窨井", "掉进下水道", "被水冲走",
]

# ---------------------------------------------------------------------------------------------
# 110: violence, robbery and theft, missing people, threats to life.

[[rule]]
name = "violence"
referral = "110"
any = [
  "持刀", "拿刀", "拿着刀", "砍人", "捅人", "捅伤", "砍伤", "行凶", "杀人", "打人", "殴打", "被打",
  "打架", "打起来了", "斗殴", "群殴", "互殴", "围殴", "家暴", "家庭暴力", "强奸", "性侵", "猥亵",
  "劫持", "持枪", "开枪", "枪声", "砸店", "打砸", "扬言要杀", "要杀了", "威胁要杀", "追着砍",
]

# "被打" is also the start of many harmless phrases.
[[rule.exclude]]
mode = "mask"
terms = [
  "被打扰", "被打电话", "被打断", "被打乱", "被打开", "被打上", "被打折", "被打回", "被打入",
  "被打卡", "被打包", "被打击", "被打压", "被打发", "被打了下来",
]

# Letters about violence are mostly accounts of what happened and what the police did since.
[[rule.exclude]]
mode = "window"
after = 8
terms = [
  "至今", "当时", "那次", "事后", "不了了之", "未被", "逍遥法外", "指控", "追究", "伤情", "轻微伤",
  "鉴定", "诊断",
]

# Yesterday's fight is a report for the police station, not a call for a patrol car now.
[[rule.exclude]]
mode = "window"
before = 10
terms = ["昨天", "昨晚", "前天", "前几天"]

[[rule]]
name = "robbery_theft"
referral = "110"
any = [
  "抢劫", "抢包", "抢手机", "飞车抢", "入室盗窃", "入室抢", "撬门", "撬锁", "正在偷", "在偷东西",
  "偷东西", "抓小偷", "扒手", "被偷", "被盗", "盗窃", "偷车", "偷电动车",
]

[[rule.exclude]]
mode = "mask"
terms = ["号被盗", "账号被盗", "信息被盗", "被盗用"]

[[rule.exclude]]
mode = "window"
before = 10
terms = ["昨天", "昨晚", "前天", "前几天"]

[[rule]]
name = "missing_person"
referral = "110"
any = [
  "走失", "走丢", "拐走", "拐卖", "被拐", "被绑架了", "绑架了", "绑走", "孩子不见了", "小孩不见了", "孩子找不到了",
  "小孩找不到了", "老人找不到了", "老人不见了", "找不到孩子", "找不到小孩", "放学没回家",
  "放学后没回家", "孩子没回家", "小孩没回家", "老人没回家",
]
# A debtor or a boss who "失踪" is not a missing person.
near = [
  { a = ["失踪"], b = ["孩子", "小孩", "老人", "女儿", "儿子", "学生", "家人", "母亲", "父亲", "妻子", "老婆", "丈夫", "妈妈", "爸爸"], within = 6 },
]

[[rule]]
name = "self_harm"
referral = "110"
any = [
  "跳楼", "要跳河", "跳河", "跳江", "要自杀", "想自杀", "自杀", "轻生", "割腕", "寻死", "站在楼顶",
  "站在天台",
]

# ---------------------------------------------------------------------------------------------
# 122: a traffic accident with injury or blockage. A scrape alone is not; it needs someone hurt
# or the road blocked close by.

[[rule]]
name = "traffic_accident"
referral = "122"
any = [
  "车祸", "出车祸", "被车撞", "被汽车撞", "被货车撞", "被撞倒", "撞倒了", "撞伤", "撞人", "撞死",
  "轧到人", "碾到人", "压到人", "肇事逃逸", "撞人逃逸", "撞了人", "连环追尾", "连环相撞", "多车相撞",
  "车翻了", "侧翻", "翻到沟里", "撞上护栏", "撞到护栏", "撞上电线杆", "撞到电线杆",
  "撞到树", "撞上树",
]
near = [
  { a = ["追尾", "相撞", "撞车", "剐蹭", "刮蹭", "交通事故", "撞上了", "撞了"], b = ["受伤", "流血", "伤者", "伤员", "倒地", "躺在地上", "昏迷", "卡在车里", "困在车里", "堵死", "堵住", "堵了", "堵车", "拥堵", "动不了", "占道", "横在路", "过不去", "走不了"], within = 10 },
]

[[rule.exclude]]
mode = "mask"
terms = ["撞人家"]

# ---------------------------------------------------------------------------------------------
# 120: unconscious, bleeding, poisoned, cannot breathe, heart, stroke, birth.

[[rule]]
name = "medical"
referral = "120"
any = [
  "昏迷", "晕倒", "晕过去", "昏过去", "昏倒", "不省人事", "失去意识", "没有意识", "没意识", "叫不醒",
  "叫了没反应", "叫他没反应", "叫她没反应", "喊了没反应", "拍了没反应", "休克", "抽搐", "口吐白沫",
  "呼吸困难", "喘不过气", "无法呼吸", "没有呼吸", "没呼吸", "没气了", "心脏骤停", "心跳停", "心梗",
  "心脏病发作", "中风", "脑溢血", "大出血", "血流不止", "流血不止", "流了很多血", "流了好多血",
  "满身是血", "浑身是血", "一直流血", "一直在流血", "吐血", "中毒", "喝了农药", "喝农药",
  "吃了老鼠药", "误服", "误吞", "卡住喉咙", "噎住", "触电", "倒地不起", "摔倒了起不来", "骨折",
  "重伤", "伤得很重", "伤势严重", "难产", "羊水破了", "要生了", "大面积烧伤", "严重烫伤",
]

# Hyperbole about fumes, noise and worry: "臭得快晕过去了", "让人呼吸困难".
[[rule.exclude]]
mode = "window"
before = 2
terms = ["让人", "令人", "让我", "熏得", "呛得", "臭得", "吵得", "热得", "气得", "快要", "快", "都要"]

# Pressure, dust and stench "take the breath away" in many complaints.
[[rule.exclude]]
mode = "window"
before = 8
terms = [
  "压力", "负担", "房贷", "债务", "工作量", "学业", "粉尘", "灰尘", "臭气", "臭味", "异味", "熏天",
  "污染", "烟尘", "油烟", "废气",
]

[[rule.exclude]]
mode = "mask"
terms = ["严重伤害", "重伤害"]

# ---------------------------------------------------------------------------------------------
# Statutory routes: matters the law sends to a court, an arbitration committee, the discipline
# inspection commission, administrative review, information disclosure or the petition office.
# Negation is off by default for these: a citizen who has not yet sued still has a court matter.

[[rule]]
name = "litigation"
route = "litigation"
any = [
  "起诉", "诉讼", "打官司", "上诉", "法院判决", "判决书", "裁定书", "法院立案", "申请强制执行",
  "申请执行", "判决生效", "拒不执行判决", "法院执行", "民事纠纷", "律师函",
]

[[rule]]
name = "arbitration"
route = "arbitration"
any = ["仲裁", "劳动争议", "劳动纠纷", "人事争议", "违法解除劳动合同", "经济补偿金", "二倍工资", "双倍工资"]
near = [
  { a = ["辞退", "开除", "解雇", "解除劳动合同", "炒鱿鱼"], b = ["赔偿", "补偿", "赔钱"], within = 10 },
]

[[rule]]
name = "discipline"
route = "discipline"
any = [
  "贪污", "受贿", "索贿", "行贿", "腐败", "纪委", "纪检", "监委", "监察委", "违纪", "公款吃喝",
  "公款旅游", "公车私用", "吃拿卡要", "以权谋私", "滥用职权", "渎职", "挪用公款", "权钱交易",
  "保护伞", "收受红包", "收受礼金",
]

# Food rots too.
[[rule.exclude]]
mode = "mask"
terms = ["腐败变质", "食物腐败", "腐败发臭", "腐败的食物", "腐败的肉"]

[[rule]]
name = "administrative_review"
route = "administrative_review"
any = ["行政复议", "复议"]
near = [
  { a = ["不服", "不认可", "有异议"], b = ["处罚决定", "行政处罚", "处罚", "罚款决定", "罚单", "认定结论", "决定书", "行政决定", "罚款"], within = 8 },
]

[[rule.exclude]]
mode = "mask"
terms = ["不服务", "不服从"]

[[rule]]
name = "information_disclosure"
route = "information_disclosure"
any = ["信息公开", "依申请公开", "申请公开", "要求公开", "公开申请"]
near = [
  { a = ["公开"], b = ["文件", "批文", "批复", "审批", "预算", "决算", "账目", "补偿标准", "征收方案", "规划图", "环评报告", "会议纪要"], within = 6 },
]

[[rule.exclude]]
mode = "mask"
terms = [
  "公开道歉", "公开赔礼道歉", "要求公开道歉", "公开招聘", "公开招标", "公开课", "公开场合",
  "公开透明", "信息公开透明", "公开审批", "公开处理",
]

[[rule]]
name = "petition"
route = "petition"
any = ["信访", "上访", "越级上访", "集体上访", "来信来访", "复查复核"]

# ---------------------------------------------------------------------------------------------
# Category hints: the rule with most distinct clues wins; on a tie, the one earlier here.

[[rule]]
name = "category_urban_rural"
category = "城乡建设"
any = [
  "小区", "物业", "业主", "开发商", "楼盘", "房产证", "不动产", "商品房", "公租房", "廉租房",
  "保障房", "安置房", "拆迁", "违建", "违章建筑", "施工", "工地", "烂尾", "路灯", "井盖", "下水道",
  "自来水", "停水", "供水", "停电", "供暖", "暖气", "电梯", "城管", "占道", "摆摊", "垃圾", "环卫",
  "绿化", "公厕", "公园", "住建", "规划", "地铁", "燃气", "天然气", "房屋", "楼道", "漏水",
]

[[rule]]
name = "category_environment"
category = "环境保护"
any = [
  "污染", "噪音", "噪声", "扰民", "排污", "偷排", "污水", "废水", "废气", "粉尘", "扬尘", "异味",
  "恶臭", "臭味", "环保", "环评", "生态", "烟囱", "化工厂", "砖厂", "养殖场", "辐射", "油烟", "排放",
  "黑烟", "垃圾焚烧",
]

[[rule]]
name = "category_transport"
category = "交通运输"
any = [
  "出租车", "的士", "网约车", "滴滴", "客运", "货运", "班车", "长途车", "快递", "邮政", "邮局",
  "高速公路", "收费站", "运管", "交通局", "公路", "超载", "高铁", "火车站", "公交",
]

[[rule]]
name = "category_education"
category = "教育文体"
any = [
  "学校", "学生", "老师", "教师", "幼儿园", "小学", "中学", "初中", "高中", "大学", "招生", "学位",
  "入学", "升学", "补课", "校外培训", "学费", "教育", "考试", "中考", "高考", "班主任", "体育",
  "图书馆", "文化", "文物", "代课",
]

[[rule]]
name = "category_labour"
category = "劳动和社会保障"
any = [
  "社保", "养老保险", "医保", "医疗保险", "失业", "工伤", "工资", "欠薪", "劳动合同", "退休",
  "养老金", "就业", "社保卡", "新农合", "加班", "五险一金", "人社", "农民工", "辞退", "缴费年限",
  "待遇", "公积金", "职业培训",
]

[[rule]]
name = "category_commerce"
category = "商贸旅游"
any = [
  "景区", "旅游", "导游", "游客", "旅行社", "商场", "超市", "商家", "消费者", "退款", "假货",
  "欺诈", "虚假宣传", "市场监管", "电商", "网购", "酒店", "宾馆", "预付卡", "会员卡", "健身房",
  "美容院", "涨价", "售后", "商铺", "贸易",
]

[[rule]]
name = "category_health"
category = "卫生计生"
any = [
  "医院", "医生", "看病", "诊所", "药店", "药品", "疫苗", "卫生院", "计生", "计划生育", "独生子女",
  "二孩", "生育", "护士", "食品安全", "卫健委", "卫生局", "核酸", "乡村医生", "超生", "结扎",
  "公共卫生", "传染病",
]
)rules";

}  // namespace

std::string_view default_rules_toml() {
  return text;
}

}  // namespace intake::triage
