from __future__ import annotations

from zhengqian.coordination import actions

PDF = actions.Upload(b"%PDF-1.4 done", "done.pdf", "application/pdf")
