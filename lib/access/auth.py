"""Who may do what: roles, the signed-in user, accounts from secrets, password hashes.

Three roles:

- 查看 (VIEWER): sees every page and may download tables, always with names and 工号 masked.
- 填报 (UPLOADER): as 查看, and imports the reports of their own 队 only.
- 管理员 (ADMIN): imports for every 队, undoes imports, backs up and restores the database,
  rebuilds the demo data, and may download tables with full names (outside 会议模式, when asked).

The write and export functions call `require` themselves, so hiding a button is never the only
guard. No Streamlit here: the app, the CLI and the tests share these rules.

Accounts live in `.streamlit/secrets.toml` (see `.streamlit/secrets.toml.example`)::

    [accounts.zhangsan]
    name = "张三"
    password_hash = "$2b$12$…"      # python -m lib.access.auth hash
    role = "填报"
    unit = "综采队"

or come from an OIDC provider (`[auth]`, Streamlit's st.login) with a `[roles]` table that maps
each e-mail address to a role (and 队). With neither, the app runs in 演示模式 as DEMO_USER.
"""
from __future__ import annotations

import argparse
import functools
import getpass
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt

from lib.ingest.clean import clean_org

VIEWER, UPLOADER, ADMIN = "查看", "填报", "管理员"
ROLES = (VIEWER, UPLOADER, ADMIN)

# Permissions `require` checks.
UPLOAD, UNDO, MANAGE, EXPORT = "upload", "undo", "manage", "export"

SECRETS_HINT = "请按 .streamlit/secrets.toml.example 修改 .streamlit/secrets.toml"
BCRYPT_HASH = re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 72  # bcrypt's limit; bcrypt 5 refuses longer passwords instead of cutting them


class PermissionDenied(Exception):
    """The user's role does not allow the action; `.message` is Chinese and shown as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AccountConfigError(ValueError):
    """The account configuration in secrets is unusable; `.message` says where and why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class User:
    name: str
    role: str
    unit: str | None = None
    # 演示模式: acts as 管理员 but never gets full names (nobody has signed in).
    demo: bool = False

    def __post_init__(self):
        problem = _role_problem(self.role, self.unit)
        if problem:
            raise ValueError(problem)
        if not str(self.name).strip():
            raise ValueError("用户姓名不能为空")

    @property
    def can_upload(self) -> bool:
        return self.role in (UPLOADER, ADMIN)

    @property
    def can_undo(self) -> bool:
        return self.role == ADMIN

    @property
    def can_admin(self) -> bool:
        """Backup, restore, demo reset."""
        return self.role == ADMIN

    @property
    def can_export(self) -> bool:
        # Every role sees the pages, so every role may download what it sees (masked).
        return self.role in ROLES

    @property
    def can_see_full_names(self) -> bool:
        return self.role == ADMIN and not self.demo

    def may_write_unit(self, unit: str | None) -> bool:
        if self.role == ADMIN:
            return True
        if self.role == UPLOADER:
            return unit is not None and _same_unit(unit, self.unit)
        return False

    @property
    def label(self) -> str:
        """姓名 · 角色（队）, as the sidebar shows it."""
        return f"{self.name} · {self.role}" + (f"（{self.unit}）" if self.unit else "")


def _role_problem(role, unit) -> str | None:
    if role not in ROLES:
        return f"角色「{role}」不存在，只能是 {'、'.join(ROLES)} 之一"
    if role == UPLOADER and not (unit and str(unit).strip()):
        return "「填报」角色必须填写所属队（unit），例如 unit = \"综采队\""
    return None


def _same_unit(a: str, b: str | None) -> bool:
    # 队 names are compared as the importer stores them (NFKC, no whitespace).
    return b is not None and clean_org(a).value == clean_org(b).value


# 演示模式: no accounts configured, anyone may do anything but see full names in downloads.
DEMO_USER = User("匿名用户", ADMIN, demo=True)


