"""The gtts engine against a fake Google that answers with real MP3, and its real transport against local servers
and a port where nothing listens. Only the test marked `network` talks to Google (`pytest -m network`)."""

from __future__ import annotations

import base64
import contextlib
import datetime
import http.server
import json
import re
import socket
import ssl
import threading
import time
import urllib.parse

import gtts.version
import lameenc
import numpy
import pytest
import requests

from leaflet.errors import EngineError
from leaflet.speech.gtts import GttsEngine, Reply, requests_for, send_with_requests

RATE = 24000  # what Google's voice sends: 24 kHz mono MP3
BATCHEXECUTE = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


def tone_mp3(seconds: float, hz: float = 440.0, channels: int = 1) -> bytes:
    """A real MP3 of a sine tone, shaped like Google's (24 kHz mono, 32 kbit/s)."""
    t = numpy.arange(int(RATE * seconds)) / RATE
    wave = (numpy.sin(2 * numpy.pi * hz * t) * 8000).astype("<i2")
    pcm = numpy.repeat(wave, channels).tobytes()  # interleaved frames
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32 * channels)
    encoder.set_in_sample_rate(RATE)
    encoder.set_out_sample_rate(RATE)  # without it LAME picks 22050 Hz for 32 kbit/s
    encoder.set_channels(channels)
    encoder.set_quality(5)
    return bytes(encoder.encode(pcm) + encoder.flush())


def google_body(audio: bytes | None) -> bytes:
    """A batchexecute reply as Google frames it; `None` is what it sends for a language it does not speak."""
    payload = None if audio is None else json.dumps([base64.b64encode(audio).decode("ascii")])
    line = json.dumps([["wrb.fr", "jQ1olc", payload, None, None, None, "generic"], ["di", 42],
                       ["af.httprm", 41, "-2286455431390475497", 8]], separators=(",", ":"))
    tail = '[["e",4,null,null,130]]'
    return f")]}}'\n\n{len(line)}\n{line}\n{len(tail)}\n{tail}\n".encode()


class FakeGoogle:
    """A transport that plays a script of replies or exceptions (the last one repeats) and records what it got."""

    def __init__(self, *script: Reply | Exception):
        self.script = list(script)
        self.sent: list[tuple[requests.PreparedRequest, float]] = []

    def __call__(self, request: requests.PreparedRequest, timeout: float) -> Reply:
        self.sent.append((request, timeout))
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        return step


def ok(seconds: float = 1.0) -> Reply:
    return Reply(200, google_body(tone_mp3(seconds)), {"Content-Type": "application/json; charset=utf-8"})


def engine(transport, **options) -> tuple[GttsEngine, list[float]]:
    sleeps: list[float] = []
    return GttsEngine(transport=transport, sleep=sleeps.append, **options), sleeps


def sent(request: requests.PreparedRequest) -> tuple[str, str]:
    """(text, gTTS language) from a batchexecute body: a form field holding JSON holding JSON."""
    rpc = json.loads(urllib.parse.parse_qs(request.body)["f.req"][0])
    text, lang, *_ = json.loads(rpc[0][0][1])
    return text, lang


@pytest.fixture(scope="module")
def spanish() -> object:
    return GttsEngine().voice_for("es")


def test_the_fake_reply_is_what_gtts_itself_would_read():
    # gTTS 2.5.4's own pattern (tts.py, stream): keeps the fake honest about Google's framing
    line = next(line for line in google_body(b"\xff\xf3audio").decode().splitlines() if "jQ1olc" in line)
    found = re.search(r'jQ1olc","\[\\"(.*)\\"]', line)
    assert found and base64.b64decode(found.group(1)) == b"\xff\xf3audio"


def test_engine_describes_itself():
    gtts_engine = GttsEngine()
    assert (gtts_engine.name, gtts_engine.version) == ("gtts", gtts.version.__version__)
    assert gtts_engine.sends_text and gtts_engine.fixed_rate and gtts_engine.is_available()


def test_a_sentence_comes_back_as_the_sound_google_sent(spanish):
    google = FakeGoogle(ok(1.0))
    gtts_engine, sleeps = engine(google, timeout=7.5)
    speech = gtts_engine.synthesize("Hola, ¿cómo está?", spanish, 135)
    assert speech.rate == RATE and abs(speech.seconds - 1.0) < 0.1  # MP3 adds encoder delay and padding
    assert numpy.abs(numpy.frombuffer(speech.samples, "<i2")).max() > 4000
    [(request, timeout)] = google.sent
    assert (request.method, request.url, timeout) == ("POST", BATCHEXECUTE.replace(".com/", ".com.mx/"), 7.5)
    assert sent(request) == ("Hola, ¿cómo está?", "es")
    assert sleeps == []


