"""Cloud-drive share links (issue 15, item 5): which URL to fetch for a Google Drive or OneDrive /
SharePoint link a district page carries, so that the file behind it, not the drive's viewer page, is
the evidence. Pure functions; the spider (spiders/site.py) decides when to use them and keeps the link
AS LINKED as the record's URL.

Shapes recognised and what is fetched for them:

- drive.google.com/file/d/ID/view, /open?id=ID, /uc?id=ID (also on docs.google.com):
  https://drive.google.com/uc?export=download&id=ID, Drive's own download link. It answers with the
  file (Content-Disposition names it) or, for a file too big for the virus scan, a "Download anyway"
  page whose form (id="download-form", action drive.usercontent.google.com/download, hidden inputs id,
  export, confirm, uuid) is followed once (`confirm_url`). A Drive id that is a Google Doc is sent on to
  the Docs editor: that page's own share (its export, below) is fetched once instead.
- docs.google.com/document|spreadsheets|presentation/d/ID/…: the editor's export,
  /d/ID/export?format=docx|xlsx|pdf (a Google Doc is an editable document, a Sheet a workbook).
- drive.google.com/drive/folders/ID (and folderview?id=ID): the folder's script-free listing
  https://drive.google.com/embeddedfolderview?id=ID, whose entries are plain links to
  /file/d/ID/view and /drive/folders/ID; the spider follows files one hop and sub-folders one level.
- onedrive.live.com/… and 1drv.ms/…: the share-to-download API form
  https://api.onedrive.com/v1.0/shares/u!BASE64URL/root/content, BASE64URL being the share URL as
  unpadded base64url ("Encoding sharing URLs", https://learn.microsoft.com/en-us/onedrive/developer/
  rest-api/api/shares_get; anonymous with the link's authkey, https://stackoverflow.com/questions/36015295).
- TENANT.sharepoint.com/:b:/… (:x: :w: :p: … a file): the share URL with download=1 added, which makes
  SharePoint answer with the file instead of its viewer. A folder (:f:, 1drv.ms/f/) is fetched as it
  is, one hop: a private one shows as not public; a public one cannot be listed (its page is a script,
  and the shares API lists children only with a signed-in app's token), so it is recorded as
  FailureKind.FOLDER_UNLISTED and the audit leaves the items it may hold not checked.

A private share answers with a sign-in page: Google redirects to accounts.google.com (ServiceLogin),
Microsoft to login.live.com or login.microsoftonline.com (`is_sign_in`); a 401/403 from a drive host is
the same answer. The spider records either as FailureKind.NOT_PUBLIC.
"""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

MAX_FOLDER_ENTRIES = 100      # files of one shared folder fetched; the rest are a limit record
MAX_FOLDER_DEPTH = 1          # sub-folders of a linked folder listed; deeper ones are not

GOOGLE_HOSTS = frozenset({"drive.google.com", "docs.google.com", "drive.usercontent.google.com"})
SIGN_IN_HOSTS = frozenset({"accounts.google.com", "login.live.com", "login.microsoftonline.com"})
_ID = r"[A-Za-z0-9_-]{10,}"
_FILE_PATH = re.compile(rf"^(?:/a/[^/]+)?/file/(?:u/\d+/)?d/({_ID})(?:/|$)")
_FOLDER_PATH = re.compile(rf"^(?:/a/[^/]+)?/drive/(?:u/\d+/)?(?:mobile/)?folders/({_ID})(?:/|$)")
_EDITOR_PATH = re.compile(rf"^/(document|spreadsheets|presentation)/(?:u/\d+/)?d/({_ID})(?:/|$)")
EXPORT_FORMAT = {"document": "docx", "spreadsheets": "xlsx", "presentation": "pdf"}
# SharePoint's share links: /:b:/s/site/TOKEN, /:x:/g/personal/user/TOKEN; the letter is the item's type.
_SHAREPOINT_PATH = re.compile(r"^/:([a-z]):/")
_DOWNLOAD_FORM = re.compile(r"<form[^>]*\bid=[\"']download-form[\"'][^>]*>(.*?)</form>", re.I | re.S)
_FORM_ACTION = re.compile(r"<form[^>]*\baction=[\"']([^\"']+)[\"']", re.I)
_HIDDEN = re.compile(r"<input[^>]*\btype=[\"']hidden[\"'][^>]*>", re.I)
_ATTR = re.compile(r"\b(name|value)=[\"']([^\"']*)[\"']", re.I)