def cli_user(name: str | None = None) -> User:
    """The command line: whoever runs it can open the database file anyway, so 管理员."""
    name = (name or "").strip() or getpass.getuser() or "命令行"
    return User(name, ADMIN)


# ---------------------------------------------------------------- checks

_DENIED = {
    UPLOAD: "你的角色是「查看」，不能上传或导入数据。如需上传本队报表，请联系管理员开通「填报」权限",
    UNDO: "只有管理员可以撤销导入",
    MANAGE: "只有管理员可以备份、恢复数据库或重置演示数据",
    EXPORT: "你没有导出数据的权限",
}


def require(user: User, permission: str, *, unit: str | None = None, action: str | None = None) -> User:
    """Raise PermissionDenied unless `user` may do `permission` (for `unit`, when given).

    `action` replaces the generic wording of a MANAGE refusal, e.g. "恢复数据库".
    Returns the user, so a call can sit inside an expression.
    """
    if not isinstance(user, User):
        # An old call site passing a plain name would otherwise slip through unchecked.
        raise TypeError(f"require() needs a lib.access.auth.User, not {type(user).__name__}")
    allowed = {UPLOAD: user.can_upload, UNDO: user.can_undo, MANAGE: user.can_admin,
               EXPORT: user.can_export}
    if permission not in allowed:
        raise ValueError(f"unknown permission {permission!r}")
    if not allowed[permission]:
        if permission == MANAGE and action:
            raise PermissionDenied(f"只有管理员可以{action}")
        raise PermissionDenied(_DENIED[permission])
    if unit is not None and permission == UPLOAD and not user.may_write_unit(unit):
        raise PermissionDenied(f"你只能上传本队（{user.unit}）的报表，不能上传{unit}的数据")
    return user


# ---------------------------------------------------------------- passwords

def _password_bytes(password: str) -> bytes:
    return password.encode("utf-8")


