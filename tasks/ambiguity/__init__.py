"""Offline ambiguity assessment: named cues, a small learned linear model, reasons and questions."""
