"""What the parts of a Chinese news page look like: bylines, captions, notes, punctuation.

Patterns describe kinds of text, not the strings of any one page: agency datelines
(本报讯, 新华社…电, 中新网…电), reporter credits (记者/通讯员 X 报道/整理/摄),
photo credits (X 摄, 新华社发, （资料片）, （图片来源：…）) and editor's notes (以上摘自…).
"""

from __future__ import annotations

import re

from ..zh import HAN


def squeeze(text: str) -> str:
    """The text without any whitespace: datelines are matched so, since print spacing and line
    breaks fall anywhere inside them (记者李娟 军 见习记者…)."""
    return "".join(text.split())


# A Chinese personal name (lazy: stops before 报道/摄/整理; never the start of a role or verb).
_NAME = rf"(?!通讯|通訊|记者|記者|报道|報導|整理)[{HAN}·•]{{2,4}}?"
_NAMES = rf"{_NAME}(?:(?:[^\S\n]|[、，,])+{_NAME})*?"
_SP = r"[ \t　]*"
#: Who wrote it, in simplified and traditional characters.
_PAPER = r"(?:本报|本報|新华社|新華社|人民日报|人民日報)"
_TRAINEE = r"(?:特约|特約|见习|見習|实习|實習)"
_REPORTER = r"(?:记者|記者|通讯员|通訊員|实习生|實習生)"
_VERB = r"(?:报道|報導|报导|整理|采写|採寫|撰文|综合|綜合|编译|編譯)"
# A name ends at a space, a bracket, the end, or where the next credit or the verb begins (so
# bylines match with their spaces removed: 记者李娟军见习记者冯静琳通讯员郭玉敏报道).
_END = rf"(?=[^\S\n]|[）)]|$|{_PAPER}?{_TRAINEE}?{_REPORTER}|{_VERB})"

#: Other agencies and papers; their datelines must carry a date (X日报北京1月5日电) to count.
_AGENCY = rf"(?:澎湃新闻|[{HAN}]{{1,5}}(?:社|网|报))"

_NUM = r"[\d０-９一二三四五六七八九十〇]"
_DATE = rf"(?:{_NUM}{{1,3}}月)?{_NUM}{{1,3}}日"
_DIAN = r"[电電]"
_COLON = r"[：:]"

#: A dateline/byline that opens the first paragraph of an article: 本报讯（记者 X）,
#: 新华社北京1月5日电（记者 X Y）, 【新华社重庆十四日电】, 中新社北京三月三日電,
#: 新京报讯, 央视网消息（新闻联播）：, 记者X 见习记者Y 通讯员Z报道：, 本报墨西哥城1月28日电记者X报道:,
#: 【記者X／臺南報導】, （中央社記者X臺北5日電）
LEAD_BYLINE = re.compile(
    rf"^(?:据)?(?:"
    rf"【[^】\n]{{2,24}}{_DIAN}】"
    rf"|(?:本报|新华社|中新社|中新网|中新網|人民网|央视网|新华网)[{HAN}]{{0,10}}?{_DATE}?{_DIAN}"
    rf"|{_AGENCY}[{HAN}]{{0,8}}?{_DATE}{_DIAN}"
    # 新京报讯, 羊城晚报讯（…）: not the 讯 of 通讯员
    rf"|(?!{_PAPER}?{_TRAINEE}?{_REPORTER})[{HAN}]{{2,8}}?(?:[讯訊](?![员員])|消息)"
    rf"(?={_SP}[（(]|{_SP}(?:本报)?(?:特约|见习|实习)?(?:记者|通讯员)|[ 　]*[{HAN}“])"
    rf"|(?=(?:本报)?(?:特约|见习|实习)?记者{_SP}{_NAME}[^。，,\n]{{0,30}}?报道{_COLON})"
    rf"|【[^】\n]{{0,12}}[记記]者[^】\n]{{2,20}}[报報][导導]】"
    rf"|[（(](?:中央社|中新社|新华社|新華社|本报|本報)?[记記]者[^）)\n]{{2,24}}[电電][）)]"
    rf")"
    rf"(?:{_SP}[（(][^）)\n]{{1,40}}[）)])?"
    rf"(?:{_SP}(?:本报|本報)?{_TRAINEE}?{_REPORTER}{_SP}{_NAMES}(?:{_SP}(?:报道|報導|采写|电|電)|{_END}))*"
    rf"(?:{_SP}{_COLON})?"
)


