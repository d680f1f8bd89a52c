"""The one typeface Chợ Quê draws text with outside the browser (PDF letters and reports, the
saved QR picture): DejaVu Sans, bundled in media/fonts/ with its licence, because it has every
Vietnamese letter and PDF core fonts and Pillow's built-in font have none."""
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
