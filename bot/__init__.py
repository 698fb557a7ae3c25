"""The Telegram transport of the dystonia FAQ bot: parse the update, ask the brain, render, send.

Arrows point one way: `bot` uses `faq`; `faq` never imports Telegram.
"""
