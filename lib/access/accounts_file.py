"""Writing an account into `.streamlit/secrets.toml`: `python -m lib.access.auth add-user` and the
first 管理员 created on 数据上传 in 演示模式 use the same function.

A new account is appended as its own `[accounts.登录名]` table, so comments and other sections
stay as they are. An existing account is replaced only when asked (`replace=True`); the file is
checked (TOML and lib.access.auth.load_config) before it is written, and written atomically,
readable by its owner only.
"""
from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path

from lib.access.auth import ADMIN, UPLOADER, AccountConfigError, hash_password, load_config
from lib.config import ROOT

SECRETS_ENV = "DANGJIAN_SECRETS"
LOGIN_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,32}")


def secrets_path() -> Path:
    """Where accounts are written: $DANGJIAN_SECRETS, else the project's .streamlit/secrets.toml."""
    return Path(os.environ.get(SECRETS_ENV) or ROOT / ".streamlit" / "secrets.toml")


class AccountExists(ValueError):
    pass


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _section(login: str, name: str, password_hash: str, role: str, unit: str | None) -> str:
    lines = [f"[accounts.{login}]", f"name = {_quote(name)}", f"password_hash = {_quote(password_hash)}",
             f"role = {_quote(role)}"]
    if unit:
        lines.append(f"unit = {_quote(unit)}")
    return "\n".join(lines) + "\n"


def _header(line: str) -> bool:
    return line.lstrip().startswith("[")


def _without_account(text: str, login: str) -> str:
    """The text without the `[accounts.login]` table (from its header to the next header)."""
    header = re.compile(rf"^\s*\[\s*accounts\s*\.\s*(?:{re.escape(login)}|\"{re.escape(login)}\")\s*\]\s*(#.*)?$")
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if header.match(line):
            skipping = True
            continue
        if skipping and _header(line):
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)


def add_account(login: str, name: str, password: str, role: str = ADMIN, unit: str | None = None, *,
                path: Path | None = None, replace: bool = False) -> Path:
    """Write the account; raise ValueError (Chinese) for a bad value, AccountExists unless `replace`."""
    login, name, unit = login.strip(), name.strip(), (unit or "").strip() or None
    if not LOGIN_PATTERN.fullmatch(login):
        raise ValueError("登录名只能用英文字母、数字和 _ . -，最多 32 个字符，例如 admin 或 wang.zr")
    if not name:
        raise ValueError("请填写显示的姓名")
    if role == UPLOADER and not unit:
        raise ValueError("「填报」角色必须填写所属队")
    path = path or secrets_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        current = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"无法读取账号配置文件 {path}（TOML 格式有误：{exc}），请先修正它") from None
    accounts = current.get("accounts") or {}
    if login in accounts:
        if not replace:
            raise AccountExists(f"账号 {login} 已存在；要覆盖它请加 --replace")
        text = _without_account(text, login)
        try:
            if login in (tomllib.loads(text).get("accounts") or {}):
                raise ValueError
        except (tomllib.TOMLDecodeError, ValueError):
            raise ValueError(f"账号 {login} 不是以 [accounts.{login}] 小节写的，请手工修改 {path}") from None
    section = _section(login, name, hash_password(password), role, unit)
    new_text = text + ("" if not text or text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n") + section
    try:
        load_config(tomllib.loads(new_text))
    except AccountConfigError as exc:
        raise ValueError(exc.message) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".secrets-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new_text)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
