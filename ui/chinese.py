"""The framework's own words in Chinese (issue #13): what Streamlit and Plotly show by themselves.

Plotly takes a locale dictionary in the chart config (PLOTLY_CONFIG: its bundle in Streamlit has
only English, so the zh-CN dictionary is given here). Streamlit 1.67 has no setting for its texts,
and the server's Content-Security-Policy allows no injected script, so `style()` puts one <style>
on every run that hides each English text and shows a Chinese one in its place (::after), or
hides the element when it has a Chinese neighbour already:

- the file uploader's button ("Upload") and its limits ("20MB per file • XLSX, …");
- "No results" in the dropdown of a filter that matches nothing;
- the table toolbar (Show/hide columns, Search, Fullscreen; its CSV download is off in
  .streamlit/config.toml, client.disableDataExport): hidden, tables are downloaded as 下载 Excel;
- the chart's own Fullscreen button (Streamlit adds it to the Plotly toolbar): 全屏 / 退出全屏;
- the password field's Show password button: hidden;
- "Skip to main content" (shown to keyboard users): 跳到正文;
- "Press Enter to submit form" under a form's text fields: hidden.

Screen-reader labels (aria-label such as "Help for 密码") are attributes CSS cannot change; they
are not shown on screen.
"""
from __future__ import annotations

import streamlit as st

from lib.config import MAX_UPLOAD_MB

# plotly.js lib/locales/zh-cn.js, the strings of the toolbar, hover and editing.
PLOTLY_ZH_CN = {
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "矩形框选择",
        "Click to enter Colorscale title": "点击输入色阶的标题",
        "Click to enter Component A title": "点击输入组件A的标题",
        "Click to enter Component B title": "点击输入组件B的标题",
        "Click to enter Component C title": "点击输入组件C的标题",
        "Click to enter Plot title": "点击输入图表的标题",
        "Click to enter X axis title": "点击输入X轴的标题",
        "Click to enter Y axis title": "点击输入Y轴的标题",
        "Click to enter radial axis title": "点击输入径向轴的标题",
        "Compare data on hover": "悬停时比较数据",
        "Double-click on legend to isolate one trace": "双击图例来突显对应数据",
        "Double-click to zoom back out": "双击返回缩小显示",
        "Download plot": "下载图表",
        "Download plot as a png": "下载图表为图片",
        "Edit in Chart Studio": "在线编辑图表",
        "IE only supports svg.  Changing format to svg.": "此浏览器只支持矢量图，格式已改为矢量图。",
        "Lasso Select": "套索选择",
        "Orbital rotation": "轨道旋转",
        "Pan": "平移",
        "Produced with Plotly.js": "由绘图组件生成",
        "Reset": "重置",
        "Reset axes": "重置坐标轴",
        "Reset camera to default": "重置视角为默认状态",
        "Reset camera to last save": "重置视角为上次保存状态",
        "Reset view": "重置视图",
        "Reset views": "重置视图",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Snapshot succeeded": "生成快照成功",
        "Sorry, there was a problem downloading your snapshot!": "抱歉，下载快照出现问题！",
        "Taking snapshot - this may take a few seconds": "正在生成快照，可能需要几秒钟",
        "Toggle Spike Lines": "显示/隐藏辅助线",
        "Toggle show closest data on hover": "显示/隐藏悬停时最近的数据",
        "Turntable rotation": "转台旋转",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "close:": "收盘：",
        "high:": "最高：",
        "low:": "最低：",
        "open:": "开盘：",
        "incoming flow count:": "流入数：",
        "outgoing flow count:": "流出数：",
        "kde:": "核密度：",
        "lat:": "纬度：",
        "lon:": "经度：",
        "lower fence:": "下界：",
        "upper fence:": "上界：",
        "max:": "最大值：",
        "mean ± σ:": "平均值 ± σ：",
        "mean:": "平均值：",
        "median:": "中位数：",
        "min:": "最小值：",
        "new text": "新文本",
        "q1:": "下四分位数：",
        "q3:": "上四分位数：",
        "source:": "来源：",
        "target:": "目标：",
        "trace": "数据",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "year": "%Y年",
        "month": "%Y年%-m月",
        "dayMonth": "%-m月%-d日",
        "dayMonthYear": "%Y年%-m月%-d日",
    },
}

# Merged into every chart's config (ui.frame.chart): Plotly's texts in Chinese.
PLOTLY_CONFIG = {"locale": "zh-CN", "locales": {"zh-CN": PLOTLY_ZH_CN}}

UPLOAD_FORMATS = "XLSX、XLSM、XLS、ET、CSV"


def _css() -> str:
    uploader = '[data-testid="stFileUploaderDropzone"]'
    return f"""
{uploader} button [data-testid="stMarkdownContainer"] > p {{ display: none; }}
{uploader} button [data-testid="stMarkdownContainer"]::after {{ content: "选择文件"; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "可拖入文件 · 每个不超过 {MAX_UPLOAD_MB} MB · {UPLOAD_FORMATS}"; }}
[role="listbox"][data-empty="true"] [role="option"] {{ display: none !important; }}
[role="listbox"][data-empty="true"]::after {{ content: "没有匹配的选项"; display: block; padding: 0.5rem 1rem;
  opacity: 0.6; }}
[data-testid="stElementToolbar"] {{ display: none !important; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Fullscreen"]::after {{ content: "全屏" !important; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Close fullscreen"]::after {{ content: "退出全屏" !important; }}
[data-testid="stTextInputRootElement"] button[aria-label="Show password"],
[data-testid="stTextInputRootElement"] button[aria-label="Hide password"] {{ display: none; }}
a[data-testid="stSkipToContent"] {{ font-size: 0; }}
[data-testid="InputInstructions"] {{ display: none; }}
a[data-testid="stSkipToContent"]::after {{ content: "跳到正文"; font-size: 1rem; }}
"""


def style() -> None:
    """Once per run, before the page: the <style> above (st.html of a lone <style> takes no room)."""
    st.html(f"<style>{_css()}</style>")
