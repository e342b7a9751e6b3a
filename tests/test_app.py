"""Every page of the real app, run by Streamlit's AppTest on the demo data."""
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.accounts import PASSWORD, accounts_secrets, sign_in

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard.py")

PAGES = ["overview_page", "development_page", "coverage_page", "model_posts_page", "zones_page",
         "pairs_talks_page", "problems_page", "scores_page", "team_building_page", "upload_page",
         "submissions_page", "definitions_page"]
ANALYSIS_PAGES = [p for p in PAGES if p not in ("upload_page", "definitions_page")]


@pytest.fixture
def app_env(demo_copy, monkeypatch):
    """The app sees an empty real database beside the demo one, so it shows the demo data."""
    monkeypatch.setenv("DANGJIAN_DB", str(demo_copy.parent / "dangjian.duckdb"))
    return demo_copy.parent


def open_page(page: str, query: dict | None = None, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    if page != "overview_page":
        at.switch_page(f"pages/{page}.py").run()
    return at


def figures(at: AppTest) -> list[str]:
    return [f"{m.label}={m.value}" for m in at.metric] + [c.value for c in at.caption]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo_data(app_env, page):
    at = open_page(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page opens with its title"


@pytest.mark.parametrize("page", ANALYSIS_PAGES)
def test_filter_change_changes_the_figures(app_env, page):
    at = open_page(page)
    before = figures(at)
    assert at.metric, "KPI cards expected"
    at.sidebar.multiselect(key="filter_units").select("综采队").run()
    assert not at.exception
    assert figures(at) != before
    assert at.query_params.get("unit") == "综采队"


@pytest.mark.parametrize("page", ANALYSIS_PAGES)
def test_url_parameters_reproduce_a_view(app_env, page):
    at = open_page(page, {"unit": "机运队", "from": "2022-01", "to": "2022-06"})
    assert not at.exception
    assert at.caption[0].value.startswith("机运队 · 2022年1月–2022年6月")
    assert at.session_state["filter"].units == ("机运队",)


@pytest.mark.parametrize("page", ANALYSIS_PAGES)
def test_empty_filter_shows_an_explanation_not_an_error(app_env, page):
    at = open_page(page, {"from": "2010-01", "to": "2010-12"})
    assert not at.exception and not at.error
    assert at.info or at.caption, "an empty state explains what to upload"


# ---------------------------------------------------------------- 数据上传

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_upload_imports_a_good_workbook_once_and_refuses_a_bad_one(app_env):
    from lib.store.database import Store
    from tests.workbooks import roster, xlsx_bytes

    good = xlsx_bytes({"人员名册": roster(n=6)})
    bad_rows = roster(n=3, start=50)
    bad_rows[2][8] = "党外人士"
    bad = xlsx_bytes({"人员名册": bad_rows})
    at = sign_in(open_page("overview_page", secrets=_accounts()), "admin")
    at.switch_page("pages/upload_page.py").run()
    at.file_uploader(key="upload-files-0").set_value(
        [("综采队_2024年6月.xlsx", good, XLSX), ("机运队_2024年6月.xlsx", bad, XLSX)]).run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown) + " ".join(e.value for e in at.error)
    assert "将新增 综采队 2024年6月 人员名册" in shown
    assert "机运队_2024年6月.xlsx：有 1 处错误" in shown
    error_tables = [d.value for d in at.dataframe if "问题" in d.value.columns]
    assert any((t["列"] == "政治面貌").any() and (t["原值"] == "党外人士").any() for t in error_tables)
    at.button(key="upload-confirm").click().run()
    assert not at.exception
    assert any("已导入 6 行" in s.value for s in at.success)
    at.run()  # a rerun must not import again
    store = Store(app_env / "dangjian.duckdb")
    try:
        assert store.cursor().execute("SELECT count(*) FROM imports").fetchone()[0] == 1
        assert store.cursor().execute("SELECT count(*) FROM roster").fetchone()[0] == 6
    finally:
        store.close()


def test_overview_shows_the_highlights(app_env):
    at = open_page("overview_page")
    texts = [m.value for m in at.markdown]
    assert "**本月要点**" in texts
    block = texts[texts.index("**本月要点**") + 1]
    assert 3 <= block.count("\n- ") + 1 <= 6 and "空白班组" in block


# ---------------------------------------------------------------- 会议模式

# Every screen of every page in 会议模式, masked: tests/test_meeting_screens.py.


def test_meeting_mode_switch_and_exit(app_env):
    at = open_page("pairs_talks_page")
    names = [v for t in at.dataframe for c in t.value.columns if c == "党员姓名" for v in t.value[c]]
    assert names and not any("*" in v for v in names), "outside 会议模式 names are shown in full"
    at.sidebar.toggle(key="meeting_mode").set_value(True).run()
    assert at.query_params.get("mode") == "meeting"
    at.button(key="screen-next").click().run()  # the overdue pairs, in large print
    masked = [v for t in at.table for c in t.value.columns if c == "党员姓名" for v in t.value[c]]
    assert masked and all("*" in v for v in masked)
    at.button(key="meeting-exit").click().run()
    assert "mode" not in at.query_params


# ---------------------------------------------------------------- 账号与权限

DEMO_BANNER_START = "演示模式：未配置账号，任何人都可以查看演示数据；"


def _accounts() -> dict:
    return accounts_secrets()


def test_without_accounts_the_demo_mode_banner_shows(app_env):
    at = open_page("upload_page")
    assert not at.exception
    banners = [w.value for w in at.sidebar.warning if w.value.startswith(DEMO_BANNER_START)]
    assert banners and "姓名和工号打码" in banners[0] and ".streamlit/secrets.toml.example" in banners[0]
    # The first real import needs a 管理员 account first: a form to create it, no uploader.
    assert not at.file_uploader, "演示模式: no upload before an admin account exists"
    assert at.text_input(key="first-admin-login") and [b for b in at.button if b.label == "创建管理员账号"]


def test_with_accounts_an_anonymous_visitor_sees_only_the_sign_in(app_env):
    at = open_page("upload_page", secrets=_accounts())
    assert not at.exception
    assert not at.file_uploader and not at.metric and not at.dataframe
    assert any("请先登录" in i.value for i in at.info)
    assert not any(w.value.startswith(DEMO_BANNER_START) for w in at.sidebar.warning)
    assert at.sidebar.text_input(key="sign-in-password").value == ""


def test_a_wrong_password_shows_a_chinese_error_and_signs_nobody_in(app_env):
    at = sign_in(open_page("overview_page", secrets=_accounts()), "zongcai", "wrong password")
    assert not at.exception
    assert any("账号或密码不正确" in e.value for e in at.error)
    assert not at.metric
    at = sign_in(at, "nobody", PASSWORD)
    assert any("账号或密码不正确" in e.value for e in at.error)


def test_a_signed_in_viewer_sees_the_data_but_no_upload_or_undo(app_env):
    at = sign_in(open_page("overview_page", secrets=_accounts()), "chakan")
    assert not at.exception and at.metric, "the pages are shown once signed in"
    assert any("党群工作部 · 查看" in m.value for m in at.sidebar.markdown)
    at.switch_page("pages/upload_page.py").run()
    assert not at.exception
    assert not at.file_uploader
    assert any("你的角色是「查看」" in i.value for i in at.info)
    assert not [b for b in at.button if b.key in ("upload-confirm", "undo-button")]


def test_a_signed_in_uploader_is_told_their_unit_and_can_sign_out(app_env):
    at = sign_in(open_page("overview_page", secrets=_accounts()), "zongcai")
    at.switch_page("pages/upload_page.py").run()
    assert not at.exception
    assert at.file_uploader
    assert any("只能上传本队（综采队）的报表" in i.value for i in at.info)
    at.button(key="sign-out").click().run()
    assert not at.exception and not at.file_uploader
    assert any("请先登录" in i.value for i in at.info)


def test_names_are_masked_for_an_admin_until_full_names_are_switched_on(app_env):
    at = sign_in(open_page("pairs_talks_page", secrets=_accounts()), "admin")
    at.switch_page("pages/pairs_talks_page.py").run()

    def names():
        return [v for t in at.dataframe for c in t.value.columns if c == "党员姓名" for v in t.value[c]]

    assert names() and all("*" in v for v in names()), "masked by default with accounts"
    at.sidebar.toggle(key="show_full_names").set_value(True).run()
    assert not at.exception
    assert names() and not any("*" in v for v in names())


def test_oidc_users_get_the_role_their_e_mail_maps_to(app_env):
    secrets = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                        "client_id": "id", "client_secret": "secret",
                        "server_metadata_url": "https://sso.example.com/.well-known/openid-configuration"},
               "roles": {"li@example.com": {"role": "填报", "unit": "综采队"}}}
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.secrets.update(secrets)
    at.user = {"is_logged_in": True, "email": "LI@example.com", "name": "李四", "email_verified": True}
    at.run()
    at.switch_page("pages/upload_page.py").run()
    assert not at.exception
    assert any("李四 · 填报（综采队）" in m.value for m in at.sidebar.markdown)
    assert any("只能上传本队（综采队）的报表" in i.value for i in at.info)

    stranger = AppTest.from_file(ENTRY, default_timeout=120)
    stranger.secrets.update(secrets)
    stranger.user = {"is_logged_in": True, "email": "who@example.com", "email_verified": True}
    stranger.run()
    assert not stranger.exception and not stranger.metric
    assert any("还没有分配角色" in e.value for e in stranger.error)