@dataclass(frozen=True)
class Share:
    provider: str           # "google" | "microsoft"
    folder: bool            # a folder view (its files are listed, then fetched)
    fetch_url: str          # what the crawl requests for the link


def _google_file(file_id: str) -> Share:
    return Share("google", False, f"https://drive.google.com/uc?{urlencode({'export': 'download', 'id': file_id})}")


def _google_folder(folder_id: str) -> Share:
    return Share("google", True, f"https://drive.google.com/embeddedfolderview?{urlencode({'id': folder_id})}")


def share_of(url: str) -> Share | None:
    """The share a link is and what to fetch for it, or None for any other link."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    query = parse_qs(parts.query)
    if host in ("drive.google.com", "docs.google.com"):
        if m := _FILE_PATH.match(path):
            return _google_file(m.group(1))
        if m := _FOLDER_PATH.match(path):
            return _google_folder(m.group(1))
        if m := _EDITOR_PATH.match(path):
            kind, doc_id = m.groups()
            return Share("google", False, f"https://docs.google.com/{kind}/d/{doc_id}/export?"
                                          + urlencode({"format": EXPORT_FORMAT[kind]}))
        given = (query.get("id") or [""])[0]
        if re.fullmatch(_ID, given):
            if path in ("/folderview", "/embeddedfolderview"):
                return _google_folder(given)
            if path in ("/open", "/uc"):
                return _google_file(given)
        return None
    if host == "1drv.ms" or host == "onedrive.live.com":
        if host == "1drv.ms" and path.startswith("/f/"):
            return Share("microsoft", True, url)
        token = base64.urlsafe_b64encode(url.encode("utf-8")).decode("ascii").rstrip("=")
        return Share("microsoft", False, f"https://api.onedrive.com/v1.0/shares/u!{token}/root/content")
    if host.endswith(".sharepoint.com") and (m := _SHAREPOINT_PATH.match(path)):
        if m.group(1) == "f":
            return Share("microsoft", True, url)
        pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "download"]
        return Share("microsoft", False, urlunsplit(parts._replace(query=urlencode(pairs + [("download", "1")]))))
    return None


def is_share_host(url: str) -> bool:
    """Is this an address of a drive's own (where a 401/403 means the share is not public)?"""
    host = (urlsplit(url).hostname or "").lower()
    return (host in GOOGLE_HOSTS or host in ("1drv.ms", "onedrive.live.com", "api.onedrive.com")
            or host.endswith(".sharepoint.com"))


def is_sign_in(url: str) -> bool:
    """Did the answer come from a drive's sign-in page (the share is not public)?"""
    return (urlsplit(url).hostname or "").lower() in SIGN_IN_HOSTS


def confirm_url(body: str, url: str) -> str | None:
    """The "Download anyway" link of Google's virus-scan page for a big file, or None for any other page."""
    form = _DOWNLOAD_FORM.search(body)
    if form is None:
        return None
    action = _FORM_ACTION.search(form.group(0))
    fields = []
    for tag in _HIDDEN.findall(form.group(1)):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
        if attrs.get("name"):
            fields.append((attrs["name"], attrs.get("value", "")))
    if action is None or not any(name == "confirm" for name, _ in fields):
        return None
    return urljoin(url, html.unescape(action.group(1))) + "?" + urlencode(fields)