def hash_password(password: str, rounds: int = 12) -> str:
    """A bcrypt hash for secrets.toml. Refuses passwords too short or too long for bcrypt."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"密码至少需要 {MIN_PASSWORD_CHARS} 个字符")
    if len(_password_bytes(password)) > MAX_PASSWORD_BYTES:
        raise ValueError(f"密码太长：bcrypt 最多支持 {MAX_PASSWORD_BYTES} 字节（约 24 个汉字或 72 个英文字母）")
    return bcrypt.hashpw(_password_bytes(password), bcrypt.gensalt(rounds)).decode("ascii")


@functools.cache
def _dummy_hash() -> bytes:
    # Unknown logins are checked against this, so they take as long as known ones.
    return bcrypt.hashpw(b"no such account", bcrypt.gensalt(12))


def _checkpw(password: str, hashed: bytes) -> bool:
    data = _password_bytes(password)
    if len(data) > MAX_PASSWORD_BYTES:  # bcrypt 5 raises on these; nobody's hash can match
        bcrypt.checkpw(b"x", hashed)
        return False
    return bcrypt.checkpw(data, hashed)


# ---------------------------------------------------------------- configuration

@dataclass(frozen=True)
class Account:
    login: str
    user: User
    password_hash: str = field(repr=False)


@dataclass(frozen=True)
class AuthConfig:
    accounts: Mapping[str, Account]          # login → account
    roles: Mapping[str, User]                # e-mail (lower case) → user, for OIDC
    oidc: bool = False                       # an [auth] section: sign in with st.login
    oidc_providers: tuple[str, ...] = ()     # "" for the default provider, else [auth.<name>] names

    @property
    def demo(self) -> bool:
        """No way to sign in is configured: 演示模式."""
        return not self.oidc and not self.accounts


def _text(value) -> str:
    return "" if value is None else str(value).strip()


# Fail closed: anything else in secrets.toml (a misspelt [account.x], a key "passwd") stops the app,
# rather than silently meaning 演示模式 or an account without what was meant.
SECRETS_SECTIONS = ("accounts", "auth", "roles")
ACCOUNT_KEYS = ("name", "password_hash", "role", "unit")
ROLE_KEYS = ("name", "role", "unit")


def _unknown_keys(where: str, entry: Mapping, allowed: tuple[str, ...], errors: list[str]) -> None:
    unknown = [str(k) for k in entry if k not in allowed]
    if unknown:
        errors.append(f"{where}：未知的设置 {'、'.join(unknown)}（只能有 {'、'.join(allowed)}）")


def _user_from_entry(where: str, entry, default_name: str, errors: list[str]) -> User | None:
    if isinstance(entry, str):  # [roles] "a@b.cn" = "查看"
        entry = {"role": entry}
    if not isinstance(entry, Mapping):
        errors.append(f"{where}：应为一个表（name、role、unit）")
        return None
    if where.startswith("[roles]"):
        _unknown_keys(where, entry, ROLE_KEYS, errors)
    role = _text(entry.get("role"))
    unit = _text(entry.get("unit")) or None
    if unit is not None:
        unit = clean_org(unit).value or None
    name = _text(entry.get("name")) or default_name
    problem = _role_problem(role, unit) if role else f"缺少 role，应为 {'、'.join(ROLES)} 之一"
    if problem:
        errors.append(f"{where}：{problem}")
        return None
    return User(name, role, unit)


def load_config(secrets: Mapping) -> AuthConfig:
    """Accounts, OIDC roles and whether OIDC is on, from a mapping shaped like secrets.toml.

    Raises AccountConfigError (Chinese, every problem at once) when the configuration cannot be
    used as written; an app must then refuse to start rather than fall back to 演示模式.
    """
    errors: list[str] = []
    unknown = [str(k) for k in secrets if k not in SECRETS_SECTIONS]
    if unknown:
        errors.append("未知的配置小节 " + "、".join(f"[{k}]" for k in unknown)
                      + f"（只能有 {'、'.join(f'[{k}]' for k in SECRETS_SECTIONS)}；账号应写成 [accounts.登录名]）")
    accounts: dict[str, Account] = {}
    raw_accounts = secrets.get("accounts") or {}
    if not isinstance(raw_accounts, Mapping):
        errors.append("[accounts] 应为若干个 [accounts.登录名] 表")
        raw_accounts = {}
    for login, entry in raw_accounts.items():
        login = _text(login)
        where = f"[accounts.{login}]"
        if not isinstance(entry, Mapping):
            errors.append(f"{where}：应为一个表（name、password_hash、role、unit）")
            continue
        _unknown_keys(where, entry, ACCOUNT_KEYS, errors)
        password_hash = _text(entry.get("password_hash"))
        if not BCRYPT_HASH.fullmatch(password_hash):
            errors.append(f"{where}：password_hash 不是 bcrypt 哈希值，请用 python -m lib.access.auth hash 生成")
        user = _user_from_entry(where, entry, login, errors)
        if user is not None and BCRYPT_HASH.fullmatch(password_hash):
            accounts[login] = Account(login, user, password_hash)

    auth = secrets.get("auth")
    oidc = isinstance(auth, Mapping) and bool(auth)
    # st.login(): client_id directly under [auth] is the default provider (""), [auth.<name>] named ones.
    providers = ((("",) if "client_id" in auth else ()) + tuple(k for k, v in auth.items() if isinstance(v, Mapping))
                 if oidc else ())
    roles: dict[str, User] = {}
    raw_roles = secrets.get("roles") or {}
    if not isinstance(raw_roles, Mapping):
        errors.append("[roles] 应为“电子邮箱 = 角色”或“电子邮箱 = {name, role, unit}”的形式")
        raw_roles = {}
    for email, entry in raw_roles.items():
        email = _text(email).lower()
        user = _user_from_entry(f"[roles] {email}", entry, email, errors)
        if user is not None:
            roles[email] = user
    if oidc and not providers:
        errors.append("[auth] 中没有登录服务的设置（client_id 等，或 [auth.服务名] 小节）")
    if oidc and not roles and not errors:
        errors.append("已配置 [auth]（单点登录），但 [roles] 中没有任何邮箱，没有人能够登录")
    if errors:
        raise AccountConfigError("账号配置有误：" + "；".join(errors) + "。" + SECRETS_HINT)
    return AuthConfig(accounts, roles, oidc, providers)


def verify_password(accounts: Mapping[str, Account], login: str, password: str) -> User | None:
    """The account's user if the password matches, else None.

    An unknown login still costs one bcrypt check, so timing does not tell which logins exist.
    """
    account = accounts.get(_text(login))
    if account is None:
        _checkpw(password or "", _dummy_hash())
        return None
    return account.user if _checkpw(password or "", account.password_hash.encode("ascii")) else None


def user_for_email(config: AuthConfig, email: str | None, name: str | None = None) -> User | None:
    """The OIDC user's role from [roles]; None when the address is not listed."""
    user = config.roles.get(_text(email).lower()) if email else None
    if user is None:
        return None
    # [roles] without a name: show the provider's display name rather than the address.
    if user.name == _text(email).lower() and _text(name):
        return User(_text(name), user.role, user.unit)
    return user


