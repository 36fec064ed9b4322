"""The "gtts" engine: Google Translate's voice through gTTS, with our own sending, retries and MP3 decoding."""

from __future__ import annotations

import base64
import http
import io
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from babel import Locale, UnknownLocaleError

from ..errors import EngineError
from . import Engine, Speech, Voice, register

try:
    import numpy
    import requests
    import soundfile
    import urllib3
    from gtts import gTTS
    from gtts.lang import tts_langs
    from gtts.version import __version__ as GTTS_VERSION
except ImportError:  # an optional extra: without it the engine says it is unavailable instead of breaking imports
    gTTS = None
    GTTS_VERSION = ""

if TYPE_CHECKING:
    from requests import PreparedRequest

OFFLINE_HINT = "check the network, or build offline with --engine espeak"
MAX_WAIT = 30.0  # seconds; a longer pause looks like a hang to someone watching the build
# Babel locale (or its language, or language_script) -> (gTTS language, Google host). Google picks some
# accents by host rather than by language code, and still uses some withdrawn ISO codes.
_VOICES = {
    "zh": ("zh-CN", "com"),  # Babel's bare "zh" is written in Simplified characters
    "zh_Hant": ("zh-TW", "com"),
    "pt": ("pt-PT", "com"),
    "pt_BR": ("pt", "com.br"),  # gTTS's bare "pt" is Brazilian Portuguese
    "es": ("es", "com.mx"),  # Latin American Spanish, as the espeak voice (gTTS's own default host speaks Spain's)
    "es_ES": ("es", "es"),
    "fil": ("tl", "com"),
    "he": ("iw", "com"),
    "fr_CA": ("fr-CA", "com"),
    "en_GB": ("en", "co.uk"),
    "en_AU": ("en", "com.au"),
}


@dataclass(frozen=True)
class Reply:
    """What a transport brings back for one request."""

    status: int
    body: bytes
    headers: dict = field(default_factory=dict)


Transport = Callable[["PreparedRequest", float], Reply]


def send_with_requests(request: PreparedRequest, timeout: float) -> Reply:
    """The default transport: requests as `requests.post` would send it (environment proxies, TLS verified)."""
    with requests.Session() as session:
        # gTTS sends with verify=False; we keep verification and honour REQUESTS_CA_BUNDLE like requests does.
        settings = session.merge_environment_settings(request.url, {}, None, True, None)
        try:
            response = session.send(request, timeout=timeout, **settings)
        except urllib3.exceptions.HTTPError as error:  # the few that requests does not wrap
            raise requests.ConnectionError(str(error)) from error
        return Reply(response.status_code, response.content, dict(response.headers))


def requests_for(text: str, voice: Voice) -> list[PreparedRequest]:
    """What would be sent for one sentence (gTTS splits text over 100 characters); no network."""
    prepared = []
    if text.strip():
        tts = gTTS(text, lang=voice.name, tld=voice.option("tld", "com"), lang_check=False)
        try:
            prepared = tts._prepare_requests()
        except AssertionError:  # gTTS asserts when only punctuation is left to say
            pass
    if not prepared:
        raise EngineError(f"gTTS finds nothing to say in {text!r}")
    return prepared


