"""Users for tests: the importer, undo, backup and export all need a lib.access.auth.User now."""
from lib.access.auth import ADMIN, UPLOADER, VIEWER, User

ADMIN_USER = User("测试管理员", ADMIN)
VIEWER_USER = User("查看员", VIEWER)


def uploader(unit: str = "综采队", name: str = "填报员") -> User:
    return User(name, UPLOADER, unit)