# ---------------------------------------------------------------- 汇报材料

def test_deck_button_builds_the_deck_and_offers_it(app_env):
    from lib.present import render

    if render.problem():
        pytest.skip(render.problem())
    at = open_page("overview_page", {"unit": "综采队"})
    at.sidebar.button(key="deck-build").click().run(timeout=240)
    assert not at.exception and not at.error
    offered = [d for d in at.get("download_button") if d.proto.label.startswith("下载汇报材料")]
    assert offered and "页" in offered[0].proto.label
    from lib.store.database import Store

    log = Store.shared(app_env / "demo.duckdb").query("SELECT what, detail FROM export_log")
    assert list(log["what"]) == ["汇报材料（PPTX）"] and "综采队" in log["detail"].iloc[0]


def test_deck_button_says_what_to_install_without_chromium(app_env, monkeypatch):
    from lib.present import render

    monkeypatch.setattr(render, "browser_path", lambda: None)
    at = open_page("overview_page")
    assert not at.exception
    assert at.sidebar.button(key="deck-build").disabled
    assert any("apt-get install chromium" in c.value for c in at.sidebar.caption)
    assert not at.get("download_button") or all(
        not d.proto.label.startswith("下载图片") for d in at.get("download_button")), "no server PNG without a browser"


def test_chart_png_buttons_under_charts(app_env):
    from lib.present import render

    if render.problem():
        pytest.skip(render.problem())
    at = open_page("coverage_page")
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels.count("下载图片") == 2, labels


def test_export_log_shown_to_admins_on_the_upload_page(app_env):
    from lib.present.exports import export_table
    from lib.store.database import Store
    from tests.users import VIEWER_USER

    export_table(Store.shared(app_env / "demo.duckdb"), VIEWER_USER, {"名单": pd.DataFrame({"队": ["综采队"]})},
                 "表格：名单", "全矿", False, False)
    at = open_page("upload_page")  # 演示模式: everyone acts as 管理员
    assert not at.exception
    shown = [t.value for t in at.dataframe if "导出人" in t.value.columns]
    assert shown and list(shown[0]["导出人"]) == [VIEWER_USER.name]

    viewer = sign_in(open_page("upload_page", secrets=_accounts()), "chakan")
    assert not viewer.exception
    assert not [t for t in viewer.dataframe if "导出人" in t.value.columns]
    assert any("只有管理员可以查看" in c.value for c in viewer.caption)