class GttsEngine(Engine):
    name = "gtts"
    version = GTTS_VERSION
    sends_text = True
    fixed_rate = True  # Google reads at one speed; synthesize ignores the rate

    def __init__(self, transport: Transport | None = None, timeout: float = 10.0, retries: int = 4,
                 backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep):
        self.transport = transport or send_with_requests
        self.timeout, self.retries, self.backoff, self.sleep = timeout, max(retries, 0), backoff, sleep

    def is_available(self) -> bool:
        return gTTS is not None and "MP3" in soundfile.available_formats()

    def voice_for(self, locale: str) -> Voice:
        self._require()
        langs = tts_langs()
        try:
            parsed = Locale.parse(locale)
            language, display = parsed.language, parsed.get_display_name("en")
            keys = [f"{language}_{part}" for part in (parsed.territory, parsed.script) if part] + [language]
        except (UnknownLocaleError, ValueError):
            language, display = locale.split("_")[0], locale
            keys = [locale, language]
        found = [_VOICES[key] for key in keys if key in _VOICES] + [(language, "com")]
        for lang, tld in found:
            if lang in langs:
                return Voice(engine=self.name, locale=locale, name=lang, language=langs[lang], options=(("tld", tld),))
        raise EngineError(f"gTTS has no {display} voice ({locale})", hint="try --engine espeak")

    def synthesize(self, text: str, voice: Voice, rate: int) -> Speech:
        self._require()
        mp3 = b"".join(self._fetch(request, voice) for request in requests_for(text, voice))
        return _decode(mp3, voice.locale)

    def _require(self) -> None:
        if gTTS is None:
            raise EngineError("the gtts engine needs the gTTS and soundfile packages",
                              hint="pip install gTTS soundfile, or use --engine espeak")

    def _fetch(self, request: PreparedRequest, voice: Voice) -> bytes:
        """One request's MP3, retrying what a later attempt may fix: the network, rate limits, Google's own faults."""
        attempts = self.retries + 1
        failure: Exception | Reply | None = None
        for attempt in range(attempts):
            reply = None
            try:
                reply = self.transport(request, self.timeout)
            except (OSError, requests.RequestException) as error:
                failure = error
            else:
                if 200 <= reply.status < 300:
                    return _audio_in(reply.body, voice)
                if not _worth_retrying(reply.status):
                    raise _refused(reply.status, voice.locale, attempt + 1)
                failure = reply
            if attempt + 1 < attempts:
                self.sleep(self._wait(attempt, reply))
        if isinstance(failure, Reply):
            raise _refused(failure.status, voice.locale, attempts)
        raise EngineError(f"gtts could not reach Google for {voice.locale} after {attempts} attempts: "
                          f"{_short_cause(failure)}", hint=OFFLINE_HINT) from None

    def _wait(self, attempt: int, reply: Reply | None) -> float:
        headers = {key.lower(): str(value).strip() for key, value in reply.headers.items()} if reply else {}
        after = headers.get("retry-after", "")
        if after.isascii() and after.isdigit():  # the HTTP-date form is rare enough to fall back to backoff
            return min(float(after), MAX_WAIT)
        return min(self.backoff * 2**attempt, MAX_WAIT)


def _worth_retrying(status: int) -> bool:
    return status == 429 or status >= 500


def _refused(status: int, locale: str, attempts: int) -> EngineError:
    try:
        phrase = http.HTTPStatus(status).phrase.lower()
    except ValueError:
        phrase = "unexpected status"
    after = f" after {attempts} attempts" if attempts > 1 else ""
    hint = OFFLINE_HINT if _worth_retrying(status) else \
        f"Google may have changed its service since gTTS {GTTS_VERSION}; build offline with --engine espeak"
    return EngineError(f"Google refused the {locale} text (HTTP {status}: {phrase}){after}", hint=hint)


def _short_cause(error: Exception) -> str:
    """One line for the user; requests' own messages run to several hundred characters."""
    text = str(error)
    if isinstance(error, requests.Timeout):
        return "no answer in time"
    if isinstance(error, requests.exceptions.SSLError):
        return "the TLS certificate check failed"
    if isinstance(error, requests.exceptions.ProxyError):
        return "the proxy did not connect"
    if "Failed to resolve" in text or "Name or service not known" in text:
        return "cannot look up Google's address"
    if "refused" in text.lower():
        return "connection refused"
    return f"{type(error).__name__}: {text.splitlines()[0] if text else 'no details'}"[:120]


def _audio_in(body: bytes, voice: Voice) -> bytes:
    """The MP3 in a batchexecute reply: a JSON line whose jQ1olc entry holds a JSON string holding base64."""
    decoder = json.JSONDecoder()
    for line in body.decode("utf-8", "replace").splitlines():
        start = line.find("[")
        if "jQ1olc" not in line or start < 0:
            continue
        try:
            # raw_decode, because batchexecute may put a chunk length or more data around the array
            entries, _ = decoder.raw_decode(line, start)
            payload = next((e[2] for e in entries if isinstance(e, list) and e[:2] == ["wrb.fr", "jQ1olc"]), None)
            audio = base64.b64decode(json.loads(payload)[0], validate=True)
        except (ValueError, TypeError, IndexError, KeyError):  # binascii.Error is a ValueError
            continue
        if audio:
            return audio
    raise EngineError(f"Google sent no audio for the {voice.locale} text",
                      hint=f"Google may no longer speak {voice.language} ({voice.name}); try --engine espeak")


def _decode(mp3: bytes, locale: str) -> Speech:
    try:
        samples, rate = soundfile.read(io.BytesIO(mp3), dtype="int16", always_2d=True)
    except (RuntimeError, soundfile.SoundFileError):  # its message names only an io.BytesIO object
        raise EngineError(f"the audio Google sent for {locale} does not decode as MP3") from None
    if not len(samples):
        raise EngineError(f"the audio Google sent for {locale} is empty")
    if samples.shape[1] > 1:
        samples = samples.mean(axis=1).round().astype(numpy.int16)
    return Speech(samples=samples.reshape(-1).astype("<i2").tobytes(), rate=rate)


register("gtts", GttsEngine)
