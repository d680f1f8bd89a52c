"""Vietnamese text rules shared by search, slugs, payment memos and imports.

Pure functions, no Flask, no Whoosh. Everything normalises to NFC first because
phones send both composed and decomposed Unicode.

Tone placement style (``canonical_tones``): the *traditional* style, which puts
the tone of an open oa / oe / uy on the first vowel: hòa, khỏe, thủy (not hoà,
khoẻ, thuỷ). Both spellings are accepted on input and normalise to this one.
"""
import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})

# Combining tone marks: huyền, sắc, hỏi, ngã, nặng.
GRAVE, ACUTE, HOOK, TILDE, DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_TONE_MARKS = frozenset((GRAVE, ACUTE, HOOK, TILDE, DOT))

VOWELS = frozenset("aăâeêioôơuưy")
_MARKED_VOWELS = frozenset("ăâêôơư")
ONSETS = frozenset(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split()
) | {""}
CODAS = frozenset("c ch m n ng nh p t".split()) | {""}
NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi "
    "ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê "
    "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu".split()
)
# Open oa/oe/uy: the only nuclei whose tone position is a matter of style.
_STYLE_NUCLEI = frozenset(("oa", "oe", "uy"))

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_WORD = re.compile(r"\w+")
# onset + lone "y" in folded text: lý/lí, kỹ/kĩ, mỹ/mĩ, quý/quí all become "-i".
_ONSET_Y = re.compile(r"\b(ch|gh|kh|ngh|ng|nh|ph|qu|th|tr|[bcdghklmnprstvx])y\b")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Remove every diacritic, keeping case: 'Đà Lạt' -> 'Da Lat'.

    đ has no Unicode decomposition, so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def slugify(text: str, max_length: int = 80) -> str:
    """Accent-free, lower-case, hyphenated: 'Cá chạch sấy khô' -> 'ca-chach-say-kho'."""
    ascii_text = fold(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_length].rstrip("-")


def split_syllable(bare: str):
    """Split a lower-case, tone-less syllable into (onset, nucleus, coda).

    Returns None when it is not a well-formed Vietnamese syllable. The u of qu
    and the i of gi (before another vowel) belong to the onset: quả, giữ.
    """
    cut = 0
    while cut < len(bare) and bare[cut] not in VOWELS:
        cut += 1
    onset, rest = bare[:cut], bare[cut:]
    if onset in ("g", "q") and len(rest) > 1 and rest[0] == ("i" if onset == "g" else "u") \
            and rest[1] in VOWELS:
        onset, rest = onset + rest[0], rest[1:]
    end = 0
    while end < len(rest) and rest[end] in VOWELS:
        end += 1
    nucleus, coda = rest[:end], rest[end:]
    if onset in ONSETS and nucleus in NUCLEI and coda in CODAS:
        return onset, nucleus, coda
    return None


def tone_index(nucleus: str, coda: str) -> int:
    """Index inside the nucleus of the vowel that carries the tone mark."""
    marked = [i for i, ch in enumerate(nucleus) if ch in _MARKED_VOWELS]
    if marked:
        return marked[-1]  # ươ -> ơ (được); otherwise the only marked vowel
    if len(nucleus) == 1:
        return 0
    if coda:
        return len(nucleus) - 1  # hoàng, huỳnh, toán
    if nucleus in _STYLE_NUCLEI:
        return 0  # traditional style: hòa, khỏe, thủy
    return len(nucleus) - 2  # mía, múa, xoài, khuỷu


def place_tone(bare: str, tone_mark: str):
    """Put a combining tone mark on a lower-case tone-less syllable; None if invalid."""
    parts = split_syllable(bare)
    if parts is None:
        return None
    onset, nucleus, coda = parts
    if not tone_mark:
        return bare
    pos = len(onset) + tone_index(nucleus, coda)
    return bare[:pos] + unicodedata.normalize("NFC", bare[pos] + tone_mark) + bare[pos + 1:]


