"""FileRejected: a whole upload refused, with the Chinese message the user sees.

Every reader and guard raises these; the messages are shown as they are.
"""
from __future__ import annotations

HINT_UPLOAD_TYPES = "请上传 .xlsx、.xls、.et 或 .csv 文件"
HINT_RESAVE_XLSX = "请用Excel/WPS打开后另存为 .xlsx 再上传"
HINT_RESAVE_ET = "请用WPS打开后另存为 .xlsx 再上传"
MSG_EMPTY = "文件是空的"
MSG_BOMB = "文件解压后过大，疑似压缩炸弹，已拒绝"
MSG_UNSAFE = "文件包含不安全的内容，已拒绝"
MSG_PASSWORD = "文件设置了密码，无法读取"
HINT_PASSWORD = "请取消密码后上传"
MSG_WEBPAGE = "这是网页文件（另存为了.xls），不是真正的Excel表格"
MSG_NOT_EXCEL = "不是Excel表格文件（可能是Word文档或普通压缩包）"
MSG_UNKNOWN = "无法识别的文件格式，不是Excel表格或CSV文件"
MSG_CORRUPT = "文件已损坏或不完整"
HINT_CORRUPT = "请重新保存或重新导出后上传"


class FileRejected(Exception):
    """A whole-file failure the user caused; .message is Chinese, shown as is."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}（{self.hint}）" if self.hint else self.message


def corrupt(hint: str = HINT_CORRUPT) -> FileRejected:
    return FileRejected(MSG_CORRUPT, hint=hint)


def bomb() -> FileRejected:
    return FileRejected(MSG_BOMB, hint="请确认上传的是正常导出的报表文件")


def password_protected() -> FileRejected:
    return FileRejected(MSG_PASSWORD, hint=HINT_PASSWORD)


def unsafe() -> FileRejected:
    return FileRejected(MSG_UNSAFE, hint=HINT_RESAVE_XLSX)


def sheet_too_large(sheet: str, rows: int, cols: int) -> FileRejected:
    return FileRejected(
        f"工作表「{sheet}」的数据范围过大（约 {rows} 行 × {cols} 列），可能在很远的单元格里有多余内容",
        hint="请删除数据区域以外的多余内容（或把需要的数据复制到新表）后再上传")


def workbook_too_large() -> FileRejected:
    return FileRejected("工作簿的数据总量过大", hint="请删除无关的工作表，或按队拆分后分别上传")
