"""The help-desk page at `/` (static files from bot/web, no build step, no CDN) and its messages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from rag.prompts import messages

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
router = APIRouter(include_in_schema=False)


@router.get("/")
def page() -> FileResponse:
    return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})


@router.get("/ui/messages.json")
def ui_messages() -> dict[str, str]:
    """The page's own Vietnamese strings live in prompts/messages_vi.txt (keys `web_*`), like every
    other user-facing message."""
    return {key: text for key, text in messages().items() if key.startswith("web_")}