def _canonical_word(word: str) -> str:
    bare_chars, tones = [], []
    for ch in word:
        decomposed = unicodedata.normalize("NFD", ch)
        tones.extend(mark for mark in decomposed if mark in _TONE_MARKS)
        kept = "".join(mark for mark in decomposed if mark not in _TONE_MARKS)
        bare_chars.append(unicodedata.normalize("NFC", kept))
    if len(tones) != 1 or any(len(ch) != 1 for ch in bare_chars):
        return word  # no tone to move, or too odd to touch
    lower = "".join(bare_chars).lower()
    parts = split_syllable(lower) if len(lower) == len(word) else None
    if parts is None:
        return word  # not a Vietnamese syllable (café, ST25): leave alone
    onset, nucleus, coda = parts
    pos = len(onset) + tone_index(nucleus, coda)
    bare_chars[pos] = unicodedata.normalize("NFC", bare_chars[pos] + tones[0])
    return "".join(bare_chars)


def canonical_tones(text: str) -> str:
    """NFC text with every syllable's tone mark in the one canonical place.

    Keeps case: 'Hoà Bình, Thuỷ' -> 'Hòa Bình, Thủy'. Words that are not
    Vietnamese syllables are returned unchanged.
    """
    return _LETTER_RUN.sub(lambda m: _canonical_word(m.group(0)), nfc(text))


def normalize(text: str) -> str:
    """NFC, canonical tone placement, lower case: the exact search form."""
    return nfc(canonical_tones(text).casefold())


def fold_key(text: str) -> str:
    """Accent-free search form: normalize, fold (đ->d), i/y after an onset -> i.

    'Tỏi Lý Sơn' and 'tỏi lí sơn' both give 'toi li son'; 'ý' and 'thủy' keep
    their y.
    """
    return _ONSET_Y.sub(r"\1i", fold(normalize(text)).lower())


def syllables(text: str) -> list[str]:
    """Normalised tokens on \\w+: no stop words, no minimum length ('an', 'u')."""
    return _WORD.findall(normalize(text))


