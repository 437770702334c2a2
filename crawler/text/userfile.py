"""Files people write by hand (survey scores, overrides, the watch config): read them or say in one line,
Thai and English, which file is wrong and where."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

MAX_USER_FILE = 5 * 1024 * 1024       # hand-written files are a few KB


def read_user_file(path: str | Path, what_th: str, what_en: str, error: type[Exception]) -> Any:
    """The data of a YAML file (JSON too, by its suffix); `error` with a one-line message otherwise.

    what_th / what_en name the file for the reader ("ไฟล์ overrides" / "overrides file")."""
    path = Path(path)
    try:
        with path.open("rb") as fh:       # read at most the cap: /dev/zero given by mistake ends too
            data = fh.read(MAX_USER_FILE + 1)
        if len(data) > MAX_USER_FILE:
            raise error(f"{path}: {what_th}ใหญ่เกิน / the {what_en} is over {MAX_USER_FILE // 1024 // 1024} MB: "
                        "give the hand-written YAML file")
        text = data.decode("utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise error(f"{path}: ไม่พบ{what_th} / no such {what_en}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: อ่าน{what_th}ไม่ได้ / cannot read the {what_en}: {exc}") from None
    as_json = path.suffix.lower() == ".json"
    try:
        return json.loads(text) if as_json else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise error(f"{path}: ไม่ใช่ JSON ที่ถูกต้อง / not valid JSON (บรรทัด/line {exc.lineno}): {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (บรรทัด/line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise error(f"{path}: ไม่ใช่ YAML ที่ถูกต้อง / not valid YAML{at}: {problem}") from None
    except RecursionError:
        raise error(f"{path}: ซ้อนกันลึกเกินไป / the {what_en} is nested too deeply to be one "
                    "(check its brackets and indentation)") from None
    except ValueError as exc:     # YAML turns 2024-02-30 into a date: an impossible one fails here
        raise error(f"{path}: มีค่าที่เป็นไปไม่ได้ / the {what_en} holds an impossible value ({exc}); "
                    "check its dates (YYYY-MM-DD, a real day of the month)") from None