def test_stereo_audio_is_mixed_to_mono(spanish):
    speech = engine(FakeGoogle(Reply(200, google_body(tone_mp3(0.8, channels=2)), {})))[0].synthesize("Hola.", spanish, 135)
    assert speech.rate == RATE and abs(speech.seconds - 0.8) < 0.1
    assert numpy.abs(numpy.frombuffer(speech.samples, "<i2")).max() > 4000


def test_the_rate_is_ignored_because_google_reads_at_one_speed(spanish):
    slow = GttsEngine(transport=FakeGoogle(ok(0.5))).synthesize("Hola.", spanish, 80)
    fast = GttsEngine(transport=FakeGoogle(ok(0.5))).synthesize("Hola.", spanish, 220)
    assert slow == fast


def test_text_over_100_characters_goes_in_parts_and_the_audio_is_joined(spanish):
    # no commas: gTTS's tokenizer also splits at every comma once the text is over 100 characters
    first = "Antes del procedimiento no coma ni beba nada durante las seis horas anteriores."
    second = "Traiga la lista de sus medicamentos y a una persona que le lleve a casa."
    google = FakeGoogle(ok(0.6), ok(0.9))
    speech = engine(google)[0].synthesize(f"{first} {second}", spanish, 135)
    assert len(google.sent) == 2
    assert [sent(request)[0] for request, _ in google.sent] == [first.rstrip("."), second]  # it eats the split point
    assert abs(speech.seconds - 1.5) < 0.2


def test_requests_for_shows_what_would_be_sent_without_the_network(spanish):
    [request] = requests_for("Hola.", spanish)
    assert request.url == BATCHEXECUTE.replace(".com/", ".com.mx/") and sent(request) == ("Hola.", "es")
    brazil = GttsEngine().voice_for("pt_BR")
    assert requests_for("Olá.", brazil)[0].url.startswith("https://translate.google.com.br/")
    with pytest.raises(EngineError, match="nothing to say"):
        requests_for(" ... ", spanish)


def test_too_many_requests_is_retried_with_growing_backoff(spanish):
    google = FakeGoogle(Reply(429, b"", {}), Reply(429, b"", {}), ok(0.5))
    gtts_engine, sleeps = engine(google, backoff=0.5)
    assert abs(gtts_engine.synthesize("Hola.", spanish, 135).seconds - 0.5) < 0.1
    assert len(google.sent) == 3 and sleeps == [0.5, 1.0]


def test_retry_after_is_honoured_and_capped(spanish):
    google = FakeGoogle(Reply(429, b"", {"Retry-After": "7"}), Reply(503, b"", {"retry-after": "600"}),
                        Reply(503, b"", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), ok(0.5))
    gtts_engine, sleeps = engine(google, backoff=1.0)
    gtts_engine.synthesize("Hola.", spanish, 135)
    assert sleeps == [7.0, 30.0, 4.0]  # a date is not a number: the third wait is plain backoff


@pytest.mark.parametrize("failure", [requests.ConnectionError("connection reset by peer"),
                                     requests.ReadTimeout("read timed out"), ConnectionResetError(104, "reset")])
def test_a_network_that_never_answers_gives_one_engine_error(spanish, failure):
    google = FakeGoogle(failure)
    gtts_engine, sleeps = engine(google, retries=4, backoff=1.0)
    with pytest.raises(EngineError) as err:
        gtts_engine.synthesize("Hola.", spanish, 135)
    message = str(err.value)
    assert message.startswith("gtts could not reach Google for es after 5 attempts: ") and "--engine espeak" in message
    assert "\n" not in message and err.value.__cause__ is None and err.value.__suppress_context__
    assert len(google.sent) == 5 and sleeps == [1.0, 2.0, 4.0, 8.0]


def test_backoff_never_waits_more_than_30_seconds(spanish):
    gtts_engine, sleeps = engine(FakeGoogle(Reply(503, b"", {})), retries=8, backoff=1.0)
    with pytest.raises(EngineError, match=r"Google refused the es text \(HTTP 503: service unavailable\) after 9"):
        gtts_engine.synthesize("Hola.", spanish, 135)
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


@pytest.mark.parametrize("status", [400, 403, 404])
def test_a_refusal_that_retrying_cannot_fix_fails_at_once(spanish, status):
    google = FakeGoogle(Reply(status, b"<html>no</html>", {}), ok())
    gtts_engine, sleeps = engine(google)
    with pytest.raises(EngineError) as err:
        gtts_engine.synthesize("Hola.", spanish, 135)
    assert re.fullmatch(rf"Google refused the es text \(HTTP {status}: [a-z ]+\)", err.value.message)
    assert len(google.sent) == 1 and sleeps == []


@pytest.mark.parametrize("body", [google_body(None), b")]}'\n\n[]\n", b"<html>Sorry...</html>", b""])
def test_a_reply_without_audio_is_an_engine_error(spanish, body):
    google = FakeGoogle(Reply(200, body, {}))
    with pytest.raises(EngineError, match="Google sent no audio for the es text"):
        engine(google)[0].synthesize("Hola.", spanish, 135)
    assert len(google.sent) == 1


