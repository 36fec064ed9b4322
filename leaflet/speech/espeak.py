"""The offline default voice: espeak-ng from the espeakng-loader wheel, in-process through ctypes.

No system package and no network: the wheel carries libespeak-ng and its language data. espeak-ng keeps one
global state, so one instance is initialized per process and every call holds a lock.
"""

from __future__ import annotations

import ctypes
import threading

from babel import Locale

from ..errors import EngineError
from . import Engine, Speech, Voice, register

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_RATE = 1
_CHARS_UTF8 = 1
_EE_OK = 0
# The sound comes back in pieces of this many milliseconds, each through a call into Python: espeak-ng's default
# (60 ms) made 83,000 calls a cold build. The samples are the same whatever the size (a test compares them).
_BUFFER_MS = 1000
# Where espeak-ng's own name for a language differs from the locale's, or a country picks an accent.
_ALIASES = {
    "zh": "cmn",
    "zh_Hans": "cmn",
    "zh_Hant": "cmn",
    "yue": "yue",
    "en": "en-us",
    "en_US": "en-us",
    "en_GB": "en",
    "pt": "pt",
    "pt_BR": "pt-br",
    # Spanish without a country is said the Latin American way, as most Spanish speakers (and the US clinics
    # that publish in Spanish) say it; Spain's Castilian voice (with "z" said as "th") is es_ES.
    "es": "es-419",
    "es_ES": "es",
    "es_419": "es-419",
    "es_MX": "es-419",
    "es_US": "es-419",
    "fil": "",  # espeak-ng 1.52 has no Tagalog/Filipino voice
    "tl": "",
}

_lock = threading.Lock()
_state: dict = {}


def _library():
    """Load and initialize libespeak-ng once; later calls reuse it."""
    if "lib" in _state:
        return _state["lib"], _state["rate"]
    try:
        import espeakng_loader
    except ImportError:
        raise EngineError("espeak-ng is not installed (the espeakng-loader package)", hint="run 'make setup'") from None
    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
        ctypes.c_void_p, ctypes.c_void_p,
    ]
    rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS, espeakng_loader.get_data_path().encode(), 0)
    if rate <= 0:
        raise EngineError("espeak-ng did not start (its data folder may be damaged)", hint="reinstall espeakng-loader")
    chunks: list[bytes] = []

    @ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
    def collect(wav, count, events):
        if count > 0 and wav:
            chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # go on synthesizing

    lib.espeak_SetSynthCallback(collect)
    _state.update(lib=lib, rate=rate, chunks=chunks, callback=collect)  # the callback must outlive this call
    return lib, rate


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("espeakng-loader")
    except Exception:  # pragma: no cover - metadata missing in an odd install
        return "unknown"


class EspeakEngine(Engine):
    name = "espeak"
    sends_text = False
    fixed_rate = False
    # espeak-ng speaks a sentence in about 6 ms. Keeping each one (FLAC, sealed) cost 1.5 s of a cold build of the
    # shipped guides (0.6 s a second of speech) and some 100 MB of disk a procedure in 12 languages, never given
    # back; the step cache already keeps what a rebuild reuses, and a step made again (one sentence changed, say)
    # is spoken again whole: some ten sentences, 0.06 s.
    keeps_sentences = False

    def __init__(self) -> None:
        self.version = _version()

    def is_available(self) -> bool:
        try:
            with _lock:
                _library()
        except (EngineError, OSError):
            return False
        return True

    def voice_for(self, locale: str) -> Voice:
        language = Locale.parse(locale).get_display_name("en") or locale
        base = locale.split("_")[0]
        if base in ("fil", "tl"):
            language = "Filipino (Tagalog)"
        candidates = [_ALIASES[locale]] if locale in _ALIASES else []
        if not candidates:
            territory = Locale.parse(locale).territory
            candidates = [f"{base}-{territory.lower()}"] if territory else []
            candidates.append(_ALIASES.get(base, base))
        with _lock:
            lib, _ = _library()
            for name in candidates:
                if name and lib.espeak_SetVoiceByName(name.encode()) == _EE_OK:
                    return Voice(self.name, locale, name, language)
        raise EngineError(
            f"espeak-ng has no {language} voice ({locale})",
            hint="try --engine gtts, which sends the text to Google" if base in ("fil", "tl") else None,
        )

    def synthesize(self, text: str, voice: Voice, rate: int) -> Speech:
        data = text.encode("utf-8") + b"\0"
        with _lock:
            lib, sample_rate = _library()
            chunks = _state["chunks"]
            chunks.clear()
            if lib.espeak_SetVoiceByName(voice.name.encode()) != _EE_OK:
                raise EngineError(f"espeak-ng lost its {voice.language} voice ({voice.name})")
            lib.espeak_SetParameter(_ESPEAK_RATE, int(rate), 0)
            status = lib.espeak_Synth(data, len(data), 0, 0, 0, _CHARS_UTF8, None, None)
            lib.espeak_Synchronize()
            samples = b"".join(chunks)
            chunks.clear()
        if status != _EE_OK:
            raise EngineError(f"espeak-ng could not speak a {voice.language} sentence (status {status})")
        return Speech(samples, sample_rate)


register("espeak", EspeakEngine)
