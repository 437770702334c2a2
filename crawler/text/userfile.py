"""Files people write by hand (survey scores, overrides, the watch config): read them or say in one line,
Thai and English, which file is wrong and where."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


def read_user_file(path: str | Path, what_th: str, what_en: str, error: type[Exception]) -> Any:
    """The data of a YAML file (JSON too, by its suffix); `error` with a one-line message otherwise.

    what_th / what_en name the file for the reader ("ไฟล์ overrides" / "overrides file")."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
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