# ---------------------------------------------------------------- python -m lib.access.auth hash | add-user

def _ask_password(read_stdin: bool) -> str | None:
    if read_stdin:  # scripts and tests: the first line of standard input, asked once
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != password:
        print("两次输入的密码不一致", file=sys.stderr)
        return None
    return password


def _ask(prompt: str, given: str | None, default: str = "", interactive: bool = True) -> str:
    if given is not None:
        return given
    if not interactive:  # --password-stdin: standard input carries the password only
        return default
    answer = input(f"{prompt}{f'（直接回车为 {default}）' if default else ''}：").strip()
    return answer or default


def _add_user(args) -> int:
    from lib.access.accounts_file import add_account, secrets_path

    path = Path(args.secrets) if args.secrets else secrets_path()
    try:
        asking = not args.password_stdin
        login = _ask("登录名（英文字母、数字）", args.login, interactive=asking)
        name = _ask("显示的姓名", args.name, interactive=asking)
        role = _ask(f"角色（{'、'.join(ROLES)}）", args.role, ADMIN, interactive=asking)
        if role not in ROLES:
            print(f"角色「{role}」不存在，只能是 {'、'.join(ROLES)} 之一", file=sys.stderr)
            return 1
        unit = _ask("所属队（填报必填）", args.unit, interactive=asking) if role == UPLOADER else args.unit
        password = _ask_password(args.password_stdin)
        if password is None:
            return 1
        written = add_account(login, name, password, role, unit, path=path, replace=args.replace)
    except (ValueError, EOFError) as exc:
        print(str(exc) or "输入已中断", file=sys.stderr)
        return 1
    print(f"已写入账号 {login}（{role}）：{written}。重新打开看板页面即可用它登录。")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.access.auth", description="班组党建看板 账号工具")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("hash", help="输入密码，输出写入 secrets.toml 的 password_hash")
    add = sub.add_parser("add-user", help="新建账号（第一个管理员也用它），写入 .streamlit/secrets.toml")
    add.add_argument("--login", help="登录名")
    add.add_argument("--name", help="显示的姓名")
    add.add_argument("--role", help=f"{'、'.join(ROLES)}（默认 {ADMIN}）")
    add.add_argument("--unit", help="所属队（填报必填）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入的第一行读密码（脚本用）")
    add.add_argument("--replace", action="store_true", help="覆盖已有的同名账号")
    add.add_argument("--secrets", help="账号配置文件（默认 .streamlit/secrets.toml，或环境变量 DANGJIAN_SECRETS）")
    args = parser.parse_args(argv)
    if args.command == "add-user":
        return _add_user(args)
    password = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != password:
        print("两次输入的密码不一致", file=sys.stderr)
        return 1
    try:
        hashed = hash_password(password)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(hashed)
    print('把上面一行写入 .streamlit/secrets.toml 对应账号的 password_hash = "…"；'
          "或直接用 python -m lib.access.auth add-user 新建账号", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
