"""指标口径: what every figure means and how it is counted, for users (lib/present/definitions.py; the
developer version with ids and settings is docs/metrics.md), and what each sheet must contain
(docs/报表说明.md, generated from the sheet declarations)."""
import streamlit as st

from lib.config import ROOT
import ui
from lib.present.definitions import definitions_markdown, screen_parts

DOCS = ROOT / "docs"


def _doc(name: str) -> str | None:
    """A document's text without its top heading and the generator's note (the tab names it)."""
    try:
        text = (DOCS / name).read_text(encoding="utf-8")
    except OSError:
        return None
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    # One heading level down: the page title is the h1, the tabs name the documents.
    return "\n".join("#" + line if line.startswith("#") else line
                     for line in lines if not line.startswith("本文件由"))


st.title("指标口径与报表说明")
st.caption("看板上每个数字怎么算、各队报表怎么填。两份说明与程序使用同一套定义。")

definitions = definitions_markdown()
sheets = _doc("报表说明.md")
if ui.meeting_mode():
    # On the projector one part a screen: each part of the 口径, then each sheet's requirements.
    parts = screen_parts(definitions) + screen_parts(sheets or "", intro="报表说明")
    titles = list(dict.fromkeys(title for title, _ in parts))
    screens = ui.Screens("definitions", titles)
    for title, text in parts:
        if screens.show(title):
            st.markdown(text)
else:
    definitions_tab, sheets_tab = st.tabs(["指标口径", "报表说明"])
    with definitions_tab:
        st.markdown(definitions)
    with sheets_tab:
        st.page_link("pages/upload_page.py", label="下载报表模板、上传报表：数据上传", icon=":material/upload_file:")
        if sheets:
            st.markdown(sheets)
        else:
            st.info("报表说明缺失，请联系管理员。")
