"""Traditional characters read as simplified, and the debris of conversion tools removed.

Plans reach us from the 繁体版 of a government site, from Hong Kong or Taiwan reposts and from
Big5 files; the extractor's words (``达到``, ``不超过``, ``以上``, the registry's indicator names)
are simplified. :func:`simplify` makes such a text readable by them.

Why a table of our own rather than a converter package
-------------------------------------------------------
- **One character for one character.** Traditional to simplified is many-to-one for the
  characters a plan uses (``發``/``髮`` → ``发``, ``後`` → ``后``); :data:`TABLE` holds only such
  characters, so :func:`simplify` is a :meth:`str.translate`: no phrase rules, no dictionary to
  load, lengths and positions kept, the same bytes out on every machine.
- **Safe on simplified text.** A character that a simplified text may legitimately hold
  (``著`` of 显著, ``乾`` of 乾坤, ``瞭`` of 瞭望, ``徵``, ``藉``) is left out, so the table is
  applied to every text without first guessing its script. The one exception is ``於`` (→ ``于``):
  ``不低於`` is how a traditional plan writes ``不低于``, and in a simplified plan ``於`` could only
  be a surname.
- **Checked against what the extractor reads.** The table covers every character of the five
  seed plans, of the indicator registry (names and aliases), of the extractor's own patterns and
  of the prose test corpus that has a traditional form. ``tests/test_traditional.py`` derives
  those sets and fails when a new indicator name or pattern brings a character Big5 cannot
  encode (a simplified-only form) that the table lacks; the characters Big5 holds in both forms
  (``体``/``體``, ``确``/``確``) were listed by comparing with MediaWiki's conversion table (the
  ``zhconv`` package) when the table was written, and every pair agrees with it. A general
  converter would add a pinned dependency for characters no rule reads.

Conversion debris: a tool that annotates characters with their pinyin leaves ``區(qū)``; the
annotation (a parenthesised syllable with a tone mark or a tone digit, right after a Chinese
character) is removed before the characters are mapped.
"""

from __future__ import annotations

import re