#: A byline on a line of its own (often at the end: 本报记者 侯国政 整理).
STANDALONE_BYLINE = re.compile(
    rf"^(?!.*[摄攝][）)]?$)(?:[（(])?{_PAPER}?{_TRAINEE}?{_REPORTER}{_SP}{_NAMES}"
    rf"(?:(?:{_SP}|{_SP}、{_SP}){_TRAINEE}?{_REPORTER}{_SP}{_NAMES})*"
    rf"(?:{_SP}{_VERB})?(?:[）)])?$"
    rf"|^(?:文|图|文/图|文／图)[/／:：]{_SP}{_NAMES}$"
    # "（何欣 整理）", "王芳 李强 报道": names then the verb, apart from it (so 资料整理 is no byline)
    rf"|^[（(]{_SP}{_NAMES}{_SP}{_VERB}[）)]$"
    rf"|^{_NAMES}[ \t　]+{_VERB}$"
    # the issuing office of a press release: （新聞及國際關係處發布）
    rf"|^[（(][{HAN}及、]{{2,16}}(?:發布|发布)[）)]$"
    # the speaker under a report or speech, (government then) office then name: 北京市市长 殷勇,
    # 省人民政府省长 王清宪, 省长　王予波 (not 会议上⏎省长 …: the line above joined to it)
    rf"|^(?:[{HAN}]{{0,8}}?(?:省|市|区|區|县|縣|州|旗|人民政府|国务院|國務院))?"
    rf"(?:省长|市长|主席|总理|部长|书记|主任|省長|市長|總理|部長|書記)[ \t　]+{_NAMES}$"
)

#: Who took a photo: "刘振邦", "本报记者 刘宇", "新华社记者 李博 王芳".
_CREDIT = rf"(?:(?:本报|新华社|人民日报|中新社)?(?:特约|首席)?(?:摄影)?(?:记者|通讯员|記者){_SP})?{_NAMES}"

#: A line that is only a photo credit (printed under the caption's description).
CREDIT_ONLY = re.compile(rf"^{_CREDIT}{_SP}[摄攝](?:影)?$|^(?:新华社|中新社)(?:记者{_SP}{_NAMES}{_SP})?(?:发|摄|發|攝)$")

#: Photo captions: a description ending with a photo credit, or opened by 图为/图：.
CAPTION = re.compile(
    rf"(?:[（(](?:资料片|资料图|资料图片|供图|图片来源[:：][^）)]*)[）)]"
    rf"|(?:(?<=[。！？）)”])|[\s　]){_SP}{_CREDIT}{_SP}[摄攝](?:影)?[。]?"
    rf"|(?:新华社|中新社)(?:记者{_SP}{_NAMES}{_SP})?(?:发|摄|發|攝)(?:{_SP}{_NAMES}{_SP}[摄攝])?(?:[（(][^）)]*[）)])?"
    rf"|图[/／][^\n]{{2,30}}"
    rf"|[（(](?:{_CREDIT}{_SP}[摄攝]|新华社发|新華社發)[）)])$"
    rf"|^(?:图为|图：|图:|上图|下图|左图|右图|▲|△)"
)

#: How reports number their sections: 一、  （二）  3.  第四，
ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、．.](?!\d)|第[一二三四五六七八九十]{1,3}[，、：:])"
)

#: Editor's notes: where a text comes from, or who edited it.
NOTE = re.compile(
    r"^(?:以上|本文|上文|此文)(?:内容)?(?:摘自|选自|节选自|来源于|摘自|選自|節選自|來源於)"
    r"|^[（(]?(?:编者按|編者按|编后|編後|来源[:：]|來源[:：]|责任编辑|責任編輯)"
)