def test_audio_that_is_not_mp3_is_an_engine_error(spanish):
    google = FakeGoogle(Reply(200, google_body(b"RIFF, not an MP3 at all"), {}))
    with pytest.raises(EngineError, match="does not decode as MP3"):
        engine(google)[0].synthesize("Hola.", spanish, 135)


@pytest.mark.parametrize(
    "locale, name, tld, language",
    [("es", "es", "com.mx", "Spanish"), ("es_ES", "es", "es", "Spanish"), ("zh_Hans", "zh-CN", "com", "Chinese (Simplified)"),
     ("zh_Hans_CN", "zh-CN", "com", "Chinese (Simplified)"), ("zh_Hant_TW", "zh-TW", "com", "Chinese (Mandarin/Taiwan)"),
     ("pt_BR", "pt", "com.br", "Portuguese (Brazil)"), ("pt", "pt-PT", "com", "Portuguese (Portugal)"),
     ("fil", "tl", "com", "Filipino"), ("he", "iw", "com", "Hebrew"), ("fr_CA", "fr-CA", "com", "French (Canada)"),
     ("en_GB", "en", "co.uk", "English"), ("en_AU", "en", "com.au", "English"), ("es_419", "es", "com.mx", "Spanish")],
)
def test_voice_for_maps_babel_locales_to_gtts_languages(locale, name, tld, language):
    voice = GttsEngine().voice_for(locale)
    assert (voice.engine, voice.locale, voice.name, voice.option("tld"), voice.language) == \
        ("gtts", locale, name, tld, language)


def test_a_language_google_does_not_speak_is_refused_in_one_line():
    with pytest.raises(EngineError) as err:
        GttsEngine().voice_for("ht")
    assert err.value.message == "gTTS has no Haitian Creole voice (ht)" and "--engine espeak" in err.value.hint


# The default transport, against real local servers: it must keep TLS verification that gTTS turns off.

def serve(handler_body: bytes, tls: ssl.SSLContext | None = None):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(429)
            self.send_header("Retry-After", "3")
            self.send_header("Content-Length", str(len(handler_body)))
            self.end_headers()
            self.wfile.write(handler_body)

        def log_message(self, *args):  # the server would print each request to stderr
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def self_signed(tmp_path) -> ssl.SSLContext:
    pytest.importorskip("cryptography")  # pdfplumber brings it
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context


@pytest.fixture
def no_proxy(monkeypatch):
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


def test_the_default_transport_brings_back_status_body_and_headers(no_proxy):
    server = serve(b"slow down")
    try:
        request = requests.Request("POST", f"http://127.0.0.1:{server.server_port}/x", data="f.req=1").prepare()
        reply = send_with_requests(request, 3.0)
    finally:
        server.shutdown()
    assert (reply.status, reply.body, reply.headers["Retry-After"]) == (429, b"slow down", "3")


def test_the_default_transport_verifies_tls(no_proxy, tmp_path):
    server = serve(b"never seen", tls=self_signed(tmp_path))
    try:
        request = requests.Request("POST", f"https://127.0.0.1:{server.server_port}/x", data="f.req=1").prepare()
        with pytest.raises(requests.exceptions.SSLError):
            send_with_requests(request, 3.0)
    finally:
        server.shutdown()


@contextlib.contextmanager
def nothing_listening():
    """A loopback port that is bound but not listening, kept for the test: connecting is refused at once, as a
    machine without a network refuses, and no other process can take the port meanwhile."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield bound.getsockname()[1]


def to_port(port: int):
    """The default transport, with each request sent to a loopback port instead of Google."""
    def send(request: requests.PreparedRequest, timeout: float) -> Reply:
        local = request.copy()
        local.url = f"http://127.0.0.1:{port}{urllib.parse.urlsplit(request.url).path}"
        return send_with_requests(local, timeout)
    return send


def test_the_real_transport_without_a_network_fails_quickly_and_quietly(spanish, capfd, no_proxy):
    with nothing_listening() as port:
        started = time.monotonic()
        with pytest.raises(EngineError) as err:
            GttsEngine(transport=to_port(port), retries=1, backoff=0.01, timeout=3).synthesize("Hola.", spanish, 135)
    assert time.monotonic() - started < 30
    assert "for es after 2 attempts: connection refused" in str(err.value) and "\n" not in str(err.value)
    assert capfd.readouterr() == ("", "")


@pytest.mark.network
def test_google_speaks_through_the_real_engine(spanish):
    """Sends "Hola." to Google: run only when asked for, to see that Google still answers as gTTS expects."""
    speech = GttsEngine(retries=1, timeout=10).synthesize("Hola.", spanish, 135)
    assert speech.rate == RATE and 0.2 < speech.seconds < 5