# Pairs "traditional simplified", grouped loosely by where they occur (headings and cue words
# first, then the plans' vocabulary); whitespace separates the pairs.
_PAIRS = """
婦妇 與与 發发 髮发 規规 劃划 標标 準准 務务 實实 現现 達达 過过 於于 萬万 歲岁 項项 點点
為为 爲为 經经 濟济 參参 決决 會会 衛卫 衞卫 護护 環环 設设 綫线 線线 區区 縣县 鄉乡 鎮镇
級级 黨党 幹干 領领 導导 員员 組组 織织 農农 業业 學学 產产 醫医 預预 測测 監监 統统 計计 篩筛 壽寿
齡龄 頸颈 宮宫 險险 權权 職职 養养 質质 專专 義义 習习 書书 從从 關关 傳传 傷伤 興兴 創创 別别 動动
勞劳 協协 單单 廁厕 處处 備备 妝妆 嬰婴 寬宽 層层 屬属 鞏巩 帶带 幫帮 幗帼 應应 開开 錄录 總总 戰战
執执 報报 擔担 數数 無无 時时 曉晓 術术 來来 檢检 殘残 煉炼 療疗 蓋盖 礙碍 類类 糾纠 綱纲 納纳 紛纷
結结 絡络 維维 綜综 營营 慮虑 見见 視视 訓训 議议 記记 訪访 識识 診诊 課课 調调 負负 責责 貧贫 踐践
轉转 較较 輔辅 鍛锻 門门 間间 隊队 階阶 難难 飲饮 個个 爭争 內内 寫写 減减 號号 頭头 審审 對对 嘗尝
強强 徑径 擴扩 擁拥 損损 條条 牽牵 穩稳 緩缓 編编 縮缩 聯联 試试 該该 說说 請请 進进 鏈链 長长 頁页
題题 風风 齊齐 碼码 兩两 國国 壯壮 場场 園园 團团 態态 積积 評评 勵励 揮挥 廣广 將将 堅坚 選选 愛爱
續续 辦办 貫贯 斷断 財财 費费 補补 觀观 獲获 穫获 運运 況况 詢询 問问 擊击 節节 籌筹 圍围 終终 論论
親亲 騷骚 違违 嚴严 眾众 衆众 認认 約约 針针 師师 綠绿 給给 賣卖 貼贴 繼继 樹树 滿满 稱称 訴诉 舉举
揚扬 崗岗 臨临 顯显 銜衔 華华 當当 噹当 厲厉 獨独 盡尽 儘尽 輿舆 樣样 償偿 狀状 際际 則则 陣阵 粵粤
礎础 擇择 歷历 曆历 證证 災灾 響响 靈灵 晉晋 買买 驗验 勢势 電电 暢畅 贍赡 簽签 覺觉 訂订 偉伟 戀恋
灣湾 夢梦 懲惩 購购 貢贡 獻献 憲宪 藥药 庫库 訟讼 奮奋 撐撑 競竞 誘诱 緊紧 談谈 賽赛 戶户 邊边 輕轻
額额 屆届 趨趋 絕绝 撫抚 話话 褻亵 隱隐 熱热 遠远 慣惯 輟辍 稅税 鄰邻 紹绍 遺遗 躍跃 館馆 溝沟 馬马
錯错 講讲 諧谐 樂乐 隨随 彈弹 藝艺 蹤踪 惡恶 圖图 騙骗 顧顾 讓让 傾倾 賬账 銀银 紐纽 誡诫 貸贷 頒颁
東东 鍵键 鑄铸 冊册 鐘钟 鍾钟 掃扫 歸归 脫脱 換换 繳缴 貶贬 鴻鸿 輸输 偵侦 黃黄 穢秽 誹诽 謗谤 虛虚
簡简 們们 麗丽 彥彦 爾尔 軍军 績绩 煙烟 鐵铁 遷迁 畢毕 雙双 獎奖 誠诚 變变 儲储 橋桥 細细 矯矫 謠谣
詐诈 債债 賠赔 榮荣 罰罚 語语 辭辞 車车 醞酝 釀酿 淨净 儉俭 紅红 禮礼 飪饪 樞枢 誤误 聲声 誰谁 濾滤
錢钱 賦赋 驛驿 漸渐 娛娱 讀读 媽妈 釋释 幟帜 檔档 鑽钻 載载 賑赈 張张 還还 脈脉 糞粪 鑒鉴 鑑鉴 饋馈
偽伪 裝装 覽览 葉叶 銳锐 銷销 輩辈 棄弃 夠够 聞闻 飾饰 喪丧 緣缘 濕湿 欄栏 脅胁 瀏浏 輻辐 龍龙 壇坛
匯汇 彙汇 鳳凤 囑嘱 邁迈 闊阔 譜谱 啟启 啓启 圓圆 駕驾 馭驭 漲涨 鉤钩 譽誉 縱纵 塵尘 潤润 楓枫 輯辑
僑侨 側侧 兌兑 遲迟 飄飘 毆殴 樓楼 賃赁 繞绕 藍蓝 擬拟 軌轨 順顺 艱艰 須须 鬚须 澤泽 鄧邓 腫肿 畫画
紙纸 亞亚 遞递 練练 壓压 塊块 勸劝 寶宝 轄辖 溫温 郵邮 輪轮 閒闲 閑闲 闡阐 軟软 驅驱 討讨 陽阳 檻槛
攜携 靜静 後后 製制 範范 係系 繫系 餘余 裡里 裏里 臺台 檯台 颱台 隻只 複复 復复 鬆松 麵面 佈布 週周
佔占 採采 衝冲 醜丑 穀谷 籲吁 嚮向 鬥斗 蹟迹 捲卷 傢家 纔才 麼么 遊游 併并 並并 註注 閱阅 據据 徹彻 資资
兒儿 孫孙 殺杀 離离 壞坏 癥症 獄狱 憂忧 鬱郁 彌弥
豐丰 雲云 價价 優优 體体 廠厂 聽听 諮咨 餵喂 寧宁 嶺岭 異异 懷怀 願愿 託托 擾扰 掛挂 機机 極极
構构 櫃柜 歡欢 氣气 汙污 潔洁 燻熏 確确 種种 築筑 網网 薦荐 觸触 謝谢 踴踊 適适 這这 億亿 幾几 紀纪
訊讯 廳厅 嗎吗 連连 陸陆
"""

#: Traditional character -> simplified character, for :meth:`str.translate`.
TABLE: dict[int, str] = {
    ord(pair[0]): pair[1] for pair in _PAIRS.split() if pair[0] != pair[1]
}

# A pinyin annotation left by a conversion tool: "區(qū)", "区（qu1）".
_PINYIN = re.compile(
    r"(?<=[\u4e00-\u9fff])[（(]"
    r"(?=[a-zü]*(?:[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]|[a-zü]+[1-5][）)]))"
    r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜêńňǹḿ]{1,6}[1-5]?[）)]"
)


def simplify(text: str) -> str:
    """Return ``text`` with pinyin debris removed and traditional characters made simplified.

    Parameters
    ----------
    text : str
        Any plan text, simplified, traditional or mixed.

    Returns
    -------
    str
        The text with every character of :data:`TABLE` replaced one for one (a simplified text
        comes back unchanged) and every pinyin annotation (``(qū)``) removed.

    Examples
    --------
    >>> simplify("全區(qū)剖宮產率不超過30%")
    '全区剖宫产率不超过30%'
    """
    return _PINYIN.sub("", text).translate(TABLE)
