"""What a run of the tool can end in: the exit codes, and the one error a person can act on.

Every layer raises `InputError` (or a subclass: a bad survey, overrides file, watch config, stored run,
diff request) when the user's input cannot be used; only the command line turns it into a message and
exit 2. Nothing here imports the rest of the package, so every layer may import it.

Every message a person reads is Thai first with the English beside it ("ไม่พบไฟล์ / no such file: X"),
and every InputError carries a hint: the likely fix or the command to run next. Hints that several
errors share are worded once, here (tests/test_messages.py holds both rules).
"""
from __future__ import annotations

EXIT_OK = 0          # done (and the score is at least --fail-under, when given)
EXIT_BELOW = 1       # the OIT score is below --fail-under
EXIT_USAGE = 2       # bad usage or input: one line saying what and where, never a traceback
EXIT_UNHEALTHY = 3   # the crawl was unhealthy (or a site could not be crawled): no score published
EXIT_RUN_FAILED = 4  # the run failed mid-crawl (disk full, the store corrupt): marked `failed`, no score
EXIT_INTERRUPTED = 130


# -- hints shared by many errors (Thai / English) -------------------------------------------------
HINT_RUNS = "ดูรอบที่เก็บไว้ด้วย oit runs / list the stored runs: oit runs"
HINT_STORE = ("ระบุไฟล์ฐานข้อมูลหลักฐานด้วย --db FILE หรือเก็บข้อมูลก่อนด้วย oit crawl URL / "
              "give the evidence store with --db FILE, or crawl first: oit crawl URL")
HINT_NEW_STORE = ("กู้ไฟล์จากสำเนาสำรอง หรือเก็บข้อมูลลงไฟล์ใหม่ด้วย --db NEW.sqlite / "
                  "restore the store from a backup, or crawl into a new file: --db NEW.sqlite")
HINT_WRITABLE = "ระบุไฟล์หรือโฟลเดอร์ที่มีสิทธิ์เขียน / give a file or folder you can write to"
HINT_CHECKLIST = ("ตรวจไฟล์เกณฑ์ด้วย oit checklist check FILE / check the checklist file: "
                  "oit checklist check FILE")
HINT_WATCH_CONFIG = ("แก้ไฟล์ตั้งค่าตามที่ระบุ แล้วตรวจซ้ำด้วย oit watch --check CONFIG (ดู deploy/watch.example.yaml) / "
                     "fix the config as said, then check it: oit watch --check CONFIG (see deploy/watch.example.yaml)")
HINT_OVERRIDES = ("แก้ไฟล์การปรับผลตามที่ระบุ (หรือสร้างใหม่ด้วย oit overrides import report.xlsx) / fix the "
                  "overrides file as said (or make it again: oit overrides import report.xlsx)")
HINT_SURVEY = ("ไฟล์ผลสำรวจต้องมี iit และ eit แต่ละตัวชี้วัดมีคะแนน 0-100 เช่น iit: {1: 85} / the survey file "
               "needs iit and eit, each indicator scored 0-100, e.g. iit: {1: 85}")
HINT_URL = ("พิมพ์ที่อยู่เต็ม เช่น https://webportal.bangkok.go.th/samphanthawong/ / "
            "give the whole address, e.g. https://webportal.bangkok.go.th/samphanthawong/")
HINT_URL_LIST = ("ใส่ URL บรรทัดละหนึ่งที่อยู่ (http:// หรือ https://) ในไฟล์ .txt .csv หรือ .xlsx / "
                 "list one http(s) URL per line in a .txt, .csv or .xlsx file")
HINT_FORMAT = ("เลือกจากรายการ คั่นด้วยจุลภาค เช่น --format html,xlsx / choose from the list, comma-separated, "
               "e.g. --format html,xlsx")


def help_hint(command: str | None) -> str:
    """The fallback hint: the command's own help."""
    shown = f"oit {command}" if command else "oit"
    return f"ดูวิธีใช้ด้วย {shown} --help / see {shown} --help"


class InputError(Exception):
    """Input the tool cannot use: `message` names the file, entry or value and what is wrong (Thai /
    English); `hint` says what to do instead (else the class's `default_hint`; the command line falls
    back to the command's --help). `str()` is the message alone."""

    default_hint: str | None = None

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint or self.default_hint

    def __str__(self) -> str:
        return self.message


class RunFailed(Exception):
    """A crawl stopped because the evidence store or the disk failed under it (disk full, a file-size
    limit, a store that became corrupt). The run is marked `failed` with `reason` when the store could
    still take that write (`recorded`); what was stored before stays. The command line says what to do
    and exits EXIT_RUN_FAILED."""

    def __init__(self, reason: str, run_id: int | None = None, recorded: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.run_id = run_id
        self.recorded = recorded