def folded_syllables(text: str) -> list[str]:
    """``syllables`` in their ``fold_key`` form, one per syllable."""
    return [fold_key(syllable) for syllable in syllables(text)]


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (tone, hat, horn, đ)."""
    composed = nfc(text)
    return fold(composed) != composed


# --- Typing-method leftovers (Telex, VNI) -----------------------------------

_HAT = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"o": "ơ", "u": "ư"}
_BREVE = {"a": "ă"}
_TELEX_TONES = {"s": ACUTE, "f": GRAVE, "r": HOOK, "x": TILDE, "j": DOT, "z": ""}
_VNI_TONES = {"1": ACUTE, "2": GRAVE, "3": HOOK, "4": TILDE, "5": DOT, "0": ""}
_VNI_MARKS = {"6": _HAT, "7": _HORN, "8": _BREVE}
_FRONT = frozenset("eêiy")


def _modify_nucleus(chars: list, table: dict) -> bool:
    """Apply a hat/horn/breve to the last matching vowel of the nucleus.

    Works whether the key follows the vowel (maa) or the coda (tiengs + e-less
    VNI 'tieng6'); 'uo' + horn gives 'ươ' as both typing methods do.
    """
    seen_vowel = False
    for i in range(len(chars) - 1, -1, -1):
        ch = chars[i]
        if ch in VOWELS:
            seen_vowel = True
            if ch in table:
                chars[i] = table[ch]
                if table is _HORN and ch == "o" and i and chars[i - 1] == "u":
                    chars[i - 1] = "ư"
                return True
        elif seen_vowel:
            return False  # reached the onset
    return False


def _plausible(bare: str, tone_mark: str):
    """Validated syllable with its tone placed, or None.

    Stricter than ``canonical_tones``: spelling rules (c/k, g/gh, ng/ngh) and
    stop finals (c ch p t) only with sắc or nặng.
    """
    parts = split_syllable(bare)
    if parts is None:
        return None
    onset, nucleus, coda = parts
    front = nucleus[0] in _FRONT
    if (onset == "c" and front) or (onset == "k" and not front):
        return None
    if onset in ("gh", "ngh") and not front:
        return None
    if onset == "ng" and front:
        return None
    if onset == "g" and front and not nucleus.startswith("i"):
        return None  # 'gi' + i is spelled gì, gìn
    if coda in ("c", "ch", "p", "t") and tone_mark not in (ACUTE, DOT):
        return None
    return place_tone(bare, tone_mark)


def telex_decode(token: str):
    """Decode a Telex leftover ('chachj', 'dduwowngf') into 'chạch', 'đường'.

    Returns the lower-case NFC syllable, or None when the token holds no Telex
    key or does not decode into a well-formed Vietnamese syllable.
    """
    word = (token or "").lower()
    if not re.fullmatch(r"[a-z]+", word):
        return None
    first = next((i for i, ch in enumerate(word) if ch in "aeiouyw"), None)
    if first is None:
        return None
    head, tail = word[:first], word[first:]
    tone_keys = [ch for ch in tail if ch in _TELEX_TONES]
    if len(tone_keys) > 1:
        return None
    used = bool(tone_keys)
    if head.startswith("dd"):
        head, used = "đ" + head[2:], True
    chars = list(head)
    for ch in tail:
        if ch in _TELEX_TONES:
            continue
        if ch == "w":
            if not _modify_nucleus(chars, _HORN) and not _modify_nucleus(chars, _BREVE):
                chars.append("ư")
            used = True
        elif ch in _HAT and chars and chars[-1] == ch:
            chars[-1], used = _HAT[ch], True
        else:
            chars.append(ch)
    if not used:
        return None
    return _plausible("".join(chars), _TELEX_TONES[tone_keys[0]] if tone_keys else "")


def vni_decode(token: str):
    """Decode a VNI leftover ('ca1', 'd9u7o72ng') into 'cá', 'đường'; else None."""
    word = (token or "").lower()
    if not re.fullmatch(r"[a-z0-9]+", word) or not re.search(r"\d", word):
        return None
    chars, tones = [], []
    for ch in word:
        if ch in _VNI_TONES:
            tones.append(_VNI_TONES[ch])
        elif ch in _VNI_MARKS:
            if not _modify_nucleus(chars, _VNI_MARKS[ch]):
                return None
        elif ch == "9":
            if not chars or chars[0] != "d":
                return None
            chars[0] = "đ"
        else:
            chars.append(ch)
    if len(tones) > 1 or not any(ch in VOWELS for ch in chars):
        return None
    return _plausible("".join(chars), tones[0] if tones else "")


# --- Legacy 8-bit encodings read as Windows-1252 ------------------------------

# TCVN3 (ABC) puts Vietnamese letters on Latin-1 symbol code points: 'C¸ ch¹ch'.
_TCVN3_SYMBOLS = frozenset(chr(code) for code in range(0xA1, 0xC0)) | {"×", "÷"}
# Symbols that real text glues after a word (Dasani®, 25°C): count only before a letter.
_TRAILING_SYMBOLS = frozenset("®©°±²³¹ºª·µ")
# Latin-1 letters that never occur in Vietnamese but fill TCVN3, VNI and VISCII text.
_FOREIGN_LETTERS = frozenset("äåæçëîïñöøûüþÿßÄÅÆÇËÎÏÑÖØÛÜÞÐð")
# VNI-Windows writes a base vowel then a mark byte: 'Caù chaïch', 'ñöôøng'.
_VNI_PAIR = re.compile(
    r"[aeiouyôö][ùøûõï]|[aeo]â|a[êáàåãäéèúüë]", re.IGNORECASE
)
_C1_CONTROLS = re.compile(r"[\x80-\x9f]")


def legacy_encoding_score(text: str) -> int:
    """Weighted count of mojibake signs; see ``looks_like_legacy_encoding``."""
    text = nfc(text)
    score = 2 * len(_VNI_PAIR.findall(text)) + 2 * len(_C1_CONTROLS.findall(text))
    for i, ch in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in _FOREIGN_LETTERS:
            score += 1
        elif ch in _TCVN3_SYMBOLS:
            follows_letter = before.isalpha() and ch not in _TRAILING_SYMBOLS
            precedes_letter = after.isalpha() and not before.isdigit()  # not 25°C
            if follows_letter or precedes_letter:
                score += 2
    return score


def looks_like_legacy_encoding(text: str) -> bool:
    """Heuristic: does this text look like TCVN3 / VNI / VISCII bytes decoded
    as Windows-1252 ('C¸ ch¹ch', 'Caù chaïch')? For import validation only.

    One strong sign (a symbol glued to a letter, a VNI vowel+mark pair, a C1
    control) or two foreign Latin-1 letters are enough; the lone ü of 'Müller' is
    not.
    """
    return legacy_encoding_score(text) >= 2
