"""Learning from what users ask: a private, local analytics store and the curator's report.

The bot records through `AnalyticsStore` (never blocks, never raises); the curator reads with
`dystonia-faq report`. Nothing here imports Telegram.
"""

from faq.analytics.privacy import PRIVACY_TEXT, privacy_text
from faq.analytics.reader import AnalyticsReadError
from faq.analytics.report import Report, build_report, load_report
from faq.analytics.settings import AnalyticsSettings
from faq.analytics.store import AnalyticsStore
from faq.analytics.text_report import format_text, summary_text
from faq.analytics.writer import StoreStats

__all__ = [
    "PRIVACY_TEXT",
    "AnalyticsReadError",
    "AnalyticsSettings",
    "AnalyticsStore",
    "Report",
    "StoreStats",
    "build_report",
    "format_text",
    "load_report",
    "privacy_text",
    "summary_text",
]
